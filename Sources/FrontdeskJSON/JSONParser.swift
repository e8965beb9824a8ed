/// The validating single-pass tokenizer behind ``JSONDocument`` (and so behind ``JSONTree``).
struct JSONParser {
    private let p: UnsafeBufferPointer<UInt8>
    private var i = 0
    /// Whether one comma may follow the last element of an array or member of an object, as
    /// `JSONSerialization` allowed (hand-written files have them); the store's files never do.
    private let allowsTrailingCommas: Bool
    /// Key hashes and key token indices of the objects being parsed, innermost last
    /// (a scratch stack for duplicate-key detection).
    private var keys: [(hash: UInt64, token: Int32)] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, allowingTrailingCommas: Bool) {
        p = bytes
        allowsTrailingCommas = allowingTrailingCommas
    }

    /// Parses one value surrounded by optional whitespace (and an optional UTF-8 byte order mark,
    /// which JSONDecoder also skips).
    ///
    /// - Complexity: O(n) in the text's length, plus O(k log k) per object of k keys (duplicate check).
    mutating func parseDocument(into tokens: inout [JSONToken]) throws(JSONSyntaxError) {
        if p.count >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        skipWhitespace()
        try parseValue(into: &tokens, depth: 0)
        skipWhitespace()
        if i < p.count { throw fail("unexpected \(found) after the JSON value") }
    }

    private func fail(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: min(i, p.count), message: message)
    }

    /// The byte at the current position, for messages: `'x'`, `character U+9` or `end of text`.
    private var found: String {
        guard i < p.count else { return "end of text" }
        let c = p[i]
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "character U+\(String(c, radix: 16, uppercase: true))"
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < p.count {
            let c = p[i]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            i += 1
        }
    }

    @inline(__always)
    private mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        guard i + n <= p.count, (0..<n).allSatisfy({ p[i + $0] == w[$0] }) else { throw fail("expected a value, found \(found)") }
        i += n
    }

    private mutating func parseValue(into tokens: inout [JSONToken], depth: Int) throws(JSONSyntaxError) {
        guard i < p.count else { throw fail("expected a value, found the end of the text") }
        switch p[i] {
        case 0x22:
            tokens.append(try parseString())
        case 0x7B:
            try parseObject(into: &tokens, depth: depth + 1)
        case 0x5B:
            try parseArray(into: &tokens, depth: depth + 1)
        case 0x74:
            try expectLiteral("true"); tokens.append(JSONToken(kind: .true, flags: 0, a: 0, b: 0))
        case 0x66:
            try expectLiteral("false"); tokens.append(JSONToken(kind: .false, flags: 0, a: 0, b: 0))
        case 0x6E:
            try expectLiteral("null"); tokens.append(JSONToken(kind: .null, flags: 0, a: 0, b: 0))
        case 0x2D, 0x30...0x39:
            tokens.append(try parseNumber())
        default:
            throw fail("expected a value, found \(found)")
        }
    }

    private mutating func parseArray(into tokens: inout [JSONToken], depth: Int) throws(JSONSyntaxError) {
        guard depth <= JSONDocument.maximumDepth else { throw fail("nested too deeply") }
        let header = tokens.count
        tokens.append(JSONToken(kind: .array, flags: 0, a: 0, b: 0))
        i += 1
        skipWhitespace()
        var count: Int32 = 0
        if i < p.count, p[i] == 0x5D {
            i += 1
        } else {
            while true {
                try parseValue(into: &tokens, depth: depth)
                count += 1
                skipWhitespace()
                guard i < p.count, p[i] == 0x2C || p[i] == 0x5D else { throw fail("expected ',' or ']', found \(found)") }
                if p[i] == 0x5D { i += 1; break }
                i += 1
                skipWhitespace()
                if allowsTrailingCommas, i < p.count, p[i] == 0x5D { i += 1; break }
            }
        }
        tokens[header].a = count
        tokens[header].b = Int32(tokens.count)
    }

    private mutating func parseObject(into tokens: inout [JSONToken], depth: Int) throws(JSONSyntaxError) {
        guard depth <= JSONDocument.maximumDepth else { throw fail("nested too deeply") }
        let header = tokens.count
        tokens.append(JSONToken(kind: .object, flags: 0, a: 0, b: 0))
        i += 1
        skipWhitespace()
        var count: Int32 = 0
        var flags: UInt8 = 0
        let keyBase = keys.count
        if i < p.count, p[i] == 0x7D {
            i += 1
        } else {
            while true {
                guard i < p.count, p[i] == 0x22 else { throw fail("expected a quoted key or '}', found \(found)") }
                let key = try parseString()
                if key.flags != 0 {
                    flags = JSONToken.Flag.slowKeys
                } else {
                    keys.append((hash: hash(key), token: Int32(tokens.count)))
                }
                tokens.append(key)
                skipWhitespace()
                guard i < p.count, p[i] == 0x3A else {
                    let name = String(decoding: JSONDocument.unescapedBytes(UnsafeBufferPointer(rebasing: p[Int(key.a)..<Int(key.b)])), as: UTF8.self)
                    throw fail("expected ':' after the key \"\(name)\", found \(found)")
                }
                i += 1
                skipWhitespace()
                try parseValue(into: &tokens, depth: depth)
                count += 1
                skipWhitespace()
                guard i < p.count, p[i] == 0x2C || p[i] == 0x7D else { throw fail("expected ',' or '}', found \(found)") }
                if p[i] == 0x7D { i += 1; break }
                i += 1
                skipWhitespace()
                if allowsTrailingCommas, i < p.count, p[i] == 0x7D { i += 1; break }
            }
        }
        if flags == 0, keys.count - keyBase > 1, hasDuplicate(from: keyBase, tokens) { flags = JSONToken.Flag.slowKeys }
        keys.removeSubrange(keyBase...)
        tokens[header].flags = flags
        tokens[header].a = count
        tokens[header].b = Int32(tokens.count)
    }

    /// FNV-1a over a plain key's bytes.
    @inline(__always)
    private func hash(_ t: JSONToken) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in Int(t.a)..<Int(t.b) { h = (h ^ UInt64(p[k])) &* 0x100_0000_01b3 }
        return h
    }

    /// Whether two of the keys from `base` on are byte-equal.
    ///
    /// - Complexity: O(k²) hash comparisons for a small object of k keys; O(k log k) for a
    ///   large one (a manifest lists every file of a generation: thousands of keys).
    private func hasDuplicate(from base: Int, _ tokens: [JSONToken]) -> Bool {
        let count = keys.count - base
        if count <= 16 {
            for x in base..<keys.count {
                for y in (x + 1)..<keys.count where keys[x].hash == keys[y].hash {
                    if sameBytes(tokens[Int(keys[x].token)], tokens[Int(keys[y].token)]) { return true }
                }
            }
            return false
        }
        let byHash = keys[base...].sorted { $0.hash < $1.hash }
        var i = 0
        while i < byHash.count {
            var j = i + 1
            while j < byHash.count, byHash[j].hash == byHash[i].hash { j += 1 }
            for x in i..<j {
                for y in (x + 1)..<j where sameBytes(tokens[Int(byHash[x].token)], tokens[Int(byHash[y].token)]) { return true }
            }
            i = j
        }
        return false
    }

    @inline(__always)
    private func sameBytes(_ a: JSONToken, _ b: JSONToken) -> Bool {
        a.b - a.a == b.b - b.a && (0..<Int(a.b - a.a)).allSatisfy { p[Int(a.a) + $0] == p[Int(b.a) + $0] }
    }

    /// Parses a string at `i` (on its opening quote), validating escapes and UTF-8.
    private mutating func parseString() throws(JSONSyntaxError) -> JSONToken {
        i += 1
        let start = i
        var flags: UInt8 = 0
        let n = p.count
        while true {
            // Eight bytes at a time: skip plain ones (no quote, backslash, control or non-ASCII
            // byte) and land on the first that is not.
            if i + 8 <= n {
                let mask = JSONParser.attentionMask(UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self))
                if mask == 0 { i += 8; continue }
                i += mask.trailingZeroBitCount >> 3
            }
            guard i < n else { throw fail("unterminated string") }
            let c = p[i]
            if c == 0x22 { break }
            if c == 0x5C {
                flags |= JSONToken.Flag.escaped
                try parseEscape()
            } else if c < 0x20 {
                throw fail("unescaped control character U+\(String(c, radix: 16, uppercase: true)) in a string")
            } else if c >= 0x80 {
                flags |= JSONToken.Flag.nonASCII
                try validateUTF8Sequence()
            } else {
                i += 1
            }
        }
        let tag = i > start ? UInt16(p[start]) << 8 | UInt16(p[i - 1]) : 0
        let token = JSONToken(kind: .string, flags: flags, tag: tag, a: Int32(start), b: Int32(i))
        i += 1
        return token
    }

    /// The high bit of each of the eight bytes of `w` (little-endian: byte k at bit 8k+7) that
    /// is a quote, a backslash, below 0x20 or above 0x7F; zero when none is.
    ///
    /// Bits above the lowest one may be false alarms (a borrow runs on from a byte that matched),
    /// but the lowest set bit always marks the first byte that needs attention.
    @inline(__always)
    static func attentionMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & high }
        let quote = hasZero(w ^ (ones &* 0x22))
        let backslash = hasZero(w ^ (ones &* 0x5C))
        let control = (w &- ones &* 0x20) & ~w & high
        return quote | backslash | control | (w & high)
    }

    /// Validates one escape at `i` (on its backslash) and moves past it.
    private mutating func parseEscape() throws(JSONSyntaxError) {
        guard i + 1 < p.count else { i += 1; throw fail("unterminated string") }
        switch p[i + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            i += 2
        case 0x75:
            guard let u = JSONDocument.hex4(p, i + 2) else { throw fail("expected four hex digits after \\u") }
            switch u {
            case 0xD800..<0xDC00:
                guard i + 12 <= p.count, p[i + 6] == 0x5C, p[i + 7] == 0x75,
                      let lo = JSONDocument.hex4(p, i + 8), (0xDC00..<0xE000).contains(lo) else {
                    throw fail("a \\u escape of a high surrogate must be followed by one of a low surrogate")
                }
                i += 12
            case 0xDC00..<0xE000:
                throw fail("a \\u escape of a low surrogate without a high one before it")
            default:
                i += 6
            }
        default:
            throw fail("invalid escape \\\(Character(Unicode.Scalar(p[i + 1])))")
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `i` (Unicode 15 Table 3-7) and moves past it.
    private mutating func validateUTF8Sequence() throws(JSONSyntaxError) {
        let c = p[i]
        let n = p.count
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch c {
        case 0xC2...0xDF:
            guard cont(1) else { throw fail("invalid UTF-8 in a string") }
            i += 2
        case 0xE0:
            guard cont(1, 0xA0), cont(2) else { throw fail("invalid UTF-8 in a string") }
            i += 3
        case 0xE1...0xEC, 0xEE...0xEF:
            guard cont(1), cont(2) else { throw fail("invalid UTF-8 in a string") }
            i += 3
        case 0xED:
            guard cont(1, 0x80, 0x9F), cont(2) else { throw fail("invalid UTF-8 in a string") }
            i += 3
        case 0xF0:
            guard cont(1, 0x90), cont(2), cont(3) else { throw fail("invalid UTF-8 in a string") }
            i += 4
        case 0xF1...0xF3:
            guard cont(1), cont(2), cont(3) else { throw fail("invalid UTF-8 in a string") }
            i += 4
        case 0xF4:
            guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { throw fail("invalid UTF-8 in a string") }
            i += 4
        default:
            throw fail("invalid UTF-8 in a string")
        }
    }

    /// Parses a number with the strict JSON grammar `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONToken {
        let start = i
        let n = p.count
        var flags: UInt8 = 0
        if p[i] == 0x2D { i += 1 }
        guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit, found \(found)") }
        if p[i] == 0x30 {
            i += 1
            if i < n, p[i] >= 0x30, p[i] <= 0x39 { throw fail("number with a leading zero") }
        } else {
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < n, p[i] == 0x2E {
            flags = JSONToken.Flag.notInteger
            i += 1
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit after '.', found \(found)") }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            flags = JSONToken.Flag.notInteger
            i += 1
            if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit in the exponent, found \(found)") }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        return JSONToken(kind: .number, flags: flags, a: Int32(start), b: Int32(i))
    }
}
