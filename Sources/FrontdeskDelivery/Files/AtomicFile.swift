import FrontdeskStore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// Small whole-file reads and crash-safe replacements for the delivery files, always relative
/// to a ``DeliveryDirectory`` and never through a symlink.
enum AtomicFile {
    /// The file's bytes, or nil when it does not exist. A symlink, directory or fifo in its
    /// place is refused with a message naming it.
    static func read(_ name: String, in dir: DeliveryDirectory) throws(DeliveryError) -> [UInt8]? {
        guard let fd = try dir.openForReading(name) else { return nil }
        defer { close(fd) }
        return try readAll(fd, path: dir.path(of: name))
    }

    /// Every byte from the current offset of `fd`.
    static func readAll(_ fd: Int32, path: String) throws(DeliveryError) -> [UInt8] {
        switch WholeFile.read(fd) {
        case .success(let bytes): return bytes
        case .failure(let error): throw .io(op: "read", path: path, errno: error.code)
        }
    }

    /// Replaces `name` with `bytes` so that a crash leaves the old or the new content, never a
    /// mix: remove a stale `name.tmp-<pid>` (unlinked, never followed), create it anew with
    /// `O_EXCL | O_NOFOLLOW`, write, fsync, rename over `name`, fsync the directory. A symlink
    /// at `name` is replaced by the file; its target is never written.
    static func replace(_ name: String, in dir: DeliveryDirectory, with bytes: [UInt8]) throws(DeliveryError) {
        let tmp = name + ".tmp-\(getpid())"
        try dir.remove(tmp)
        let fd = try dir.createExclusive(tmp)
        do throws(DeliveryError) {
            try writeAll(fd, bytes, path: dir.path(of: tmp))
            if fsync(fd) != 0 { throw DeliveryError.io(op: "fsync", path: dir.path(of: tmp), errno: errno) }
        } catch {
            close(fd)
            _ = try? dir.remove(tmp)
            throw error
        }
        close(fd)
        do throws(DeliveryError) { try dir.rename(tmp, to: name) } catch {
            _ = try? dir.remove(tmp)
            throw error
        }
        try dir.sync()
    }

    /// Appends one line with a single `write` on an `O_APPEND | O_NOFOLLOW` descriptor, so
    /// concurrent appenders never interleave inside a line and a planted symlink is refused.
    static func appendLine(_ name: String, in dir: DeliveryDirectory, _ line: String) throws(DeliveryError) {
        let fd = try dir.openForWriting(name, append: true)
        defer { close(fd) }
        try writeAll(fd, Array((line + "\n").utf8), path: dir.path(of: name))
    }

    /// All of `bytes` at the offset of `fd`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(DeliveryError) {
        if case .failure(let error) = WholeFile.write(bytes, to: fd) { throw .io(op: "write", path: path, errno: error.code) }
    }
}
