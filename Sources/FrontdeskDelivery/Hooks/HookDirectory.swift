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

    /// Hook names that run for `type`, in a fixed order (`all` last; not for opt-in types,
    /// ``EventType/isOptIn``, which run only the hook named after them).
    func hooks(for type: EventType) -> [String] {
        var out: [String] = []
        for name in type.isOptIn ? [type.rawValue] : [type.rawValue, "all"] {
            var st = stat()
            if lstat(path + "/" + name, &st) == 0 { out.append(name) }
        }
        return out
    }

    /// What looking a hook up found.
    enum Lookup {
        /// A safe hook, open read-only on this descriptor (not close-on-exec, so a script's
        /// interpreter can read it through `/proc/self/fd`); the caller closes it.
        case ready(Int32)
        /// Why it may not run, with the fix.
        case refused(String)
        /// Neither the directory nor the hook exists any more.
        case missing
    }

    /// Opens the hook `name` for running: the directory without following a symlink, then the
    /// entry relative to it with `O_NOFOLLOW`, both checked on their descriptors (a regular
    /// executable file owned by the deliverer's user or root, not writable by group or others,
    /// in a directory with the same properties). Running `/proc/self/fd/N` then executes
    /// exactly the file that was checked, even if a colleague renames or replaces the hooks
    /// directory in between.
    func open(_ name: String) -> Lookup {
        let file = path + "/" + name
        let dfd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard dfd >= 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP, ENOTDIR:
                return .refused("refusing hook directory \(path): it is a symbolic link or not a directory; hooks are not followed elsewhere")
            default: return .refused("cannot open hook directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        defer { close(dfd) }
        var d = stat()
        guard fstat(dfd, &d) == 0 else { return .refused("cannot stat hook directory \(path): \(String(cString: strerror(errno)))") }
        if let why = unsafeOwnerOrMode(d, path: path, isDirectory: true) { return .refused(why) }
        let fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            switch errno {
            case ENOENT: return .missing
            case ELOOP: return .refused("refusing hook \(file): it is a symbolic link; hooks are not followed outside the hooks directory")
            default: return .refused("cannot open hook \(file): \(String(cString: strerror(errno)))")
            }
        }
        var st = stat()
        var why: String?
        if fstat(fd, &st) != 0 { why = "cannot stat hook \(file): \(String(cString: strerror(errno)))" }
        else if (st.st_mode & S_IFMT) != S_IFREG { why = "\(file) is not a regular file" }
        else if let unsafe = unsafeOwnerOrMode(st, path: file, isDirectory: false) { why = unsafe }
        else if st.st_mode & 0o100 == 0 { why = "\(file) is not executable; fix: chmod u+x \(file)" }
        if let why {
            close(fd)
            return .refused(why)
        }
        return .ready(fd)
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
