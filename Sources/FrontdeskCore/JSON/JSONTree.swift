/// A JSON value as a tree, for JSON of no fixed shape: theme and keys files, import rows,
/// event payloads, and objects the command line puts together by hand (error details).
///
/// It replaces Foundation's `JSONSerialization` there. ``init(parsing:)`` accepts what
/// `JSONSerialization.jsonObject(with:options: .fragmentsAllowed)` accepted and reads numbers
/// into the form it gave them; the store writes trees as `JSONSerialization` wrote them
/// (`serialized()`), byte for byte.
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
        var reader = JSONTreeReader(text)
        self = try reader.document()
    }
}

/// Where and why a text is not JSON that ``JSONTree`` can read.
package struct JSONTreeError: Error, CustomStringConvertible, Equatable {
    /// 1-based line and column (counted in characters) of the problem.
    package var line: Int
    package var column: Int
    package var message: String
    package var description: String { "line \(line), column \(column): \(message)" }
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
