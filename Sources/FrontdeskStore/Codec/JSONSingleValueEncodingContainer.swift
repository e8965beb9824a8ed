/// A single-value container filling one slot of a ``JSONValueEncoder``'s output with one value.
///
/// Encoding a second value into the same slot throws (`JSONEncoder` stops the program there).
struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer, JSONScalarContainer {
    let encoder: JSONValueEncoder
    /// The slot's level on the encoder's stack.
    let level: Int
    /// The slot's entry id.
    let id: Int

    var codingPath: [any CodingKey] { encoder.path(to: level) }
    var valuePath: [any CodingKey] { codingPath }

    /// Checks the slot is still there and empty, then marks it filled.
    @inline(__always)
    func beginValue() throws {
        guard encoder.beginSingle(level: level, id: id) else {
            if level < encoder.stack.count, encoder.stack[level].id == id {
                let e = encoder.misuse("a single value container was asked to encode a second value", level: level)
                if encoder.failure == nil { encoder.failure = e }
                throw e
            }
            throw encoder.staleContainer(level: level)
        }
        encoder.stack[level].kind = .done
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard encoder.beginSingle(level: level, id: id) else { try beginValue(); return }   // throws the right error
        try encoder.single(value, at: level)
    }
}
