/// A JSON value as a tree, for JSON of no fixed shape: import rows, event payloads, and objects
/// the command line puts together by hand (error details, schedules).
///
/// It replaces Foundation's `JSONSerialization` on those paths and keeps its output byte for
/// byte (webhook bodies are signed, and scripts read `--json` output): ``serialized()`` writes
/// what `JSONSerialization.data(withJSONObject:options: [.sortedKeys, .withoutEscapingSlashes])`
/// wrote for the same value, and ``init(parsing:)`` reads numbers into the form that
/// `JSONSerialization.jsonObject(with:)` gave them.
package enum JSONTree: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number as the text ``serialized()`` writes (see ``integer(_:)`` and ``init(parsing:)``).
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

    // MARK: Reading

    /// Parses UTF-8 JSON text (any value at the top, as with `.fragmentsAllowed`).
    ///
    /// Numbers keep `JSONSerialization`'s reading: a whole number that fits `Int64` (negative)
    /// or `UInt64` is written back in plain decimal (`-0` becomes `0`); any other number becomes
    /// the nearest `Double` and is written as its shortest text without a trailing `.0`
    /// (`1.0` → `1`, `1.5e3` → `1500`). Foundation kept numbers of more than 17 significant
    /// digits as `Decimal` instead, and failed on ones beyond `Double`'s range (`1e999`); both
    /// are written here as they were in the text.
    ///
    /// - Throws: ``JSONSyntaxError`` naming the byte offset of the first problem.
    /// - Complexity: O(n) in the length of the text.
    package init<Bytes: Collection<UInt8>>(parsing bytes: Bytes) throws(JSONSyntaxError) {
        let doc: JSONDocument
        do {
            doc = try bytes.withContiguousStorageIfAvailable { buffer throws(JSONSyntaxError) in
                try JSONDocument(UnsafeRawBufferPointer(buffer))
            } ?? Array(bytes).withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        } catch let e as JSONSyntaxError { throw e } catch { fatalError("unreachable: \(error)") }
        var index = 0
        self = JSONTree.build(doc, &index)
    }

    /// The value at token `index`, moving `index` past it.
    private static func build(_ doc: JSONDocument, _ index: inout Int) -> JSONTree {
        let t = doc.tokens[index]
        index += 1
        switch t.kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .string: return .string(doc.string(t))
        case .number: return .number(canonicalNumber(doc.raw(t), plain: t.flags & JSONToken.Flag.notInteger == 0))
        case .array:
            var elements: [JSONTree] = []
            elements.reserveCapacity(Int(t.a))
            for _ in 0..<Int(t.a) { elements.append(build(doc, &index)) }
            return .array(elements)
        case .object:
            var members: [String: JSONTree] = [:]
            members.reserveCapacity(Int(t.a))
            for _ in 0..<Int(t.a) {
                let key = doc.string(doc.tokens[index])
                index += 1
                members[key] = build(doc, &index)
            }
            return .object(members)
        }
    }

    /// A number's text as `JSONSerialization` wrote it back after reading it.
    static func canonicalNumber(_ raw: UnsafeBufferPointer<UInt8>, plain: Bool) -> String {
        let text = String(decoding: raw, as: UTF8.self)
        if plain {
            if raw.first == UInt8(ascii: "-"), let v = Int64(text) { return String(v) }
            if raw.first != UInt8(ascii: "-"), let v = UInt64(text) { return String(v) }
        }
        let significant = raw.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            .filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        guard significant <= 17, let d = Double(text), d.isFinite else { return text }
        var w = JSONWriter()
        w.float(d)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    // MARK: Writing

    /// The value as compact UTF-8 JSON: object members in ``FoundationKeyOrder``, strings escaped
    /// as ``JSONWriter`` escapes them (which is how `JSONSerialization` did, `/` left alone).
    package func serialized() -> [UInt8] {
        var w = JSONWriter()
        write(into: &w)
        return w.bytes
    }

    /// ``serialized()`` as a `String`.
    package var text: String { String(decoding: serialized(), as: UTF8.self) }

    private func write(into w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .number(let n): w.raw(n)
        case .string(let s): w.string(s)
        case .array(let elements):
            w.byte(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                e.write(into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let members):
            w.byte(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted(by: FoundationKeyOrder.areInIncreasingOrder).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(key)
                w.byte(UInt8(ascii: ":"))
                members[key]!.write(into: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
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
