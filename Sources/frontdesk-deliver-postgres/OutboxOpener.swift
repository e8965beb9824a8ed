import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskPostgres

/// The PostgreSQL store and its shared outbox, as `deliver --data postgresql://…` opens them.
enum OutboxOpener {
    /// Connects to `url` and reads the store, as `frontdesk-postgres` does (an executable's
    /// files are its own, so its `StorageOpener` is not reachable from here); a bad URL is a
    /// usage error, the rest the database's.
    static func connect(url: String, engine: BookingEngine) throws -> PostgresBookingStorage {
        do {
            return try PostgresBookingStorage.connect(url, engine: engine)
        } catch {
            if case .invalidURL = error { throw DatabaseSchema.Failure(isUsage: true, message: error.description) }
            throw DatabaseSchema.Failure(isUsage: false, message: error.description)
        }
    }

    /// A second connection to `storage`'s database for the outbox's claims; every failure
    /// becomes a ``DatabaseSchema/Failure``.
    static func open(_ storage: any BookingStorage) throws -> any SharedOutbox {
        guard let database = storage as? PostgresBookingStorage else {
            throw DatabaseSchema.Failure(isUsage: false, message: "the store is not a PostgreSQL store")
        }
        do {
            return try PostgresOutbox(sameDatabaseAs: database)
        } catch {
            throw DatabaseSchema.Failure(isUsage: false, message: error.description)
        }
    }
}
