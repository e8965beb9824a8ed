import FrontdeskJSON

/// A fast JSON decoder for `Decodable` types, a drop-in for Foundation's `JSONDecoder` (default
/// strategies) on the store's read paths.
///
/// It parses the text once into a flat token array (``JSONDocument``: no dictionary per object,
/// strings decoded only when asked for), then lets the types decode from it through the
/// standard `Decoder` protocol, so every `Decodable` type works unchanged. It accepts what
/// JSONDecoder accepts, except that it is strict where JSONDecoder is lenient about trailing
/// commas (`[1,]`), which it rejects; it throws `DecodingError`s with coding paths like
/// JSONDecoder's for malformed text, wrong types and missing keys.
package struct CompactJSONDecoder: Sendable {
    package init() {}

    /// Decodes a value of `type` from UTF-8 JSON text.
    ///
    /// - Throws: `DecodingError.dataCorrupted` for text that is not valid JSON (the description
    ///   names the byte offset), and the usual `DecodingError`s for values that do not fit `type`.
    /// - Complexity: O(n) in the text's length plus the work of the types' `init(from:)`.
    package func decode<T: Decodable, Bytes: Collection<UInt8>>(_ type: T.Type, from bytes: Bytes) throws -> T {
        if let result = try bytes.withContiguousStorageIfAvailable({ try decode(T.self, raw: UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try Array(bytes).withUnsafeBytes { try decode(T.self, raw: $0) }
    }

    private func decode<T: Decodable>(_ type: T.Type, raw: UnsafeRawBufferPointer) throws -> T {
        let doc: JSONDocument
        do { doc = try JSONDocument(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "The given data was not valid JSON: \(error)", underlyingError: error))
        }
        return try T(from: JSONValueDecoder(doc: doc, current: 0, path: []))
    }
}
