/// The characters of Foundation's `CharacterSet.whitespaces` and `.whitespacesAndNewlines`,
/// for trimming without Foundation: `text.trimming(.whitespaces)`.
///
/// The sets are Foundation's own, scalar for scalar, not the Unicode property they are
/// documented as: `.whitespaces` is tab plus category Zs **and** U+200B ZERO WIDTH SPACE (Zs in
/// old Unicode versions); `.whitespacesAndNewlines` adds U+000A–U+000D, U+0085, U+2028 and
/// U+2029. The tests compare both with Foundation over every scalar.
package enum WhitespaceSet: Sendable {
    /// Tab, space, and the other horizontal spaces.
    case whitespaces
    /// Those and the line breaks.
    case whitespacesAndNewlines

    /// Whether the set holds `s`.
    @inline(__always)
    package func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return v == 0x20 || v == 0x09 || (self == .whitespacesAndNewlines && (0x0A...0x0D).contains(v))
        }
        switch v {
        case 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        case 0x85, 0x2028, 0x2029: return self == .whitespacesAndNewlines
        default: return false
        }
    }
}

extension Substring {
    /// The text without the leading and trailing scalars in `set`: what Foundation's
    /// `trimmingCharacters(in:)` returns for the same set.
    ///
    /// Works on scalars, as Foundation does: a space followed by a combining mark is one
    /// `Character`, yet its space is still trimmed at the start.
    package func trimming(_ set: WhitespaceSet) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(scalars[first...last])
    }
}

extension String {
    /// ``Swift/Substring/trimming(_:)`` of the whole string.
    package func trimming(_ set: WhitespaceSet) -> String { self[...].trimming(set) }
}
