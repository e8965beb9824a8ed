import Synchronization
#if canImport(Glibc)
import CSystemCalls
import Glibc
#endif

/// The operating system's file calls, retried on EINTR; below a store's root (`confine(to:)`)
/// no symbolic link is ever followed.
///
/// Group members may rename, replace or plant any entry in a shared store's directories, so a
/// name there says nothing about what it leads to. Every path below a confined root is walked
/// from the root's descriptor one component at a time (`openat` with `oPath | O_DIRECTORY |
/// O_NOFOLLOW`), the last component is opened or changed through the `*at` call on its parent's
/// descriptor, and what was opened is checked with `statx` on the descriptor: a regular file
/// where a file is wanted, a directory where a directory is wanted, and in a shared store the
/// store's group. Anything else (a symbolic link, a directory in place of a file, a fifo, a
/// socket, a file of another group, a `..` component) is refused with `StoreError.unsafeFile`.
/// Paths outside every confined root keep the plain calls (files the administrator chose).
public final class RealFileSystem: FileSystem {
    private let offersFileSystemSync: Bool
    /// Confined roots, newest first; roots replaced by a later `confine` of the same path stay
    /// open until this file system goes away (another thread may still be walking from them).
    private let roots = Mutex<(current: [ConfinedRoot], retired: [Int32])>(([], []))
    /// Descriptors of the directories right below a confined root (`journal/`, `tmp/`,
    /// `snapshots/`, `events/`), opened without following links on first use and kept, so a
    /// path below them is walked from there instead of from the root each time. Keyed by the
    /// directory's full path. An entry is dropped (and its descriptor retired, not closed, since
    /// another thread may be walking from it) when the store renames or removes that name, or
    /// the root is confined again.
    private let topLevel = Mutex<[String: Int32]>([:])

    /// `syncFileSystem: false` makes callers fsync file by file even where `syncfs` would do
    /// (for benchmarks comparing the two).
    public init(syncFileSystem: Bool = true) { offersFileSystemSync = syncFileSystem }

    deinit {
        roots.withLock { r in
            for root in r.current { _ = Glibc.close(root.fd) }
            for fd in r.retired { _ = Glibc.close(fd) }
        }
        topLevel.withLock { for fd in $0.values { _ = Glibc.close(fd) } }
    }

    /// The kept descriptor of `name` right below `root`, opened now if it is a directory
    /// reached without following a link; nil otherwise (the caller walks and reports).
    private func topLevelDirectory(_ root: ConfinedRoot, _ name: Substring) -> Int32? {
        let key = Path.join(root.path, String(name))
        return topLevel.withLock { cache -> Int32? in
            if let fd = cache[key] { return fd }
            var fd: Int32
            repeat { fd = openat(root.fd, String(name), oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) } while fd < 0 && errno == EINTR
            guard fd >= 0 else { return nil }
            cache[key] = fd
            return fd
        }
    }

    /// Forgets the kept descriptor of `path` if it names a directory right below a root (the
    /// store is renaming or removing it); the descriptor is retired, not closed.
    private func forgetTopLevel(_ path: String) {
        let key = ConfinedRoot.key(path)
        guard let fd = topLevel.withLock({ $0.removeValue(forKey: key) }) else { return }
        roots.withLock { $0.retired.append(fd) }
    }

    @inline(__always)
    private func check(_ r: Int32, _ op: String, _ path: String) throws(StoreError) {
        if r != 0 { throw .io(op: op, path: path, errno: errno) }
    }

    // MARK: Confinement

    /// Opens `directory` once (following links: whatever is above and at the store's root is the
    /// administrator's choice) and resolves every later path below it without following links.
    /// Learns from the root's mode whether the store is shared (group bits set) or private.
    public func confine(to directory: String) throws(StoreError) {
        let key = ConfinedRoot.key(directory)
        var fd: Int32
        repeat { fd = Glibc.open(key, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw .io(op: "open store directory", path: directory, errno: errno) }
        guard let st = FileStatus(fd: fd, name: nil, followLinks: true), st.isDirectory else {
            _ = Glibc.close(fd)
            throw .unsafeFile(path: directory, problem: "not a directory")
        }
        let root = ConfinedRoot(path: key, fd: fd, group: st.group, shared: st.permissions & 0o070 != 0, inode: st.inode)
        // The kept top-level descriptors belong to the root being replaced, if any.
        let stale = topLevel.withLock { cache -> [Int32] in
            let mine = cache.keys.filter { Path.parent(of: $0) == key }
            return mine.compactMap { cache.removeValue(forKey: $0) }
        }
        roots.withLock { r in
            r.retired += stale
            if let i = r.current.firstIndex(where: { $0.path == key }) {
                if r.current[i].inode == root.inode && r.current[i].shared == root.shared && r.current[i].group == root.group {
                    _ = Glibc.close(fd)
                    return
                }
                r.retired.append(r.current[i].fd)
                r.current.remove(at: i)
            }
            r.current.insert(root, at: 0)
        }
    }

    private func rootHolding(_ path: String) -> (ConfinedRoot, Substring)? {
        roots.withLock { r in
            for root in r.current {
                guard path.hasPrefix(root.path) else { continue }
                let rest = path.utf8.dropFirst(root.path.utf8.count)
                if rest.isEmpty { return (root, Substring(rest)) }
                if root.path == "/" || rest.first == UInt8(ascii: "/") { return (root, Substring(rest)) }
            }
            return nil
        }
    }

    /// The parent directory of `path` (below a confined root) opened without following links,
    /// and its last name; for a path outside every root, the current directory and the whole path.
    private func place(_ path: String) throws(StoreError) -> Place {
        guard let (root, rest) = rootHolding(path) else { return Place(root: nil, parent: AT_FDCWD, ownsParent: false, name: path) }
        // Split on the byte, as the kernel does: a "/" followed by a combining mark is one
        // Character but still two path components, and byte splitting skips grapheme breaking.
        let names = rest.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        if names.isEmpty { return Place(root: root, parent: root.fd, ownsParent: false, name: nil) }
        if names.contains(where: { $0 == ".." || $0 == "." }) {
            throw .unsafeFile(path: path, problem: "a \".\" or \"..\" component is not allowed inside the store")
        }
        var current = root.fd
        var owns = false
        var below = names.dropLast()[...]
        if names.count > 1, let kept = topLevelDirectory(root, names[0]) {
            current = kept
            below = below.dropFirst()
        }
        // An index loop, not `zip(indices, below)`: the zip's generic iterator type would be
        // instantiated at run time by every process that opens a file below the store.
        for k in below.indices {
            let name = below[k]
            // The path up to this component, for a message only.
            var walked: String { names[...k].reduce(root.path) { Path.join($0, String($1)) } }
            var next: Int32
            repeat { next = openat(current, String(name), oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) } while next < 0 && errno == EINTR
            let e = errno
            if next < 0 {
                let found = FileStatus(fd: current, name: String(name), followLinks: false)
                if owns { _ = Glibc.close(current) }
                if let found, !found.isDirectory {
                    throw .unsafeFile(path: walked, problem: "found \(found.kindName) where a directory belongs")
                }
                throw .io(op: "open", path: path, errno: e)
            }
            if owns { _ = Glibc.close(current) }
            current = next
            owns = true
        }
        return Place(root: root, parent: current, ownsParent: owns, name: String(names.last!))
    }

    /// Opens the last component of `place` (no link followed, never blocking on a fifo) and
    /// checks it is a directory (or a regular file) of the store (`ConfinedDirectory.open`).
    private func openChecked(_ p: Place, _ path: String, flags: Int32, mode: UInt32, op: String) throws(StoreError) -> Int32 {
        guard let root = p.root else {
            var fd: Int32
            repeat { fd = Glibc.open(path, flags | O_CLOEXEC, mode) } while fd < 0 && errno == EINTR
            if fd < 0 { throw .io(op: op, path: path, errno: errno) }
            return fd
        }
        guard let name = p.name else {
            guard flags & (O_CREAT | O_TRUNC | O_WRONLY | O_RDWR) == 0 else {
                throw .unsafeFile(path: path, problem: "the store's directory cannot be opened as a file")
            }
            var fd: Int32
            repeat { fd = openat(root.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) } while fd < 0 && errno == EINTR
            if fd < 0 { throw .io(op: op, path: path, errno: errno) }
            return fd
        }
        return try root.directory(p.parent).open(name, path: path, flags: flags, mode: mode, op: op)
    }

    // MARK: File calls

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile {
        let p = try place(path)
        defer { p.done() }
        return OpenFile(fd: try openChecked(p, path, flags: flags, mode: mode, op: "open"), path: path)
    }

    public func close(_ file: OpenFile) { _ = Glibc.close(file.fd) }

    public func pwrite(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> Int {
        while true {
            let n = Glibc.pwrite(file.fd, bytes.baseAddress, bytes.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw .io(op: "write", path: file.path, errno: errno) }
        }
    }

    public func pread(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StoreError) -> Int {
        while true {
            let n = Glibc.pread(file.fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno != EINTR { throw .io(op: "read", path: file.path, errno: errno) }
        }
    }

    public func fsync(_ file: OpenFile) throws(StoreError) { try check(Glibc.fsync(file.fd), "fsync", file.path) }
    public func fdatasync(_ file: OpenFile) throws(StoreError) { try check(Glibc.fdatasync(file.fd), "fdatasync", file.path) }

    public func ftruncate(_ file: OpenFile, to size: Int64) throws(StoreError) {
        try check(Glibc.ftruncate(file.fd, off_t(size)), "ftruncate", file.path)
    }

    /// `lseek(SEEK_END)`, not `fstat`: asking for a file's times makes the kernel (6.13+,
    /// multigrain timestamps) give its next write a fine-grained, hence new, modification time,
    /// and on this ext4 (no journal) fdatasync then writes the inode too: a second I/O per
    /// journal commit. The store reads and writes with pread/pwrite, so the file offset this
    /// moves is never used.
    public func size(_ file: OpenFile) throws(StoreError) -> Int64 {
        let end = Glibc.lseek(file.fd, 0, SEEK_END)
        if end < 0 { throw .io(op: "lseek", path: file.path, errno: errno) }
        return Int64(end)
    }

    public func flock(_ file: OpenFile, _ operation: Int32) throws(StoreError) -> Bool {
        while true {
            if lockFile(file.fd, operation) == 0 { return true }
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw .io(op: "flock", path: file.path, errno: errno) }
        }
    }

    /// The last name of `p`, refusing the store's directory itself (which is never renamed,
    /// linked or removed through the store).
    private func entryName(_ p: Place, _ path: String) throws(StoreError) -> String {
        guard let name = p.name else { throw .unsafeFile(path: path, problem: "the store's directory itself cannot be changed") }
        return name
    }

    public func rename(_ from: String, to: String) throws(StoreError) {
        forgetTopLevel(from)
        forgetTopLevel(to)
        let a = try place(from)
        defer { a.done() }
        let b = try place(to)
        defer { b.done() }
        try check(renameat(a.parent, try entryName(a, from), b.parent, try entryName(b, to)), "rename", from + " -> " + to)
    }

    /// A hard link never to a link, a directory or a special file: the source must be a regular
    /// file of the store.
    public func link(_ from: String, to: String) throws(StoreError) {
        let a = try place(from)
        defer { a.done() }
        let b = try place(to)
        defer { b.done() }
        let source = try entryName(a, from)
        if let root = a.root, let found = FileStatus(fd: a.parent, name: source, followLinks: false),
           let why = root.directory(a.parent).problem(found, wantsDirectory: false) {
            throw .unsafeFile(path: from, problem: why)
        }
        try check(linkat(a.parent, source, b.parent, try entryName(b, to), 0), "link", from + " -> " + to)
    }

    /// Removes a directory entry; a symbolic link is removed itself (`unlinkat` never follows).
    public func unlink(_ path: String) throws(StoreError) {
        forgetTopLevel(path)
        let p = try place(path)
        defer { p.done() }
        try check(unlinkat(p.parent, try entryName(p, path), 0), "unlink", path)
    }

    public func mkdir(_ path: String, mode: UInt32) throws(StoreError) {
        let p = try place(path)
        defer { p.done() }
        try check(mkdirat(p.parent, try entryName(p, path), p.root?.mode(mode) ?? mode), "mkdir", path)
    }

    public func rmdir(_ path: String) throws(StoreError) {
        forgetTopLevel(path)
        let p = try place(path)
        defer { p.done() }
        try check(unlinkat(p.parent, try entryName(p, path), AT_REMOVEDIR), "rmdir", path)
    }

    /// `fchmod` on the file or directory opened without following links; below a private
    /// store's root the group and other bits (and setgid) are dropped.
    public func chmod(_ path: String, mode: UInt32) throws(StoreError) {
        let fd = try openEither(path, op: "chmod")
        defer { _ = Glibc.close(fd) }
        let p = try place(path)
        let m = p.root?.mode(mode) ?? mode
        p.done()
        try check(fchmod(fd, mode_t(m)), "chmod", path)
    }

    /// `fchown` of the group only, on the file or directory opened without following links.
    public func chgrp(_ path: String, group: UInt32) throws(StoreError) {
        let fd = try openEither(path, op: "chgrp")
        defer { _ = Glibc.close(fd) }
        try check(fchown(fd, uid_t.max, gid_t(group)), "chgrp", path)
    }

    /// Opens a regular file or a directory read-only without following links (for fchmod/fchown).
    private func openEither(_ path: String, op: String) throws(StoreError) -> Int32 {
        let p = try place(path)
        defer { p.done() }
        guard p.root != nil, let name = p.name else { return try openChecked(p, path, flags: O_RDONLY, mode: 0, op: op) }
        let isDirectory = FileStatus(fd: p.parent, name: name, followLinks: false)?.isDirectory ?? false
        return try openChecked(p, path, flags: O_RDONLY | (isDirectory ? O_DIRECTORY : 0), mode: 0, op: op)
    }

    public func fsyncDirectory(_ path: String) throws(StoreError) {
        let p = try place(path)
        defer { p.done() }
        let fd = try openChecked(p, path, flags: O_RDONLY | O_DIRECTORY, mode: 0, op: "open directory")
        defer { _ = Glibc.close(fd) }
        try check(Glibc.fsync(fd), "fsync directory", path)
    }

    public func syncFileSystem(_ anchor: OpenFile) throws(StoreError) {
        try check(syncfs(anchor.fd), "syncfs", anchor.path)
    }

    /// Linux 5.8 or later (commit 735e4ae5ba28, "vfs: track per-sb writeback errors and report
    /// them to syncfs"); earlier kernels return 0 from `syncfs` even when write-back failed.
    public var syncsWholeFileSystem: Bool { offersFileSystemSync && Self.kernelReportsSyncfsErrors }

    private static let kernelReportsSyncfsErrors: Bool = {
        var u = utsname()
        guard uname(&u) == 0 else { return false }
        return reportsSyncfsErrors(release: withUnsafeBytes(of: u.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) })
    }()

    /// Whether a Linux kernel of this `uname -r` release ("6.1.0-13-amd64") is 5.8 or later;
    /// false for anything it cannot read.
    static func reportsSyncfsErrors(release: String) -> Bool {
        let parts = release.split(separator: ".", maxSplits: 2).prefix(2).map { $0.prefix(while: \.isNumber) }
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return false }
        return (major, minor) >= (5, 8)
    }

    public func list(_ path: String) throws(StoreError) -> [String] {
        let p = try place(path)
        let fd: Int32
        do { fd = try openChecked(p, path, flags: O_RDONLY | O_DIRECTORY, mode: 0, op: "opendir") } catch { p.done(); throw error }
        p.done()
        guard let d = fdopendir(fd) else { let e = errno; _ = Glibc.close(fd); throw .io(op: "opendir", path: path, errno: e) }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }

    /// Never follows a link (a link is "not a directory", with the link's own size). `statx`
    /// asks for the type, inode and size only, for the reason given at `size(_:)`: writers
    /// look at the journal segment by name on every catch-up.
    public func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)? {
        guard let p = try? place(path) else { return nil }
        defer { p.done() }
        let found = p.root == nil
            ? FileStatus(fd: AT_FDCWD, name: path, followLinks: true)
            : FileStatus(fd: p.parent, name: p.name, followLinks: false)
        return found.map { ($0.isDirectory, $0.size, $0.inode) }
    }

    public func modificationTime(_ path: String) -> Double? {
        guard let p = try? place(path) else { return nil }
        defer { p.done() }
        var st = Glibc.stat()
        let r = p.root == nil ? fstatat(AT_FDCWD, path, &st, 0)
            : p.name.map { fstatat(p.parent, $0, &st, AT_SYMLINK_NOFOLLOW) } ?? fstat(p.parent, &st)
        guard r == 0 else { return nil }
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
    }

    public func fileSystemType(_ path: String) throws(StoreError) -> Int64 {
        var info = statfs()
        if let (root, _) = rootHolding(path) {
            try check(fstatfs(root.fd, &info), "statfs", path)
        } else {
            try check(statfs(path, &info), "statfs", path)
        }
        return Int64(info.f_type)
    }

    /// A path's parent directory, opened without following links below a confined root, and
    /// its last name (nil: the root itself). Outside every root: the working directory and the
    /// whole path. `done()` closes what the walk opened.
    private struct Place {
        let root: ConfinedRoot?
        let parent: Int32
        let ownsParent: Bool
        let name: String?
        func done() { if ownsParent { _ = Glibc.close(parent) } }
    }
}

/// `flock(2)`, from outside `RealFileSystem`, where the name means its own method.
private func lockFile(_ fd: Int32, _ operation: Int32) -> Int32 { flock(fd, operation) }

/// `O_PATH` (a descriptor that only names a place, for `*at` calls), which Glibc's module map
/// does not export (it needs `_GNU_SOURCE`); the same value on x86_64 and arm64 Linux.
private let oPath: Int32 = 0o10000000
