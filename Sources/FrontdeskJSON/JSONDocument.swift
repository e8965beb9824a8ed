/// A parsed, fully validated JSON text: its bytes and a flat array of ``JSONToken``s.
///
/// Parsing checks the whole grammar of RFC 8259 (strict: no comments, no leading zeros, and
/// no trailing commas unless asked to allow them), that strings are valid UTF-8 without unescaped control characters, and
/// that `\u` escapes pair their surrogates; string contents are only decoded when asked for.
package final class JSONDocument {
    /// The document's bytes, owned by this object.
    package let bytes: UnsafeMutableBufferPointer<UInt8>
    /// Every value in document order; the root is token 0, and a sentinel `null` follows the
    /// root's tokens (see ``nullToken``).
    package let tokens: [JSONToken]

    /// Nesting deeper than this is rejected, as JSONDecoder does (it would otherwise exhaust the stack).
    static let maximumDepth = 512

    /// Copies and parses `source`; `allowingTrailingCommas` accepts one comma after the last
    /// element of an array or member of an object, as `JSONSerialization` did.
    ///
    /// - Throws: ``JSONSyntaxError`` naming the byte offset of the first problem.
    /// - Complexity: O(n) in the length of the text.
    package init(_ source: UnsafeRawBufferPointer, allowingTrailingCommas: Bool = false) throws(JSONSyntaxError) {
        guard source.count < Int(Int32.max) else {
            throw JSONSyntaxError(offset: 0, message: "the text is larger than 2 GB")
        }
        bytes = .allocate(capacity: max(1, source.count))
        if let base = source.baseAddress, source.count > 0 {
            bytes.baseAddress!.update(from: base.assumingMemoryBound(to: UInt8.self), count: source.count)
        }
        var parser = JSONParser(UnsafeBufferPointer(rebasing: bytes[0..<source.count]), allowingTrailingCommas: allowingTrailingCommas)
        var tokens: [JSONToken] = []
        tokens.reserveCapacity(source.count / 8 + 4)
        do { try parser.parseDocument(into: &tokens) } catch {
            bytes.deallocate()
            throw error
        }
        tokens.append(JSONToken(kind: .null, flags: 0, a: 0, b: 0))
        self.tokens = tokens
    }

    /// A `null` token outside the root value: what a super decoder of a missing key reads.
    var nullToken: Int { tokens.count - 1 }

    deinit { bytes.deallocate() }

    /// The index of the token after the value at `index` (skipping a container's contents).
    @inline(__always)
    package func next(at index: Int) -> Int {
        let t = tokens[index]
        return t.kind == .array || t.kind == .object ? Int(t.b) : index + 1
    }

    /// The raw bytes of a string or number token.
    @inline(__always)
    package func raw(_ t: JSONToken) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[Int(t.a)..<Int(t.b)])
    }

    /// The decoded text of a string token.
    ///
    /// - Complexity: O(length); strings without escapes are copied without further work.
    package func string(_ t: JSONToken) -> String {
        let raw = raw(t)
        if t.flags & JSONToken.Flag.escaped == 0 { return String(decoding: raw, as: UTF8.self) }
        return JSONDocument.unescape(raw)
    }

    /// True when a string token's text equals `key` (byte equality for plain ASCII tokens,
    /// otherwise String equality, which is what a JSONDecoder dictionary lookup uses).
    /// `tag` is ``JSONToken/tag(_:)`` of `key`.
    @inline(__always)
    func stringEquals(_ t: JSONToken, _ key: UnsafeBufferPointer<UInt8>, tag: UInt16) -> Bool {
        if t.flags & (JSONToken.Flag.escaped | JSONToken.Flag.nonASCII) != 0 {
            return string(t) == String(decoding: key, as: UTF8.self)
        }
        let n = Int(t.b - t.a)
        guard n == key.count, t.tag == tag else { return false }
        // Keys are short: a plain loop beats a call to memcmp.
        var i = Int(t.a)
        for c in key {
            if bytes[i] != c { return false }
            i += 1
        }
        return true
    }

    /// Decodes the escapes of an already validated string body.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: unescapedBytes(raw), as: UTF8.self)
    }

    /// The UTF-8 bytes of a string body with its escapes decoded.
    static func unescapedBytes(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        let n = raw.count
        while i < n {
            let c = raw[i]
            if c != 0x5C { out.append(c); i += 1; continue }
            guard i + 1 < n else { break }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard let hi = hex4(raw, i) else { break }
                i += 4
                var scalar = hi
                if (0xD800..<0xDC00).contains(hi), i + 6 <= n, raw[i] == 0x5C, raw[i + 1] == 0x75,
                   let lo = hex4(raw, i + 2), (0xDC00..<0xE000).contains(lo) {
                    scalar = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
                }
                // Validation guarantees pairing; anything else would become U+FFFD, never a crash.
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(s) { out.append($0) }
            default: break
            }
        }
        return out
    }

    /// The value of four hex digits at `i`, or nil.
    @inline(__always)
    static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt32? {
        guard i + 4 <= raw.count else { return nil }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let c = raw[k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }
}
