import FrontdeskPostgres
import FrontdeskServer

/// The server's lanes hold PostgreSQL stores: `forgetLoaded()` and `close()` are theirs.
extension PostgresBookingStorage: ServerDatabase {}
