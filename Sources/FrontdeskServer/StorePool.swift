import FrontdeskCLI
import FrontdeskCore
import FrontdeskStore

/// The server's open stores: writer lanes that each commit the requests queued on them in
/// groups (``WriterLane``: one lock hold and one fdatasync a group), and reader lanes that only
/// refresh and read, lock-free, so a reader never waits for a writer. One writer lane is the
/// default: every other lane's store has to replay the records the first one writes before it
/// can plan, which costs more than a lane's group gains.
final class StorePool: Sendable {
    let writers: [WriterLane]
    let readers: [StoreLane]

    init(directory: String, writers count: Int, readers readerCount: Int, user: String) throws {
        var options = APIBridge.storeOptions(user: user)
        // Commits go on while a lane's compaction runs: its write-back must not take in every
        // dirty page of the file system, which the journal's fdatasync would queue behind.
        options.compactionFsyncsEachFile = true
        let clock = APIBridge.clock
        writers = try (0..<count).map { WriterLane(label: "frontdesk.writer.\($0)", store: try Store.open(at: directory, clock: clock, options: options)) }
        readers = try (0..<readerCount).map { StoreLane(label: "frontdesk.reader.\($0)", store: try Store.open(at: directory, clock: clock, options: options)) }
    }

    /// The writer lane with the fewest requests waiting.
    var writer: WriterLane { writers.min { $0.load < $1.load }! }
    /// The reader lane with the fewest requests waiting.
    var reader: StoreLane { readers.min { $0.load < $1.load }! }

    /// Waits for every lane's background compaction (at shutdown).
    func finish() {
        for l in writers { l.finish() }
        for l in readers { l.finish() }
    }
}
