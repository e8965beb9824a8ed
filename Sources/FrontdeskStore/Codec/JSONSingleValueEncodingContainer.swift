/// A single-value container filling one slot of a ``JSONValueEncoder``'s output with one value.
///
/// Encoding a second value into the same slot throws (`JSONEncoder` stops the program there).
struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoder
    /// The slot's level on the encoder's stack.
    let level: Int
    /// The slot's entry id.
    let id: Int

    var codingPath: [any CodingKey] { encoder.path(to: level) }

    /// Checks the slot is still there and empty, then marks it filled.
    @inline(__always)
    private func begin() throws {
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

    mutating func encodeNil() throws { try begin(); encoder.out.null() }
    mutating func encode(_ value: Bool) throws { try begin(); encoder.out.bool(value) }
    mutating func encode(_ value: String) throws { try begin(); encoder.out.string(value) }
    mutating func encode(_ value: Double) throws { try begin(); try encoder.float(value, path: codingPath) }
    mutating func encode(_ value: Float) throws { try begin(); try encoder.float(value, path: codingPath) }
    mutating func encode(_ value: Int) throws { try begin(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int8) throws { try begin(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int16) throws { try begin(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int32) throws { try begin(); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int64) throws { try begin(); encoder.out.signed(value) }
    mutating func encode(_ value: UInt) throws { try begin(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { try begin(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { try begin(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { try begin(); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { try begin(); encoder.out.unsigned(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard encoder.beginSingle(level: level, id: id) else { try begin(); return }   // throws the right error
        try encoder.single(value, at: level)
    }
}
