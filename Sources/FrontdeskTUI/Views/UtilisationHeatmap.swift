/// Utilisation per resource and weekday-hour as a grid of shades drawn into a ``CellGrid``:
/// one row per resource, one column per hour (or per few hours when narrow), grouped by day.
///
/// Each cell is one of five shading characters, ` ░▒▓█`, so it reads without colour; the
/// legend under the grid says what each stands for. Hours when the resource is closed show `·`.
struct UtilisationHeatmap {
    /// One resource's row: per weekday (Monday first) and hour of day, booked time per mille of
    /// open time; nil where the resource is not open at all.
    struct Row: Equatable {
        var label: String
        var cells: [[Int?]]

        /// A row of seven days × 24 hours, all closed.
        init(label: String) { self.label = label; cells = Array(repeating: Array(repeating: nil, count: 24), count: 7) }
        init(label: String, cells: [[Int?]]) { self.label = label; self.cells = cells }
    }

    var rows: [Row]
    /// The hours of the day shown (e.g. 8..<20): the span where any row has open time.
    var hours: Range<Int>
    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// The shading levels, lowest first.
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]
    /// What the screen shows where a resource is closed.
    static let closed: Character = "·"

    init(rows: [Row], hours: Range<Int>? = nil) {
        self.rows = rows
        self.hours = hours ?? Self.openSpan(rows)
    }

    /// The hours where any row is open, or 9..<17 when none is.
    static func openSpan(_ rows: [Row]) -> Range<Int> {
        var lo = 24, hi = 0
        for r in rows { for day in r.cells { for (h, v) in day.enumerated() where v != nil { lo = min(lo, h); hi = max(hi, h + 1) } } }
        return lo < hi ? lo..<hi : 9..<17
    }

    /// The level of a per-mille value: 0 for none, then a level per quarter (1-250 is 1,
    /// 251-500 is 2, 501-750 is 3, above 750 is 4).
    static func level(_ permille: Int) -> Int {
        guard permille > 0 else { return 0 }
        return min(4, (permille - 1) / 250 + 1)
    }

    /// The character for a cell.
    static func glyph(_ permille: Int?) -> Character {
        guard let permille else { return closed }
        return shades[level(permille)]
    }

    /// The legend line: each glyph and its meaning, the blank level named in words.
    static let legend = "Legend: · closed  [ ] 0%  ░ to 25%  ▒ to 50%  ▓ to 75%  █ over 75%"

    /// Hours per column so the seven days fit in `width` cells beside a label column.
    func hoursPerColumn(width: Int, labelWidth: Int) -> Int {
        let n = max(1, hours.count)
        for step in [1, 2, 3, 4, 6, 8, 12, 24] {
            let perDay = (n + step - 1) / step
            if labelWidth + 1 + 7 * (perDay + 1) <= width { return step }
        }
        return 24
    }

    /// The mean of the open hours in `hs` (nil when every one is closed).
    static func merge(_ day: [Int?], _ hs: Range<Int>) -> Int? {
        let open = hs.compactMap { $0 < day.count ? day[$0] : nil }
        guard !open.isEmpty else { return nil }
        return open.reduce(0, +) / open.count
    }

    /// Lines as drawn: the day header, one line per resource, a blank and the legend; without
    /// styling (for tests and narrow layouts).
    ///
    /// - Complexity: O(rows × 7 × hours).
    func lines(width: Int) -> [String] {
        let labelW = min(rows.map { DisplayWidth.of($0.label) }.max() ?? 0, max(4, width / 4))
        let step = hoursPerColumn(width: width, labelWidth: labelW)
        let buckets = stride(from: hours.lowerBound, to: hours.upperBound, by: step).map { $0..<min(hours.upperBound, $0 + step) }
        let perDay = buckets.count
        var header = String(repeating: " ", count: labelW + 1)
        for d in Self.weekdays { header += String(d.prefix(perDay)).padding(toColumns: perDay) + " " }
        var out = [header]
        for r in rows {
            var line = Format.fit(r.label, width: labelW).padding(toColumns: labelW) + " "
            for day in 0..<7 {
                let cells = day < r.cells.count ? r.cells[day] : []
                for b in buckets { line.append(Self.glyph(Self.merge(cells, b))) }
                line += " "
            }
            out.append(line)
        }
        let span = "\(Format.two(hours.lowerBound)):00–\(Format.two(hours.upperBound)):00"
        out.append(Self.legend)
        out.append("Each day \(span), one column per \(step == 1 ? "hour" : "\(step) hours")")
        return out
    }

    /// Draws at (`top`, `left`) within `width` × `height` cells: the lines of ``lines(width:)``,
    /// rows past the height cut with a count of those not shown.
    func draw(into grid: inout CellGrid, top: Int, left: Int, width: Int, height: Int) {
        let all = lines(width: width)
        guard height > 0 else { return }
        let body = Array(all.dropFirst().dropLast(2))
        let room = max(0, height - 3)
        grid.put(all[0], row: top, col: left, maxWidth: width, role: .columnHeader)
        let shown = body.count > room ? max(0, room - 1) : body.count
        for i in 0..<shown { grid.put(body[i], row: top + 1 + i, col: left, maxWidth: width, role: .grid) }
        var row = top + 1 + shown
        if shown < body.count { grid.put("… \(body.count - shown) more resources", row: row, col: left, maxWidth: width, role: .dim); row += 1 }
        for l in all.suffix(2) { grid.put(l, row: row, col: left, maxWidth: width, role: .dim); row += 1 }
    }
}

extension String {
    /// The text padded with spaces to `columns` terminal columns.
    fileprivate func padding(toColumns columns: Int) -> String { Format.padded(self, toColumns: columns) }
}
