import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// A directory of delivery files (the data directory, or `redeliver/` inside it), opened once;
/// every file inside is reached relative to its descriptor and never through a symlink.
///
/// Other members of the store's group may rename, replace or plant any entry of a
/// group-writable directory, so a name inside it is not trusted. Opening, checking and
/// creating a name is the store's confinement (`ConfinedDirectory`, the same code that opens
/// the last component of every store path): `openat(…, O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)`,
/// then a check on the descriptor (a regular file, or a directory where one is wanted, in the
/// store's group), anything else refused with a message naming it. Files this process creates
/// get the directory's access: 0660 in the directory's group when the directory is
/// group-accessible, else 0600, whatever the umask. This type adds what delivery needs on top:
/// the directory's own descriptor and path, "missing" as nil, and `DeliveryError`s.
final class DeliveryDirectory {
    /// The directory's path, for messages.
    let path: String
    /// The open directory, under the store's rules (its group, whether it is shared).
    private let confined: ConfinedDirectory
    /// The open directory.
    var fd: Int32 { confined.fd }

    /// The mode of a file created here (0660, narrowed to 0600 in a private directory).
    private static let fileMode: UInt32 = 0o660
    /// The mode of a directory created here (02770, narrowed to 0700 in a private directory).
    private static let directoryMode: UInt32 = 0o2770

    /// Opens the data directory itself (its path is the user's or the administrator's choice).
    convenience init(path: String) throws(DeliveryError) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(op: "open", path: path, errno: errno) }
        try self.init(fd: fd, path: path)
    }

    /// Takes `fd`; its group and mode say the rules for what is inside.
    private init(fd: Int32, path: String) throws(DeliveryError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw .io(op: "stat", path: path, errno: e)
        }
        self.path = path
        confined = ConfinedDirectory(fd: fd, group: st.st_gid, shared: st.st_mode & 0o070 != 0)
    }

    deinit { close(confined.fd) }

    /// The path of `name` inside this directory, for messages.
    func path(of name: String) -> String { path + "/" + name }

    /// The subdirectory `name`, created with this directory's access when `create` is set;
    /// nil when it does not exist and `create` is not set. A symlink or a non-directory is refused.
    func subdirectory(_ name: String, create: Bool) throws(DeliveryError) -> DeliveryDirectory? {
        let full = path(of: name)
        if create {
            if mkdirat(fd, name, mode_t(confined.mode(Self.directoryMode))) == 0 {
                // The mode past the umask and the group, as for files; then the entry is durable.
                let sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard sub >= 0 else { throw .io(op: "open", path: full, errno: errno) }
                defer { close(sub) }
                try delivery { () throws(StoreError) in try confined.adopt(sub, path: full, mode: Self.directoryMode) }
                if fsync(fd) != 0 { throw .io(op: "fsync", path: path, errno: errno) }
            } else if errno != EEXIST {
                throw .io(op: "mkdir", path: full, errno: errno)
            }
        }
        guard let sub = try open(name, flags: O_RDONLY | O_DIRECTORY, op: "open", missing: !create) else { return nil }
        return try DeliveryDirectory(fd: sub, path: full)
    }

    /// Opens the regular file `name` for reading; nil when it does not exist.
    func openForReading(_ name: String) throws(DeliveryError) -> Int32? {
        try open(name, flags: O_RDONLY, op: "open", missing: true)
    }

    /// Opens the regular file `name` for writing (read-write, or appending), creating it with
    /// this directory's access if it is missing.
    func openForWriting(_ name: String, append: Bool = false) throws(DeliveryError) -> Int32 {
        let full = path(of: name)
        let access = append ? O_WRONLY | O_APPEND : O_RDWR
        do throws(StoreError) {
            return try confined.create(name, path: full, flags: access, mode: Self.fileMode, op: "create")
        } catch .io(_, _, EEXIST) {
        } catch {
            throw Self.delivery(error)
        }
        let existing = try open(name, flags: access, op: "open", missing: false)!
        // A file this user created with narrower access (an older version's 0640) is widened,
        // so the next staff member can write it too.
        let mode = mode_t(confined.mode(Self.fileMode))
        var st = stat()
        if fstat(existing, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o777 != mode { _ = fchmod(existing, mode) }
        return existing
    }

    /// Creates `name` anew (it must not exist: `O_CREAT | O_EXCL | O_NOFOLLOW`) with this
    /// directory's access, for a temporary file.
    func createExclusive(_ name: String) throws(DeliveryError) -> Int32 {
        let full = path(of: name)
        return try delivery { () throws(StoreError) in try confined.create(name, path: full, flags: O_WRONLY, mode: Self.fileMode, op: "create") }
    }

    /// Removes the entry `name` if it is not a directory (a symlink is removed, never followed);
    /// true if something was removed.
    @discardableResult
    func remove(_ name: String) throws(DeliveryError) -> Bool {
        if unlinkat(fd, name, 0) == 0 { return true }
        let e = errno
        if e == ENOENT { return false }
        if e == EISDIR { throw .unsafeFile(path: path(of: name), problem: "is a directory (expected a file)") }
        throw .io(op: "remove", path: path(of: name), errno: e)
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

    /// The store's checked open of `name` (see `ConfinedDirectory.open`); nil when it does not
    /// exist and `missing` allows that.
    private func open(_ name: String, flags: Int32, op: String, missing: Bool) throws(DeliveryError) -> Int32? {
        do throws(StoreError) {
            return try confined.open(name, path: path(of: name), flags: flags, mode: 0, op: op)
        } catch .io(_, _, ENOENT) where missing {
            return nil
        } catch {
            throw Self.delivery(error)
        }
    }

    /// Runs a store confinement call, its refusals and failures as `DeliveryError`s.
    private func delivery<T>(_ body: () throws(StoreError) -> T) throws(DeliveryError) -> T {
        do throws(StoreError) { return try body() } catch { throw Self.delivery(error) }
    }

    /// A confinement refusal or failure as the delivery error for the same file.
    private static func delivery(_ error: StoreError) -> DeliveryError {
        switch error {
        case .unsafeFile(let path, let problem): .unsafeFile(path: path, problem: problem)
        case .io(let op, let path, let e): .io(op: op, path: path, errno: e)
        default: .store(error)
        }
    }
}
