import ArgumentParser

/// `frontdesk migrate-schema --data postgresql://…`: brings a PostgreSQL store's schema to the
/// newest version this program knows (creating it in an empty database), or with `--check`
/// only says whether it is there. A schema newer than this program is refused.
///
/// Who may change the schema is the database's decision (the role in the URL needs to own the
/// database or have CREATE on it); there is no store role yet to check, as with `init`.
struct MigrateSchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-schema", abstract: "Create or upgrade the schema of a PostgreSQL store (--data postgresql://…).",
        discussion: """
        The URL is postgresql://[USER@][HOST][:PORT]/DATABASE, or postgresql:///DATABASE?host=/socket/dir for a \
        Unix socket; what it leaves out comes from PGUSER, PGHOST, PGPORT, PGDATABASE. A password in the URL is \
        refused: it comes from PGPASSWORD or ~/.pgpass (PGPASSFILE), which must be readable by you only. Exit 74 \
        when the database cannot be reached or its schema is newer than this frontdesk.
        """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Only check that the schema is the newest this frontdesk knows; change nothing.") var check = false

    func run() throws {
        guard let data = global.store, DatabaseSchema.isDatabaseURL(data) else {
            throw CLIError.usage("migrate-schema works on a PostgreSQL store: --data postgresql://USER@HOST/DATABASE")
        }
        try DatabaseSchema.run(check ? .check : .migrate, url: data, json: global.json, verb: "Migrated")
    }
}
