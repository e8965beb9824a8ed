/// What a member of staff may do, from least to most: each role may do everything the roles
/// below it may (see ``AccessAction/leastRole``).
///
/// - `viewer`: reads the diary, bookings and history; customers without phone and e-mail
///   unless the grant says contact details.
/// - `desk`: books, moves, cancels and changes status within policy; adds and edits customers.
/// - `manager`: overrides policy with a reason, corrects statuses, and manages resources,
///   schedules, blackouts, services, the waitlist, webhooks, import and export.
/// - `admin`: manages staff and roles, store settings and repair.
public enum Role: Int, Hashable, Sendable, CaseIterable, Comparable {
    case viewer = 1, desk, manager, admin

    /// The name as typed and stored: `viewer`, `desk`, `manager`, `admin`.
    public var name: String {
        switch self {
        case .viewer: "viewer"
        case .desk: "desk"
        case .manager: "manager"
        case .admin: "admin"
        }
    }

    /// The role named `name` (case-insensitive), nil for any other text.
    public init?(name: String) {
        guard let r = Role.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = r
    }

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}
