import FrontdeskCLI
import FrontdeskCore
import FrontdeskPostgres

/// A PostgreSQL store as the command line's hooks open it (everyday commands, `migrate`).
enum StorageOpener {
    /// Connects to `url` and reads the store; every failure becomes a ``DatabaseSchema/Failure``
    /// (a bad URL is a usage error, the rest the database's).
    static func connect(url: String, engine: BookingEngine) throws -> PostgresBookingStorage {
        do {
            return try PostgresBookingStorage.connect(url, engine: engine)
        } catch {
            if case .invalidURL = error { throw DatabaseSchema.Failure(isUsage: true, message: error.description) }
            throw DatabaseSchema.Failure(isUsage: false, message: error.description)
        }
    }
}
