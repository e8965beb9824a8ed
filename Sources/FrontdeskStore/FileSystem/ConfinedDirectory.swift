#if canImport(Glibc)
import Glibc
#endif

/// A directory inside a store, already reached without following links, with the store's rules
/// for what may stand in it: the one place where a name is opened (`openat` with `O_NOFOLLOW |
/// O_NONBLOCK`), checked on its descriptor (a regular file where a file is wanted, a directory
/// where a directory is wanted, in a shared store the store's group), and where a file is
/// created with the store's access. `RealFileSystem` uses it for the last component of every
/// confined path; the delivery files (`FrontdeskDelivery`'s `DeliveryDirectory`) use it for the
/// names in the directories they open.
package struct ConfinedDirectory: Sendable {
    /// The open directory (owned by the caller).
    package let fd: Int32
    /// The store's group: in a shared store every file and directory inside must have it.
    package let group: UInt32
    /// Whether the store is shared (group bits on its root) rather than private.
    package let shared: Bool

    package init(fd: Int32, group: UInt32, shared: Bool) {
        self.fd = fd
        self.group = group
        self.shared = shared
    }

    /// The mode a new file or directory gets for the requested `mode` (0660, 02770): as asked
    /// in a shared store, owner bits only in a private one.
    package func mode(_ mode: UInt32) -> UInt32 { shared ? mode : mode & 0o700 }

    /// Why `found` may not stand here where a directory (or else a regular file) belongs, or nil if it may.
    func problem(_ found: FileStatus, wantsDirectory: Bool) -> String? {
        if found.isDirectory != wantsDirectory || !(found.isDirectory || found.isRegular) {
            return "found \(found.kindName) where \(wantsDirectory ? "a directory" : "a regular file") belongs"
        }
        if shared && found.group != group {
            return "its group is \(FileStatus.groupName(found.group)), not the store's group \(FileStatus.groupName(group))"
        }
        return nil
    }

    /// Opens `name` (no link followed, never blocking on a fifo; `O_TRUNC` only after the check)
    /// and checks it is a directory (with `O_DIRECTORY`) or a regular file of the store.
    /// `path` names it in errors; a failed open is `.io` with the errno, or `.unsafeFile` when
    /// what stands at `name` may not be there.
    package func open(_ name: String, path: String, flags: Int32, mode: UInt32, op: String) throws(StoreError) -> Int32 {
        let wantsDirectory = flags & O_DIRECTORY != 0
        var fd: Int32
        repeat {
            fd = openat(self.fd, name, (flags & ~O_TRUNC) | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, self.mode(mode))
        } while fd < 0 && errno == EINTR
        if fd < 0 { throw failure(errno: errno, name, path: path, wantsDirectory: wantsDirectory, op: op) }
        guard let found = FileStatus(fd: fd, name: nil, followLinks: false) else {
            let e = errno
            _ = close(fd)
            throw .io(op: "statx", path: path, errno: e)
        }
        if let why = problem(found, wantsDirectory: wantsDirectory) {
            _ = close(fd)
            throw .unsafeFile(path: path, problem: why)
        }
        if flags & O_TRUNC != 0 && ftruncate(fd, 0) != 0 {
            let e = errno
            _ = close(fd)
            throw .io(op: "ftruncate", path: path, errno: e)
        }
        return fd
    }

    /// Creates the regular file `name` anew (`O_CREAT | O_EXCL | O_NOFOLLOW`, so nothing that
    /// stands there is used) and gives it the store's group and `mode(mode)` on its descriptor,
    /// whatever the umask and the creator's primary group. `flags` adds the access (`O_WRONLY`, …).
    package func create(_ name: String, path: String, flags: Int32, mode: UInt32, op: String) throws(StoreError) -> Int32 {
        var fd: Int32
        repeat {
            fd = openat(self.fd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, self.mode(mode))
        } while fd < 0 && errno == EINTR
        if fd < 0 { throw failure(errno: errno, name, path: path, wantsDirectory: false, op: op) }
        do throws(StoreError) { try adopt(fd, path: path, mode: mode) } catch {
            _ = close(fd)
            throw error
        }
        return fd
    }

    /// Gives the entry open at `fd` the store's group (in a shared store) and `mode(mode)`.
    package func adopt(_ fd: Int32, path: String, mode: UInt32) throws(StoreError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .io(op: "stat", path: path, errno: errno) }
        if shared && st.st_gid != group && fchown(fd, uid_t.max, gid_t(group)) != 0 {
            throw .io(op: "chgrp to the store's group \(group)", path: path, errno: errno)
        }
        if fchmod(fd, mode_t(self.mode(mode))) != 0 { throw .io(op: "chmod", path: path, errno: errno) }
    }

    /// What a failed `openat` of `name` means: `.unsafeFile` when what stands there (looked at
    /// without following it) may not, else `.io` with the errno.
    private func failure(errno e: Int32, _ name: String, path: String, wantsDirectory: Bool, op: String) -> StoreError {
        if e != ENOENT && e != EACCES && e != EEXIST, let found = FileStatus(fd: fd, name: name, followLinks: false),
           let why = problem(found, wantsDirectory: wantsDirectory) {
            return .unsafeFile(path: path, problem: why)
        }
        return .io(op: op, path: path, errno: e)
    }
}
