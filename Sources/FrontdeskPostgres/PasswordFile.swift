#if canImport(Glibc)
import Glibc
#endif

/// A libpq password file (`~/.pgpass`, or `PGPASSFILE`): lines of
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaping.
///
/// Unlike libpq, which only warns, a file that its group or others may read is refused: the
/// password in it would be everyone's.
public enum PasswordFile {
    /// The password for `url`: `PGPASSWORD`, else the first matching line of the password file,
    /// else nil (a server that trusts the socket or uses peer authentication needs none).
    ///
    /// - Throws: ``PostgresStoreError/passwordFile(path:message:)`` when the file exists but is
    ///   not a regular file, is readable by others, or cannot be read.
    public static func password(for url: PostgresURL, environment: [String: String]) throws(PostgresStoreError) -> String? {
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let path: String
        if let p = environment["PGPASSFILE"], !p.isEmpty {
            path = p
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return nil
        }
        guard let text = try read(path) else { return nil }
        // A socket connection matches the host `localhost`, as in libpq.
        let host = url.isUnixSocket ? "localhost" : url.host
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(url.port), url.database, url.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The file's text; nil when there is no file.
    private static func read(_ path: String) throws(PostgresStoreError) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .passwordFile(path: path, message: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .passwordFile(path: path, message: String(cString: strerror(errno))) }
        guard st.st_mode & mode_t(S_IFMT) == mode_t(S_IFREG) else { throw .passwordFile(path: path, message: "not a regular file") }
        guard st.st_mode & 0o077 == 0 else {
            throw .passwordFile(path: path, message: "readable by its group or others (mode \(String(st.st_mode & 0o777, radix: 8))): chmod 600 it")
        }
        guard st.st_uid == getuid() else { throw .passwordFile(path: path, message: "not owned by you") }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .passwordFile(path: path, message: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
            if bytes.count > 1 << 20 { throw .passwordFile(path: path, message: "larger than 1 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .passwordFile(path: path, message: "not UTF-8") }
        return text
    }

    /// The fields of one line, unescaped.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for c in line {
            if escaped { current.append(c); escaped = false }
            else if c == "\\" { escaped = true }
            else if c == ":" { fields.append(current); current = "" }
            else { current.append(c) }
        }
        fields.append(current)
        return fields
    }
}
