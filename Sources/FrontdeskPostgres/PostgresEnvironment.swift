#if canImport(Glibc)
import Glibc
#endif

/// The process's libpq settings: the `PG*` variables a URL may leave to the environment, the
/// home directory for `~/.pgpass` and `~/.pg_service.conf`, and the OS account's name (libpq's
/// default role).
public enum PostgresEnvironment {
    /// The variables ``PostgresURL`` and ``PasswordFile`` read.
    public static let keys = ["PGUSER", "PGHOST", "PGPORT", "PGDATABASE", "PGPASSWORD", "PGPASSFILE",
                              "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGSSLROOTCERT", "HOME"]

    /// This process's values of ``keys`` (unset ones left out).
    public static func current() -> [String: String] {
        var values: [String: String] = [:]
        for key in keys { if let v = getenv(key) { values[key] = String(cString: v) } }
        return values
    }

    /// The name of the real user's account; its uid in digits when it has no name.
    public static func accountName() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return String(getuid())
    }

    /// Parses `url` and connects with the environment's settings and password.
    public static func connect(_ url: String, environment: [String: String] = current()) throws(PostgresStoreError) -> PostgresSession {
        let parsed = try PostgresURL(parsing: url, environment: environment, defaultUser: accountName())
        let password = try PasswordFile.password(for: parsed, environment: environment)
        return try PostgresSession(url: parsed, password: password)
    }
}
