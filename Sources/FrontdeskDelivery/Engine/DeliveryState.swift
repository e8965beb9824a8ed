import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// The deliverer's durable position: `<data>/delivery-state.json`, replaced atomically.
///
/// Every event of every journal record up to `cursor` is in exactly one of three places:
/// handled (delivered to all its targets, no longer here), `queue` (owed to a target, waiting
/// for a first try or a retry), or `deadLetters`. The file is saved after each change, so a
/// crash after a delivery but before the save delivers that event again: never zero times.
public struct DeliveryState: Sendable, Equatable {
    /// File format version (1).
    public var version: Int = 1
    /// The last journal sequence whose events were read and queued.
    public var cursor: UInt64 = 0
    /// Owed deliveries, in journal order.
    public var queue: [DeliveryJob] = []
    /// Deliveries given up on, oldest first; `frontdesk redeliver` moves them back to `queue`.
    public var deadLetters: [DeliveryJob] = []

    public init() {}

    public static func path(in directory: String) -> String { directory + "/delivery-state.json" }

    /// Reads the state, or a fresh one when the file does not exist.
    public static func load(directory: String) throws(DeliveryError) -> DeliveryState {
        let p = path(in: directory)
        guard let bytes = try AtomicFile.read("delivery-state.json", in: DeliveryDirectory(path: directory)) else { return DeliveryState() }
        let s: DeliveryState
        do { s = try DeliveryState(bytes: bytes) } catch {
            throw .damaged(path: p, detail: "not a delivery state file (\(error))")
        }
        guard s.version <= 1 else { throw .damaged(path: p, detail: "format version \(s.version) is newer than this program supports (1)") }
        return s
    }

    /// The file's text: one line, keys sorted.
    ///
    /// - Throws: ``DeliveryError/store(_:)`` when an event has a time the store cannot write.
    func bytes() throws(DeliveryError) -> [UInt8] {
        do throws(StoreError) {
            let tree: JSONTree = ["version": .integer(version), "cursor": .integer(cursor),
                                  "queue": .array(try queue.map { j throws(StoreError) in try j.json() }),
                                  "deadLetters": .array(try deadLetters.map { j throws(StoreError) in try j.json() })]
            return tree.serialized()
        } catch {
            throw .store(error)
        }
    }

    /// Reads the file's text.
    init(bytes: [UInt8]) throws(SchemaError) {
        let f = try SchemaValue.root(parsingHandEdited: bytes).object()
        func jobs(_ key: String) throws(SchemaError) -> [DeliveryJob] {
            try f.value(key).array { e throws(SchemaError) in try DeliveryJob(e) }
        }
        version = try f.integer("version", as: Int.self)
        cursor = try f.integer("cursor", as: UInt64.self)
        queue = try jobs("queue")
        deadLetters = try jobs("deadLetters")
    }

    /// Atomically replaces the file (temp file, fsync, rename, directory fsync).
    func save(directory: String) throws(DeliveryError) {
        try AtomicFile.replace("delivery-state.json", in: DeliveryDirectory(path: directory), with: try bytes())
    }

    /// Keeps the queue in journal order, then target order.
    mutating func sortQueue() {
        queue.sort { ($0.sequence, $0.index, $0.target.description) < ($1.sequence, $1.index, $1.target.description) }
    }
}
