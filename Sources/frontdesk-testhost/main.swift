import FrontdeskCLI
import FrontdeskTestHost
#if canImport(Glibc)
import Glibc
#endif

// `frontdesk` for tests and benchmark scripts: the same command line, plus the seams of
// `TestHostSeams` read from the environment. Not a product; never installed.
signal(SIGXFSZ, SIG_IGN)
exit(TestHostSeams.run(Array(CommandLine.arguments.dropFirst())))
