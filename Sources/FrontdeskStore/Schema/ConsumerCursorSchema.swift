import FrontdeskJSON

/// The one member the store reads of an event consumer's state file (written by the consumer,
/// such as `frontdesk deliver`): `"cursor"`, the last journal record the consumer has read.
/// Compaction keeps the event segments a consumer still needs; `check` compares the cursor
/// with the journal's end. Other members are the consumer's own.
enum ConsumerCursorSchema {
    /// The cursor in a consumer's state file.
    ///
    /// - Throws: ``SchemaError`` if it has no whole-number `cursor` member, or
    ///   `JSONSyntaxError` for text that is not JSON.
    static func cursor(in bytes: [UInt8]) throws -> UInt64 {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        return try SchemaObject(doc, at: 0, path: "").integer("cursor", as: UInt64.self)
    }
}
