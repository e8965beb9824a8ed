import FrontdeskCLI
import Foundation

exit(FrontdeskMain.run(Array(CommandLine.arguments.dropFirst())))
