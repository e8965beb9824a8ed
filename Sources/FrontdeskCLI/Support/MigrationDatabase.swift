import FrontdeskCore

/// A PostgreSQL store as `frontdesk migrate` reads and fills it, opened by
/// ``FrontdeskMain/openMigrationDatabase`` in `frontdesk-postgres` (the `frontdesk` binary links
/// no database client).
public protocol MigrationDatabase: AnyObject {
    /// Where the store is, without any password.
    var location: String { get }

    /// Every object the store holds, as the mutations that recreate it, handed to `body` a
    /// batch at a time (kinds in the order of `Store.everyObject(liveKeysSince:)`), so that
    /// memory holds one batch, not the store. Throws when a row holds no document, and what
    /// `body` throws.
    func forEachObjectBatch(_ body: ([Mutation]) throws -> Void) throws

    /// Writes `objects`, none of which the store holds yet, in transactions of at most
    /// `batchSize` objects, calling `progress` with the number written after each commit.
    func insert(_ objects: [Mutation], batchSize: Int, progress: (Int) -> Void) throws

    /// Closes the connection.
    func close()
}
