/// One screen position: a grapheme, how many columns it covers, and its style role.
///
/// A wide character occupies its own cell (width 2) and the next one, which holds a
/// continuation cell (width 0) that backends skip.
struct Cell: Hashable, Sendable {
    var character: Character
    /// 1 for most text, 2 for a wide character, 0 for the right half of a wide character.
    var width: UInt8
    var role: StyleRole

    static let blank = Cell(character: " ", width: 1, role: .grid)
    static func continuation(_ role: StyleRole) -> Cell { Cell(character: " ", width: 0, role: role) }
}

/// The whole screen as rows × columns of cells, drawn by views and handed to a backend.
///
/// Every text write goes through `put`, which sanitises it (`TextSanitizer`) and clips it by
/// display width, so nothing a user typed can escape its box or move the terminal's cursor.
struct CellGrid: Sendable {
    let rows: Int
    let cols: Int
    private(set) var cells: [Cell]

    init(rows: Int, cols: Int) {
        self.rows = max(0, rows); self.cols = max(0, cols)
        cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    subscript(row: Int, col: Int) -> Cell {
        get { cells[row * cols + col] }
    }

    /// Fills a rectangle with one character and role (clipped to the grid).
    mutating func fill(row: Int, col: Int, height: Int = 1, width: Int, character: Character = " ", role: StyleRole) {
        let r0 = max(0, row), r1 = min(rows, row + height)
        let c0 = max(0, col), c1 = min(cols, col + width)
        guard r0 < r1, c0 < c1 else { return }
        // Only single-column characters can tile a rectangle.
        let cell = Cell(character: DisplayWidth.of(character) == 1 ? character : " ", width: 1, role: role)
        for r in r0..<r1 {
            fixWideEdges(row: r, from: c0, to: c1)
            let base = r * cols
            for c in c0..<c1 { cells[base + c] = cell }
        }
    }

    /// Writes text at (row, col), sanitised and clipped to `maxWidth` columns (and the grid's
    /// edge); a wide character that would straddle the limit becomes a space. Returns the
    /// number of columns written.
    @discardableResult
    mutating func put(_ text: String, row: Int, col: Int, maxWidth: Int? = nil, role: StyleRole) -> Int {
        guard row >= 0, row < rows, col < cols else { return 0 }
        let limit = min(cols, col + (maxWidth ?? cols))
        guard col < limit else { return 0 }
        let safe = TextSanitizer.clean(text)
        var c = col
        let base = row * cols
        for ch in safe {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if c + w > limit {
                while c < limit { setCell(base, c, Cell(character: " ", width: 1, role: role)); c += 1 }
                break
            }
            if c >= 0 {
                setCell(base, c, Cell(character: ch, width: UInt8(w), role: role))
                if w == 2 { setCell(base, c + 1, .continuation(role)) }
            }
            c += w
            if c >= limit { break }
        }
        return max(0, c - col)
    }

    /// Writes text padded with spaces (or clipped) to exactly `width` columns.
    mutating func putPadded(_ text: String, row: Int, col: Int, width: Int, role: StyleRole) {
        guard width > 0 else { return }
        let used = put(text, row: row, col: col, maxWidth: width, role: role)
        if used < width { fill(row: row, col: col + used, width: width - used, role: role) }
    }

    /// Sets one cell to a trusted single-column glyph (borders, shading): no sanitising needed.
    mutating func glyph(_ ch: Character, row: Int, col: Int, role: StyleRole) {
        guard row >= 0, row < rows, col >= 0, col < cols else { return }
        fixWideEdges(row: row, from: col, to: col + 1)
        cells[row * cols + col] = Cell(character: ch, width: 1, role: role)
    }

    /// Changes the role of cells without touching their text (cursor, selection, now-line).
    mutating func restyle(row: Int, col: Int, width: Int, role: StyleRole) {
        guard row >= 0, row < rows else { return }
        for c in max(0, col)..<min(cols, col + width) { cells[row * cols + c].role = role }
    }

    private mutating func setCell(_ base: Int, _ c: Int, _ cell: Cell) {
        guard c >= 0, c < cols else { return }
        fixWideEdges(row: base / max(cols, 1), from: c, to: c + 1)
        cells[base + c] = cell
    }

    /// Before overwriting [from, to), blanks the other half of any wide character cut in two.
    private mutating func fixWideEdges(row: Int, from: Int, to: Int) {
        let base = row * cols
        if from > 0, from < cols, cells[base + from].width == 0, cells[base + from - 1].width == 2 {
            cells[base + from - 1] = Cell(character: " ", width: 1, role: cells[base + from - 1].role)
        }
        let last = to - 1
        if last >= 0, last + 1 < cols, cells[base + last].width == 2 {
            cells[base + last + 1] = Cell(character: " ", width: 1, role: cells[base + last + 1].role)
        }
    }

    /// The text of one row (wide characters once, continuation cells skipped), trailing
    /// spaces removed.
    func text(row: Int) -> String {
        var s = ""
        for c in 0..<cols {
            let cell = cells[row * cols + c]
            if cell.width > 0 { s.append(cell.character) }
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Every row's text: what a person would read on the screen.
    var lines: [String] { (0..<rows).map(text(row:)) }

    /// The role at a position (tests check colours through roles).
    func role(row: Int, col: Int) -> StyleRole { cells[row * cols + col].role }
}
