import FrontdeskCLI
import FrontdeskTestHost
import FrontdeskWebhookHTTP
import Foundation

// `frontdesk-deliver` for tests: what `frontdesk-testhost deliver` re-executes, with the seams
// of `TestHostSeams` read from the environment. Not a product; never installed.
signal(SIGXFSZ, SIG_IGN)
FrontdeskMain.webhookTransport = { URLSessionTransport() }
exit(TestHostSeams.run(Array(CommandLine.arguments.dropFirst())))
