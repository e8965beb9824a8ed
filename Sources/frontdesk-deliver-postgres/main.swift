import FrontdeskCLI
import FrontdeskPostgres
import FrontdeskWebhookHTTP
import Foundation

// The `frontdesk` command line with both the PostgreSQL client and webhook sending:
// `frontdesk deliver --data postgresql://…` execs this binary with its own arguments, so
// neither `frontdesk-deliver` nor `frontdesk-postgres` loads what only this one needs.
signal(SIGXFSZ, SIG_IGN)
// A server that closes the connection must not kill the deliverer.
signal(SIGPIPE, SIG_IGN)
FrontdeskMain.webhookTransport = { URLSessionTransport() }
FrontdeskMain.openDatabase = { url, engine in try OutboxOpener.connect(url: url, engine: engine) }
FrontdeskMain.openOutbox = { storage in try OutboxOpener.open(storage) }
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
