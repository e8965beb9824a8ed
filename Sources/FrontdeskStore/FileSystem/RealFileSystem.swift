#if canImport(Glibc)
import Glibc
#endif

/// The operating system's file calls, retried on EINTR.
public final class RealFileSystem: FileSystem {
    private let offersFileSystemSync: Bool

    /// `syncFileSystem: false` makes callers fsync file by file even where `syncfs` would do
    /// (for benchmarks comparing the two).
    public init(syncFileSystem: Bool = true) { offersFileSystemSync = syncFileSystem }

    @inline(__always)
    private func check(_ r: Int32, _ op: String, _ path: String) throws(StoreError) {
        if r != 0 { throw .io(op: op, path: path, errno: errno) }
    }

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return OpenFile(fd: fd, path: path) }
            if errno != EINTR { throw .io(op: "open", path: path, errno: errno) }
        }
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
            if c_flock(file.fd, operation) == 0 { return true }
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw .io(op: "flock", path: file.path, errno: errno) }
        }
    }

    public func rename(_ from: String, to: String) throws(StoreError) { try check(Glibc.rename(from, to), "rename", from + " -> " + to) }
    public func link(_ from: String, to: String) throws(StoreError) { try check(Glibc.link(from, to), "link", from + " -> " + to) }
    public func unlink(_ path: String) throws(StoreError) { try check(Glibc.unlink(path), "unlink", path) }
    public func mkdir(_ path: String, mode: UInt32) throws(StoreError) { try check(Glibc.mkdir(path, mode), "mkdir", path) }
    public func rmdir(_ path: String) throws(StoreError) { try check(Glibc.rmdir(path), "rmdir", path) }
    public func chmod(_ path: String, mode: UInt32) throws(StoreError) { try check(Glibc.chmod(path, mode), "chmod", path) }

    public func fsyncDirectory(_ path: String) throws(StoreError) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(op: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        try check(Glibc.fsync(fd), "fsync directory", path)
    }

    public func syncFileSystem(_ anchor: OpenFile) throws(StoreError) {
        try check(c_syncfs(anchor.fd), "syncfs", anchor.path)
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
        guard let d = opendir(path) else { throw .io(op: "opendir", path: path, errno: errno) }
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

    /// `statx` asking for the type, inode and size only, for the reason given at `size(_:)`:
    /// writers look at the journal segment by name on every catch-up. `fstatat` where the
    /// kernel has no `statx`.
    public func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)? {
        // struct statx is 256 bytes: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_size (u64) at 40.
        let statxType: UInt32 = 0x1, statxIno: UInt32 = 0x100, statxSize: UInt32 = 0x200
        // nil: no statx here (fall back); .some(nil): nothing at `path`.
        let viaStatx: (isDirectory: Bool, size: Int64, inode: UInt64)?? = withUnsafeTemporaryAllocation(byteCount: 256, alignment: 8) { buf in
            guard let base = buf.baseAddress else { return .some(nil) }
            guard c_statx(AT_FDCWD, path, 0, statxType | statxIno | statxSize, base) == 0 else {
                return errno == ENOSYS ? nil : .some(nil)
            }
            let mode = UInt32(buf.load(fromByteOffset: 28, as: UInt16.self))
            return ((mode & UInt32(S_IFMT)) == UInt32(S_IFDIR), Int64(buf.load(fromByteOffset: 40, as: UInt64.self)),
                    buf.load(fromByteOffset: 32, as: UInt64.self))
        }
        if let viaStatx { return viaStatx }
        var st = Glibc.stat()
        guard fstatat(AT_FDCWD, path, &st, 0) == 0 else { return nil }
        return ((st.st_mode & S_IFMT) == S_IFDIR, Int64(st.st_size), UInt64(st.st_ino))
    }

    public func modificationTime(_ path: String) -> Double? {
        var st = Glibc.stat()
        guard fstatat(AT_FDCWD, path, &st, 0) == 0 else { return nil }
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
    }

    public func fileSystemType(_ path: String) throws(StoreError) -> Int64 {
        // Glibc's module map does not export `struct statfs`; f_type is its first field (a long)
        // on Linux x86_64 and arm64, and the struct is 120 bytes, so a 256-byte buffer is enough.
        let buf = UnsafeMutableRawPointer.allocate(byteCount: 256, alignment: 8)
        defer { buf.deallocate() }
        try check(c_statfs(path, buf), "statfs", path)
        return buf.load(as: Int64.self)
    }
}

@_silgen_name("syncfs") private func c_syncfs(_ fd: Int32) -> Int32
@_silgen_name("flock") private func c_flock(_ fd: Int32, _ operation: Int32) -> Int32
@_silgen_name("statx") private func c_statx(_ dirfd: Int32, _ path: UnsafePointer<CChar>, _ flags: Int32, _ mask: UInt32, _ buf: UnsafeMutableRawPointer) -> Int32
@_silgen_name("statfs") private func c_statfs(_ path: UnsafePointer<CChar>, _ buf: UnsafeMutableRawPointer) -> Int32
