/// Why a PostgreSQL store could not be named, reached, migrated or used.
public enum PostgresStoreError: Error, Equatable, Sendable {
    /// The `--data` URL is not a usable `postgresql://` URL; `message` says what is wrong.
    case invalidURL(url: String, message: String)
    /// The password file exists but may not be used (readable by others, not a regular file,
    /// unreadable).
    case passwordFile(path: String, message: String)
    /// The connection service file (``ServiceFile``) may not be used, lacks the service named,
    /// or has a malformed line.
    case serviceFile(path: String, message: String)
    /// The root certificate named for checking the server's certificate (`sslrootcert`) cannot
    /// be read, or a mode that checks it has none.
    case certificate(path: String, message: String)
    /// The server could not be reached, refused the login, or the connection broke.
    case connect(url: String, message: String)
    /// The server refused a statement: its SQLSTATE (`23P01` exclusion violation, `40001`
    /// serialization failure, …), message, detail and the constraint it names, if any.
    case server(sqlState: String, message: String, detail: String?, constraint: String?)
    /// The database's schema is newer than this program knows: an older program must not
    /// write into it.
    case newerSchema(found: Int, supported: Int)
    /// The database has no Frontdesk schema yet, or an older one: `frontdesk migrate-schema`.
    case schemaBehind(found: Int, required: Int)
    /// A stored document (a `doc` column) cannot be read back as the object its table holds.
    case damagedDocument(message: String)
    /// A write was retried as often as allowed and the database still reported a
    /// serialization failure or a deadlock (`sqlState`).
    case retriesExhausted(attempts: Int, sqlState: String)
    /// The `schema_version` table holds something this program did not write.
    case damagedSchemaVersion(message: String)
}
