/// Whom a role is granted to: an OS user or every member of an OS group, by name.
public enum StaffSubject: Hashable, Sendable, Comparable {
    case user(String)
    case group(String)

    /// The account or group name.
    public var name: String {
        switch self {
        case .user(let n), .group(let n): n
        }
    }

    /// `alice` for a user, `group reception` for a group: how lists and messages name it.
    public var label: String {
        switch self {
        case .user(let n): n
        case .group(let n): "group " + n
        }
    }

    /// Users before groups, each by name.
    public static func < (a: StaffSubject, b: StaffSubject) -> Bool {
        switch (a, b) {
        case (.user(let x), .user(let y)), (.group(let x), .group(let y)): x < y
        case (.user, .group): true
        case (.group, .user): false
        }
    }
}
