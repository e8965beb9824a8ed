#if canImport(Glibc)
import Glibc
#endif

/// A directory of delivery files (the data directory, or `redeliver/` inside it), opened once;
/// every file inside is reached relative to its descriptor and never through a symlink.
///
/// Other members of the store's group may rename, replace or plant any entry of a
/// group-writable directory, so a name inside it is not trusted: files are opened with
/// `openat(…, O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)` and checked with `fstat` (a regular file,
/// in the store's group), and anything else is refused with a message naming it. Files this
/// process creates get the directory's access: 0660 in the directory's group when the
/// directory is group-accessible, else 0600, whatever the umask.
final class DeliveryDirectory {
    /// The directory's path, for messages.
    let path: String
    /// The open directory.
    let fd: Int32
    /// The directory's group: the group every file inside must belong to when it is shared.
    let group: gid_t
    /// Whether the directory is group-accessible (a shared store) rather than owner-only.
    let shared: Bool

    /// The mode of a file created here.
    var fileMode: mode_t { shared ? 0o660 : 0o600 }
    /// The mode of a directory created here.
    var directoryMode: mode_t { shared ? 0o2770 : 0o700 }

    /// Opens the data directory itself (its path is the user's or the administrator's choice).
    convenience init(path: String) throws(DeliveryError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(op: "open", path: path, errno: errno) }
        try self.init(fd: fd, path: path)
    }

    private init(fd: Int32, path: String) throws(DeliveryError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw .io(op: "stat", path: path, errno: e)
        }
        self.fd = fd
        self.path = path
        group = st.st_gid
        shared = st.st_mode & 0o070 != 0
    }

    deinit { close(fd) }

    /// The path of `name` inside this directory, for messages.
    func path(of name: String) -> String { path + "/" + name }

    /// The subdirectory `name`, created with this directory's access when `create` is set;
    /// nil when it does not exist and `create` is not set. A symlink or a non-directory is refused.
    func subdirectory(_ name: String, create: Bool) throws(DeliveryError) -> DeliveryDirectory? {
        let full = path(of: name)
        if create {
            if mkdirat(fd, name, directoryMode) == 0 {
                // The mode past the umask and the group, as for files; then the entry is durable.
                let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard sub >= 0 else { throw .io(op: "open", path: full, errno: errno) }
                defer { close(sub) }
                try adopt(sub, path: full, mode: directoryMode)
                if fsync(fd) != 0 { throw .io(op: "fsync", path: path, errno: errno) }
            } else if errno != EEXIST {
                throw .io(op: "mkdir", path: full, errno: errno)
            }
        }
        let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard sub >= 0 else {
            let e = errno
            if e == ENOENT && !create { return nil }
            throw refusal(errno: e, path: full, op: "open", expecting: "a directory")
        }
        var st = stat()
        guard fstat(sub, &st) == 0 else {
            let e = errno
            close(sub)
            throw .io(op: "stat", path: full, errno: e)
        }
        if let problem = wrongGroup(st) {
            close(sub)
            throw .unsafeFile(path: full, problem: problem)
        }
        return try DeliveryDirectory(fd: sub, path: full)
    }

    /// Opens the regular file `name` for reading; nil when it does not exist.
    func openForReading(_ name: String) throws(DeliveryError) -> Int32? {
        let fd = openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT { return nil }
            throw refusal(errno: e, path: path(of: name), op: "open", expecting: "a regular file")
        }
        try verify(fd, path: path(of: name))
        return fd
    }

    /// Opens the regular file `name` for writing (read-write, or appending), creating it with
    /// this directory's access if it is missing.
    func openForWriting(_ name: String, append: Bool = false) throws(DeliveryError) -> Int32 {
        let full = path(of: name)
        let access = (append ? O_WRONLY | O_APPEND : O_RDWR) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC
        let created = openat(fd, name, access | O_CREAT | O_EXCL, fileMode)
        if created >= 0 {
            do throws(DeliveryError) { try adopt(created, path: full, mode: fileMode) } catch {
                close(created)
                throw error
            }
            return created
        }
        guard errno == EEXIST else { throw refusal(errno: errno, path: full, op: "create", expecting: "a regular file") }
        let existing = openat(fd, name, access, 0)
        guard existing >= 0 else { throw refusal(errno: errno, path: full, op: "open", expecting: "a regular file") }
        try verify(existing, path: full)
        // A file this user created with narrower access (an older version's 0640) is widened,
        // so the next staff member can write it too.
        var st = stat()
        if fstat(existing, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o777 != fileMode { _ = fchmod(existing, fileMode) }
        return existing
    }

    /// Creates `name` anew (it must not exist: `O_CREAT | O_EXCL | O_NOFOLLOW`) with this
    /// directory's access, for a temporary file.
    func createExclusive(_ name: String) throws(DeliveryError) -> Int32 {
        let full = path(of: name)
        let fd = openat(self.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw refusal(errno: errno, path: full, op: "create", expecting: "a new file") }
        do throws(DeliveryError) { try adopt(fd, path: full, mode: fileMode) } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Removes the entry `name` if it is not a directory (a symlink is removed, never followed);
    /// true if something was removed.
    @discardableResult
    func remove(_ name: String) throws(DeliveryError) -> Bool {
        if unlinkat(fd, name, 0) == 0 { return true }
        if errno == ENOENT { return false }
        throw refusal(errno: errno, path: path(of: name), op: "remove", expecting: "a file")
    }

    /// Atomically renames `from` to `to` inside this directory (a symlink at `to` is replaced, not followed).
    func rename(_ from: String, to: String) throws(DeliveryError) {
        if renameat(fd, from, fd, to) != 0 { throw .io(op: "rename", path: path(of: to), errno: errno) }
    }

    /// Makes this directory's entries durable.
    func sync() throws(DeliveryError) {
        if fsync(fd) != 0 { throw .io(op: "fsync", path: path, errno: errno) }
    }

    /// The names in this directory, without "." and "..".
    func names() -> [String] {
        let dup = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dup >= 0, let d = fdopendir(dup) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// A new entry gets the directory's group and `mode`, whatever the umask and primary group.
    private func adopt(_ fd: Int32, path: String, mode: mode_t) throws(DeliveryError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(op: "stat", path: path, errno: errno) }
        if shared && st.st_gid != group && fchown(fd, uid_t.max, group) != 0 {
            throw .io(op: "chgrp to the store's group \(group)", path: path, errno: errno)
        }
        if fchmod(fd, mode) != 0 { throw .io(op: "chmod", path: path, errno: errno) }
    }

    /// Refuses an open file that is not a regular file or not in the store's group.
    private func verify(_ fd: Int32, path: String) throws(DeliveryError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw .io(op: "stat", path: path, errno: e)
        }
        var problem: String?
        if st.st_mode & S_IFMT != S_IFREG { problem = "not a regular file (\(Self.kind(st.st_mode)))" }
        else { problem = wrongGroup(st) }
        if let problem {
            close(fd)
            throw .unsafeFile(path: path, problem: problem)
        }
    }

    private func wrongGroup(_ st: stat) -> String? {
        guard shared, st.st_gid != group else { return nil }
        return "belongs to group \(st.st_gid), not the store's group \(group)"
    }

    /// What an `openat` errno means for a name that should be `expecting`.
    private func refusal(errno e: Int32, path: String, op: String, expecting: String) -> DeliveryError {
        switch e {
        case ELOOP: return .unsafeFile(path: path, problem: "is a symbolic link; refusing to follow it (expected \(expecting))")
        case ENOTDIR: return .unsafeFile(path: path, problem: "is not a directory")
        case EISDIR: return .unsafeFile(path: path, problem: "is a directory (expected \(expecting))")
        case ENXIO: return .unsafeFile(path: path, problem: "is a socket or fifo (expected \(expecting))")
        default: return .io(op: op, path: path, errno: e)
        }
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a fifo"
        case S_IFSOCK: "a socket"
        case S_IFCHR, S_IFBLK: "a device"
        default: "not a regular file"
        }
    }
}
