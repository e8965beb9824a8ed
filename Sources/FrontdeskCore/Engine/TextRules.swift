/// The one check on free text typed by staff or read from files (names, phones, e-mails,
/// reasons, notes, idempotency keys), used by the engine, the CLI, the TUI's form and import.
///
/// Names are shown in narrow columns, read aloud and written into every record that names
/// them, so a value is bounded twice: in characters, which is what a person sees, and in UTF-8
/// bytes, because one character can carry any number of combining marks (one letter plus
/// 60,000 accents is a single character of 120,000 bytes). Control characters, bidi
/// overrides and isolates, and invisible format characters are refused where a name is
/// expected, so a name cannot hide or reorder what is drawn after it; front ends still
/// sanitise everything they draw, because older files may predate these rules.
public enum TextRules {
    /// Most combining marks one character of a name or note may carry (stacked accents in
    /// real scripts stay well below it).
    public static let maximumMarksPerCharacter = 8
    /// Most UTF-8 bytes of an idempotency key.
    public static let maximumKeyBytes = 200

    /// A required one-line value, trimmed: non-empty, at most `maxLength` characters and
    /// `4 × maxLength` bytes, nothing invisible or controlling.
    @discardableResult
    public static func name(_ value: String, field: String, maxLength: Int = 120) throws(CoreError) -> String {
        let v = value.trimmingSpaces
        guard !v.isEmpty else { throw .invalidInput(field: field, message: "must not be empty") }
        try bounded(v, field: field, maxLength: maxLength)
        try printable(v, field: field, allowNewlines: false)
        return v
    }

    /// An optional one-line value, trimmed (empty means none), under the rules of ``name(_:field:maxLength:)``.
    public static func optional(_ value: String?, field: String, maxLength: Int = 200) throws(CoreError) -> String? {
        guard let value else { return nil }
        let v = value.trimmingSpaces
        if v.isEmpty { return nil }
        try bounded(v, field: field, maxLength: maxLength)
        try printable(v, field: field, allowNewlines: false)
        return v
    }

    /// Notes: several lines (newlines and tabs allowed), at most 4,000 characters and 16,000 bytes.
    public static func notes(_ value: String, field: String = "notes") throws(CoreError) -> String {
        try bounded(value, field: field, maxLength: 4000)
        try printable(value, field: field, allowNewlines: true)
        return value
    }

    /// An idempotency key: 1 to ``maximumKeyBytes`` bytes of visible text, no control
    /// characters and not only spaces (a key nobody can retype or see is no key).
    public static func idempotencyKey(_ key: String, field: String = "idempotency key") throws(CoreError) {
        guard !key.trimmingSpaces.isEmpty else { throw .invalidInput(field: field, message: "must not be empty or only spaces") }
        guard key.utf8.count <= maximumKeyBytes else {
            throw .invalidInput(field: field, message: "is \(key.utf8.count) bytes long; at most \(maximumKeyBytes) are allowed")
        }
        try printable(key, field: field, allowNewlines: false)
    }

    /// Refuses more than `maxLength` characters or `4 × maxLength` UTF-8 bytes.
    static func bounded(_ v: String, field: String, maxLength: Int) throws(CoreError) {
        let maxBytes = maxLength * 4
        // The byte count first: it is O(1) for native strings and bounds the character count's work.
        guard v.utf8.count <= maxBytes else {
            throw .invalidInput(field: field, message: "is \(v.utf8.count) bytes long; at most \(maxBytes) bytes (\(maxLength) characters) are allowed")
        }
        let count = v.count
        guard count <= maxLength else { throw .invalidInput(field: field, message: "is \(count) characters long; at most \(maxLength) are allowed") }
    }

    /// Refuses control characters (bar newline and tab in notes), bidi overrides and isolates,
    /// other invisible format characters (zero-width joiners excepted: scripts and emoji need
    /// them), line and paragraph separators, and characters stacked with more than
    /// ``maximumMarksPerCharacter`` combining marks.
    static func printable(_ v: String, field: String, allowNewlines: Bool) throws(CoreError) {
        var marks = 0
        for s in v.unicodeScalars {
            // Printable ASCII (a letter, digit, punctuation, symbol or space) needs no lookup.
            if s.value >= 0x20 && s.value < 0x7F { marks = 0; continue }
            if allowNewlines, s == "\n" || s == "\t" { marks = 0; continue }
            let category = s.properties.generalCategory
            if category == .control {
                throw .invalidInput(field: field, message: "contains the control character U+\(hex(s.value)); use plain text")
            }
            if (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) {
                throw .invalidInput(field: field, message: "contains the bidirectional override U+\(hex(s.value)); use plain text")
            }
            switch category {
            case .format where s.value != 0x200C && s.value != 0x200D,
                 .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                throw .invalidInput(field: field, message: "contains the invisible or unassigned character U+\(hex(s.value)); use plain text")
            case .nonspacingMark, .spacingMark, .enclosingMark:
                marks += 1
                if marks > maximumMarksPerCharacter {
                    throw .invalidInput(field: field, message: "stacks more than \(maximumMarksPerCharacter) combining marks on one character; use plain text")
                }
            default:
                marks = 0
            }
        }
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
