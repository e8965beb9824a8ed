import FrontdeskCLI
#if canImport(Glibc)
import Glibc
#endif

exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
