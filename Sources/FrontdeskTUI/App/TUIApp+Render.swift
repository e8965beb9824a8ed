import FrontdeskCore

extension TUIApp {
    /// Draws the whole screen for the current size.
    ///
    /// The grid's storage is kept between frames and reused once the caller has let go of the
    /// previous frame (no allocation and no page faults for a new screen-sized buffer).
    package func render() -> CellGrid {
        var g = frameBuffer
        frameBuffer = CellGrid(rows: 0, cols: 0)  // so `g` holds the only reference and is blanked in place
        g.reset(rows: size.rows, cols: size.cols)
        draw(into: &g)
        frameBuffer = g
        return g
    }

    private func draw(into g: inout CellGrid) {
        guard size.rows >= Self.minRows, size.cols >= Self.minCols else {
            drawTooSmall(into: &g)
            return
        }
        // The grids keep a line above the status lines for the legend.
        let gridView = view == .day || view == .week
        let bodyHeight = size.rows - (gridView ? 4 : 3)
        if gridView { Legend().draw(into: &g, row: size.rows - 3) }
        switch view {
        case .day: drawDay(into: &g, height: bodyHeight)
        case .week: drawWeek(into: &g, height: bodyHeight)
        case .agenda: drawAgenda(into: &g, height: bodyHeight)
        case .waitlist:
            drawHeader(into: &g, detail: "")
            let entries = WaitlistView.entries(in: state)
            WaitlistView(entries: entries, state: state, selected: waitlistIndex).draw(into: &g, top: 1, height: bodyHeight)
        case .reports: drawReports(into: &g, height: bodyHeight)
        }
        StatusBar(date: date, user: connection.userLabel, mode: connection.mode, lastRefresh: lastRefresh, zone: zone,
                  message: message, isError: messageIsError, helpKey: keys.hint(.help), spareLineAbove: gridView).draw(into: &g)
        drawOverlay(into: &g)
    }

    /// "Terminal too small" with the sizes, centred as far as it fits.
    func drawTooSmall(into g: inout CellGrid) {
        let lines = ["Terminal too small", "need \(Self.minCols)×\(Self.minRows), have \(size.cols)×\(size.rows)",
                     "enlarge the window", "\(keys.hint(.quit)) quits · \(keys.hint(.redraw)) redraws · other keys wait"]
        for (i, full) in lines.enumerated() where i < g.rows {
            let l = Format.fit(full, width: g.cols)
            let x = max(0, (g.cols - DisplayWidth.of(l)) / 2)
            g.put(l, row: max(0, g.rows / 2 - 1) + i, col: x, role: i == 0 ? .error : .grid)
        }
    }

    func drawHeader(into g: inout CellGrid, detail: String) {
        var left = " Frontdesk · \(view.title) · \(Format.day(date))"
        if date == today { left += " (today)" }
        left += " · \(zone)"
        if !detail.isEmpty { left += " · " + detail }
        g.putPadded(left, row: 0, col: 0, width: g.cols, role: .header)
        let tabs = ViewKind.allCases.map { $0 == view ? "[\($0.title)]" : $0.title }.joined(separator: " ")
        let x = g.cols - DisplayWidth.of(tabs) - 1
        if x > DisplayWidth.of(left) + 1 { g.put(tabs, row: 0, col: x, role: .header) }
    }

    func drawDay(into g: inout CellGrid, height: Int) {
        let layout = dayLayout()
        let count = layout.resources.count
        let (_, visible) = DayGridView.columns(width: g.cols, count: count)
        column = min(column, max(0, count - 1))
        if column < firstColumn { firstColumn = column }
        if column >= firstColumn + visible { firstColumn = column - visible + 1 }
        firstColumn = max(0, min(firstColumn, max(0, count - visible)))
        var detail = filterLabel
        if count > visible { detail += " \(firstColumn + 1)–\(min(count, firstColumn + visible)) of \(count)" }
        if moving != nil { detail += " · MOVING" }
        drawHeader(into: &g, detail: detail)
        guard count > 0 else {
            g.put("  No resources to show (\(filterLabel)); \(keys.hint(.filter)) changes the filter.", row: 2, col: 0, role: .dim)
            return
        }
        let cursorRow = layout.row(forSecond: cursorSecond)
        scrollRows(cursorRow: cursorRow, visibleRows: height - 1, total: layout.rowCount)
        let ghost: (rows: ClosedRange<Int>, label: String)? = moving.map { m in
            let n = max(1, Int((m.booking.range.duration.seconds + Int64(layout.slot) - 1) / Int64(layout.slot)))
            return (cursorRow...min(layout.rowCount - 1, cursorRow + n - 1), Format.customer(m.booking, state))
        }
        DayGridView(layout: layout, cursorColumn: column, cursorRow: cursorRow,
                    selection: anchorSecond == nil ? nil : selectedRows(in: layout), ghost: ghost, now: now,
                    firstColumn: firstColumn, firstRow: firstRow).draw(into: &g, top: 1, height: height)
    }

    func drawWeek(into g: inout CellGrid, height: Int) {
        let days = weekLayouts()
        drawHeader(into: &g, detail: cursorResource.map { "\($0.name) · week of \(days.first?.date.description ?? "")" } ?? "")
        guard let first = days.first else {
            g.put("  No resources to show.", row: 2, col: 0, role: .dim)
            return
        }
        let cursorRow = first.row(forSecond: cursorSecond)
        scrollRows(cursorRow: cursorRow, visibleRows: height - 1, total: first.rowCount)
        WeekView(days: days, cursorDay: date.weekday.index, cursorRow: cursorRow,
                 selection: anchorSecond == nil ? nil : selectedRows(in: first), now: now, firstRow: firstRow, today: today)
            .draw(into: &g, top: 1, height: height)
    }

    func drawAgenda(into g: inout CellGrid, height: Int) {
        drawHeader(into: &g, detail: "from \(agendaFilter.from ?? date)")
        let rows = agendaRows()
        agendaIndex = min(agendaIndex, max(0, rows.count - 1))
        let visible = max(1, height - 1)
        if agendaIndex < agendaFirstRow { agendaFirstRow = agendaIndex }
        if agendaIndex >= agendaFirstRow + visible { agendaFirstRow = agendaIndex - visible + 1 }
        AgendaView(bookings: rows, state: state, selected: agendaIndex, firstRow: agendaFirstRow, filter: agendaFilter, sort: agendaSort)
            .draw(into: &g, top: 1, height: height)
    }

    private func scrollRows(cursorRow: Int, visibleRows: Int, total: Int) {
        let v = max(1, visibleRows)
        if cursorRow < firstRow { firstRow = cursorRow }
        if cursorRow >= firstRow + v { firstRow = cursorRow - v + 1 }
        firstRow = max(0, min(firstRow, max(0, total - v)))
    }

    func drawOverlay(into g: inout CellGrid) {
        switch overlay {
        case .none: break
        case .form(let f): f.draw(into: &g, state: state)
        case .detail(let d):
            if let b = state.bookings[d.booking] { DetailView(booking: b, state: state, scroll: d.scroll, keys: keys, contact: connection.allows(.readContactDetails)).draw(into: &g) }
        case .history(let h): HistoryView(state: h).draw(into: &g)
        case .customer(let c): CustomerView(state: c).draw(into: &g)
        case .cancel(let c): c.draw(into: &g)
        case .status(let s): s.draw(into: &g)
        case .confirm(let c): c.draw(into: &g)
        case .prompt(let p): p.draw(into: &g)
        case .scope(let s): s.draw(into: &g)
        case .waitlistConfirm(let w): w.draw(into: &g)
        case .payment(let p): p.draw(into: &g)
        case .help(let scroll): HelpOverlay(keys: keys, scroll: scroll, hidden: hiddenActions).draw(into: &g)
        }
    }
}
