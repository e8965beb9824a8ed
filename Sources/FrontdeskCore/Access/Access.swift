/// What one account may do in one store: its role, whether it sees contact details, and where
/// both come from. Every front end checks every action through ``authorize(_:_:_:)``.
public struct Access: Hashable, Sendable {
    /// The account (the real user id's name).
    public var user: String
    /// The highest role among the account's own grant and its groups' grants; nil: none.
    public var role: Role?
    /// Whether customers' phone numbers and e-mail addresses are shown (desk and above, or a
    /// grant with the contact flag).
    public var contactDetails: Bool
    /// Where the role comes from, one phrase each (`user alice: manager`, `group reception:
    /// desk`, `root`, `owner of the store directory`).
    public var sources: [String]
    /// Who may grant a role: the admins' labels (`carol`, `group owners`), for refusals.
    public var admins: [String]

    public init(user: String, role: Role?, contactDetails: Bool = false, sources: [String] = [], admins: [String] = []) {
        self.user = user; self.role = role; self.contactDetails = contactDetails || (role ?? .viewer) >= .desk
        self.sources = sources; self.admins = admins
    }

    /// Whether `action` is allowed, without throwing.
    public func allows(_ action: AccessAction) -> Bool {
        guard let role else { return false }
        if action == .readContactDetails && contactDetails { return true }
        return role >= action.leastRole
    }

    /// The one authorization check: throws unless `access` (the account's role in this store)
    /// allows `action` for `actor`.
    ///
    /// - Throws: ``CoreError/notPermitted(user:role:action:needed:admins:)`` naming the action,
    ///   the account's role (or none) and the least role that may take it.
    public static func authorize(_ actor: Author, _ access: Access, _ action: AccessAction) throws(CoreError) {
        if access.allows(action) { return }
        throw .notPermitted(user: actor.user, role: access.role, action: action, needed: action.leastRole, admins: access.admins)
    }

    /// Checks `action` for this account acting as itself.
    public func authorize(_ action: AccessAction, as actor: Author? = nil) throws(CoreError) {
        try Access.authorize(actor ?? Author(user: user, source: .cli), self, action)
    }

    /// The access of `user` (a member of `groups`) under `staff`'s grants.
    ///
    /// The role is the highest among the user's own grant and the grants of its groups. Root
    /// (`isRoot`) is always admin. A store with no active grant at all (made before roles)
    /// has one admin: the owner of the store directory (`isOwner`), who made it; every other
    /// account has no role until that admin grants one.
    ///
    /// - Complexity: O(grants).
    public static func resolve(user: String, groups: [String], isRoot: Bool, isOwner: Bool,
                               staff: [StaffSubject: StaffGrant]) -> Access {
        var role: Role?
        var contact = false
        var sources: [String] = []
        let memberOf = Set(groups)
        var admins: [String] = []
        var anyActive = false
        for g in staff.values.sorted(by: { $0.subject < $1.subject }) {
            guard let r = g.role else { continue }
            anyActive = true
            if r == .admin { admins.append(g.subject.label) }
            let applies: Bool
            switch g.subject {
            case .user(let n): applies = n == user
            case .group(let n): applies = memberOf.contains(n)
            }
            guard applies else { continue }
            role = max(role ?? r, r)
            contact = contact || g.contactDetails
            sources.append("\(g.subject.label): \(r.name)" + (g.contactDetails && r == .viewer ? " with contact details" : ""))
        }
        if !anyActive {
            admins = ["the owner of the store directory"]
            if isOwner { role = .admin; sources.append("owner of the store directory (no staff granted yet)") }
        }
        if isRoot { role = .admin; sources.append("root (always admin)") }
        if admins.isEmpty { admins = ["root"] }
        return Access(user: user, role: role, contactDetails: contact, sources: sources, admins: admins)
    }
}
