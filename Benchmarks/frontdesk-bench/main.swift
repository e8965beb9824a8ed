// frontdesk-bench: prints figures for the core's hot paths. Never run as a timed test.
//
//   frontdesk-bench <subcommand> [options]
//
// Each subcommand lives in its own file and returns a process exit code.
import Foundation

let subcommands: [(name: String, summary: String, run: ([String]) -> Int32)] = [
    ("conflict-index", conflictIndexSummary, conflictIndexBenchmark),
    ("tui-redraw", tuiRedrawSummary, tuiRedrawBenchmark),
    ("tui-keypress", tuiKeypressSummary, tuiKeypressBenchmark),
    ("tui-search", tuiSearchSummary, tuiSearchBenchmark),
    ("tui-typing", tuiTypingSummary, tuiTypingBenchmark),
    ("zone-offset", zoneOffsetSummary, zoneOffsetBenchmark),
]

@MainActor func usage() -> String {
    var text = "usage: frontdesk-bench <subcommand> [options]\n\nsubcommands:\n"
    for s in subcommands { text += "  \(s.name)  \(s.summary)\n" }
    return text
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "-h", "--help", "help":
    print(usage(), terminator: "")
case let name? where subcommands.contains { $0.name == name }:
    exit(subcommands.first { $0.name == name }!.run(Array(arguments.dropFirst())))
case let other:
    if let other { printError("frontdesk-bench: unknown subcommand '\(other)'") }
    printError(usage())
    exit(64)  // EX_USAGE
}
