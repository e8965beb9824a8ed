import FrontdeskCLI
import FrontdeskPostgres
#if canImport(Glibc)
import Glibc
#endif

// The `frontdesk` command line with the PostgreSQL client: `frontdesk init|migrate-schema
// --data postgresql://…` exec this binary with their own arguments.
signal(SIGXFSZ, SIG_IGN)
// A server that closes the connection must not kill the command.
signal(SIGPIPE, SIG_IGN)
FrontdeskMain.databaseSchema = { url, action in try SchemaCommand.run(url: url, action: action) }
FrontdeskMain.openDatabase = { url, engine in try StorageOpener.connect(url: url, engine: engine) }
FrontdeskMain.openMigrationDatabase = { url, engine in try MigrationStore(url: url, engine: engine) }
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
