#if canImport(Glibc)
import Glibc
#endif

/// Where a PostgreSQL store is, whom to connect as and how: a `postgresql://` URL completed from
/// a connection service (``ServiceFile``) and the standard `PG*` environment variables, as libpq
/// completes it.
///
/// `postgresql://[USER@][HOST][:PORT]/DATABASE[?host=/socket/dir&port=N&user=U&dbname=D&sslmode=M&sslrootcert=F&service=S]`;
/// `postgres://` too. A host starting with `/` (or `%2F`) is the directory of the server's Unix
/// socket; no host at all means `PGHOST`, else the Debian socket directory `/var/run/postgresql`.
/// Each setting comes from the URL, else the service's section, else its `PG*` variable, else the
/// default. A password in the URL is refused: a command line is visible to every user of the
/// host (`ps`), so the password comes from the service file, `PGPASSWORD` or a password file
/// (``PasswordFile``), the files readable only by their owner.
public struct PostgresURL: Equatable, Sendable {
    /// The role to connect as.
    public var user: String
    /// A host name, or the directory of a Unix socket (starts with `/`).
    public var host: String
    /// The TCP port, or the number in the socket's name (`.s.PGSQL.<port>`).
    public var port: Int
    /// The database.
    public var database: String
    /// Whether a TCP connection is encrypted and its certificate checked (`sslmode`).
    public var tlsMode: PostgresTLSMode
    /// The root certificate file the server's certificate must chain to (`sslrootcert`), or
    /// `system` for the system's trusted roots. A mode that checks the certificate and names
    /// none uses `~/.postgresql/root.crt`, as libpq does.
    public var rootCertificate: String?
    /// The password a service file gives; never printed (``description`` leaves it out).
    public var password: String?

    /// A URL from its parts, taken as they are.
    public init(user: String, host: String, port: Int, database: String, tlsMode: PostgresTLSMode = .prefer,
                rootCertificate: String? = nil, password: String? = nil) {
        self.user = user; self.host = host; self.port = port; self.database = database
        self.tlsMode = tlsMode; self.rootCertificate = rootCertificate; self.password = password
    }

    /// Whether ``host`` is a socket directory rather than a host name.
    public var isUnixSocket: Bool { host.hasPrefix("/") }
    /// The socket's path when ``isUnixSocket``.
    public var socketPath: String { host + "/.s.PGSQL.\(port)" }

    /// The default directory of the server's socket on Debian.
    public static let defaultSocketDirectory = "/var/run/postgresql"

    /// Whether `text` names a PostgreSQL store (a `postgresql:` or `postgres:` URL) rather than a
    /// directory.
    public static func isPostgresURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgresql:") || lower.hasPrefix("postgres:")
    }

    /// Parses `text`, taking what it leaves out from the connection service it names
    /// (`?service=`, else `PGSERVICE`), then `environment` (`PGUSER`, `PGHOST`, `PGPORT`,
    /// `PGDATABASE`, `PGSSLMODE`, `PGSSLROOTCERT`) and `defaultUser` (the OS account's name).
    ///
    /// - Parameter services: the settings of a named service; by default read from the service
    ///   file `environment` names (``ServiceFile/settings(named:environment:)``).
    /// - Throws: ``PostgresStoreError/invalidURL(url:message:)`` naming the problem: another
    ///   scheme, a password, a bad port, TLS mode, percent-encoding or query parameter, no
    ///   database; ``PostgresStoreError/serviceFile(path:message:)`` for the service file's.
    public init(parsing text: String, environment: [String: String], defaultUser: String,
                services: ((String) throws(PostgresStoreError) -> [String: String])? = nil) throws(PostgresStoreError) {
        func bad(_ message: String) -> PostgresStoreError { .invalidURL(url: PostgresURL.redacted(text), message: message) }
        guard let colon = text.firstIndex(of: ":"), PostgresURL.isPostgresURL(text) else {
            throw bad("not a postgresql:// URL")
        }
        var rest = text[text.index(after: colon)...]
        guard rest.hasPrefix("//") else { throw bad("expected postgresql://[user@][host][:port]/database") }
        rest = rest.dropFirst(2)
        var query = ""
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        if rest.contains("#") { throw bad("a fragment (#…) has no meaning here") }
        let authority: Substring, path: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        } else {
            authority = rest
            path = ""
        }
        var user: String?, host: String?, port: String?
        var hostPart = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if userInfo.contains(":") {
                throw bad("a password in the URL is refused (anyone on this host can read a command line): "
                          + "set PGPASSWORD or use ~/.pgpass (mode 0600)")
            }
            if !userInfo.isEmpty { user = try PostgresURL.decode(userInfo, bad) }
        }
        if hostPart.hasPrefix("[") {
            // An IPv6 address: [::1]:5432.
            guard let close = hostPart.firstIndex(of: "]") else { throw bad("an IPv6 host lacks its closing ]") }
            host = String(hostPart[hostPart.index(after: hostPart.startIndex)..<close])
            let after = hostPart[hostPart.index(after: close)...]
            if after.hasPrefix(":") { port = String(after.dropFirst()) } else if !after.isEmpty { throw bad("unexpected text after the IPv6 host") }
        } else if let c = hostPart.lastIndex(of: ":") {
            host = try PostgresURL.decode(hostPart[..<c], bad)
            port = String(hostPart[hostPart.index(after: c)...])
        } else if !hostPart.isEmpty {
            host = try PostgresURL.decode(hostPart, bad)
        }
        if host?.isEmpty == true { host = nil }
        var database: String?
        if !path.isEmpty { database = try PostgresURL.decode(path, bad) }
        if let d = database, d.contains("/") { throw bad("the database name \"\(d)\" contains /") }
        var sslMode: String?, rootCertificate: String?, service: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(kv[0]), value = try PostgresURL.decode(kv.count > 1 ? kv[1] : "", bad)
            switch key {
            case "host": host = value
            case "port": port = value
            case "user": user = value
            case "dbname": database = value
            case "sslmode": sslMode = value
            case "sslrootcert": rootCertificate = value
            case "service": service = value
            case "password": throw bad("a password in the URL is refused (anyone on this host can read a command line): set PGPASSWORD or use ~/.pgpass (mode 0600)")
            default: throw bad("unknown parameter \"\(key)\" (known: host, port, user, dbname, sslmode, sslrootcert, service)")
            }
        }
        func env(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        var fromService: [String: String] = [:]
        if let name = service.flatMap({ $0.isEmpty ? nil : $0 }) ?? env("PGSERVICE") {
            if let services {
                fromService = try services(name)
            } else {
                fromService = try ServiceFile.settings(named: name, environment: environment)
            }
        }
        func setting(_ key: String) -> String? { fromService[key].flatMap { $0.isEmpty ? nil : $0 } }
        let finalUser = user ?? setting("user") ?? env("PGUSER") ?? defaultUser
        let finalHost = host ?? setting("host") ?? env("PGHOST") ?? PostgresURL.defaultSocketDirectory
        let portText = port.flatMap { $0.isEmpty ? nil : $0 } ?? setting("port") ?? env("PGPORT") ?? "5432"
        let modeText = sslMode ?? setting("sslmode") ?? env("PGSSLMODE") ?? PostgresTLSMode.prefer.rawValue
        guard let mode = PostgresTLSMode(parameter: modeText) else {
            throw bad("the TLS mode \"\(modeText)\" is not one of \(PostgresTLSMode.spellings)")
        }
        var finalRoot = rootCertificate.flatMap { $0.isEmpty ? nil : $0 } ?? setting("sslrootcert") ?? env("PGSSLROOTCERT")
        if finalRoot == nil, mode.verifiesCertificate, let home = env("HOME") {
            finalRoot = home + "/.postgresql/root.crt"
        }
        guard let portNumber = Int(portText), (1...65535).contains(portNumber) else {
            throw bad("the port \"\(portText)\" is not a number from 1 to 65535")
        }
        guard let finalDatabase = database ?? setting("dbname") ?? env("PGDATABASE") ?? (finalUser.isEmpty ? nil : finalUser), !finalDatabase.isEmpty else {
            throw bad("no database named: postgresql://…/DATABASE")
        }
        guard !finalUser.isEmpty else { throw bad("no user: postgresql://USER@…, or PGUSER") }
        if finalHost.hasPrefix("/"), finalHost.utf8.count + 16 > 107 {
            throw bad("the socket directory \(finalHost) is too long for a Unix socket path")
        }
        if mode == .verifyFull, !finalHost.hasPrefix("/"), PostgresURL.isIPAddress(finalHost) {
            throw bad("sslmode=verify-full checks the server's name, and \(finalHost) is an address: connect by the name its certificate is issued for")
        }
        self.user = finalUser
        self.host = finalHost
        self.port = portNumber
        self.database = finalDatabase
        self.tlsMode = mode
        self.rootCertificate = finalRoot
        self.password = setting("password")
    }

    /// Whether `host` is an IPv4 or IPv6 address rather than a name.
    static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber) }
    }

    /// The URL with no password (there never is one), for messages and `--json` output.
    public var description: String {
        if isUnixSocket { return "postgresql://\(user)@/\(database)?host=\(host)&port=\(port)" }
        let h = host.contains(":") ? "[\(host)]" : host
        return "postgresql://\(user)@\(h):\(port)/\(database)" + (tlsMode == .prefer ? "" : "?sslmode=\(tlsMode.rawValue)")
    }

    /// `text` with whatever follows a `:` in its user part replaced, so that an error message
    /// never echoes a password.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.firstRange(of: "://") else { return text }
        let afterScheme = text[scheme.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        var result = String(text[..<scheme.upperBound])
        if let at = authority.lastIndex(of: "@"), let c = authority[..<at].firstIndex(of: ":") {
            result += authority[..<c] + ":***" + authority[at...]
        } else {
            result += authority
        }
        var tail = String(afterScheme[authorityEnd...])
        if let p = tail.firstRange(of: "password=") {
            let end = tail[p.upperBound...].firstIndex(of: "&") ?? tail.endIndex
            tail.replaceSubrange(p.upperBound..<end, with: "***")
        }
        return result + tail
    }

    /// Percent-decodes `s` (UTF-8).
    private static func decode(_ s: Substring, _ bad: (String) -> PostgresStoreError) throws(PostgresStoreError) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            guard b == UInt8(ascii: "%") else { bytes.append(b); continue }
            guard it.count >= 2, let hi = hex(it[it.startIndex]), let lo = hex(it[it.startIndex + 1]) else {
                throw bad("a bad percent escape in \"\(s)\"")
            }
            bytes.append(hi << 4 | lo)
            it = it.dropFirst(2)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw bad("\"\(s)\" is not UTF-8 once decoded") }
        return text
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
