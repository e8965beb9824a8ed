/// Appends JSON as UTF-8 to one growing byte array, formatted as Foundation's `JSONEncoder`
/// formats it (with `.withoutEscapingSlashes`, and optionally `.prettyPrinted`).
///
/// Two levels: the structured calls (``beginObject()``, ``key(_:)``, ``value(_:)-(String)``,
/// ``endObject()``, …) place commas, colons and, when ``prettyPrinted``, line breaks and
/// indentation themselves; the token calls (``string(_:)``, ``signed(_:)``, ``raw(_:)``, …)
/// append exactly one token and nothing else, for schema code that writes a fixed shape with
/// its keys and separators spelled out (the store's booking and record writers).
///
/// Strings escape `"` and `\`, write `\b \f \n \r \t` for those control characters and
/// `\u00XX` (lowercase hex) for the other characters below U+0020; everything else, including
/// `/`, DEL, U+2028/U+2029 and non-ASCII text, is copied as UTF-8. So the output never
/// contains a raw newline. Numbers are written like `JSONEncoder` writes them: integers in
/// decimal, floating-point values as their shortest round-tripping `description` without a
/// trailing `.0`.
package struct JSONWriter {
    package var bytes: [UInt8]
    /// Whether the structured calls break containers into indented lines as `JSONEncoder`'s
    /// `.prettyPrinted` does: two spaces a level, `"key" : value`, and an empty container as
    /// an opening line, an empty line and a closing line.
    package var prettyPrinted: Bool

    /// How many containers the structured calls have opened and not closed.
    private var depth = 0
    /// Whether the open container already holds a value (the next one needs a comma).
    private var needsComma = false
    /// Whether a key has just been written (its value follows without a separator).
    private var afterKey = false

    package init(bytes: [UInt8] = [], prettyPrinted: Bool = false) {
        self.bytes = bytes
        self.prettyPrinted = prettyPrinted
    }

    // MARK: Structure

    /// Opens an object: `{`.
    package mutating func beginObject() { open(0x7B) }

    /// Closes the innermost object: `}`.
    package mutating func endObject() { close(0x7D) }

    /// Opens an array: `[`.
    package mutating func beginArray() { open(0x5B) }

    /// Closes the innermost array: `]`.
    package mutating func endArray() { close(0x5D) }

    /// A member's key and its colon; the member's value is the next structured call.
    package mutating func key(_ k: String) {
        separate()
        string(k)
        if prettyPrinted { pair(0x20, 0x3A); byte(0x20) } else { byte(0x3A) }
        afterKey = true
    }

    /// A string value.
    package mutating func value(_ s: String) { separate(); string(s); needsComma = true }

    /// A string value, or `null` for nil.
    package mutating func value(_ s: String?) {
        if let s { value(s) } else { nullValue() }
    }

    /// A boolean value.
    package mutating func value(_ v: Bool) { separate(); bool(v); needsComma = true }

    /// An integer value in decimal.
    package mutating func value<I: BinaryInteger>(_ v: I) {
        separate()
        if let s = Int64(exactly: v) { signed(s) } else { raw(String(v)) }
        needsComma = true
    }

    /// A finite floating-point value, as ``float(_:)`` writes it.
    package mutating func value(_ v: Double) { separate(); float(v); needsComma = true }

    /// A `null` value.
    package mutating func nullValue() { separate(); null(); needsComma = true }

    /// Already valid JSON text as one value (a number's digits, a value written elsewhere).
    package mutating func rawValue(_ text: String) { separate(); raw(text); needsComma = true }

    private mutating func open(_ bracket: UInt8) {
        separate()
        byte(bracket)
        depth += 1
        needsComma = false
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if prettyPrinted {
            if !needsComma { byte(0x0A) }
            newline()
        }
        byte(bracket)
        needsComma = true
    }

    /// What goes before a value or key: nothing after a key or at the top, else a comma after
    /// an earlier value, and a line break and indentation when pretty-printing.
    private mutating func separate() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        if needsComma { byte(0x2C) }
        if prettyPrinted { newline() }
    }

    /// A line break and the indentation of the current depth.
    private mutating func newline() {
        byte(0x0A)
        for _ in 0..<depth { pair(0x20, 0x20) }
    }

    // MARK: Tokens

    @inline(__always)
    package mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Two bytes, such as `{}` or `":`.
    @inline(__always)
    package mutating func pair(_ a: UInt8, _ b: UInt8) {
        bytes.append(a)
        bytes.append(b)
    }

    /// `true` or `false`.
    package mutating func bool(_ v: Bool) {
        if v {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65] as [UInt8])
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65] as [UInt8])
        }
    }

    /// `null`.
    package mutating func null() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C] as [UInt8]) }

    /// A quoted, escaped string.
    ///
    /// - Complexity: O(n) in the string's UTF-8 length; runs without escapes are copied in one go.
    package mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            var run = 0
            var i = 0
            let n = u.count
            while i < n {
                let c = u[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C { i += 1; continue }
                if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<i])) }
                escape(c)
                i += 1
                run = i
            }
            if run < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<n])) }
        }
        bytes.append(0x22)
    }

    /// The escape sequence of a byte that cannot appear raw in a JSON string.
    private mutating func escape(_ c: UInt8) {
        switch c {
        case 0x22: pair(0x5C, 0x22)
        case 0x5C: pair(0x5C, 0x5C)
        case 0x08: pair(0x5C, 0x62)
        case 0x0C: pair(0x5C, 0x66)
        case 0x0A: pair(0x5C, 0x6E)
        case 0x0D: pair(0x5C, 0x72)
        case 0x09: pair(0x5C, 0x74)
        default:
            // Only 0x00-0x1F get here: `\u00` and two lowercase hex digits.
            func hex(_ d: UInt8) -> UInt8 { d < 10 ? 0x30 + d : 0x57 + d }
            pair(0x5C, 0x75)
            pair(0x30, 0x30)
            pair(hex(c >> 4), hex(c & 0xF))
        }
    }

    /// A signed integer in decimal.
    @inline(__always)
    package mutating func signed(_ v: Int64) {
        if v < 0 { bytes.append(0x2D) }
        unsigned(v.magnitude)
    }

    /// An unsigned integer in decimal.
    package mutating func unsigned(_ v: UInt64) {
        if v < 10 { bytes.append(UInt8(truncatingIfNeeded: v) &+ 0x30); return }
        // At most 20 digits, written backwards into a scratch buffer on the stack.
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buf in
            var i = buf.count
            var x = v
            while x != 0 {
                i -= 1
                let (q, r) = x.quotientAndRemainder(dividingBy: 10)
                buf[i] = UInt8(truncatingIfNeeded: r) &+ 0x30
                x = q
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }

    /// A finite floating-point number as `JSONEncoder` writes it: its `description` (the shortest
    /// text that parses back to the same value, e.g. `0.1`, `1e-05`, `1.7976931348623157e+308`),
    /// without a trailing `.0` (`100.0` becomes `100`, `-0.0` becomes `-0`).
    mutating func float<F: BinaryFloatingPoint & CustomStringConvertible>(_ v: F) {
        var text = v.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// Raw, already valid JSON text (a number's digits, a schema's keys and separators).
    ///
    /// Copied through `withUTF8` (one `memcpy`): appending a `String.UTF8View` goes byte by
    /// byte, and schema writers put every key and separator through here.
    package mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }
}
