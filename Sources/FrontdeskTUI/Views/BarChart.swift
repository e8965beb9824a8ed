/// Labelled horizontal bars drawn into a ``CellGrid``: a label column, a bar of block
/// characters and the value as text, one bar a row.
///
/// Readable without colour: the bar's length is in the characters (`█` for whole cells, `▏`…`▉`
/// for the last eighth-cells) and the number is always printed beside it.
struct BarChart {
    /// One bar: what it is, its length in units of ``BarChart/maximum``, and the text shown.
    struct Bar: Equatable {
        var label: String
        var value: Int64
        var valueText: String
    }

    var bars: [Bar]
    /// The value of a full-width bar; nil: the largest value (or 1 when every value is 0).
    var maximum: Int64?

    /// Eighths of a cell, from one eighth to a whole one.
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// The bar of `value` out of `maximum` in `width` cells, rounded to eighths of a cell.
    /// A value above zero shows at least one eighth, so a small value is never taken for none.
    static func bar(_ value: Int64, of maximum: Int64, width: Int) -> String {
        guard width > 0, maximum > 0, value > 0 else { return "" }
        let capped = min(value, maximum)
        // In eighths; integer arithmetic, rounded to nearest, at least one.
        let total = max(1, Int((capped * Int64(width) * 8 * 2 + maximum) / (maximum * 2)))
        var s = String(repeating: "█", count: total / 8)
        if total % 8 > 0 { s.append(eighths[total % 8 - 1]) }
        return s
    }

    /// The label column's width: the widest label, at most a third of `width` (longer labels
    /// are cut with `…`).
    static func labelWidth(_ bars: [Bar], width: Int) -> Int {
        min(bars.map { DisplayWidth.of($0.label) }.max() ?? 0, max(4, width / 3))
    }

    /// Draws the bars at (`top`, `left`) within `width` × `height` cells. When there are more
    /// bars than rows, the last row says how many are not shown.
    ///
    /// - Complexity: O(bars shown × width).
    func draw(into grid: inout CellGrid, top: Int, left: Int, width: Int, height: Int, role: StyleRole = .grid) {
        guard width > 0, height > 0 else { return }
        let labelW = Self.labelWidth(bars, width: width)
        let valueW = bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let barW = max(1, width - labelW - valueW - 2)
        let top_ = maximum ?? max(1, bars.map(\.value).max() ?? 1)
        let shown = bars.count > height ? max(0, height - 1) : bars.count
        for (i, b) in bars.prefix(shown).enumerated() {
            let row = top + i
            grid.put(Format.fit(b.label, width: labelW), row: row, col: left, maxWidth: labelW, role: .dim)
            let bar = Self.bar(b.value, of: top_, width: barW)
            let used = grid.put(bar, row: row, col: left + labelW + 1, maxWidth: barW, role: role)
            // The number right after the bar, so eye and number meet.
            grid.put(b.valueText, row: row, col: left + labelW + 1 + used + (used > 0 ? 1 : 0), maxWidth: valueW + 1, role: role)
        }
        if shown < bars.count {
            grid.put("… \(bars.count - shown) more", row: top + shown, col: left, maxWidth: width, role: .dim)
        }
    }
}
