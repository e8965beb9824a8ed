import FrontdeskTUI

let tuiKeypressSummary = "keypress to updated frame on the 40-resource × 48-slot grid with 10,000 bookings (target ≤ 16 ms)"

/// `frontdesk-bench tui-keypress [--iterations N]`.
func tuiKeypressBenchmark(_ args: [String]) -> Int32 {
    var iterations = 200
    if let i = args.firstIndex(of: "--iterations"), i + 1 < args.count, let n = Int(args[i + 1]), n > 0 { iterations = n }
    let report = benchmarkKeypress(iterations: iterations)
    print(report)
    return report.contains("did not") || report.contains("failed") ? 1 : 0
}
