#if canImport(Glibc)
import Glibc
#endif
import FrontdeskSystem

/// Writes a file only its owner can read (mode 0600 whatever the umask), for exports of
/// customer data: written to a new temporary file beside it (`O_CREAT|O_EXCL|O_NOFOLLOW`),
/// then renamed over the name asked for.
///
/// The name asked for may already be a regular file (it is replaced, and the replacement is
/// 0600 too); anything else there (a symbolic link, a directory, a fifo) is refused, never
/// followed: a rename replaces a link that appears there meanwhile instead of writing through it.
enum PrivateFile {
    /// Writes `bytes` to `path`. Fails with `CLIError.io` naming `path` and the reason.
    static func write(_ bytes: [UInt8], to path: String) throws(CLIError) {
        var st = stat()
        if lstat(path, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = kind == S_IFLNK ? "a symbolic link" : kind == S_IFDIR ? "a directory" : "not a regular file"
                throw .io(path: path, message: "is \(what); refusing to write through it (remove it or choose another name)")
            }
        } else if errno != ENOENT {
            throw failure(path, "cannot write")
        }
        var random: UInt64 = 0
        random = UInt64.random(in: 0...UInt64.max)
        let tmp = path + ".tmp-\(getpid())-\(String(random, radix: 36))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(path, "cannot write") }
        var ok = fchmod(fd, 0o600) == 0
        if ok, case .failure(let error) = WholeFile.write(bytes, to: fd) { ok = false; errno = error.code }
        if ok { ok = fsync(fd) == 0 }
        let err = failure(path, "cannot write")
        if close(fd) != 0 { ok = false }
        guard ok else { unlink(tmp); throw err }
        guard rename(tmp, path) == 0 else {
            let e = failure(path, "cannot write")
            unlink(tmp)
            throw e
        }
    }

    private static func failure(_ path: String, _ what: String) -> CLIError {
        .io(path: path, message: "\(what): \(String(cString: strerror(errno)))")
    }
}
