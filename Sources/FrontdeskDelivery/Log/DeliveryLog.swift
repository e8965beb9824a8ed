import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// The append-only attempt log `<data>/deliveries.jsonl`: one JSON object per line.
public struct DeliveryLog: Sendable {
    public let path: String
    let directory: String

    public init(directory: String) { self.directory = directory; path = directory + "/deliveries.jsonl" }

    /// Appends one record (a single `O_APPEND | O_NOFOLLOW` write; a symlink in the log's place is refused).
    func append(_ r: DeliveryRecord) throws(DeliveryError) {
        try AtomicFile.appendLine("deliveries.jsonl", in: DeliveryDirectory(path: directory), r.json.text)
    }

    /// Every record, oldest first; lines that do not parse (a torn last line) are skipped.
    public func records() throws(DeliveryError) -> [DeliveryRecord] {
        guard let bytes = try AtomicFile.read("deliveries.jsonl", in: DeliveryDirectory(path: directory)) else { return [] }
        return bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            try? DeliveryRecord(SchemaValue.root(parsingHandEdited: Array(line)))
        }
    }

    /// Deletes the oldest records, as a prefix, while each one's `time` is before `cutoff`:
    /// the first record that is newer or does not parse, and everything after it, stays (the
    /// log is in attempt order; nothing it cannot date is dropped). The rest replaces the file
    /// atomically. Only the deliverer appends, so the caller holds the ``DelivererLock``.
    /// Returns how many records went.
    ///
    /// - Complexity: reads the whole log; rewrites it only when something goes.
    func prune(before cutoff: Instant) throws(DeliveryError) -> Int {
        let dir = try DeliveryDirectory(path: directory)
        guard let bytes = try AtomicFile.read("deliveries.jsonl", in: dir) else { return 0 }
        var start = bytes.startIndex
        var removed = 0
        while start < bytes.endIndex, let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            guard let record = try? DeliveryRecord(SchemaValue.root(parsingHandEdited: Array(bytes[start..<nl]))),
                  let at = Instant(iso8601: record.time), at < cutoff else { break }
            removed += 1
            start = nl + 1
        }
        if removed > 0 { try AtomicFile.replace("deliveries.jsonl", in: dir, with: Array(bytes[start...])) }
        return removed
    }
}
