import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The executables in `<data>/hooks/`: one named after an event type (`booking.cancelled`) runs
/// for that type, one named `all` for every type. Anything else in the directory is ignored.
/// Neither the directory nor its entries are followed if they are symlinks: a hook must be a
/// file inside the hooks directory itself.
struct HookDirectory {
    let path: String
    /// The user the deliverer runs as; hooks must belong to it or to root.
    let uid: uid_t

    init(path: String, uid: uid_t = geteuid()) { self.path = path; self.uid = uid }

    /// Hook names that run for `type`, in a fixed order (`all` last).
    func hooks(for type: EventType) -> [String] {
        var out: [String] = []
        for name in [type.rawValue, "all"] {
            var st = stat()
            if lstat(path + "/" + name, &st) == 0 { out.append(name) }
        }
        return out
    }

    /// Why a hook may not run, with the fix, or nil when it is safe: a regular executable file
    /// owned by the deliverer's user or root, not writable by group or others, in a directory
    /// with the same properties.
    func refusal(for name: String) -> String? {
        let file = path + "/" + name
        var d = stat()
        guard lstat(path, &d) == 0 else { return "\(path) is missing" }
        guard (d.st_mode & S_IFMT) == S_IFDIR else {
            return "refusing hook directory \(path): it is \(DeliveryDirectory.kind(d.st_mode)), not a directory; hooks are not followed elsewhere"
        }
        if let why = unsafeOwnerOrMode(d, path: path, isDirectory: true) { return why }
        var st = stat()
        guard lstat(file, &st) == 0 else { return "\(file) is missing" }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            return "refusing hook \(file): it is a symbolic link; hooks are not followed outside the hooks directory"
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return "\(file) is not a regular file" }
        if let why = unsafeOwnerOrMode(st, path: file, isDirectory: false) { return why }
        guard st.st_mode & 0o100 != 0 else { return "\(file) is not executable; fix: chmod u+x \(file)" }
        return nil
    }

    private func unsafeOwnerOrMode(_ st: stat, path: String, isDirectory: Bool) -> String? {
        let what = isDirectory ? "hook directory" : "hook"
        if st.st_uid != uid && st.st_uid != 0 {
            return "refusing \(what) \(path): owned by uid \(st.st_uid), not by the deliverer's user (uid \(uid)) or root; fix: chown \(uid) \(path)"
        }
        if st.st_mode & 0o022 != 0 {
            let who = st.st_mode & 0o002 != 0 ? "other users" : "its group"
            return "refusing \(what) \(path): writable by \(who), so someone else could change what runs; fix: chmod go-w \(path)"
        }
        return nil
    }
}
