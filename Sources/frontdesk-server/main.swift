import FrontdeskCLI
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskServer
#if canImport(Glibc)
import Glibc
#endif

// The `frontdesk` command line with the HTTP API: `frontdesk server` execs this binary with its
// own arguments, so only the server loads SwiftNIO and Hummingbird. It links the PostgreSQL
// client too (`--data postgresql://…`): SwiftNIO is loaded here anyway, and a third binary
// would only repeat the command line.
signal(SIGXFSZ, SIG_IGN)
// A client that closes its connection mid-answer must not kill the server.
signal(SIGPIPE, SIG_IGN)
FrontdeskMain.serverRunner = { launch in try APIServer.run(launch) }
// `server --data postgresql://…` checks the account's role through the command line's hook.
FrontdeskMain.openDatabase = { url, engine in
    do throws(PostgresStoreError) {
        return try PostgresBookingStorage.connect(url, engine: engine)
    } catch {
        if case .invalidURL = error { throw DatabaseSchema.Failure(isUsage: true, message: error.description) }
        throw DatabaseSchema.Failure(isUsage: false, message: error.description)
    }
}
APIServer.openDatabase = { url, engine in try PostgresBookingStorage.connect(url, engine: engine) }
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
