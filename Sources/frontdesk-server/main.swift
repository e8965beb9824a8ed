import FrontdeskCLI
import FrontdeskServer
#if canImport(Glibc)
import Glibc
#endif

// The `frontdesk` command line with the HTTP API: `frontdesk server` execs this binary with its
// own arguments, so only the server loads SwiftNIO and Hummingbird.
signal(SIGXFSZ, SIG_IGN)
// A client that closes its connection mid-answer must not kill the server.
signal(SIGPIPE, SIG_IGN)
FrontdeskMain.serverRunner = { launch in try APIServer.run(launch) }
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
