import FrontdeskJSON

/// A keyed container writing one object of a ``JSONValueEncoder``'s output: each call writes a
/// member (`,"key":value`) at once.
///
/// Keys are written in the order they are encoded (declaration order for synthesized
/// conformances). A key encoded twice is written twice; `JSONEncoder` would keep only the last
/// value, and decoders read the first, so types must not do that (the model never does).
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    /// The object's level on the encoder's stack.
    let level: Int
    /// The object's entry id (-1 for a container that was refused).
    let id: Int

    var codingPath: [any CodingKey] { encoder.path(to: level) }

    /// Writes the comma and the key, or throws if this object is no longer open.
    @inline(__always)
    private func begin(_ key: Key) throws {
        guard encoder.beginMember(key.stringValue, level: level, id: id) else { throw encoder.staleContainer(level: level) }
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); encoder.out.null() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); encoder.out.bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); encoder.out.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); try encoder.float(value, path: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); try encoder.float(value, path: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); encoder.out.signed(Int64(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); encoder.out.signed(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); encoder.out.unsigned(UInt64(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); encoder.out.unsigned(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try encoder.member(value, parent: level, key: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        guard encoder.beginMember(key.stringValue, level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, level: 0, id: -1))
        }
        let nested = encoder.push(.object, key: key)
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, level: level + 1, id: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        guard encoder.beginMember(key.stringValue, level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return JSONUnkeyedEncodingContainer(encoder: encoder, level: 0, id: -1)
        }
        let nested = encoder.push(.array, key: key)
        return JSONUnkeyedEncodingContainer(encoder: encoder, level: level + 1, id: nested)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(key: JSONSuperKey()) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(key: key) }

    /// An encoder for the value of `key`, written where the member is (`{}` if it encodes nothing).
    private func superEncoder(key: any CodingKey) -> any Encoder {
        guard encoder.beginMember(key.stringValue, level: level, id: id) else {
            _ = encoder.staleContainer(level: level)
            return JSONSuperEncoder(encoder: encoder, level: 0, id: -1)
        }
        let slot = encoder.push(.empty, key: key)
        return JSONSuperEncoder(encoder: encoder, level: level + 1, id: slot)
    }
}

/// The key `JSONEncoder` uses for `superEncoder()`: `"super"`.
struct JSONSuperKey: CodingKey {
    var stringValue: String { "super" }
    var intValue: Int? { nil }
    init() {}
    init?(stringValue: String) { guard stringValue == "super" else { return nil } }
    init?(intValue: Int) { nil }
}
