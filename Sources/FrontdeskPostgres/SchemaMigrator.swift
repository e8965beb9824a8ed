import PostgresNIO

/// Applies and checks ``SchemaMigration``s on a database, recording each in `schema_version`.
///
/// Every step runs in one transaction under a transaction-scoped advisory lock, so two
/// migrators started at once apply each step once, and a step that fails leaves no part of
/// itself behind. A database whose schema is newer than ``SchemaMigration/latestVersion`` is
/// refused before anything is written.
public struct SchemaMigrator {
    /// What ``migrate()`` did.
    public struct Outcome: Equatable, Sendable {
        /// The version before.
        public var from: Int
        /// The version after.
        public var to: Int

        public init(from: Int, to: Int) { self.from = from; self.to = to }
    }

    /// The advisory lock key all migrators take ("FDSCHEMA" as a number).
    static let lockKey: Int64 = 0x4644_5343_4845_4D41
    private let session: PostgresSession
    private let migrations: [SchemaMigration]

    /// A migrator of `session`'s database to `migrations` (the program's own by default).
    public init(session: PostgresSession, migrations: [SchemaMigration] = SchemaMigration.all) {
        self.session = session
        self.migrations = migrations
    }

    /// The newest version `migrations` reach.
    var latest: Int { migrations.last?.version ?? 0 }

    /// The database's schema version: 0 when it has no `schema_version` table.
    ///
    /// - Throws: ``PostgresStoreError/damagedSchemaVersion(message:)`` for versions that are
    ///   not 1…n without gaps; a server error.
    public func currentVersion() throws(PostgresStoreError) -> Int {
        let exists = try session.execute("SELECT to_regclass('schema_version') IS NOT NULL")
        guard let row = exists.first, (try? row.decode(Bool.self)) == true else { return 0 }
        let rows = try session.execute("SELECT count(*)::bigint, coalesce(max(version), 0)::bigint, coalesce(min(version), 1)::bigint FROM schema_version")
        guard let r = rows.first, let read = try? r.decode((Int64, Int64, Int64).self) else {
            throw .damagedSchemaVersion(message: "cannot be read")
        }
        let (count, highest, lowest) = read
        guard lowest == 1 || count == 0, count == highest else {
            throw .damagedSchemaVersion(message: "versions are not 1 to \(highest) without gaps (\(count) rows)")
        }
        return Int(highest)
    }

    /// Refuses unless the schema is exactly the newest this program knows.
    ///
    /// - Throws: ``PostgresStoreError/newerSchema(found:supported:)``,
    ///   ``PostgresStoreError/schemaBehind(found:required:)``.
    public func check() throws(PostgresStoreError) {
        let v = try currentVersion()
        if v > latest { throw .newerSchema(found: v, supported: latest) }
        if v < latest { throw .schemaBehind(found: v, required: latest) }
    }

    /// Applies every migration the database lacks, each in its own transaction.
    ///
    /// - Throws: ``PostgresStoreError/newerSchema(found:supported:)`` before writing anything
    ///   when the database is ahead; the server's refusal of a statement (that step is rolled
    ///   back, earlier steps stay).
    @discardableResult
    public func migrate() throws(PostgresStoreError) -> Outcome {
        let before = try currentVersion()
        if before > latest { throw .newerSchema(found: before, supported: latest) }
        var version = before
        for step in migrations {
            let applied = try session.transaction { () throws(PostgresStoreError) -> Bool in
                try session.query("SELECT pg_advisory_xact_lock(\(SchemaMigrator.lockKey))")
                try session.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version integer PRIMARY KEY CHECK (version >= 1),
                        summary text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
                // Read again under the lock: another migrator may have applied it meanwhile.
                let now = try currentVersion()
                if now > latest { throw .newerSchema(found: now, supported: latest) }
                guard now < step.version else { return false }
                guard now == step.version - 1 else {
                    throw .damagedSchemaVersion(message: "at version \(now), the next step is \(step.version)")
                }
                for statement in step.statements { try session.execute(statement) }
                try session.query("INSERT INTO schema_version (version, summary) VALUES (\(step.version), \(step.summary))")
                return true
            }
            if applied { version = step.version }
        }
        let after = try currentVersion()
        return Outcome(from: before, to: max(version, after))
    }
}
