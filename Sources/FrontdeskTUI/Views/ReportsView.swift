import FrontdeskCore

/// The Reports view: which report is shown among those the account may read, the week, the
/// report's bars and totals, and for utilisation the resource × weekday-hour heatmap.
struct ReportsView {
    let figures: ReportFigures
    /// The reports offered (takings only to roles that may read them).
    let kinds: [ReportKind]
    /// Key hints: `h/l report · { } week`.
    let hint: String

    /// Draws from row `top` over `height` rows.
    func draw(into grid: inout CellGrid, top: Int, height: Int) {
        let tabs = kinds.map { $0 == figures.kind ? "[\($0.title)]" : $0.title }.joined(separator: " ")
        // The key hints go after the tabs, or, where the tabs leave no room (80 columns), after
        // the period, so they are never cut.
        let full = " Reports: \(tabs) · \(hint)"
        let hintAfterTabs = DisplayWidth.of(full) <= grid.cols
        grid.putPadded(hintAfterTabs ? full : " Reports: \(tabs)", row: top, col: 0, width: grid.cols, role: .columnHeader)
        let period = "\(Format.day(figures.from)) to \(Format.day(figures.to))"
        grid.put(" \(figures.kind.title) · \(period)" + (hintAfterTabs ? "" : " · \(hint)"), row: top + 1, col: 0, role: .header)
        var row = top + 3
        let bottom = top + height
        let width = grid.cols - 2
        guard !figures.bars.isEmpty else {
            grid.put("  " + figures.emptyText, row: row, col: 0, role: .dim)
            return
        }
        // With a heatmap the bars take at most half of what is left.
        let room = bottom - row - 2
        let barRows = figures.heatmap == nil ? room : min(figures.bars.count, max(3, room / 2))
        let chart = BarChart(bars: figures.bars, maximum: figures.maximum)
        chart.draw(into: &grid, top: row, left: 1, width: width, height: max(1, barRows))
        row += min(figures.bars.count, max(1, barRows))
        // Totals too long for one line go on at their " · " parts, never cut mid-figure.
        if !figures.totals.isEmpty {
            var line = ""
            for part in figures.totals.split(separator: " · ", omittingEmptySubsequences: false).map(String.init) {
                let next = line.isEmpty ? " " + part : line + " · " + part
                if DisplayWidth.of(next) > grid.cols, !line.isEmpty, row < bottom {
                    grid.put(line, row: row, col: 0, maxWidth: grid.cols, role: .header)
                    row += 1
                    line = "   " + part
                } else {
                    line = next
                }
            }
            if row < bottom { grid.put(line, row: row, col: 0, maxWidth: grid.cols, role: .header); row += 1 }
        }
        if let map = figures.heatmap, bottom - row > 4 {
            row += 1
            map.draw(into: &grid, top: row, left: 1, width: width, height: bottom - row)
        }
    }
}
