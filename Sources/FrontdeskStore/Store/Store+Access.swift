import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// What the account of this process's real user id may do in this store: its own grant
    /// and its groups' grants (``Access/resolve(user:groups:isRoot:isOwner:staff:)``), root
    /// always admin, and, in a store without grants, the owner of the store directory admin.
    ///
    /// Front ends set ``access`` to this right after opening, and check each action with
    /// ``Access/authorize(_:_:_:)``.
    ///
    /// - Complexity: O(grants), plus the group database only when a group holds a grant.
    public func processAccess() -> Access {
        let staff = state.staff
        let groups = staff.values.compactMap { g -> String? in
            if case .group(let n) = g.subject, g.isActive { return n } else { return nil }
        }
        let isOwner = ProcessAccount.owns(directory)
        return Access.resolve(user: ProcessAccount.name, groups: ProcessAccount.memberships(of: groups),
                              isRoot: ProcessAccount.isRoot, isOwner: isOwner, staff: staff)
    }

    /// What OS user `name` may do in this store, worked out as for ``processAccess()`` from
    /// the user database (its groups by `getgrouplist`); nil when there is no such user.
    public func access(ofUser name: String) -> Access? {
        guard let pw = getpwnam(name) else { return nil }
        let staff = state.staff
        let groups = staff.values.compactMap { g -> String? in
            if case .group(let n) = g.subject, g.isActive { return n } else { return nil }
        }
        let uid = pw.pointee.pw_uid
        return Access.resolve(user: name, groups: ProcessAccount.memberships(of: groups, entry: pw), isRoot: uid == 0,
                              isOwner: ProcessAccount.owner(of: directory) == uid, staff: staff)
    }

    /// Whether an OS user (`.user`) or group (`.group`) of that name exists on this host.
    public static func accountExists(_ subject: StaffSubject) -> Bool {
        switch subject {
        case .user(let n): ProcessAccount.userExists(n)
        case .group(let n): ProcessAccount.groupExists(n)
        }
    }
}
