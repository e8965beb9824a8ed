import FrontdeskTUI

let tuiRedrawSummary = "full redraw of a 40-resource × 48-slot day grid with 10,000 bookings (target ≤ 2 ms/frame)"

/// `frontdesk-bench tui-redraw [--iterations N]`.
func tuiRedrawBenchmark(_ args: [String]) -> Int32 {
    var iterations = 300
    if let i = args.firstIndex(of: "--iterations"), i + 1 < args.count, let n = Int(args[i + 1]), n > 0 { iterations = n }
    print(benchmarkDayGridRedraw(iterations: iterations))
    return 0
}
