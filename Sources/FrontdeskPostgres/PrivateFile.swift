#if canImport(Glibc)
import Glibc
#endif

/// A settings file that may hold a password (``PasswordFile``, ``ServiceFile``): read only when
/// it is a regular file of the user's own that nobody else may read or write.
///
/// libpq only warns about a password file others may read; here such a file is refused, because
/// the password in it would be everyone's on a shared host.
enum PrivateFile {
    /// Why the file may not be used.
    struct Problem: Error {
        var message: String
    }

    /// The largest file read; anything bigger is not a settings file.
    static let sizeLimit = 1 << 20

    /// The file's text; nil when there is no file.
    ///
    /// A symbolic link is not followed (`O_NOFOLLOW`): another account must not be able to
    /// point the path at a file of its choosing.
    static func text(at path: String) throws(Problem) -> String? {
        func problem(_ message: String) -> Problem { Problem(message: message) }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw problem("a symbolic link (not followed): name the file itself") }
            throw problem(String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw problem(String(cString: strerror(errno))) }
        guard st.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { throw problem("not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw problem("readable by its group or others, or writable by them (mode \(String(st.st_mode & 0o777, radix: 8))): chmod 600 it")
        }
        guard st.st_uid == getuid() else { throw problem("not owned by you") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw problem(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > sizeLimit { throw problem("larger than 1 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw problem("not UTF-8") }
        return text
    }
}
