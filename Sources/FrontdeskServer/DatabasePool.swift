import FrontdeskCLI
import FrontdeskCore
import FrontdeskStore

/// A PostgreSQL store's lanes: each holds its own connection, and each request runs in its own
/// transaction through `BookingStorage.write` (the database's row lock makes writers take turns
/// across every server and desk; group commit is the file store's optimisation and stays
/// there). Reads run on reader lanes so that they never queue behind writes.
final class DatabasePool: StorageLanes {
    let writers: [DatabaseLane]
    let readers: [DatabaseLane]

    /// Connects every lane now, so that a store that cannot be reached stops the server at start.
    ///
    /// - Throws: what `open` throws for the first connection that fails.
    init(writers count: Int, readers readerCount: Int, open: @escaping @Sendable () throws -> any ServerDatabase) throws {
        writers = try (0..<count).map { DatabaseLane(label: "frontdesk.db-writer.\($0)", storage: try open(), open: open) }
        readers = try (0..<readerCount).map { DatabaseLane(label: "frontdesk.db-reader.\($0)", storage: try open(), open: open) }
    }

    private var writer: DatabaseLane { writers.min { $0.load < $1.load }! }
    private var reader: DatabaseLane { readers.min { $0.load < $1.load }! }

    func read(_ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply {
        await reader.run { try body($0) }
    }

    func write(_ access: Access, _ body: @escaping @Sendable (any BookingStorage) throws -> APIReply) async -> APIReply {
        await writer.run { try body($0) }
    }

    func book(_ access: Access, _ prepare: @escaping @Sendable (any BookingStorage) throws -> GroupedWrite<APIReply>) async -> APIReply {
        await writer.run { storage in
            let w = try prepare(storage)
            return try APIHandlers.commit(storage, access, "api book", w.change, w.plan)
        }
    }

    func finish() {
        for l in writers { l.finish() }
        for l in readers { l.finish() }
    }
}
