/// The recursive-descent parser behind ``JSONTree/init(parsing:)``.
struct JSONTreeReader {
    private let p: [UInt8]
    private var i = 0

    /// Nesting deeper than this is refused, as `JSONSerialization` refused it.
    static let maximumDepth = 512

    init(_ bytes: [UInt8]) { p = bytes }

    /// One value and nothing after it but whitespace.
    mutating func document() throws(JSONTreeError) -> JSONTree {
        if p.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        skipWhitespace()
        let v = try value(depth: 0)
        skipWhitespace()
        if i < p.count { throw fail("unexpected \(found) after the JSON value") }
        return v
    }

    // MARK: Errors

    /// The error at the current position, with its line and column.
    private func fail(_ message: String) -> JSONTreeError {
        let upTo = p[..<min(i, p.count)]
        let lineStart = (upTo.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        let line = upTo.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let column = String(decoding: p[lineStart..<min(i, p.count)], as: UTF8.self).count + 1
        return JSONTreeError(line: line, column: column, message: message)
    }

    /// The character at the current position, for messages.
    private var found: String {
        guard i < p.count else { return "end of text" }
        let c = p[i]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "character U+\(String(c, radix: 16, uppercase: true))"
    }

    // MARK: Values

    private mutating func skipWhitespace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONTreeError) -> JSONTree {
        guard i < p.count else { throw fail("expected a value, found the end of the text") }
        switch p[i] {
        case 0x22: return .string(try string())
        case 0x7B: return try object(depth: depth + 1)
        case 0x5B: return try array(depth: depth + 1)
        case 0x74: try literal("true"); return .bool(true)
        case 0x66: try literal("false"); return .bool(false)
        case 0x6E: try literal("null"); return .null
        case 0x2D, 0x30...0x39: return .number(try number())
        default: throw fail("expected a value, found \(found)")
        }
    }

    private mutating func literal(_ word: String) throws(JSONTreeError) {
        let w = Array(word.utf8)
        guard p[i...].starts(with: w) else { throw fail("expected a value, found \(found)") }
        i += w.count
    }

    private mutating func array(depth: Int) throws(JSONTreeError) -> JSONTree {
        guard depth <= Self.maximumDepth else { throw fail("nested too deeply") }
        i += 1
        var elements: [JSONTree] = []
        skipWhitespace()
        while true {
            if i < p.count, p[i] == 0x5D { i += 1; return .array(elements) }
            elements.append(try value(depth: depth))
            skipWhitespace()
            guard i < p.count, p[i] == 0x2C || p[i] == 0x5D else { throw fail("expected ',' or ']', found \(found)") }
            if p[i] == 0x2C { i += 1; skipWhitespace() }
        }
    }

    private mutating func object(depth: Int) throws(JSONTreeError) -> JSONTree {
        guard depth <= Self.maximumDepth else { throw fail("nested too deeply") }
        i += 1
        var members: [String: JSONTree] = [:]
        skipWhitespace()
        while true {
            if i < p.count, p[i] == 0x7D { i += 1; return .object(members) }
            guard i < p.count, p[i] == 0x22 else { throw fail("expected a quoted key or '}', found \(found)") }
            let key = try string()
            skipWhitespace()
            guard i < p.count, p[i] == 0x3A else { throw fail("expected ':' after the key \"\(key)\", found \(found)") }
            i += 1
            skipWhitespace()
            members[key] = try value(depth: depth)
            skipWhitespace()
            guard i < p.count, p[i] == 0x2C || p[i] == 0x7D else { throw fail("expected ',' or '}', found \(found)") }
            if p[i] == 0x2C { i += 1; skipWhitespace() }
        }
    }

    /// A string at `i` (on its opening quote), escapes decoded.
    private mutating func string() throws(JSONTreeError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < p.count else { throw fail("unterminated string") }
            let c = p[i]
            switch c {
            case 0x22:
                i += 1
                guard let s = String(validating: out, as: UTF8.self) else { throw fail("the string before this is not valid UTF-8") }
                return s
            case 0x5C:
                try escape(into: &out)
            case 0x00..<0x20:
                throw fail("unescaped control character U+\(String(c, radix: 16, uppercase: true)) in a string")
            default:
                out.append(c)
                i += 1
            }
        }
    }

    /// One escape at `i` (on its backslash), appended to `out` as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(JSONTreeError) {
        guard i + 1 < p.count else { i += 1; throw fail("unterminated string") }
        let e = p[i + 1]
        let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
        if let byte = simple[e] { out.append(byte); i += 2; return }
        guard e == 0x75 else { i += 1; throw fail("invalid escape \\\(Character(Unicode.Scalar(e)))") }
        guard let unit = hex4(at: i + 2) else { i += 2; throw fail("expected four hex digits after \\u") }
        var scalar = unit
        i += 6
        if (0xD800..<0xDC00).contains(unit) {
            guard i + 1 < p.count, p[i] == 0x5C, p[i + 1] == 0x75, let low = hex4(at: i + 2), (0xDC00..<0xE000).contains(low) else {
                throw fail("a \\u escape of a high surrogate must be followed by one of a low surrogate")
            }
            scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            i += 6
        } else if (0xDC00..<0xE000).contains(unit) {
            i -= 6
            throw fail("a \\u escape of a low surrogate without a high one before it")
        }
        UTF8.encode(Unicode.Scalar(scalar)!) { out.append($0) }
    }

    private func hex4(at k: Int) -> UInt32? {
        guard k + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for c in p[k..<(k + 4)] {
            guard let d = Character(Unicode.Scalar(c)).hexDigitValue else { return nil }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// A number at `i` with the grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
    /// returned in its canonical text (see ``JSONTree/init(parsing:)``).
    private mutating func number() throws(JSONTreeError) -> String {
        let start = i
        func digits() -> Int {
            let from = i
            while i < p.count, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
            return i - from
        }
        if p[i] == 0x2D { i += 1 }
        guard i < p.count, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit, found \(found)") }
        if p[i] == 0x30 {
            i += 1
            if i < p.count, p[i] >= 0x30, p[i] <= 0x39 { throw fail("number with a leading zero") }
        } else {
            _ = digits()
        }
        var whole = true
        if i < p.count, p[i] == 0x2E {
            whole = false
            i += 1
            guard digits() > 0 else { throw fail("expected a digit after '.', found \(found)") }
        }
        let mantissaEnd = i
        if i < p.count, p[i] == 0x65 || p[i] == 0x45 {
            whole = false
            i += 1
            if i < p.count, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(found)") }
        }
        let text = String(decoding: p[start..<i], as: UTF8.self)
        if whole {
            if p[start] == 0x2D, let v = Int64(text) { return String(v) }
            if p[start] != 0x2D, let v = UInt64(text) { return String(v) }
        }
        let significant = p[start..<mantissaEnd].filter { $0 >= 0x30 && $0 <= 0x39 }.count
        if significant > 17 { return text }
        guard let d = Double(text), d.isFinite else {
            i = start
            throw fail("the number \(text) is too large")
        }
        var shortest = d.description
        if shortest.hasSuffix(".0") { shortest.removeLast(2) }
        return shortest
    }
}
