#if canImport(Glibc)
import Glibc
#endif

/// An open file: the descriptor and the path it was opened by (for messages and fault models).
public struct OpenFile: Sendable, Hashable {
    public let fd: Int32
    public let path: String
    public init(fd: Int32, path: String) { self.fd = fd; self.path = path }
}

/// Every system call the store makes on its files goes through this seam, so tests can fail
/// or "crash" any one of them and model power loss (`FaultyFileSystem` in the FrontdeskStoreTesting target).
///
/// Calls throw `StoreError.io(op, path, errno)`. `pwrite` may write fewer bytes than asked;
/// callers loop.
public protocol FileSystem: AnyObject, Sendable {
    /// From now on resolves every path below `directory` (the store's root, opened now) without
    /// following symbolic links, refusing what is not the kind of file a call expects with
    /// `StoreError.unsafeFile`, and gives what it creates there the store's modes (shared or
    /// private, read from the root's mode). Calling it again for the same path reopens the
    /// root if it was replaced. Implementations that confine nothing keep plain path calls.
    func confine(to directory: String) throws(StoreError)
    /// Sets the group of a file or directory (opened without following links).
    func chgrp(_ path: String, group: UInt32) throws(StoreError)
    func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile
    func close(_ file: OpenFile)
    /// Writes some prefix of `bytes` at `offset`; returns how many bytes were written.
    func pwrite(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> Int
    /// Reads up to `buffer.count` bytes at `offset`; 0 at end of file.
    func pread(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StoreError) -> Int
    func fsync(_ file: OpenFile) throws(StoreError)
    func fdatasync(_ file: OpenFile) throws(StoreError)
    func ftruncate(_ file: OpenFile, to size: Int64) throws(StoreError)
    func size(_ file: OpenFile) throws(StoreError) -> Int64
    /// `flock(2)`; returns false when `LOCK_NB` was given and the lock is held elsewhere.
    func flock(_ file: OpenFile, _ operation: Int32) throws(StoreError) -> Bool
    func rename(_ from: String, to: String) throws(StoreError)
    func link(_ from: String, to: String) throws(StoreError)
    func unlink(_ path: String) throws(StoreError)
    func mkdir(_ path: String, mode: UInt32) throws(StoreError)
    func rmdir(_ path: String) throws(StoreError)
    func chmod(_ path: String, mode: UInt32) throws(StoreError)
    /// Opens a directory and fsyncs it, making entries created or renamed in it durable.
    func fsyncDirectory(_ path: String) throws(StoreError)
    /// Makes everything written on the file system that holds `anchor` durable: every file's
    /// data and metadata and every directory entry (`syncfs(2)`), as an fsync of each would.
    /// Reports a write-back error of any file there since `anchor` was opened, so open it
    /// before writing what must become durable. Only when `syncsWholeFileSystem`.
    func syncFileSystem(_ anchor: OpenFile) throws(StoreError)
    /// Whether `syncFileSystem` may stand in for fsyncing many files one by one: Linux reports
    /// write-back errors through `syncfs` only since 5.8; before that a failed write would be
    /// lost silently, so callers fsync each file instead.
    var syncsWholeFileSystem: Bool { get }
    /// Names in a directory (no `.`/`..`), unsorted.
    func list(_ path: String) throws(StoreError) -> [String]
    /// nil when nothing is there; else whether it is a directory and its size.
    func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)?
    /// Last modification time of a file, in seconds since 1970 (nil when nothing is there).
    func modificationTime(_ path: String) -> Double?
    /// `statfs(2).f_type` of the file system holding `path`.
    func fileSystemType(_ path: String) throws(StoreError) -> Int64
    /// Whether the store may call this from a second thread while the first goes on (a
    /// background compaction). True unless the implementation numbers its calls, as the
    /// fault-injecting test double does: its crash points must not depend on thread timing.
    var allowsConcurrentUse: Bool { get }
}

/// Helpers built only from the protocol's primitives, so faults reach them too.
extension FileSystem {
    public var allowsConcurrentUse: Bool { true }
    public func confine(to directory: String) throws(StoreError) {}
    public func chgrp(_ path: String, group: UInt32) throws(StoreError) {
        throw .io(op: "chgrp", path: path, errno: ENOSYS)
    }

    /// The whole content of a file.
    package func readFile(_ path: String) throws(StoreError) -> [UInt8] {
        let f = try open(path, flags: O_RDONLY | O_CLOEXEC, mode: 0)
        defer { close(f) }
        return try readAll(f, from: 0)
    }

    /// Everything from `offset` to the end of an open file.
    func readAll(_ f: OpenFile, from offset: Int64) throws(StoreError) -> [UInt8] {
        try readRange(f, from: offset, to: try size(f))
    }

    /// The whole content of an open file without the run of zero bytes that ends it, if that
    /// run fills whole 64 KiB chunks: what a scan of the journal segment needs.
    ///
    /// Every process reads the last journal segment whole when it opens the store, and that
    /// segment is preallocated (up to a megabyte of zeros after the records): reading it into
    /// one array would cost every command a page fault per 4 KiB and a copy of the zeros. Chunks are
    /// read into one reused buffer, and zeros are kept only when something other than zeros
    /// follows them, so a scan of the result sees exactly what a scan of the whole file sees
    /// (zeros followed by a record included) except for the length of the final padding.
    ///
    /// - Complexity: O(file size) reads, O(content) memory.
    func readAllDroppingZeroTail(_ f: OpenFile) throws(StoreError) -> [UInt8] {
        let chunk = 64 << 10
        let total = try size(f)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        var zeros = 0          // zero chunks read and not yet appended
        var at: Int64 = 0
        while at < total {
            let want = Int(min(Int64(chunk), total - at))
            var done = 0
            while done < want {
                let n: Int
                n = try buffer.withUnsafeMutableBytes { b in
                    Result { () throws(StoreError) in
                        try pread(f, into: UnsafeMutableRawBufferPointer(rebasing: b[done..<want]), at: at + Int64(done))
                    }
                }.get()
                if n == 0 { break }
                done += n
            }
            let read = buffer[0..<done]
            if Zeros.allZero(buffer, from: 0, to: done) {
                zeros += done
            } else {
                if zeros > 0 { out.append(contentsOf: repeatElement(0, count: zeros)); zeros = 0 }
                out.append(contentsOf: read)
            }
            if done < want { break }
            at += Int64(done)
        }
        return out
    }

    /// The bytes from `offset` up to `end` (fewer if the file ends first).
    func readRange(_ f: OpenFile, from offset: Int64, to end: Int64) throws(StoreError) -> [UInt8] {
        guard end > offset else { return [] }
        var out = [UInt8](repeating: 0, count: Int(end - offset))
        var done = 0
        while done < out.count {
            let n: Int
            n = try out.withUnsafeMutableBytes { b in
                Result { () throws(StoreError) in
                    try pread(f, into: UnsafeMutableRawBufferPointer(rebasing: b[done...]), at: offset + Int64(done))
                }
            }.get()
            if n == 0 { out.removeLast(out.count - done); break }
            done += n
        }
        return out
    }

    /// Writes all of `bytes` at `offset`, looping on short writes.
    func writeAll(_ f: OpenFile, _ bytes: [UInt8], at offset: Int64) throws(StoreError) {
        try bytes.withUnsafeBytes { b in Result { () throws(StoreError) in try writeAll(f, b, at: offset) } }.get()
    }

    /// `writeAll` of bytes the caller already holds in memory of its own.
    func writeAll(_ f: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) {
        var done = 0
        while done < bytes.count {
            let n = try pwrite(f, UnsafeRawBufferPointer(rebasing: bytes[done...]), at: offset + Int64(done))
            if n <= 0 { throw .io(op: "write", path: f.path, errno: EIO) }
            done += n
        }
    }

    /// Creates a new file with `bytes`, mode 0660 (chmod'ed past the umask; 0600 in a private
    /// store), and fsyncs it unless `sync` is false (the caller then makes it durable with
    /// `syncFileSystem`). The caller fsyncs the directory.
    func writeNewFile(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StoreError) {
        let f = try open(path, flags: O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o660)
        defer { close(f) }
        try chmod(path, mode: 0o660)
        try writeAll(f, bytes, at: 0)
        if sync { try fsync(f) }
    }

    /// Creates a directory with mode 02770 (setgid, group-writable; 0700 in a private store),
    /// chmod'ed past the umask.
    func makeDirectory(_ path: String) throws(StoreError) {
        try mkdir(path, mode: 0o2770)
        try chmod(path, mode: 0o2770)
    }

    /// Removes a directory tree (files first). `stat` does not follow links and `unlink` removes
    /// a link itself, so a link inside the tree is removed, never descended into.
    package func removeTree(_ path: String) throws(StoreError) {
        guard let st = stat(path) else { return }
        if !st.isDirectory { try unlink(path); return }
        for name in try list(path) { try removeTree(path + "/" + name) }
        try rmdir(path)
    }
}
