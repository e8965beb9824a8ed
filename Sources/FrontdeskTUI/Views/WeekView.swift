import FrontdeskCore

/// One resource over seven days (Monday first): the same cells as the day grid, one column
/// per day.
struct WeekView {
    /// One single-resource layout per day, sharing the same rows.
    let days: [DayLayout]
    let cursorDay: Int
    let cursorRow: Int
    let selection: ClosedRange<Int>?
    let now: Instant
    let firstRow: Int
    let today: LocalDate

    func draw(into grid: inout CellGrid, top: Int, height: Int) {
        guard let first = days.first else { return }
        let cw = max(8, (grid.cols - DayGridView.timeWidth) / 7)
        grid.fill(row: top, col: 0, width: grid.cols, role: .columnHeader)
        for (k, d) in days.enumerated() {
            let x = DayGridView.timeWidth + k * cw
            let title = " \(Format.weekday(d.date)) \(d.date.day)" + (d.date == today ? " •" : "")
            grid.putPadded(title, row: top, col: x, width: cw - 1, role: k == cursorDay ? .dialogTitle : .columnHeader)
            grid.put("│", row: top, col: x + cw - 1, role: .gridLine)
        }
        for screenRow in 0..<max(0, height - 1) {
            let r = firstRow + screenRow
            let y = top + 1 + screenRow
            guard r < first.rowCount else { continue }
            grid.putPadded(Format.clock(first.second(ofRow: r)), row: y, col: 0, width: DayGridView.timeWidth,
                           role: first.second(ofRow: r) % 3600 == 0 ? .timeLabel : .dim)
            for (k, d) in days.enumerated() {
                let x = DayGridView.timeWidth + k * cw
                let nowLine = d.range(row: r).contains(now)
                DayGridView.paint(d.cells[0][r], layout: d, row: y, col: x, width: cw - 1, into: &grid, nowLine: nowLine)
                grid.glyph("│", row: y, col: x + cw - 1, role: .gridLine)
                if k == cursorDay {
                    if let selection, selection.contains(r) { grid.restyle(row: y, col: x, width: cw - 1, role: .selection) }
                    if r == cursorRow { grid.restyle(row: y, col: x, width: cw - 1, role: .cursor) }
                }
            }
        }
    }
}
