import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Small whole-file reads and crash-safe replacements for the delivery files.
enum AtomicFile {
    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws(DeliveryError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(op: "open", path: path, errno: errno)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(op: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return out
    }

    /// Replaces `path` with `bytes` so that a crash leaves the old or the new content, never a
    /// mix: write `path.tmp-<pid>`, fsync it, rename over `path`, fsync the directory.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o660) throws(DeliveryError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(op: "open", path: tmp, errno: errno) }
        do throws(DeliveryError) {
            try writeAll(fd, bytes, path: tmp)
            if fchmod(fd, mode) != 0 { throw DeliveryError.io(op: "chmod", path: tmp, errno: errno) }
            if fsync(fd) != 0 { throw DeliveryError.io(op: "fsync", path: tmp, errno: errno) }
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let e = errno
            unlink(tmp)
            throw .io(op: "rename", path: path, errno: e)
        }
        try fsyncDirectory(directory(of: path))
    }

    /// Appends one line with a single `write` on an `O_APPEND` descriptor, so concurrent
    /// appenders never interleave inside a line.
    static func appendLine(_ path: String, _ line: String, mode: mode_t = 0o660) throws(DeliveryError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(op: "open", path: path, errno: errno) }
        defer { close(fd) }
        try writeAll(fd, Array((line + "\n").utf8), path: path)
    }

    /// Creates a directory (and its parent chain) if missing.
    static func makeDirectory(_ path: String, mode: mode_t = 0o2770) throws(DeliveryError) {
        var st = stat()
        if stat(path, &st) == 0 { return }
        if mkdir(path, mode) != 0 && errno != EEXIST { throw .io(op: "mkdir", path: path, errno: errno) }
        try fsyncDirectory(directory(of: path))
    }

    static func fsyncDirectory(_ dir: String) throws(DeliveryError) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(op: "open", path: dir, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw .io(op: "fsync", path: dir, errno: errno) }
    }

    static func directory(of path: String) -> String {
        let d = Path.parent(of: path)
        return d.isEmpty ? "." : d
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(DeliveryError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(op: "write", path: path, errno: errno)
            }
            done += n
        }
    }
}
