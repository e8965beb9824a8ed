#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and writes on a descriptor: the one read loop (and write loop) every module
/// that reads a file, a pipe or a standard stream uses. Each call is retried after EINTR, a
/// short read or write is continued, and a failure comes back as the errno that stopped it.
package enum WholeFile {
    /// The bytes read at a time while the size is not known.
    static let chunk = 64 << 10

    /// Every byte `fd` gives from its current offset to its end, or the errno that stopped it
    /// (EFBIG when it holds `limit` bytes or more).
    package static func read(_ fd: Int32, limit: Int = .max) -> Result<[UInt8], SystemError> {
        var bytes = [UInt8](repeating: 0, count: min(chunk, max(1, limit)))
        var count = 0
        while true {
            if count == bytes.count {
                guard count < limit else { return .failure(SystemError(code: EFBIG)) }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, limit - count)))
            }
            let n = SystemCall.retryingEINTR { bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) } }
            if n < 0 { return .failure(.last) }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    /// The whole file at `path` (opened read-only, close-on-exec), or the errno of the open or
    /// read that failed (EFBIG at `limit` bytes or more).
    package static func read(path: String, limit: Int = .max) -> Result<[UInt8], SystemError> {
        let fd = SystemCall.retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return .failure(.last) }
        defer { _ = close(fd) }
        return read(fd, limit: limit)
    }

    /// Writes all of `bytes` at `fd`'s offset, in as many write(2) calls as it takes; the errno
    /// of a write that failed (EIO for one that wrote nothing).
    package static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) -> Result<Void, SystemError> {
        var done = 0
        while done < bytes.count {
            let n = SystemCall.retryingEINTR { Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done) }
            if n < 0 { return .failure(.last) }
            if n == 0 { return .failure(SystemError(code: EIO)) }
            done += n
        }
        return .success(())
    }

    /// ``write(_:to:)`` of an array.
    package static func write(_ bytes: [UInt8], to fd: Int32) -> Result<Void, SystemError> {
        bytes.withUnsafeBytes { write($0, to: fd) }
    }
}
