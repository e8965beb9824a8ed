import FrontdeskJSON

/// A keyed container over one object of a ``JSONDocument``.
///
/// Keys are found by scanning the object's members (objects in this store have a handful),
/// comparing UTF-8 bytes, starting after the member found last; with keys asked for in
/// document order each lookup compares one key. Objects with duplicate, escaped or non-ASCII
/// keys are scanned from the start comparing Strings, so the first of duplicates wins and
/// canonically equivalent keys match, as with JSONDecoder.
struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    /// The object's header token.
    let object: Int
    /// How much of the decoder's path leads to this container's parent value.
    let base: Int
    /// Keys between that and this object (for containers made by `nestedContainer`).
    let extras: [any CodingKey]

    var codingPath: [any CodingKey] {
        let prefix = decoder.path.prefix(base)
        return extras.isEmpty ? Array(prefix) : Array(prefix) + extras
    }

    private var depth: Int { base + extras.count }

    /// The value token of `key`, or nil if the object has no such member.
    ///
    /// - Complexity: O(1) when keys are asked for in order, else O(members).
    private func find(_ key: Key) -> Int? {
        let doc = decoder.doc
        let header = doc.tokens[object]
        let count = Int(header.a)
        guard count > 0 else { return nil }
        var name = key.stringValue
        return name.withUTF8 { kb -> Int? in
            var ascii: UInt8 = 0
            for c in kb { ascii |= c }
            if header.flags & JSONToken.Flag.slowKeys != 0 || ascii >= 0x80 { return slowFind(kb) }
            let tag = JSONToken.tag(kb)
            let depth = self.depth
            let first = object + 1, end = Int(header.b)
            var pos = first
            if depth < decoder.hints.count {
                let h = decoder.hints[depth]
                if h >> 32 == object { pos = h & 0xFFFF_FFFF }
            } else {
                while decoder.hints.count <= depth { decoder.hints.append(-1) }
            }
            for _ in 0..<count {
                if pos >= end { pos = first }
                let next = doc.next(at: pos + 1)
                if doc.stringEquals(doc.tokens[pos], kb, tag: tag) {
                    decoder.hints[depth] = object << 32 | next
                    return pos + 1
                }
                pos = next
            }
            return nil
        }
    }

    /// The first member whose key equals `kb` as a String.
    private func slowFind(_ kb: UnsafeBufferPointer<UInt8>) -> Int? {
        let doc = decoder.doc
        let end = Int(doc.tokens[object].b)
        var pos = object + 1
        while pos < end {
            if doc.stringEquals(doc.tokens[pos], kb, tag: JSONToken.tag(kb)) { return pos + 1 }
            pos = doc.next(at: pos + 1)
        }
        return nil
    }

    /// The value token of `key`, or a `keyNotFound` error.
    @inline(__always)
    private func value(_ key: Key) throws -> Int {
        guard let v = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return v
    }

    /// The value token of `key` if present and not null.
    @inline(__always)
    private func present(_ key: Key) -> Int? {
        guard let v = find(key), decoder.doc.tokens[v].kind != .null else { return nil }
        return v
    }

    var allKeys: [Key] {
        let doc = decoder.doc
        let header = doc.tokens[object]
        var keys: [Key] = []
        keys.reserveCapacity(Int(header.a))
        var seen = Set<String>()
        let unique = header.flags & JSONToken.Flag.slowKeys == 0
        var pos = object + 1
        while pos < Int(header.b) {
            let name = doc.string(doc.tokens[pos])
            if unique || seen.insert(name).inserted, let k = Key(stringValue: name) { keys.append(k) }
            pos = doc.next(at: pos + 1)
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.doc.tokens[try value(key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.bool(at: value(key), path: codingPath + [key]) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.string(at: value(key), path: codingPath + [key]) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.double(at: value(key), path: codingPath + [key]) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.float(at: value(key), path: codingPath + [key]) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.signed(Int.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.signed(Int8.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.signed(Int16.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.signed(Int32.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.signed(Int64.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decoder.unsigned(UInt.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decoder.unsigned(UInt8.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decoder.unsigned(UInt16.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decoder.unsigned(UInt32.self, at: value(key), path: codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decoder.unsigned(UInt64.self, at: value(key), path: codingPath + [key]) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.nested(T.self, at: value(key), extras: extras, key: key)
    }

    // One lookup instead of the default's three (contains, decodeNil, decode).
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let v = present(key) else { return nil }
        return try decoder.bool(at: v, path: codingPath + [key])
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let v = present(key) else { return nil }
        return try decoder.string(at: v, path: codingPath + [key])
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let v = present(key) else { return nil }
        return try decoder.signed(Int.self, at: v, path: codingPath + [key])
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let v = present(key) else { return nil }
        return try decoder.signed(Int64.self, at: v, path: codingPath + [key])
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let v = present(key) else { return nil }
        return try decoder.unsigned(UInt64.self, at: v, path: codingPath + [key])
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let v = present(key) else { return nil }
        return try decoder.double(at: v, path: codingPath + [key])
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = present(key) else { return nil }
        return try decoder.nested(T.self, at: v, extras: extras, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.keyedContainer(at: value(key), base: base, extras: extras + [key], path: codingPath + [key])
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.unkeyedContainer(at: value(key), base: base, extras: extras + [key], path: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        let key = JSONStringKey("super")
        let v = find(stringKey: key) ?? decoder.doc.nullToken
        return JSONValueDecoder(doc: decoder.doc, current: v, path: codingPath + [key])
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        JSONValueDecoder(doc: decoder.doc, current: find(key) ?? decoder.doc.nullToken, path: codingPath + [key])
    }

    /// The value token of a key that is not a `Key` (`super`).
    private func find(stringKey key: JSONStringKey) -> Int? {
        var name = key.stringValue
        return name.withUTF8 { slowFind($0) }
    }
}

/// A coding key that is just a string (`super`).
struct JSONStringKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The coding key of an array element, as JSONDecoder names it (`Index 3`).
struct JSONIndexKey: CodingKey {
    let index: Int
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init(intValue: Int) { index = intValue }
}
