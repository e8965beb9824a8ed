/// Why a time zone name gave no zone, worded for the person who typed it or installed the machine.
package enum ZoneLookupError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not an IANA-style name ("UTC" or `Area/Location` of letters, digits, `_`, `+`, `-`).
    case invalidIdentifier(String)
    /// A well-formed name the tz database does not have.
    case unknown(String)
    /// There is no tz database at all, e.g. a container without the tzdata package.
    case noDatabase(String, location: String)
    /// The zone's file exists but cannot be read or is not valid TZif.
    case unreadable(String, path: String, reason: String)

    package var description: String {
        switch self {
        case .invalidIdentifier(let name), .unknown(let name):
            return "unknown time zone \"\(name)\" (expected an IANA name such as Europe/London)"
        case .noDatabase(let name, let location):
            return "unknown time zone \"\(name)\" (no tz database at \(location): install the tzdata package)"
        case .unreadable(let name, let path, let reason):
            return "time zone \"\(name)\" cannot be read from \(path): \(reason)"
        }
    }
}
