/// An unkeyed container writing one array of a ``JSONValueEncoder``'s output: each call writes
/// an element (`,value`) at once.
///
/// Three words (encoder, level, id), so it fits an existential's inline buffer: handing it out
/// as `any UnkeyedEncodingContainer` allocates nothing.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer, JSONScalarContainer {
    let encoder: JSONValueEncoder
    /// The array's level on the encoder's stack.
    let level: Int
    /// The array's entry id (-1 for a container that was refused).
    let id: Int

    var codingPath: [any CodingKey] { encoder.path(to: level) }

    var count: Int {
        guard level < encoder.stack.count, encoder.stack[level].id == id else { return 0 }
        return encoder.stack[level].count
    }

    /// Writes the comma, or throws if this array is no longer open.
    @inline(__always)
    func beginValue() throws {
        guard encoder.beginElement(level: level, id: id) else { throw encoder.staleContainer(level: level) }
    }

    /// The coding path of the element just begun.
    var valuePath: [any CodingKey] { codingPath + [JSONIndexKey(count - 1)] }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try beginValue()
        try encoder.member(value, parent: level, key: JSONIndexKey(encoder.stack[level].count - 1))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        guard encoder.beginElement(level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, level: 0, id: -1))
        }
        let nested = encoder.push(.object, key: JSONIndexKey(count - 1))
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, level: level + 1, id: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        guard encoder.beginElement(level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return JSONUnkeyedEncodingContainer(encoder: encoder, level: 0, id: -1)
        }
        let nested = encoder.push(.array, key: JSONIndexKey(count - 1))
        return JSONUnkeyedEncodingContainer(encoder: encoder, level: level + 1, id: nested)
    }

    mutating func superEncoder() -> any Encoder {
        guard encoder.beginElement(level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return JSONSuperEncoder(encoder: encoder, level: 0, id: -1)
        }
        let slot = encoder.push(.empty, key: JSONIndexKey(count - 1))
        return JSONSuperEncoder(encoder: encoder, level: level + 1, id: slot)
    }
}
