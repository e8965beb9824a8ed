import FrontdeskJSON

/// The `Decoder` that ``CompactJSONDecoder`` hands to `Decodable` types: a cursor into a
/// ``JSONDocument``, also serving as its own single-value container.
///
/// One instance is reused for a whole decode: a nested value is decoded by moving ``current``
/// and pushing its key onto ``path`` for the duration of the nested `init(from:)`, so decoding
/// a value allocates nothing beyond what the containers and the values themselves need.
/// Containers remember how much of ``path`` was theirs (`base`), which is valid while the
/// `init(from:)` that made them runs, the only time `Decodable` code uses them.
final class JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let doc: JSONDocument
    // Unchecked exclusivity: these are touched several times per decoded field, only by this
    // decode's own thread, and never while a mutable access to them is in progress.
    /// The token being decoded.
    @exclusivity(unchecked) var current: Int
    /// The coding path to ``current``.
    @exclusivity(unchecked) var path: [any CodingKey]
    /// Per container depth: `(object token << 32) | key token` of the member after the last one
    /// found, where the next lookup in that object starts (keys are usually asked for in order).
    @exclusivity(unchecked) var hints: [Int] = []

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(doc: JSONDocument, current: Int, path: [any CodingKey]) {
        self.doc = doc
        self.current = current
        self.path = path
    }

    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try keyedContainer(at: current, base: path.count, extras: [], path: path)
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try unkeyedContainer(at: current, base: path.count, extras: [], path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// A keyed container over the object at `index`.
    func keyedContainer<Key: CodingKey>(at index: Int, base: Int, extras: [any CodingKey],
                                        path: @autoclosure () -> [any CodingKey]) throws -> KeyedDecodingContainer<Key> {
        let t = doc.tokens[index]
        guard t.kind == .object else { throw mismatch([String: Any].self, t, path()) }
        return KeyedDecodingContainer(JSONKeyedContainer<Key>(decoder: self, object: index, base: base, extras: extras))
    }

    /// An unkeyed container over the array at `index`.
    func unkeyedContainer(at index: Int, base: Int, extras: [any CodingKey],
                          path: @autoclosure () -> [any CodingKey]) throws -> any UnkeyedDecodingContainer {
        let t = doc.tokens[index]
        guard t.kind == .array else { throw mismatch([Any].self, t, path()) }
        return JSONUnkeyedContainer(decoder: self, array: index, base: base, extras: extras)
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { doc.tokens[current].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(at: current, path: path) }
    func decode(_ type: String.Type) throws -> String { try string(at: current, path: path) }
    func decode(_ type: Double.Type) throws -> Double { try double(at: current, path: path) }
    func decode(_ type: Float.Type) throws -> Float { try float(at: current, path: path) }
    func decode(_ type: Int.Type) throws -> Int { try signed(Int.self, at: current, path: path) }
    func decode(_ type: Int8.Type) throws -> Int8 { try signed(Int8.self, at: current, path: path) }
    func decode(_ type: Int16.Type) throws -> Int16 { try signed(Int16.self, at: current, path: path) }
    func decode(_ type: Int32.Type) throws -> Int32 { try signed(Int32.self, at: current, path: path) }
    func decode(_ type: Int64.Type) throws -> Int64 { try signed(Int64.self, at: current, path: path) }
    func decode(_ type: UInt.Type) throws -> UInt { try unsigned(UInt.self, at: current, path: path) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try unsigned(UInt8.self, at: current, path: path) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try unsigned(UInt16.self, at: current, path: path) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try unsigned(UInt32.self, at: current, path: path) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try unsigned(UInt64.self, at: current, path: path) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        return try T(from: self)
    }

    // MARK: Values at a token

    /// Decodes a nested value with this decoder moved to `index` and `extras + [key]` pushed onto the path.
    @inline(__always)
    func nested<T: Decodable>(_ type: T.Type, at index: Int, extras: [any CodingKey], key: @autoclosure () -> any CodingKey) throws -> T {
        let savedCurrent = current
        let savedDepth = path.count
        if !extras.isEmpty { path.append(contentsOf: extras) }
        path.append(key())
        current = index
        defer {
            current = savedCurrent
            path.removeLast(path.count - savedDepth)
        }
        return try T(from: self)
    }

    @inline(__always)
    func string(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> String {
        let t = doc.tokens[index]
        guard t.kind == .string else { throw mismatch(String.self, t, path()) }
        return doc.string(t)
    }

    @inline(__always)
    func bool(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        let t = doc.tokens[index]
        switch t.kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, t, path())
        }
    }

    @inline(__always)
    func signed<T: FixedWidthInteger & SignedInteger>(_ type: T.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> T {
        let t = doc.tokens[index]
        guard t.kind == .number else { throw mismatch(T.self, t, path()) }
        guard let v = JSONNumber.signed(doc.raw(t), plain: t.flags == 0, as: T.self) else { throw unrepresentable(T.self, t, path()) }
        return v
    }

    @inline(__always)
    func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type, at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> T {
        let t = doc.tokens[index]
        guard t.kind == .number else { throw mismatch(T.self, t, path()) }
        guard let v = JSONNumber.unsigned(doc.raw(t), plain: t.flags == 0, as: T.self) else { throw unrepresentable(T.self, t, path()) }
        return v
    }

    func double(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Double {
        let t = doc.tokens[index]
        guard t.kind == .number else { throw mismatch(Double.self, t, path()) }
        guard let v = JSONNumber.double(doc.raw(t)) else { throw unrepresentable(Double.self, t, path()) }
        return v
    }

    func float(at index: Int, path: @autoclosure () -> [any CodingKey]) throws -> Float {
        let t = doc.tokens[index]
        guard t.kind == .number else { throw mismatch(Float.self, t, path()) }
        guard let d = JSONNumber.double(doc.raw(t)), abs(d) <= Double(Float.greatestFiniteMagnitude) else {
            throw unrepresentable(Float.self, t, path())
        }
        return Float(d)
    }

    // MARK: Errors

    /// The error for a value of the wrong kind: `valueNotFound` for null, else `typeMismatch`.
    func mismatch<T>(_ type: T.Type, _ t: JSONToken, _ path: [any CodingKey]) -> DecodingError {
        if t.kind == .null {
            return .valueNotFound(T.self, .init(codingPath: path, debugDescription: "Cannot get value of type \(T.self) -- found null value instead"))
        }
        return .typeMismatch(T.self, .init(codingPath: path, debugDescription: "Expected to decode \(T.self) but found \(t.kindDescription) instead."))
    }

    /// The error for a number that does not fit the requested type.
    func unrepresentable<T>(_ type: T.Type, _ t: JSONToken, _ path: [any CodingKey]) -> DecodingError {
        let text = String(decoding: doc.raw(t), as: UTF8.self)
        return .dataCorrupted(.init(codingPath: path, debugDescription: "Number \(text) does not fit in \(T.self)."))
    }
}
