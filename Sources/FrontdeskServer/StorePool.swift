import FrontdeskCLI
import FrontdeskCore
import FrontdeskStore

/// The server's open stores: writer lanes that take the store's write lock in turn (a writer
/// fdatasyncs after releasing the lock, so the records of several lanes share one flush: the
/// store's group commit), and reader lanes that only refresh and read, lock-free, so a reader
/// never waits for a writer.
final class StorePool: Sendable {
    let writers: [StoreLane]
    let readers: [StoreLane]

    init(directory: String, writers count: Int, readers readerCount: Int, user: String) throws {
        let options = APIBridge.storeOptions(user: user)
        let clock = APIBridge.clock
        writers = try (0..<count).map { StoreLane(label: "frontdesk.writer.\($0)", store: try Store.open(at: directory, clock: clock, options: options)) }
        readers = try (0..<readerCount).map { StoreLane(label: "frontdesk.reader.\($0)", store: try Store.open(at: directory, clock: clock, options: options)) }
    }

    /// The writer lane with the fewest requests waiting.
    var writer: StoreLane { writers.min { $0.load < $1.load }! }
    /// The reader lane with the fewest requests waiting.
    var reader: StoreLane { readers.min { $0.load < $1.load }! }

    /// Waits for every lane's background compaction (at shutdown).
    func finish() { for l in writers + readers { l.finish() } }
}
