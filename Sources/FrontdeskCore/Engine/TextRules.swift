/// Checks on free text typed by staff or read from files.
///
/// Names are shown in narrow columns and read aloud, so they must be printable, non-empty and
/// reasonably short. Control characters and bidi overrides are refused here; front ends still
/// sanitise everything they draw, because older files may predate these rules.
enum TextRules {
    static func name(_ value: String, field: String, maxLength: Int = 120) throws(CoreError) -> String {
        let v = value.trimmingSpaces
        guard !v.isEmpty else { throw .invalidInput(field: field, message: "must not be empty") }
        guard v.count <= maxLength else { throw .invalidInput(field: field, message: "is \(v.count) characters long; at most \(maxLength) are allowed") }
        try printable(v, field: field, allowNewlines: false)
        return v
    }

    static func optional(_ value: String?, field: String, maxLength: Int = 200) throws(CoreError) -> String? {
        guard let value else { return nil }
        let v = value.trimmingSpaces
        if v.isEmpty { return nil }
        guard v.count <= maxLength else { throw .invalidInput(field: field, message: "is \(v.count) characters long; at most \(maxLength) are allowed") }
        try printable(v, field: field, allowNewlines: false)
        return v
    }

    static func notes(_ value: String, field: String = "notes") throws(CoreError) -> String {
        guard value.count <= 4000 else { throw .invalidInput(field: field, message: "is \(value.count) characters long; at most 4000 are allowed") }
        try printable(value, field: field, allowNewlines: true)
        return value
    }

    static func printable(_ v: String, field: String, allowNewlines: Bool) throws(CoreError) {
        for s in v.unicodeScalars {
            if allowNewlines, s == "\n" || s == "\t" { continue }
            if s.properties.generalCategory == .control {
                throw .invalidInput(field: field, message: "contains the control character U+\(hex(s.value)); use plain text")
            }
            if (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value) {
                throw .invalidInput(field: field, message: "contains the bidirectional override U+\(hex(s.value)); use plain text")
            }
        }
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}
