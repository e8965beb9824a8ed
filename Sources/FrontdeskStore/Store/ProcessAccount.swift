#if canImport(Glibc)
import Glibc
#endif

/// Who this process acts for: the account of the real user id.
///
/// `getpwuid(getuid())`, never `$USER` or `$LOGNAME` (the user's to set); "uid<N>" for an
/// account without a password-database entry. Looked up once, on first use, so a process that
/// only reads never opens the password database.
package enum ProcessAccount {
    package static var name: String { entry.name }

    /// The real user id's account name and primary group, from one `getpwuid`: nil group for
    /// an account without a password-database entry.
    private static let entry: (name: String, primaryGroup: gid_t?) = {
        let uid = getuid()
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name {
            let s = String(cString: name)
            if !s.isEmpty { return (s, pw.pointee.pw_gid) }
        }
        return ("uid\(uid)", nil)
    }()

    /// Whether the real user id is root's.
    package static var isRoot: Bool { getuid() == 0 }

    /// Which of `groups` (names) the real user is a member of, through its password entry's
    /// primary group and each group's entry in the group database (`getgrnam`: its member
    /// list), never the environment. Unknown group names are left out.
    ///
    /// - Complexity: one `getgrnam` per name; nothing when `groups` is empty, so a store
    ///   without group grants reads no group database.
    package static func memberships(of groups: [String]) -> [String] {
        guard !groups.isEmpty, let primary = entry.primaryGroup else { return [] }
        return memberships(of: groups, user: entry.name, primaryGroup: primary)
    }

    /// Which of `groups` the user of password entry `pw` is a member of (as above).
    static func memberships(of groups: [String], entry pw: UnsafeMutablePointer<passwd>) -> [String] {
        guard !groups.isEmpty, let user = pw.pointee.pw_name else { return [] }
        return memberships(of: groups, user: String(cString: user), primaryGroup: pw.pointee.pw_gid)
    }

    /// Which of `groups` list `user` as a member or are its primary group.
    ///
    /// Only the granted groups are looked up, each by name: a group in `/etc/group` is answered
    /// by the files source built into the C library. `getgrouplist` would ask every source
    /// `nsswitch.conf` names for all of the user's groups, loading their modules
    /// (`libnss_systemd`) into every process that opens a store with a group grant.
    private static func memberships(of groups: [String], user: String, primaryGroup primary: gid_t) -> [String] {
        groups.filter { name in
            guard let g = getgrnam(name) else { return false }
            if g.pointee.gr_gid == primary { return true }
            guard var member = g.pointee.gr_mem else { return false }
            while let m = member.pointee {
                if String(cString: m) == user { return true }
                member += 1
            }
            return false
        }
    }

    /// Whether the real user owns the file or directory at `path`.
    package static func owns(_ path: String) -> Bool { owner(of: path) == getuid() }

    /// The owner of the file or directory at `path`, nil when it cannot be read.
    static func owner(of path: String) -> uid_t? {
        var st = Glibc.stat()
        return fstatat(AT_FDCWD, path, &st, 0) == 0 ? st.st_uid : nil
    }

    /// Whether an OS user named `name` exists.
    static func userExists(_ name: String) -> Bool { getpwnam(name) != nil }

    /// Whether an OS group named `name` exists.
    static func groupExists(_ name: String) -> Bool { getgrnam(name) != nil }
}
