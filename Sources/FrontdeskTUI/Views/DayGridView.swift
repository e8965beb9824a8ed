import FrontdeskCore

/// The day grid: one column per resource, one row per slot over the opening hours; closed and
/// blacked-out cells shaded, bookings as blocks in their status colour, a now-line, the
/// cursor and the selection.
struct DayGridView {
    let layout: DayLayout
    let cursorColumn: Int
    let cursorRow: Int
    /// Rows selected in the cursor's column.
    let selection: ClosedRange<Int>?
    /// A booking being moved: its outline at the cursor, with a label.
    let ghost: (rows: ClosedRange<Int>, label: String)?
    let now: Instant
    let firstColumn: Int
    let firstRow: Int

    static let timeWidth = 6
    static let minColumnWidth = 12
    static let maxColumnWidth = 30

    /// Column width and how many columns fit in `width` screen columns.
    static func columns(width: Int, count: Int) -> (width: Int, visible: Int) {
        let avail = max(0, width - timeWidth)
        let w = max(minColumnWidth, min(maxColumnWidth, count == 0 ? maxColumnWidth : avail / max(count, 1)))
        return (w, max(1, min(count, avail / w)))
    }

    /// Draws column headers and slot rows into `height` rows starting at `top`.
    func draw(into grid: inout CellGrid, top: Int, height: Int) {
        let (cw, visible) = Self.columns(width: grid.cols, count: layout.resources.count)
        let shownColumns = firstColumn..<min(layout.resources.count, firstColumn + visible)
        grid.fill(row: top, col: 0, width: grid.cols, role: .columnHeader)
        grid.put(firstColumn > 0 ? "◀" : "", row: top, col: 0, role: .columnHeader)
        for (k, ri) in shownColumns.enumerated() {
            let x = Self.timeWidth + k * cw
            grid.putPadded(" " + layout.resources[ri].name, row: top, col: x, width: cw - 1, role: ri == cursorColumn ? .dialogTitle : .columnHeader)
            grid.put("│", row: top, col: x + cw - 1, role: .gridLine)
        }
        if shownColumns.upperBound < layout.resources.count {
            grid.put("▶", row: top, col: grid.cols - 1, role: .columnHeader)
        }
        let nowRow: Int? = layout.rowStarts[0] <= now && now < layout.rowStarts[layout.rowCount]
            ? DayLayout.row(of: now, in: layout.rowStarts, rowCount: layout.rowCount) : nil
        let rows = max(0, height - 1)
        for screenRow in 0..<rows {
            let r = firstRow + screenRow
            let y = top + 1 + screenRow
            guard r < layout.rowCount else {
                grid.fill(row: y, col: 0, width: grid.cols, role: .grid)
                continue
            }
            let label = Format.clock(layout.second(ofRow: r))
            if r == nowRow {
                grid.putPadded(label + "▸", row: y, col: 0, width: Self.timeWidth, role: .nowLine)
            } else {
                grid.putPadded(label, row: y, col: 0, width: Self.timeWidth, role: layout.second(ofRow: r) % 3600 == 0 ? .timeLabel : .dim)
            }
            for (k, ri) in shownColumns.enumerated() {
                let x = Self.timeWidth + k * cw
                Self.paint(layout.cells[ri][r], layout: layout, row: y, col: x, width: cw - 1, into: &grid,
                           nowLine: r == nowRow)
                grid.glyph("│", row: y, col: x + cw - 1, role: .gridLine)
                if ri == cursorColumn {
                    if let ghost, ghost.rows.contains(r) {
                        grid.restyle(row: y, col: x, width: cw - 1, role: .selection)
                        if r == ghost.rows.lowerBound { grid.putPadded("→ " + ghost.label, row: y, col: x, width: cw - 1, role: .selection) }
                    } else if let selection, selection.contains(r), r != cursorRow {
                        grid.restyle(row: y, col: x, width: cw - 1, role: .selection)
                    }
                    if r == cursorRow { grid.restyle(row: y, col: x, width: cw - 1, role: .cursor) }
                }
            }
        }
    }

    /// Paints one cell: free, closed (░), blackout (▒) or part of a booking (its status mark, then
    /// its label).
    static func paint(_ content: SlotContent, layout: DayLayout, row: Int, col: Int, width: Int,
                      into grid: inout CellGrid, nowLine: Bool) {
        switch content {
        case .free:
            grid.fill(row: row, col: col, width: width, character: nowLine ? "─" : " ", role: nowLine ? .nowLine : .free)
        case .closed:
            grid.fill(row: row, col: col, width: width, character: "░", role: .closed)
        case .blackout:
            grid.fill(row: row, col: col, width: width, character: "▒", role: .blackout)
        case .buffer:
            grid.fill(row: row, col: col, width: width, character: nowLine ? "─" : "╌", role: nowLine ? .nowLine : .closed)
        case .booking(let i, let part), .occupiedByRelated(let i, let part):
            let label = layout.labels[i]
            // A status block carries its mark on every row, so its whole length shows without
            // colour (in mono a confirmed block's body is otherwise bold spaces).
            let mark = StatusMark.of(role: label.role)
            let x = mark == nil ? col : col + 1, room = mark == nil ? width : width - 1
            if let mark, width > 0 { grid.glyph(mark, row: row, col: col, role: label.role) }
            let text: String
            switch part {
            case 0: text = label.first
            case 1: text = DisplayWidth.of(label.second) <= room ? label.second
                : label.shorter.first { DisplayWidth.of($0) <= room } ?? label.second
            default: text = label.rest
            }
            grid.putPadded(text, row: row, col: x, width: room, role: label.role)
        }
    }
}
