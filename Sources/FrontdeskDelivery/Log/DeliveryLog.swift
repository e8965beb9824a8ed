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
}
