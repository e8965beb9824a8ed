#if canImport(Glibc)
import Glibc
#endif

/// Who this process acts for: the account of the real user id.
///
/// `getpwuid(getuid())`, never `$USER` or `$LOGNAME` (the user's to set); "uid<N>" for an
/// account without a password-database entry. Looked up once, on first use, so a process that
/// only reads never opens the password database.
package enum ProcessAccount {
    package static let name: String = {
        let uid = getuid()
        if let pw = getpwuid(uid), let name = pw.pointee.pw_name {
            let s = String(cString: name)
            if !s.isEmpty { return s }
        }
        return "uid\(uid)"
    }()

    /// Whether the real user id is root's.
    package static var isRoot: Bool { getuid() == 0 }

    /// Which of `groups` (names) the real user is a member of, through its password entry's
    /// primary group and `getgrouplist` (the group database, as `id` reads it), never the
    /// environment. Unknown group names are left out.
    ///
    /// - Complexity: one `getgrouplist` and one `getgrnam` per name; nothing when `groups` is
    ///   empty, so a store without group grants reads no group database.
    package static func memberships(of groups: [String]) -> [String] {
        guard !groups.isEmpty, let pw = getpwuid(getuid()) else { return [] }
        return memberships(of: groups, entry: pw)
    }

    /// Which of `groups` the user of password entry `pw` is a member of (as above).
    static func memberships(of groups: [String], entry pw: UnsafeMutablePointer<passwd>) -> [String] {
        guard !groups.isEmpty, let user = pw.pointee.pw_name else { return [] }
        let primary = pw.pointee.pw_gid
        var count: Int32 = 64
        var gids = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(user, primary, &gids, &count) == -1 {
            gids = [gid_t](repeating: 0, count: Int(count) + 64)
            count = Int32(gids.count)
        }
        let mine = Set(gids.prefix(Int(count)))
        return groups.filter { name in
            guard let g = getgrnam(name) else { return false }
            return mine.contains(g.pointee.gr_gid)
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
    package static func userExists(_ name: String) -> Bool { getpwnam(name) != nil }

    /// Whether an OS group named `name` exists.
    package static func groupExists(_ name: String) -> Bool { getgrnam(name) != nil }
}
