import FrontdeskJSON
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Who can reach a store's files and whether roles can be enforced: what `check` reports.
///
/// A store is *private* (its directory grants its group nothing: only the owner, and root, use
/// it), *group* (its directory is its group's: every member can read and write the files, so
/// roles that `frontdesk` checks are advisory) or *enforced* (a group store whose group is the
/// one this executable is installed setgid to, root-owned and writable by root alone, and
/// whose installation lists the store: staff outside the group reach it only through this
/// binary, which takes the actor from the real uid).
struct StoreSharing {
    /// The three ways a store is shared.
    enum Mode: String {
        case `private` = "private"
        case group = "group"
        case enforced = "enforced"
    }

    let mode: Mode
    /// The store directory's owner.
    let owner: String
    /// The store directory's group, when the store is shared.
    let group: String?
    /// Accounts in the store's group (listed in it or with it as their primary group): they can
    /// write the files directly, whatever their role.
    let members: [String]
    /// The installation's list of stores, when the store is enforced.
    let configFile: String?

    /// Looks at the store directory `directory` and at this executable.
    static func inspect(directory: String) -> StoreSharing {
        var st = stat()
        guard lstat(directory, &st) == 0 else {
            return StoreSharing(mode: .private, owner: "?", group: nil, members: [], configFile: nil)
        }
        let owner = getpwuid(st.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid\(st.st_uid)"
        guard st.st_mode & 0o070 != 0 else {
            return StoreSharing(mode: .private, owner: owner, group: nil, members: [], configFile: nil)
        }
        let gid = st.st_gid
        let name = getgrgid(gid).map { String(cString: $0.pointee.gr_name) } ?? "gid\(gid)"
        var configFile: String?
        if executableIsSetgid(to: gid), case .success(let installed) = InstalledStores.current,
           let path = InstalledStores.normalized(directory), installed.stores.contains(path) {
            configFile = installed.file
        }
        return StoreSharing(mode: configFile == nil ? .group : .enforced, owner: owner, group: name,
                            members: members(of: gid), configFile: configFile)
    }

    /// True when this executable is root's, setgid to `gid` and writable by root alone.
    static func executableIsSetgid(to gid: gid_t) -> Bool {
        var st = stat()
        guard let exe = InstalledStores.executable, stat(exe, &st) == 0 else { return false }
        return st.st_mode & S_ISGID != 0 && st.st_gid == gid && st.st_uid == 0 && st.st_mode & 0o022 == 0
    }

    /// Every account in group `gid`: its listed members and the accounts whose primary group it is.
    ///
    /// - Complexity: O(n) in the password database.
    static func members(of gid: gid_t) -> [String] {
        var names = Set<String>()
        if let g = getgrgid(gid), var member = g.pointee.gr_mem {
            while let name = member.pointee {
                names.insert(String(cString: name))
                member = member.advanced(by: 1)
            }
        }
        setpwent()
        defer { endpwent() }
        while let pw = getpwent() {
            if pw.pointee.pw_gid == gid { names.insert(String(cString: pw.pointee.pw_name)) }
        }
        return names.sorted()
    }

    /// The report lines: one `mode …` line, and a `warn …` line when roles cannot be enforced
    /// against someone.
    var lines: [String] {
        let who = members.isEmpty ? "nobody" : members.joined(separator: ", ")
        switch mode {
        case .private:
            return [owner == "root" ? "mode private: only root can read or write it" : "mode private: only \(owner) (and root) can read or write it"]
        case .group:
            return ["mode group \(group ?? "?") (advisory): roles are checked by frontdesk only",
                    "warn roles cannot be enforced: every member of \(group ?? "?") can write the store's files directly: \(who)"]
        case .enforced:
            var out = ["mode enforced: frontdesk setgid \(group ?? "?") and \(configFile ?? "?"); staff outside the group reach the store only through it"]
            if !members.isEmpty {
                out.append("warn members of \(group ?? "?") can write the store's files directly, whatever their role: \(who)")
            }
            return out
        }
    }

    /// The number of `warn` lines.
    var warnings: Int { lines.filter { $0.hasPrefix("warn ") }.count }

    /// `check --json`'s `sharing` object.
    var json: JSONTree {
        .object(["mode": .string(mode.rawValue), "owner": .string(owner), "group": .optional(group) ?? .null,
                 "group_members": .array(members.map { .string($0) }), "config": .optional(configFile) ?? .null,
                 "roles_enforced": .bool(mode == .enforced)])
    }
}
