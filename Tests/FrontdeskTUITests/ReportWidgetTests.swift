import Testing
import FrontdeskCore
@testable import FrontdeskTUI

/// The Reports view's widgets drawn into a cell grid: bars of block characters with their
/// numbers, fitted to the width; the heatmap's shading levels, closed hours and legend.
@Suite struct ReportWidgetTests {
    static func draw(_ chart: BarChart, rows: Int = 6, cols: Int = 40) -> [String] {
        var g = CellGrid(rows: rows, cols: cols)
        chart.draw(into: &g, top: 0, left: 0, width: cols, height: rows)
        return g.lines
    }

    @Test func barsAreMadeOfWholeAndPartialBlocks() {
        #expect(BarChart.bar(0, of: 1000, width: 10) == "")
        #expect(BarChart.bar(1000, of: 1000, width: 10) == String(repeating: "█", count: 10))
        #expect(BarChart.bar(500, of: 1000, width: 10) == String(repeating: "█", count: 5))
        // 10 cells are 80 eighths: 1 per mille rounds to none, yet a value above zero shows one eighth.
        #expect(BarChart.bar(1, of: 1000, width: 10) == "▏")
        // 55% of 10 cells: five whole cells and a half.
        #expect(BarChart.bar(550, of: 1000, width: 10) == "█████▌")
        // Above the maximum: a full bar, never wider.
        #expect(BarChart.bar(1500, of: 1000, width: 10) == String(repeating: "█", count: 10))
    }

    @Test func eachBarHasItsLabelAndNumberAndStaysInsideTheWidth() {
        let chart = BarChart(bars: [.init(label: "Chair 1", value: 750, valueText: "75.0%"),
                                    .init(label: "Anna", value: 250, valueText: "25.0%"),
                                    .init(label: "Room", value: 0, valueText: "0.0%")], maximum: 1000)
        let lines = Self.draw(chart)
        #expect(lines[0].hasPrefix("Chair 1 ") && lines[0].hasSuffix(" 75.0%") && lines[0].contains("█"), "\(lines)")
        #expect(lines[1].hasPrefix("Anna") && lines[1].hasSuffix("25.0%"), "\(lines)")
        // Three times the value, three times the blocks (within an eighth).
        let long = lines[0].filter { $0 == "█" }.count, short = lines[1].filter { $0 == "█" }.count
        #expect(long >= 3 * short - 1 && long <= 3 * short + 1, "\(lines)")
        #expect(!lines[2].contains("█") && lines[2].hasSuffix("0.0%"))
        for l in lines { #expect(DisplayWidth.of(l) <= 40) }
    }

    @Test func aLongLabelIsCutAndTooManyBarsSayHowManyAreLeft() {
        let bars = (1...10).map { BarChart.Bar(label: "A very long resource name \($0)", value: Int64($0), valueText: "\($0)") }
        let lines = Self.draw(BarChart(bars: bars, maximum: nil), rows: 4, cols: 30)
        #expect(lines[0].hasPrefix("A ve") && lines[0].contains("…"), "\(lines)")
        #expect(lines[3] == "… 7 more", "\(lines)")
        for l in lines { #expect(DisplayWidth.of(l) <= 30, "\(l)") }
    }

    @Test func aWideLabelKeepsTheBarsAligned() {
        let chart = BarChart(bars: [.init(label: "李小龍", value: 10, valueText: "10"), .init(label: "Bob", value: 10, valueText: "10")], maximum: 10)
        var g = CellGrid(rows: 2, cols: 30)
        chart.draw(into: &g, top: 0, left: 0, width: 30, height: 2)
        // The bars start in the same column: the first block of each row.
        let starts = (0..<2).map { r in (0..<30).first { g.character(row: r, col: $0) == "█" } }
        #expect(starts[0] != nil && starts[0] == starts[1], "\(g.lines)")
    }

    static func week(_ f: (Int, Int) -> Int?) -> [[Int?]] { (0..<7).map { d in (0..<24).map { h in f(d, h) } } }

    @Test func heatmapLevelsAreDistinctCharactersWithALegend() {
        #expect(UtilisationHeatmap.level(0) == 0 && UtilisationHeatmap.level(1) == 1 && UtilisationHeatmap.level(250) == 1)
        #expect(UtilisationHeatmap.level(251) == 2 && UtilisationHeatmap.level(750) == 3 && UtilisationHeatmap.level(751) == 4)
        #expect(UtilisationHeatmap.level(1400) == 4)
        #expect(Set(UtilisationHeatmap.shades).count == 5 && !UtilisationHeatmap.shades.contains(UtilisationHeatmap.closed))
        // Monday 09-13: one hour of each level; closed at weekends and outside 09-17.
        let levels = [0, 200, 400, 600, 1000]
        let row = UtilisationHeatmap.Row(label: "Chair 1", cells: Self.week { d, h in
            guard d < 5, (9..<17).contains(h) else { return nil }
            return d == 0 && h < 14 ? levels[h - 9] : 0
        })
        let map = UtilisationHeatmap(rows: [row])
        #expect(map.hours == 9..<17)
        let lines = map.lines(width: 100)
        #expect(lines[0].contains("Mon") && lines[0].contains("Sun"), "\(lines)")
        // Label, a space, then Monday's eight hours.
        #expect(lines[1].hasPrefix("Chair 1  ░▒▓█   "), "\(lines[1])")
        #expect(lines[1].contains("········"), "closed days show as dots: \(lines[1])")
        #expect(lines.contains { $0.contains("· closed") && $0.contains("░ to 25%") && $0.contains("█ over 75%") })
        #expect(lines.last == "Each day 09:00–17:00, one column per hour")
    }

    @Test func aNarrowHeatmapMergesHoursAndFits() {
        let rows = (1...3).map { i in UtilisationHeatmap.Row(label: "Resource \(i)", cells: Self.week { _, h in (7..<21).contains(h) ? 600 : nil }) }
        let map = UtilisationHeatmap(rows: rows)
        let wide = map.lines(width: 130), narrow = map.lines(width: 60)
        #expect(wide.last == "Each day 07:00–21:00, one column per hour")
        #expect(narrow.last?.hasSuffix("one column per 3 hours") == true, "\(narrow)")
        for l in narrow.dropLast(2) { #expect(DisplayWidth.of(l) <= 60, "\(l)") }
        #expect(narrow[1].contains("▓▓▓▓▓"), "merged hours keep their level: \(narrow[1])")
    }

    @Test func theHeatmapSaysHowManyResourcesItCouldNotShow() {
        let rows = (1...20).map { i in UtilisationHeatmap.Row(label: "R\(i)", cells: Self.week { _, h in (9..<17).contains(h) ? 100 : nil }) }
        var g = CellGrid(rows: 10, cols: 80)
        UtilisationHeatmap(rows: rows).draw(into: &g, top: 0, left: 0, width: 80, height: 10)
        #expect(g.lines.contains("… 14 more resources"), "\(g.lines)")
        #expect(g.lines.last?.hasPrefix("Each day") == true)
    }

    @Test func theReportsViewShowsTheChosenReportTheWeekAndItsFigures() {
        let map = UtilisationHeatmap(rows: [.init(label: "Chair 1", cells: Self.week { _, h in (9..<17).contains(h) ? 500 : nil })])
        let figures = ReportFigures(kind: .utilisation, from: LocalDate("2027-03-01")!, to: LocalDate("2027-03-07")!,
                                    bars: [.init(label: "Chair 1", value: 500, valueText: "50.0%")], maximum: 1000,
                                    totals: "All resources: 50.0%", heatmap: map)
        var g = CellGrid(rows: 24, cols: 100)
        ReportsView(figures: figures, kinds: [.utilisation, .noShows, .cancellations, .services], hint: "h/l report").draw(into: &g, top: 1, height: 22)
        let screen = g.lines.joined(separator: "\n")
        #expect(g.lines[1].contains("[Utilisation] No-shows Cancellations Services") && !g.lines[1].contains("Takings"), "\(screen)")
        #expect(g.lines[2].contains("Utilisation · Mon 2027-03-01 to Sun 2027-03-07"), "\(screen)")
        #expect(g.lines[4].contains("Chair 1") && g.lines[4].contains("50.0%") && g.lines[4].contains("█"), "\(screen)")
        #expect(screen.contains("All resources: 50.0%") && screen.contains("Legend: · closed"), "\(screen)")
        let empty = ReportFigures(kind: .noShows, from: LocalDate("2027-03-01")!, to: LocalDate("2027-03-07")!, emptyText: "No bookings this week.")
        var e = CellGrid(rows: 10, cols: 80)
        ReportsView(figures: empty, kinds: ReportKind.allCases, hint: "").draw(into: &e, top: 1, height: 8)
        #expect(e.lines[1].contains("[No-shows]") && e.lines.contains { $0.contains("No bookings this week.") }, "\(e.lines)")
    }
}
