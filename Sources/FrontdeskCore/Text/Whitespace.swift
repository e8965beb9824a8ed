/// The characters Foundation's `CharacterSet.whitespaces` and `.whitespacesAndNewlines` hold,
/// and trimming by them without Foundation.
///
/// The sets are Foundation's own, scalar for scalar, not the Unicode property they are
/// documented as: `.whitespaces` is tab plus category Zs **and** U+200B ZERO WIDTH SPACE (Zs in
/// old Unicode versions); `.whitespacesAndNewlines` adds U+000A–U+000D, U+0085, U+2028 and
/// U+2029. The tests compare both with Foundation over every scalar.
package enum Whitespace {
    /// Tab, space, and the other horizontal spaces (`CharacterSet.whitespaces`).
    @inline(__always)
    package static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 { return v == 0x20 || v == 0x09 }
        switch v {
        case 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// A space or a line break (`CharacterSet.whitespacesAndNewlines`).
    @inline(__always)
    package static func isSpaceOrNewline(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
        default: return isSpace(s)
        }
    }

    /// `text` without the leading and trailing scalars for which `drop` holds.
    ///
    /// Works on scalars, as Foundation's `trimmingCharacters(in:)` does: a space followed by a
    /// combining mark is one `Character`, yet its space is still trimmed at the start.
    package static func trim(_ text: Substring, where drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        return String(scalars[first...last])
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` returns.
    package func trimmingWhitespace() -> String { self[...].trimmingWhitespace() }

    /// The text without leading and trailing spaces and line breaks: what Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` returns.
    package func trimmingWhitespaceAndNewlines() -> String { self[...].trimmingWhitespaceAndNewlines() }
}

extension Substring {
    /// ``Swift/String/trimmingWhitespace()`` of a slice.
    package func trimmingWhitespace() -> String { Whitespace.trim(self, where: Whitespace.isSpace) }

    /// ``Swift/String/trimmingWhitespaceAndNewlines()`` of a slice.
    package func trimmingWhitespaceAndNewlines() -> String { Whitespace.trim(self, where: Whitespace.isSpaceOrNewline) }
}
