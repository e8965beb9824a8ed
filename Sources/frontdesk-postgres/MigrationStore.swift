import FrontdeskCLI
import FrontdeskCore
import FrontdeskPostgres

/// A PostgreSQL store as `frontdesk migrate` reads and fills it.
final class MigrationStore: MigrationDatabase {
    let storage: PostgresBookingStorage

    /// Connects to `url` (``StorageOpener/connect(url:engine:)``).
    init(url: String, engine: BookingEngine) throws {
        storage = try StorageOpener.connect(url: url, engine: engine)
    }

    var location: String { storage.location }

    func forEachObjectBatch(_ body: ([Mutation]) throws -> Void) throws {
        do {
            try storage.forEachMigrationBatch(body)
        } catch let e as PostgresStoreError {
            throw DatabaseSchema.Failure(isUsage: false, message: e.description)
        }
    }

    func insert(_ objects: [Mutation], batchSize: Int, progress: (Int) -> Void) throws {
        do {
            try storage.insertMigrated(objects, batchSize: batchSize, progress: progress)
        } catch let e as PostgresStoreError {
            throw DatabaseSchema.Failure(isUsage: false, message: e.description)
        }
    }

    func close() { storage.close() }
}
