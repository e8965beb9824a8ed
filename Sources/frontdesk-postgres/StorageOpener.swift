import FrontdeskCLI
import FrontdeskCore
import FrontdeskPostgres

/// The command line's everyday commands on a PostgreSQL store, as the hook opens it.
enum StorageOpener {
    /// Connects to `url` and reads the store; every failure becomes a ``DatabaseSchema/Failure``
    /// (a bad URL is a usage error, the rest the database's).
    static func open(url: String, engine: BookingEngine) throws -> any BookingStorage {
        do {
            return try PostgresBookingStorage.connect(url, engine: engine)
        } catch {
            if case .invalidURL = error { throw DatabaseSchema.Failure(isUsage: true, message: error.description) }
            throw DatabaseSchema.Failure(isUsage: false, message: error.description)
        }
    }
}
