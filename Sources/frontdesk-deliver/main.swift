import FrontdeskCLI
import FrontdeskWebhookHTTP
import Foundation

// The `frontdesk` command line with webhook sending: `frontdesk deliver` execs this binary with
// its own arguments, so only the deliverer pays for loading FoundationNetworking.
// SIGXFSZ ignored: a write past `ulimit -f` fails with EFBIG and is reported (exit 74).
signal(SIGXFSZ, SIG_IGN)
FrontdeskMain.webhookTransport = { URLSessionTransport() }
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
