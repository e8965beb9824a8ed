/// A bordered panel drawn with Unicode box characters (never ACS, which some terminals and
/// tmux captures show as `lqqk`).
struct Box {
    var row: Int
    var col: Int
    var height: Int
    var width: Int

    /// A box centred in a screen, no larger than the screen.
    static func centred(in grid: CellGrid, height: Int, width: Int) -> Box {
        let h = min(height, grid.rows), w = min(width, grid.cols)
        return Box(row: max(0, (grid.rows - h) / 2), col: max(0, (grid.cols - w) / 2), height: h, width: w)
    }

    /// Columns available inside the border (one space of padding each side).
    var innerWidth: Int { max(0, width - 4) }

    /// Clears the box and draws its border and title.
    func draw(into grid: inout CellGrid, title: String, role: StyleRole = .dialog) {
        guard height >= 2, width >= 2 else { return }
        grid.fill(row: row, col: col, height: height, width: width, role: role)
        grid.put("┌" + String(repeating: "─", count: width - 2) + "┐", row: row, col: col, role: role)
        for r in row + 1..<row + height - 1 {
            grid.put("│", row: r, col: col, role: role)
            grid.put("│", row: r, col: col + width - 1, role: role)
        }
        grid.put("└" + String(repeating: "─", count: width - 2) + "┘", row: row + height - 1, col: col, role: role)
        if !title.isEmpty { grid.put(" \(title) ", row: row, col: col + 2, maxWidth: width - 4, role: .dialogTitle) }
    }

    /// Writes line `i` (0 = first inside line) of the box's content, shortened at a word
    /// boundary with "…" when it is too wide (never "no-sho").
    func line(_ i: Int, _ text: String, into grid: inout CellGrid, role: StyleRole = .dialog) {
        guard i >= 0, i < height - 2 else { return }
        grid.putPadded(Format.fit(text, width: innerWidth), row: row + 1 + i, col: col + 2, width: innerWidth, role: role)
    }

    /// Lines of content that fit.
    var capacity: Int { max(0, height - 2) }

    /// The box of a full-screen page (the booking detail, a history, a customer record):
    /// below the header, above the status bar, two columns in from each side.
    static func page(in grid: CellGrid) -> Box {
        Box(row: 1, col: 2, height: max(3, grid.rows - 3), width: max(10, grid.cols - 4))
    }

    /// Draws a page of `lines` from line `scroll` on, under `title`, with `hint` on the last line.
    func drawScrolling(_ lines: [String], from scroll: Int, title: String, hint: String, into grid: inout CellGrid) {
        draw(into: &grid, title: title)
        for i in 0..<max(0, capacity - 1) {
            let k = scroll + i
            guard k < lines.count else { break }
            line(i, lines[k], into: &grid)
        }
        line(capacity - 1, hint, into: &grid, role: .dim)
    }
}
