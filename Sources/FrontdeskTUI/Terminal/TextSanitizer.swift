/// Makes any text safe to draw: control characters, escape sequences and bidi overrides
/// become visible placeholders, so a hostile or damaged name can neither move the cursor,
/// recolour the screen nor reverse the text around it.
///
/// - ESC becomes `␛`, other C0 controls their Control Pictures (`␀`…`␟`), DEL `␡`.
/// - C1 controls, bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069, U+061C)
///   and unassigned or private-use scalars become `�`.
/// - A combining mark with nothing to combine with is shown on a dotted circle `◌`.
/// - Newlines and tabs become `↵` and a space (views draw single lines).
enum TextSanitizer {
    /// The text with every unsafe scalar replaced by a visible placeholder.
    static func clean(_ text: String) -> String {
        if isPlainASCII(text) || isCommonSafe(text) { return text }
        var out = String.UnicodeScalarView()
        var previousWasBase = false
        for s in text.unicodeScalars {
            let v = s.value
            switch v {
            case 0x1B: out.append("␛"); previousWasBase = true
            case 0x0A, 0x0D: out.append("↵"); previousWasBase = true
            case 0x09: out.append(" "); previousWasBase = true
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + v)!); previousWasBase = true
            case 0x7F: out.append("␡"); previousWasBase = true
            case 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x061C, 0xFFF9...0xFFFB:
                out.append("\u{FFFD}"); previousWasBase = true
            default:
                let cat = s.properties.generalCategory
                if cat == .unassigned || cat == .privateUse || cat == .surrogate {
                    out.append("\u{FFFD}"); previousWasBase = true
                } else if DisplayWidth.isZeroWidth(v) && !previousWasBase && isCombining(cat) {
                    out.append("◌"); out.append(s); previousWasBase = true
                } else {
                    out.append(s); previousWasBase = true
                }
            }
        }
        return String(out)
    }

    /// True for text made only of printable ASCII (the common case, kept fast).
    static func isPlainASCII(_ text: String) -> Bool {
        for b in text.utf8 where b < 0x20 || b >= 0x7F { return false }
        return true
    }

    /// True when every scalar lies in ranges that need no placeholder: Latin, general
    /// punctuation (not the bidi controls), arrows, box drawing, blocks, symbols, CJK, Hangul
    /// and emoji. Skips the Unicode property lookups for the text the screen draws most.
    static func isCommonSafe(_ text: String) -> Bool {
        var first = true
        for s in text.unicodeScalars {
            let v = s.value
            defer { first = false }
            switch v {
            case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x2BFF,
                 0x3000...0x303F, 0x3040...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF60, 0x1F300...0x1FAFF:
                continue
            case 0x300...0x36F where !first:
                continue
            default:
                return false
            }
        }
        return true
    }

    private static func isCombining(_ c: Unicode.GeneralCategory) -> Bool {
        c == .nonspacingMark || c == .enclosingMark || c == .spacingMark
    }
}
