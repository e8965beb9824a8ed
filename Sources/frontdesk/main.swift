import FrontdeskCLI
#if canImport(Glibc)
import Glibc
#endif

// A write past `ulimit -f` then fails with EFBIG and is reported (exit 74) instead of the
// kernel killing the process mid-write with no message.
signal(SIGXFSZ, SIG_IGN)
exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
