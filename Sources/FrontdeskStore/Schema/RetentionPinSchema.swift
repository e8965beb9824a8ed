import FrontdeskCore
import FrontdeskJSON

/// The retention pin, `<data>/retention-pin.json`: `{"at":"<time>","by":"<who>","retain_from":N}`.
///
/// Compaction keeps every `events/` segment that holds a record at or after `retain_from`
/// (``Store/pinRetention(from:by:)`` writes it; a backup pins the first record it still needs
/// to roll forward through). The store reads only `retain_from`; `by` and `at` are for the
/// operator (`frontdesk status`).
enum RetentionPinSchema {
    /// The pin file's name in the store directory.
    static let fileName = "retention-pin.json"

    /// `retain_from` in a pin file.
    ///
    /// - Throws: ``SchemaError`` if it has no whole-number `retain_from` member, or
    ///   `JSONSyntaxError` for text that is not JSON.
    static func retainFrom(in bytes: [UInt8]) throws -> UInt64 {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        return try SchemaObject(doc, at: 0, path: "").integer("retain_from", as: UInt64.self)
    }

    /// The text of a pin: one line, members sorted.
    static func bytes(retainFrom: UInt64, by: String, at: Instant) -> [UInt8] {
        JSONTree.object(["retain_from": .integer(retainFrom), "by": .string(by), "at": .string(at.iso8601)]).serialized() + [0x0A]
    }

    /// `by` and `at` of a pin, when present (for reports; the store acts on `retain_from` only).
    static func note(in bytes: [UInt8]) -> (by: String?, at: String?) {
        guard let tree = try? JSONTree(parsing: bytes), let o = tree.objectValue else { return (nil, nil) }
        return (o["by"]?.stringValue, o["at"]?.stringValue)
    }
}
