/// A libpq connection service file (`~/.pg_service.conf`, or `PGSERVICEFILE`): the
/// connection settings of a named service, so a desk's command line says
/// `postgresql:///?service=salon` (or sets `PGSERVICE=salon`) instead of a host, port, role
/// and database — and the password, if any, stays in a file only its owner may read.
///
/// ```
/// # ~/.pg_service.conf, mode 0600
/// [salon]
/// host=db.example
/// port=5432
/// user=frontdesk
/// dbname=salon
/// sslmode=verify-full
/// sslrootcert=/etc/frontdesk/db-ca.pem
/// ```
///
/// The format is libpq's: `[name]` starts a service, `key=value` lines set its settings, `#`
/// starts a comment. Two differences, both for a shared host: the file must be the user's own
/// and nobody else may read or write it (``PrivateFile``), and a key this program does not use
/// is refused rather than ignored, so a setting the user relies on (a client certificate, say)
/// is never silently dropped. The system-wide file (`PGSYSCONFDIR/pg_service.conf`) is not
/// read: it is readable by every account.
public enum ServiceFile {
    /// The settings a service may give, libpq's names.
    public static let keys = ["host", "port", "user", "dbname", "password", "sslmode", "sslrootcert"]

    /// The file `environment` names: `PGSERVICEFILE`, else `~/.pg_service.conf`; nil without
    /// either.
    public static func path(environment: [String: String]) -> String? {
        if let p = environment["PGSERVICEFILE"], !p.isEmpty { return p }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.pg_service.conf" }
        return nil
    }

    /// The settings of service `name` from the file `environment` names.
    ///
    /// - Throws: ``PostgresStoreError/serviceFile(path:message:)`` when there is no such file
    ///   or service, the file may not be used (``PrivateFile``), or a line is malformed or sets
    ///   an unknown key.
    public static func settings(named name: String, environment: [String: String]) throws(PostgresStoreError) -> [String: String] {
        guard let path = path(environment: environment) else {
            throw .serviceFile(path: "~/.pg_service.conf", message: "service \"\(name)\" named, but neither PGSERVICEFILE nor HOME is set")
        }
        let read: String?
        do {
            read = try PrivateFile.text(at: path)
        } catch {
            throw .serviceFile(path: path, message: error.message)
        }
        guard let text = read else {
            throw .serviceFile(path: path, message: "no such file, but service \"\(name)\" is named (by ?service= or PGSERVICE)")
        }
        guard let settings = try parse(text, service: name, path: path) else {
            throw .serviceFile(path: path, message: "no service \"\(name)\" (no [\(name)] section)")
        }
        return settings
    }

    /// The settings of `service` in `text`; nil when the text has no such section. Every line
    /// is checked, not only the section's: a malformed file is reported whichever service is
    /// asked for.
    ///
    /// - Complexity: O(n) in the length of `text`.
    static func parse(_ text: String, service: String, path: String) throws(PostgresStoreError) -> [String: String]? {
        var current: String?
        var found: [String: String]?
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            func bad(_ message: String) -> PostgresStoreError { .serviceFile(path: path, message: "line \(number + 1): \(message)") }
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw bad("a section is written [name]") }
                current = String(line.dropFirst().dropLast())
                if current == service {
                    // libpq takes the first section of a name; a second would be a surprise.
                    if found != nil { throw bad("service \"\(service)\" is defined twice") }
                    found = [:]
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw bad("expected key=value, [name] or a # comment") }
            let key = String(line[..<equals].trimmingWhitespace())
            let value = String(line[line.index(after: equals)...].trimmingWhitespace())
            guard current != nil else { throw bad("\"\(key)\" comes before any [service] section") }
            if key == "service" { throw bad("a service cannot name another service") }
            guard keys.contains(key) else {
                throw bad("unknown key \"\(key)\" (known: \(keys.joined(separator: ", ")))")
            }
            if current == service {
                if found?[key] != nil { throw bad("\"\(key)\" is set twice in [\(service)]") }
                found?[key] = value
            }
        }
        return found
    }
}

extension Substring {
    /// The text without spaces, tabs or carriage returns at either end.
    fileprivate func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
