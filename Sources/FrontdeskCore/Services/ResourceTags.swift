/// The rules for resource tags (`stylist`, `colour`, `wheelchair-access`): what a service's
/// requirement names besides a resource kind.
public enum ResourceTags {
    /// Most characters of one tag.
    public static let maximumLength = 40
    /// Most tags on one resource.
    public static let maximumCount = 20

    /// One tag, normalised: trimmed, lower-cased, 1 to ``maximumLength`` characters of ASCII
    /// letters, digits, `-` and `_`, starting with a letter or digit. Tags are typed on
    /// command lines and matched exactly, so a narrow alphabet keeps `Stylist` and `stylist`
    /// one tag and leaves no invisible difference between two that look the same.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` naming the tag.
    public static func normalise(_ text: String, field: String = "tag") throws(CoreError) -> String {
        let t = text.trimmingSpaces.lowercased()
        guard !t.isEmpty else { throw .invalidInput(field: field, message: "must not be empty") }
        guard t.count <= maximumLength else {
            throw .invalidInput(field: field, message: "\"\(t.prefix(maximumLength))…\" is longer than \(maximumLength) characters")
        }
        let ok = t.unicodeScalars.enumerated().allSatisfy { i, c in
            (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || (i > 0 && (c == "-" || c == "_"))
        }
        guard ok else {
            throw .invalidInput(field: field, message: "\"\(t)\" is not a tag (letters a-z, digits, - and _, starting with a letter or digit)")
        }
        return t
    }

    /// A resource's tags: each normalised, duplicates dropped, sorted.
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` for a bad tag or more than
    ///   ``maximumCount`` of them.
    public static func normalise(_ tags: [String], field: String = "tag") throws(CoreError) -> [String] {
        var out = Set<String>()
        for t in tags { out.insert(try normalise(t, field: field)) }
        guard out.count <= maximumCount else { throw .invalidInput(field: field, message: "at most \(maximumCount) tags a resource") }
        return out.sorted()
    }
}
