import FrontdeskJSON

/// An unkeyed container over one array of a ``JSONDocument``, moving through its
/// elements in order.
///
/// A failed decode leaves the container on the same element, as JSONDecoder does, so a type
/// may try another decoding of it.
struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    /// How much of the decoder's path leads to this container's parent value.
    let base: Int
    /// Keys between that and this array (for containers made by `nestedUnkeyedContainer`).
    let extras: [any CodingKey]
    let count: Int?
    private let elements: Int
    private(set) var currentIndex = 0
    /// The token of the current element.
    private var cursor: Int

    init(decoder: JSONValueDecoder, array: Int, base: Int, extras: [any CodingKey]) {
        self.decoder = decoder
        self.base = base
        self.extras = extras
        elements = Int(decoder.doc.tokens[array].a)
        count = elements
        cursor = array + 1
    }

    var codingPath: [any CodingKey] {
        let prefix = decoder.path.prefix(base)
        return extras.isEmpty ? Array(prefix) : Array(prefix) + extras
    }

    var isAtEnd: Bool { currentIndex >= elements }

    private var elementPath: [any CodingKey] { codingPath + [JSONIndexKey(currentIndex)] }

    /// The current element's token, or a `valueNotFound` error at the end.
    @inline(__always)
    private func element<T>(_ type: T.Type) throws -> Int {
        guard currentIndex < elements else {
            throw DecodingError.valueNotFound(T.self, .init(codingPath: elementPath, debugDescription: "Unkeyed container is at end."))
        }
        return cursor
    }

    @inline(__always)
    private mutating func advance() {
        cursor = decoder.doc.next(at: cursor)
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool {
        let e = try element(Any?.self)
        guard decoder.doc.tokens[e].kind == .null else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let v = try decoder.bool(at: element(Bool.self), path: elementPath); advance(); return v
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let v = try decoder.string(at: element(String.self), path: elementPath); advance(); return v
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let v = try decoder.double(at: element(Double.self), path: elementPath); advance(); return v
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let v = try decoder.float(at: element(Float.self), path: elementPath); advance(); return v
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try natural(UInt.self) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try natural(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try natural(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try natural(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try natural(UInt64.self) }

    private mutating func integer<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) throws -> T {
        let v = try decoder.signed(T.self, at: element(T.self), path: elementPath); advance(); return v
    }
    private mutating func natural<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) throws -> T {
        let v = try decoder.unsigned(T.self, at: element(T.self), path: elementPath); advance(); return v
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let v = try decoder.nested(T.self, at: element(T.self), extras: extras, key: JSONIndexKey(currentIndex))
        advance()
        return v
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let c: KeyedDecodingContainer<NestedKey> = try decoder.keyedContainer(
            at: element([String: Any].self), base: base, extras: extras + [JSONIndexKey(currentIndex)], path: elementPath)
        advance()
        return c
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let c = try decoder.unkeyedContainer(at: element([Any].self), base: base, extras: extras + [JSONIndexKey(currentIndex)], path: elementPath)
        advance()
        return c
    }

    mutating func superDecoder() throws -> any Decoder {
        let d = JSONValueDecoder(doc: decoder.doc, current: try element(Any.self), path: elementPath)
        advance()
        return d
    }
}
