// Runs the booking screen over seeded in-memory data, for smoke checks under tmux:
//   frontdesk-tui-demo [--date YYYY-MM-DD] [--now ISO8601] [--theme NAME] [--themes DIR] [--keys FILE]
// With --now the clock is fixed, so screens are reproducible.
import Foundation
import FrontdeskCore
import FrontdeskTUI

let args = Array(CommandLine.arguments.dropFirst())
func value(_ flag: String, in args: [String] = args) -> String? {
    guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
    return args[i + 1]
}
if args.first == "--bench-redraw" {
    // A stand-in until frontdesk-bench calls benchmarkDayGridRedraw() itself.
    print(benchmarkDayGridRedraw())
    exit(0)
}
let now = value("--now").flatMap { Instant(iso8601: $0) } ?? Instant(seconds: Int64(Date().timeIntervalSince1970))
let date = value("--date").flatMap { LocalDate($0) }
do {
    let connection = try DemoData.connection(now: now, user: ProcessInfo.processInfo.environment["USER"] ?? "desk", day: date)
    var options = TUIOptions(date: date, theme: value("--theme") ?? "default", themesDirectory: value("--themes") ?? "themes",
                             keysFile: value("--keys"))
    if value("--now") != nil {
        // Tick the fixed clock along with real time so the screen still updates.
        let start = Date()
        options.clock = Ticking(base: now, start: start)
    }
    exit(runFrontdeskTUI(connection: connection, options: options))
} catch {
    FileHandle.standardError.write(Data("frontdesk-tui-demo: \(error)\n".utf8))
    exit(1)
}

/// A clock that starts at --now and runs at real speed.
final class Ticking: Clock, @unchecked Sendable {
    let base: Instant; let start: Date
    init(base: Instant, start: Date) { self.base = base; self.start = start }
    func now() -> Instant { base + FrontdeskCore.Duration(seconds: Int64(Date().timeIntervalSince(start))) }
}
