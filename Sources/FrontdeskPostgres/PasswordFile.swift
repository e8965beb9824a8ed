#if canImport(Glibc)
import Glibc
#endif

/// A libpq password file (`~/.pgpass`, or `PGPASSFILE`): lines of
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaping.
///
/// Unlike libpq, which only warns, a file that its group or others may read is refused: the
/// password in it would be everyone's.
public enum PasswordFile {
    /// The password for `url`: its service's (``PostgresURL/password``), else `PGPASSWORD`, else
    /// the first matching line of the password file, else nil (a server that trusts the socket
    /// or uses peer authentication needs none). libpq's order.
    ///
    /// - Throws: ``PostgresStoreError/passwordFile(path:message:)`` when the file exists but is
    ///   not a regular file, is readable by others, or cannot be read.
    public static func password(for url: PostgresURL, environment: [String: String]) throws(PostgresStoreError) -> String? {
        if let p = url.password { return p }
        if let p = environment["PGPASSWORD"], !p.isEmpty { return p }
        let path: String
        if let p = environment["PGPASSFILE"], !p.isEmpty {
            path = p
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.pgpass"
        } else {
            return nil
        }
        let text: String
        do {
            guard let read = try PrivateFile.text(at: path) else { return nil }
            text = read
        } catch {
            throw .passwordFile(path: path, message: error.message)
        }
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
