/// One screen position: a grapheme, how many columns it covers, and its style role.
///
/// A wide character occupies its own cell (width 2) and the next one, which holds a
/// continuation cell (width 0) that backends skip.
///
/// The grapheme is stored as a number so that a cell is plain data (no reference counting when
/// cells are copied or filled): a Unicode scalar value for the usual one-scalar grapheme, or,
/// from `clusterBase` up, an index into its grid's table of graphemes made of several scalars
/// (a letter with a combining accent, an emoji sequence). Read it back through the grid.
package struct Cell: Hashable, Sendable {
    package var code: UInt32
    /// 1 for most text, 2 for a wide character, 0 for the right half of a wide character.
    package var width: UInt8
    package var role: StyleRole

    /// Codes from here up index the grid's table of multi-scalar graphemes.
    package static let clusterBase: UInt32 = 0x110000
    static let space: UInt32 = 0x20
    static let blank = Cell(code: space, width: 1, role: .grid)
    static func continuation(_ role: StyleRole) -> Cell { Cell(code: space, width: 0, role: role) }
}

/// The whole screen as rows × columns of cells, drawn by views and handed to a backend.
///
/// Every text write goes through `put`, which sanitises it (`TextSanitizer`) and clips it by
/// display width, so nothing a user typed can escape its box or move the terminal's cursor.
package struct CellGrid: Sendable {
    private(set) var rows: Int
    package private(set) var cols: Int
    package private(set) var cells: [Cell]
    /// Graphemes of more than one scalar, referred to by cells as `Cell.clusterBase + index`.
    private var clusters: [Character] = []

    init(rows: Int, cols: Int) {
        self.rows = max(0, rows); self.cols = max(0, cols)
        cells = Array(repeating: .blank, count: self.rows * self.cols)
    }

    /// Blanks the grid for a new frame at the given size, reusing its storage when it can.
    mutating func reset(rows: Int, cols: Int) {
        let r = max(0, rows), c = max(0, cols)
        clusters.removeAll(keepingCapacity: true)
        if r * c == cells.count {
            self.rows = r; self.cols = c
            cells.withUnsafeMutableBufferPointer { $0.update(repeating: .blank) }
        } else {
            self = CellGrid(rows: r, cols: c)
        }
    }

    package subscript(row: Int, col: Int) -> Cell {
        get { cells[row * cols + col] }
    }

    /// The grapheme a cell shows.
    func character(of cell: Cell) -> Character {
        if cell.code < Cell.clusterBase { return Character(Unicode.Scalar(cell.code) ?? " ") }
        let i = Int(cell.code - Cell.clusterBase)
        return i < clusters.count ? clusters[i] : " "
    }

    /// The grapheme at a position.
    func character(row: Int, col: Int) -> Character { character(of: self[row, col]) }

    /// Calls `body` with each run of cells of one style role, row by row and left to right:
    /// its row, its first column, the role and the cells (what a backend draws in one call).
    package func forEachRun(_ body: (_ row: Int, _ column: Int, _ role: StyleRole, _ cells: ArraySlice<Cell>) -> Void) {
        for r in 0..<rows {
            let first = r * cols
            var c = 0
            while c < cols {
                let role = cells[first + c].role
                let start = c
                while c < cols, cells[first + c].role == role { c += 1 }
                body(r, start, role, cells[(first + start)..<(first + c)])
            }
        }
    }

    /// Calls `body` with each scalar of a cell's grapheme (what a backend hands the terminal).
    package func forEachScalar(of cell: Cell, _ body: (UInt32) -> Void) {
        if cell.code < Cell.clusterBase { body(cell.code); return }
        for s in character(of: cell).unicodeScalars { body(s.value) }
    }

    /// The code for a grapheme: its scalar, or a new entry in the cluster table.
    private mutating func code(for ch: Character) -> UInt32 {
        if let s = Self.singleScalar(ch) { return s.value }
        clusters.append(ch)
        return Cell.clusterBase + UInt32(clusters.count - 1)
    }

    /// Fills a rectangle with one character and role (clipped to the grid).
    mutating func fill(row: Int, col: Int, height: Int = 1, width: Int, character: Character = " ", role: StyleRole) {
        let r0 = max(0, row), r1 = min(rows, row + height)
        let c0 = max(0, col), c1 = min(cols, col + width)
        guard r0 < r1, c0 < c1 else { return }
        // Only single-column characters can tile a rectangle.
        let single = Self.singleScalar(character)
        let width = single.map { DisplayWidth.of($0) } ?? DisplayWidth.of(character)
        let cell = Cell(code: width != 1 ? Cell.space : single?.value ?? code(for: character), width: 1, role: role)
        for r in r0..<r1 {
            fixWideEdges(row: r, from: c0, to: c1)
            let base = r * cols
            cells.withUnsafeMutableBufferPointer { buf in
                for c in c0..<c1 { buf[base + c] = cell }
            }
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
        let base = row * cols
        // Fast path: printable ASCII needs no sanitising, is one column per byte and one cell per
        // byte, so it is copied straight in (the common case: times, references, most names).
        if TextSanitizer.isPlainASCII(text) {
            let end = min(limit, col + text.utf8.count)
            guard end > max(0, col) else { return max(0, end - col) }
            fixWideEdges(row: row, from: max(0, col), to: end)
            cells.withUnsafeMutableBufferPointer { buf in
                var c = col
                for b in text.utf8 {
                    if c >= end { break }
                    if c >= 0 { buf[base + c] = Cell(code: UInt32(b), width: 1, role: role) }
                    c += 1
                }
            }
            return end - col
        }
        let safe = TextSanitizer.clean(text)
        var c = col
        if Self.isOneScalarPerGrapheme(safe) {
            for s in safe.unicodeScalars {
                let w = DisplayWidth.of(s)
                if w == 0 { continue }
                if c + w > limit {
                    while c < limit { setCell(base, c, Cell(code: Cell.space, width: 1, role: role)); c += 1 }
                    break
                }
                if c >= 0 {
                    setCell(base, c, Cell(code: s.value, width: UInt8(w), role: role))
                    if w == 2 { setCell(base, c + 1, .continuation(role)) }
                }
                c += w
                if c >= limit { break }
            }
            return max(0, c - col)
        }
        for ch in safe {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }
            if c + w > limit {
                while c < limit { setCell(base, c, Cell(code: Cell.space, width: 1, role: role)); c += 1 }
                break
            }
            if c >= 0 {
                setCell(base, c, Cell(code: code(for: ch), width: UInt8(w), role: role))
                if w == 2 { setCell(base, c + 1, .continuation(role)) }
            }
            c += w
            if c >= limit { break }
        }
        return max(0, c - col)
    }

    /// The scalar of a one-scalar grapheme (without counting the scalars: that walks them).
    private static func singleScalar(_ ch: Character) -> Unicode.Scalar? {
        var it = ch.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }

    /// True when every scalar of (sanitised) text is a grapheme of its own: none of them
    /// combines with a neighbour (no combining marks, joiners, variation selectors, emoji
    /// modifiers, regional indicators or Hangul jamo), so scalars can be placed one per cell
    /// without the cost of grapheme breaking.
    static func isOneScalarPerGrapheme(_ text: String) -> Bool {
        for s in text.unicodeScalars {
            switch s.value {
            case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x2BFF,
                 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF60:
                continue
            default:
                return false
            }
        }
        return true
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
        cells[row * cols + col] = Cell(code: code(for: ch), width: 1, role: role)
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
            cells[base + from - 1] = Cell(code: Cell.space, width: 1, role: cells[base + from - 1].role)
        }
        let last = to - 1
        if last >= 0, last + 1 < cols, cells[base + last].width == 2 {
            cells[base + last + 1] = Cell(code: Cell.space, width: 1, role: cells[base + last + 1].role)
        }
    }

    /// The text of one row (wide characters once, continuation cells skipped), trailing
    /// spaces removed.
    package func text(row: Int) -> String {
        var s = ""
        for c in 0..<cols {
            let cell = cells[row * cols + c]
            if cell.width > 0 { s.append(character(of: cell)) }
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Every row's text: what a person would read on the screen.
    var lines: [String] { (0..<rows).map(text(row:)) }

    /// The role at a position (tests check colours through roles).
    func role(row: Int, col: Int) -> StyleRole { cells[row * cols + col].role }
}
