import FrontdeskCLI
import FrontdeskPostgres

/// `init` and `migrate-schema` on a PostgreSQL store, as the command line's hook runs them.
enum SchemaCommand {
    /// Connects to `url`, migrates or checks, and says what it found; every failure becomes a
    /// ``DatabaseSchema/Failure`` (a bad URL is a usage error, the rest the database's).
    static func run(url: String, action: DatabaseSchema.Action) throws -> DatabaseSchema.Outcome {
        do {
            let session = try PostgresEnvironment.connect(url)
            defer { session.close() }
            let migrator = SchemaMigrator(session: session)
            switch action {
            case .migrate:
                let outcome = try migrator.migrate()
                return DatabaseSchema.Outcome(location: session.url.description, from: outcome.from, to: outcome.to)
            case .check:
                try migrator.check()
                let v = try migrator.currentVersion()
                return DatabaseSchema.Outcome(location: session.url.description, from: v, to: v)
            }
        } catch let e as PostgresStoreError {
            if case .invalidURL = e { throw DatabaseSchema.Failure(isUsage: true, message: e.description) }
            throw DatabaseSchema.Failure(isUsage: false, message: e.description)
        }
    }
}
