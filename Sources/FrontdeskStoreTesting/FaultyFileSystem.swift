import FrontdeskStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A file system for tests: counts the store's mutating operations, fails or "crashes" at a
/// chosen one, and models power loss.
///
/// Power-loss model (applied by `powerLoss(_:)` after a crash): every file keeps exactly the
/// bytes it had at its last fsync/fdatasync; bytes written since are dropped, zeroed or
/// replaced by garbage. That holds for overwrites too (a record written into a preallocated
/// segment's zeros, zeros written over a torn tail): an unsynced overwrite reverts to the
/// synced bytes (`drop`), becomes zeros or becomes garbage; a file cut shorter since its last
/// sync gets its synced length and bytes back. New directory entries (created files and
/// directories, hard links) and renames whose directory was not fsynced since are undone,
/// newest first (a rename over an existing file brings that file back with its durable
/// bytes). Unlinks are treated as durable at once (the store only unlinks what is already
/// redundant).
///
/// Syncs are modelled, not made: `fsync`, `fdatasync`, a directory's fsync and `syncfs` are
/// counted, can fail or crash like any operation, and decide what survives `powerLoss(_:)`,
/// but reach no disk. The model alone decides what a crash keeps, so a real sync would prove
/// nothing more, and on a shared disk `syncfs` writes back every other process's dirty pages.
package final class FaultyFileSystem: FileSystem {
    package enum Fault: String, Sendable, CaseIterable { case eio, enospc, shortWrite }
    package enum PowerLoss: String, Sendable, CaseIterable { case drop, zero, garbage }

    private let real = RealFileSystem()
    /// Everything the file system counts, models and is told, behind one lock: the store's
    /// background compaction calls it from another thread.
    private let state = Mutex(State())

    /// Mutating operations performed so far (opens for writing, writes, syncs, renames, ...).
    package var operations: Int { state.withLock { $0.operations } }
    /// The operation log, for failure messages: "12 fdatasync journal/...".
    package var log: [String] { state.withLock { $0.log } }
    /// Paths opened for reading, in order (for lazy-loading tests).
    package var reads: [String] { state.withLock { $0.reads } }
    package var failAt: (index: Int, fault: Fault)? {
        get { state.withLock { $0.failAt } }
        set { state.withLock { $0.failAt = newValue } }
    }
    /// Operation index after which everything fails as if the machine stopped.
    package var crashAfter: Int? {
        get { state.withLock { $0.crashAfter } }
        set { state.withLock { $0.crashAfter = newValue } }
    }
    package var crashed: Bool { state.withLock { $0.crashed } }
    /// Whether `syncFileSystem` is offered (tests turn it off to exercise the fsync-each path).
    package var offersFileSystemSync: Bool {
        get { state.withLock { $0.offersFileSystemSync } }
        set { state.withLock { $0.offersFileSystemSync = newValue } }
    }

    /// Runs before each mutating operation (after counting it: its index and log line), on the
    /// calling thread, without any lock: tests act "between two steps" of the store here (another
    /// store writes, a reader opens). Not called for an operation that fails or crashes.
    // Unsafe: a test's hook captures the test's own mutable state, so it cannot be `@Sendable`;
    // a test sets it before, and clears it after, the store calls that run it.
    nonisolated(unsafe) package var beforeOperation: ((_ index: Int, _ line: String) -> Void)?
    /// Runs before each directory listing, with the directory's path (tests use it to change the
    /// disk between two listings of one store operation).
    // Unsafe: as `beforeOperation`.
    nonisolated(unsafe) package var beforeList: ((_ path: String) -> Void)?

    private enum Entry { case created(String), renamed(from: String, to: String, replaced: [UInt8]?) }

    /// What the lock guards.
    private struct State {
        var operations = 0
        var log: [String] = []
        var reads: [String] = []
        var failAt: (index: Int, fault: Fault)?
        var crashAfter: Int?
        var crashed = false
        var offersFileSystemSync = true
        var concurrentUse = false
        var failNextFdatasyncs = 0
        /// Each file's bytes at its last sync, as the power-loss model keeps them.
        var durable: [String: [UInt8]] = [:]
        /// Directory entries made since their directory's last fsync, oldest first.
        var pendingEntries: [Entry] = []
    }

    package init() {}

    /// Confines the real file system underneath (not an operation: it changes nothing on disk).
    package func confine(to directory: String) throws(StoreError) { try real.confine(to: directory) }
    package func chgrp(_ path: String, group: UInt32) throws(StoreError) {
        _ = try tick("chgrp", path); try real.chgrp(path, group: group)
    }

    private static func parent(_ p: String) -> String {
        guard let i = p.lastIndex(of: "/") else { return "." }
        return String(p[..<i])
    }

    /// Counts one mutating operation; throws if the machine has "crashed" or op k is to fail.
    private func tick(_ op: String, _ path: String, allowShort: Bool = false) throws(StoreError) -> Bool {
        let (index, line, short) = try state.withLock { s throws(StoreError) in try Self.count(&s, op, path, allowShort: allowShort) }
        if let hook = beforeOperation {
            hook(index, line)
            // The hook may have stopped the machine (`crash()`) before this operation.
            if crashed { throw .io(op: op + " (crash)", path: path, errno: EIO) }
        }
        return short
    }

    /// The machine stops now: this operation (when called from `beforeOperation`) and every
    /// later one fail as after `crashAfter`.
    package func crash() {
        state.withLock { $0.crashed = true }
    }

    private static func count(_ s: inout State, _ op: String, _ path: String, allowShort: Bool) throws(StoreError) -> (Int, String, Bool) {
        if s.crashed { throw .io(op: op + " (after crash)", path: path, errno: EIO) }
        s.operations += 1
        let line = "\(s.operations) \(op) \(path)"
        s.log.append(line)
        if let c = s.crashAfter, s.operations > c { s.crashed = true; throw .io(op: op + " (crash)", path: path, errno: EIO) }
        if let f = s.failAt, f.index == s.operations {
            switch f.fault {
            case .eio: throw .io(op: op, path: path, errno: EIO)
            case .enospc: throw .io(op: op, path: path, errno: ENOSPC)
            case .shortWrite: return (s.operations, line, allowShort)
            }
        }
        return (s.operations, line, false)
    }

    /// Keeps `path`'s current bytes as its durable ones, unless the model holds some already.
    private func remember(_ path: String, in s: inout State) {
        if s.durable[path] == nil, let st = real.stat(path), !st.isDirectory, let bytes = try? real.readFile(path) { s.durable[path] = bytes }
    }

    package func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile {
        let writing = (flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)) != 0
        if !writing {
            let crashed = state.withLock { s -> Bool in
                if !s.crashed { s.reads.append(path) }
                return s.crashed
            }
            if crashed { throw .io(op: "open (after crash)", path: path, errno: EIO) }
            return try real.open(path, flags: flags, mode: mode)
        }
        _ = try tick("open", path)
        let existed = real.stat(path) != nil
        let f = try real.open(path, flags: flags, mode: mode)
        state.withLock { s in
            if existed { remember(path, in: &s) } else { s.durable[path] = []; s.pendingEntries.append(.created(path)) }
        }
        return f
    }

    /// Calls are numbered in order for `failAt` and `crashAfter`: never from two threads, unless
    /// a test allows it (``concurrentUse``).
    package var allowsConcurrentUse: Bool { state.withLock { $0.concurrentUse } }
    /// Let the store call from several threads (its group flushes on the flusher thread): the
    /// operation indices are then not deterministic, so such a test fails syncs with
    /// ``failNextFdatasyncs`` or crashes from `beforeOperation`, not by index. Off by default.
    package var concurrentUse: Bool {
        get { state.withLock { $0.concurrentUse } }
        set { state.withLock { $0.concurrentUse = newValue } }
    }
    /// How many of the next `fdatasync` calls fail with EIO, whatever thread makes them.
    package var failNextFdatasyncs: Int {
        get { state.withLock { $0.failNextFdatasyncs } }
        set { state.withLock { $0.failNextFdatasyncs = newValue } }
    }

    package func close(_ file: OpenFile) { real.close(file) }

    package func pwrite(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> Int {
        let short = try tick("write", file.path, allowShort: true)
        if short && bytes.count > 1 {
            return try real.pwrite(file, UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count / 2)]), at: offset)
        }
        return try real.pwrite(file, bytes, at: offset)
    }

    package func pread(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StoreError) -> Int {
        if crashed { throw .io(op: "read (after crash)", path: file.path, errno: EIO) }
        return try real.pread(file, into: buffer, at: offset)
    }

    private func synced(_ file: OpenFile) {
        if let bytes = try? real.readFile(file.path) { state.withLock { $0.durable[file.path] = bytes } }
    }

    package func fsync(_ file: OpenFile) throws(StoreError) {
        _ = try tick("fsync", file.path); synced(file)
    }
    package func fdatasync(_ file: OpenFile) throws(StoreError) {
        _ = try tick("fdatasync", file.path)
        let fail = state.withLock { s -> Bool in
            guard s.failNextFdatasyncs > 0 else { return false }
            s.failNextFdatasyncs -= 1
            return true
        }
        if fail { throw .io(op: "fdatasync", path: file.path, errno: EIO) }
        synced(file)
    }
    package func ftruncate(_ file: OpenFile, to size: Int64) throws(StoreError) {
        _ = try tick("ftruncate", file.path); try real.ftruncate(file, to: size)
    }
    package func size(_ file: OpenFile) throws(StoreError) -> Int64 { try real.size(file) }
    package func flock(_ file: OpenFile, _ operation: Int32) throws(StoreError) -> Bool {
        if crashed { throw .io(op: "flock (after crash)", path: file.path, errno: EIO) }
        return try real.flock(file, operation)
    }

    package func rename(_ from: String, to: String) throws(StoreError) {
        _ = try tick("rename", from + " -> " + to)
        let replaced: [UInt8]? = state.withLock { s in
            remember(to, in: &s)
            return real.stat(to).map { !$0.isDirectory } == true ? s.durable[to] : nil
        }
        try real.rename(from, to: to)
        state.withLock { s in
            Self.rekey(&s.durable, from: from, to: to)
            s.pendingEntries.append(.renamed(from: from, to: to, replaced: replaced))
        }
    }

    /// Moves the durable bytes of `from` and everything under it to `to`.
    private static func rekey(_ durable: inout [String: [UInt8]], from: String, to: String) {
        for (k, v) in durable where k == from || k.hasPrefix(from + "/") {
            durable[k] = nil
            durable[to + k.dropFirst(from.count)] = v
        }
    }

    package func link(_ from: String, to: String) throws(StoreError) {
        _ = try tick("link", to)
        try real.link(from, to: to)
        state.withLock { s in remember(from, in: &s); s.durable[to] = s.durable[from]; s.pendingEntries.append(.created(to)) }
    }
    package func unlink(_ path: String) throws(StoreError) {
        _ = try tick("unlink", path); try real.unlink(path)
        state.withLock { $0.durable[path] = nil }
    }
    package func mkdir(_ path: String, mode: UInt32) throws(StoreError) {
        _ = try tick("mkdir", path); try real.mkdir(path, mode: mode)
        state.withLock { $0.pendingEntries.append(.created(path)) }
    }
    package func rmdir(_ path: String) throws(StoreError) { _ = try tick("rmdir", path); try real.rmdir(path) }
    package func chmod(_ path: String, mode: UInt32) throws(StoreError) { _ = try tick("chmod", path); try real.chmod(path, mode: mode) }

    package func fsyncDirectory(_ path: String) throws(StoreError) {
        _ = try tick("fsync directory", path)
        // Listing it fails as opening it would (missing, not a directory, outside a confined root).
        _ = try real.list(path)
        state.withLock { s in
            s.pendingEntries.removeAll { e in
                switch e {
                case .created(let p): return Self.parent(p) == path
                case .renamed(_, let t, _): return Self.parent(t) == path
                }
            }
        }
    }

    package var syncsWholeFileSystem: Bool { offersFileSystemSync }

    /// Every file this file system has seen keeps its current bytes, and every pending directory
    /// entry becomes durable: what `syncfs` does for the whole file system.
    package func syncFileSystem(_ anchor: OpenFile) throws(StoreError) {
        _ = try tick("syncfs", anchor.path)
        state.withLock { s in
            for path in s.durable.keys { if let bytes = try? real.readFile(path) { s.durable[path] = bytes } }
            s.pendingEntries.removeAll()
        }
    }

    package func list(_ path: String) throws(StoreError) -> [String] {
        if crashed { throw .io(op: "list (after crash)", path: path, errno: EIO) }
        beforeList?(path)
        return try real.list(path)
    }
    package func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)? { real.stat(path) }
    package func modificationTime(_ path: String) -> Double? { real.modificationTime(path) }
    package func fileSystemType(_ path: String) throws(StoreError) -> Int64 { try real.fileSystemType(path) }

    /// Rewrites the disk as a power cut after the crash would leave it (see the type's summary).
    package func powerLoss(_ mode: PowerLoss) {
        state.withLock { s in powerLoss(mode, in: &s) }
    }

    private func powerLoss(_ mode: PowerLoss, in s: inout State) {
        for e in s.pendingEntries.reversed() {
            switch e {
            case .created(let p):
                try? real.removeTree(p)
                for k in s.durable.keys where k == p || k.hasPrefix(p + "/") { s.durable[k] = nil }
            case .renamed(let from, let to, let replaced):
                if real.stat(to) != nil { _ = Glibc.rename(to, from) }
                Self.rekey(&s.durable, from: to, to: from)
                if let replaced {
                    let fd = Glibc.open(to, O_WRONLY | O_CREAT | O_TRUNC, 0o660)
                    if fd >= 0 {
                        _ = replaced.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress, $0.count, 0) }
                        Glibc.close(fd)
                    }
                    s.durable[to] = replaced
                }
            }
        }
        s.pendingEntries.removeAll()
        var rng = SystemRandomNumberGenerator()
        for (path, keep) in s.durable {
            guard let st = real.stat(path), !st.isDirectory, let now = try? real.readFile(path) else { continue }
            var out = keep
            // Unsynced overwrites of synced bytes: each run of changed bytes.
            if mode != .drop {
                var i = 0
                let common = min(keep.count, now.count)
                while i < common {
                    guard now[i] != keep[i] else { i += 1; continue }
                    var j = i
                    while j < common && now[j] != keep[j] { j += 1 }
                    for k in i..<j { out[k] = mode == .zero ? 0 : UInt8.random(in: 0...255, using: &rng) }
                    i = j
                }
            }
            if now.count > keep.count {
                switch mode {
                case .drop: break
                case .zero: out += [UInt8](repeating: 0, count: now.count - keep.count)
                case .garbage: out += (keep.count..<now.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            if out != now, let f = try? real.open(path, flags: O_WRONLY | O_TRUNC, mode: 0) {
                _ = out.withUnsafeBytes { Glibc.pwrite(f.fd, $0.baseAddress, $0.count, 0) }
                real.close(f)
            }
        }
    }
}
