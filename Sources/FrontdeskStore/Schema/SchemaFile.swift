import FrontdeskJSON

/// Reading one whole persisted file through its schema.
enum SchemaFile {
    /// The value in `bytes`: read straight from the tokens by `read` when the text has the
    /// shape the store writes, else through `T`'s `Decodable` conformance, which accepts other
    /// spellings of the same value (escaped keys, members in another order) and otherwise
    /// throws a `DecodingError` naming what does not fit.
    ///
    /// - Complexity: O(n) in the length of the text, plus `read`'s work.
    static func read<T: Decodable>(_ type: T.Type, from bytes: [UInt8], _ read: (JSONDocument) -> T?) throws -> T {
        let fast: T?? = bytes.withUnsafeBytes { raw in
            guard let doc = try? JSONDocument(raw) else { return nil }
            return read(doc)
        }
        if let value = fast ?? nil { return value }
        return try CompactJSONDecoder().decode(T.self, from: bytes)
    }
}
