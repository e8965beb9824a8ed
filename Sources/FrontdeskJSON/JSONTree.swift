/// A JSON value as a tree, for JSON of no fixed shape: theme and keys files, import rows,
/// event payloads, and objects the command line puts together by hand (error details).
///
/// It replaces Foundation's `JSONSerialization` there. ``init(parsing:)`` accepts what
/// `JSONSerialization.jsonObject(with:options: .fragmentsAllowed)` accepted and reads numbers
/// into the form it gave them; ``serialized()`` writes trees as `JSONSerialization` wrote them,
/// byte for byte.
package enum JSONTree: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number, as the text it is written as: see ``integer(_:)`` and ``init(parsing:)``.
    case number(String)
    case string(String)
    case array([JSONTree])
    /// An object; a key repeated in parsed text keeps its last value, as in `JSONSerialization`.
    case object([String: JSONTree])

    /// An integer, written in decimal.
    package static func integer<T: BinaryInteger>(_ v: T) -> JSONTree { .number(String(v)) }

    /// A string, or `null` for nil (what `JSONSerialization` wrote for `nil as Any`).
    package static func string(_ s: String?) -> JSONTree { s.map { .string($0) } ?? .null }

    /// The string, if this is one.
    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The members, if this is an object.
    package var objectValue: [String: JSONTree]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements, if this is an array.
    package var arrayValue: [JSONTree]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The number's value, if this is a number.
    package var doubleValue: Double? {
        if case .number(let n) = self { return Double(n) }
        return nil
    }

    /// A short name of the kind of value, for messages ("a string", "an object", …).
    package var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses UTF-8 JSON text: any value at the top (as with `.fragmentsAllowed`), surrounded by
    /// optional whitespace, after an optional byte order mark.
    ///
    /// Accepts what `JSONSerialization` accepts, which is RFC 8259 plus one trailing comma in
    /// an array or object (`[1,]`, hand-written keys files have them). Numbers keep its reading:
    /// a whole number that fits `Int64` (negative) or `UInt64` is held in plain decimal (`-0`
    /// becomes `0`); any other number of at most 17 significant digits becomes the nearest
    /// `Double`, held as its shortest text without a trailing `.0` (`1.0` → `1`, `1.5e3` →
    /// `1500`, `-0.0` → `-0`); longer ones (which it keeps as `Decimal`) are held as written.
    /// A number beyond `Double`'s range (`1e400`) is an error, as it is there.
    ///
    /// - Throws: ``JSONTreeError`` with the line, column and what was expected.
    /// - Complexity: O(n) in the length of the text.
    package init<Bytes: Collection<UInt8>>(parsing bytes: Bytes) throws(JSONTreeError) {
        let text = Array(bytes)
        let parsed = text.withUnsafeBytes { raw in
            Result { () throws(JSONSyntaxError) in try JSONDocument(raw, allowingTrailingCommas: true) }
        }
        let document: JSONDocument
        switch parsed {
        case .success(let d): document = d
        case .failure(let error): throw JSONTreeError(error.message, at: error.offset, in: text)
        }
        var index = 0
        self = try JSONTree(document, at: &index, text: text)
    }

    /// The value at token `index` of `document`, and `index` moved past it.
    private init(_ document: JSONDocument, at index: inout Int, text: [UInt8]) throws(JSONTreeError) {
        let token = document.tokens[index]
        index += 1
        switch token.kind {
        case .null: self = .null
        case .true: self = .bool(true)
        case .false: self = .bool(false)
        case .string: self = .string(document.string(token))
        case .number:
            let raw = document.raw(token)
            guard let n = JSONTree.canonicalNumber(raw, whole: token.flags & JSONToken.Flag.notInteger == 0) else {
                throw JSONTreeError("the number \(String(decoding: raw, as: UTF8.self)) is too large", at: Int(token.a), in: text)
            }
            self = .number(n)
        case .array:
            var elements: [JSONTree] = []
            elements.reserveCapacity(Int(token.a))
            let end = Int(token.b)
            while index < end { elements.append(try JSONTree(document, at: &index, text: text)) }
            self = .array(elements)
        case .object:
            var members: [String: JSONTree] = [:]
            members.reserveCapacity(Int(token.a))
            let end = Int(token.b)
            while index < end {
                let key = document.string(document.tokens[index])
                index += 1
                members[key] = try JSONTree(document, at: &index, text: text)
            }
            self = .object(members)
        }
    }

    /// A number's text as `JSONSerialization` read it (see ``init(parsing:)``), or nil when it
    /// is beyond `Double`'s range.
    private static func canonicalNumber(_ raw: UnsafeBufferPointer<UInt8>, whole: Bool) -> String? {
        let text = String(decoding: raw, as: UTF8.self)
        let negative = raw.first == 0x2D
        if whole {
            if negative, let v = Int64(text) { return String(v) }
            if !negative, let v = UInt64(text) { return String(v) }
        }
        let significant = raw.prefix { $0 != 0x65 && $0 != 0x45 }.filter { $0 >= 0x30 && $0 <= 0x39 }.count
        if significant > 17 { return text }
        guard let d = Double(text), d.isFinite else { return nil }
        var shortest = d.description
        if shortest.hasSuffix(".0") { shortest.removeLast(2) }
        return shortest
    }
}

extension JSONTree: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONTree)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONTree: ExpressibleByArrayLiteral {
    package init(arrayLiteral elements: JSONTree...) { self = .array(elements) }
}

extension JSONTree: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
}
