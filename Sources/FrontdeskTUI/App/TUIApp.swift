import FrontdeskCore

/// The terminal UI's state and behaviour, independent of any terminal: keys in, a `CellGrid`
/// out. `runFrontdeskTUI` drives it with ncurses; tests drive it with a `MemoryBackend`.
package final class TUIApp {
    let connection: DeskConnection
    let clock: any WallClock
    var keys: KeyMap
    var theme: Theme

    var size: (rows: Int, cols: Int)
    var view: ViewKind = .day
    var date: LocalDate
    var filter: ResourceFilter = .all
    /// Index of the cursor's resource among the shown ones.
    var column = 0
    /// The cursor's local time of day (seconds), so it keeps its time across days and views.
    package var cursorSecond = 0
    /// Where a slot selection started (local seconds), if one is active.
    var anchorSecond: Int?
    /// `v` toggled: plain movement extends the selection.
    var selecting = false
    var firstColumn = 0
    var firstRow = 0
    var overlay: Overlay?
    var moving: MoveState?
    var message: String?
    var messageIsError = false
    var lastRefresh: Instant?
    var undoStack: [UndoEntry] = []
    var searchText: String?
    var agendaFilter = AgendaView.Filter()
    var agendaSort: AgendaView.Sort = .time
    var agendaIndex = 0
    var agendaFirstRow = 0
    var waitlistIndex = 0
    /// The report the Reports view shows.
    var reportKind: ReportKind = .utilisation
    /// The next open day, offered while the screen shows a day on which every resource is
    /// closed: the open key (Enter) goes there.
    var closedDayOffer: LocalDate?
    /// True once the user asked to quit.
    var finished = false
    /// Ctrl-L: the next frame repaints every cell.
    var redrawRequested = false
    /// Bumped whenever the data may have changed, to rebuild cached layouts.
    var generation = 0
    /// The last frame's grid, reused by `render()`.
    var frameBuffer = CellGrid(rows: 0, cols: 0)
    private var cachedDay: (date: LocalDate, generation: Int, filter: ResourceFilter, layout: DayLayout)?
    private var cachedResources: (generation: Int, filter: ResourceFilter, list: [Resource])?
    /// The Reports view's figures, rebuilt when the report, the week or the data change.
    var cachedReport: (kind: ReportKind, monday: LocalDate, generation: Int, figures: ReportFigures)?
    /// Resource and period pairs already asked of the store.
    private var loadedKeys: Set<LoadKey> = []
    /// The last window the day grid made sure was loaded (skips the check while nothing moved).
    private var checkedWindow: (date: LocalDate, generation: Int, filter: ResourceFilter, window: Range<Int>)?

    private struct LoadKey: Hashable {
        let from: LocalDate
        let days: Int
        let resource: ResourceID
    }

    static let minRows = 12
    static let minCols = 50

    init(connection: DeskConnection, clock: any WallClock, keys: KeyMap = KeyMap(), theme: Theme = .builtInDefault,
         size: (rows: Int, cols: Int), date: LocalDate?, kind: String? = nil, parent: String? = nil) {
        self.connection = connection; self.clock = clock; self.keys = keys; self.theme = theme; self.size = size
        self.date = LocalDate(year: 2000, month: 1, day: 1)!
        if let kind { filter = .kind(ResourceKind(kind)) }
        if let parent {
            let p = parent.lowercased()
            if let r = connection.state.resources.values.first(where: { $0.id.rawValue == parent || $0.ref.lowercased() == p || $0.name.lowercased() == p }) {
                filter = .parent(r.id)
            } else {
                show("No resource \"\(parent)\" to filter by; showing all.", error: true)
            }
        }
        let today = self.today
        self.date = date ?? today
        lastRefresh = clock.now()
        placeCursorAtStart()
        offerOpenDayIfClosed()
    }

    // MARK: Derived state

    var state: BookingState { connection.state }
    var now: Instant { clock.now() }

    /// The resources shown, in reference order (cached until the data or the filter changes).
    var resources: [Resource] {
        if let c = cachedResources, c.generation == generation, c.filter == filter { return c.list }
        let list = computeResources()
        cachedResources = (generation, filter, list)
        return list
    }

    private func computeResources() -> [Resource] {
        let all = state.resources.values.filter { !$0.archived }
        let chosen: [Resource]
        switch filter {
        case .all: chosen = Array(all)
        case .kind(let k): chosen = all.filter { $0.kind == k }
        case .parent(let p):
            let family = Set(state.related(to: p))
            chosen = all.filter { family.contains($0.id) && ($0.id == p || isDescendant($0.id, of: p)) }
        }
        // Sort keys made once per resource (not per comparison), and indices rather than
        // whole resources moved around.
        let keys = chosen.map { ($0.ref.count, $0.ref) }
        return keys.indices.sorted { keys[$0] < keys[$1] }.map { chosen[$0] }
    }

    private func isDescendant(_ r: ResourceID, of p: ResourceID) -> Bool {
        var up = state.resources[r]?.parent
        var steps = 0
        while let u = up, steps < 100 { if u == p { return true }; up = state.resources[u]?.parent; steps += 1 }
        return false
    }

    /// The zone the grid is drawn in: the first shown resource's.
    var zone: Zone { resources.first?.zone ?? .utc }
    var today: LocalDate { zone.local(now).date }
    var cursorResource: Resource? { let rs = resources; return rs.isEmpty ? nil : rs[min(column, rs.count - 1)] }

    /// The day grid's model for the shown date (cached until the data or the date changes).
    ///
    /// Only the columns on screen (and the cursor's) are read from the store, with the resources
    /// related to them: with hundreds of resources, opening a day reads a few dozen resources'
    /// bookings instead of all of them. A column is loaded before it is ever drawn, so a column
    /// on screen never shows free time that is not free.
    package func dayLayout() -> DayLayout {
        let rs = resources
        let window = loadWindow(count: rs.count)
        if let c = checkedWindow, c.date == date, c.generation == generation, c.filter == filter, c.window == window {
            // Nothing moved since the last check: every column that can be drawn is loaded.
        } else {
            var ids: [ResourceID] = []
            var seen: Set<ResourceID> = []
            for r in rs[window] { for id in state.related(to: r.id) where seen.insert(id).inserted { ids.append(id) } }
            ensureLoaded(ids, from: date, days: 1)
            checkedWindow = (date, generation, filter, window)
        }
        // The shown resources follow from the generation and the filter.
        if let c = cachedDay, c.date == date, c.generation == generation, c.filter == filter { return c.layout }
        let layout = DayLayout.build(state: state, resources: rs, date: date, zone: zone)
        cachedDay = (date, generation, filter, layout)
        return layout
    }

    /// Columns that may be drawn next: the current window, stretched to reach the cursor
    /// (the window scrolls to the cursor when the frame is drawn).
    private func loadWindow(count: Int) -> Range<Int> {
        guard count > 0 else { return 0..<0 }
        let (_, visible) = DayGridView.columns(width: size.cols, count: count)
        let c = min(max(0, column), count - 1)
        let lo = max(0, min(firstColumn, c, count - visible))
        let hi = min(count, max(firstColumn + visible, c + 1, lo + visible))
        return lo..<max(lo, hi)
    }

    /// The week's layouts for the cursor's resource, sharing rows.
    func weekLayouts() -> [DayLayout] {
        guard let r = cursorResource else { return [] }
        let monday = date.adding(days: -date.weekday.index)
        let dates = (0..<7).map { monday.adding(days: $0) }
        ensureLoaded([r.id], from: monday, days: 7)
        let hours = DayLayout.openingHours(state: state, resources: [r], dates: dates, zone: r.zone)
        return dates.map { DayLayout.build(state: state, resources: [r], date: $0, zone: r.zone, hours: hours) }
    }

    /// Reads every resource's bookings over the days from `day` (what a search or the agenda
    /// looks through).
    func loadAllResources(from day: LocalDate, days: Int = 1) {
        ensureLoaded(state.resources.values.filter { !$0.archived }.map(\.id), from: day, days: days)
    }

    /// Asks the store for the bookings of `ids` over the days, once per resource and period.
    /// Bookings that arrive change the generation, so cached layouts are rebuilt.
    private func ensureLoaded(_ ids: [ResourceID], from: LocalDate, days: Int) {
        let before = state.bookings.count
        defer { if state.bookings.count != before { generation += 1 } }
        let missing = ids.filter { !loadedKeys.contains(LoadKey(from: from, days: days, resource: $0)) }
        guard !missing.isEmpty else { return }
        if loadedKeys.count > 20_000 { loadedKeys.removeAll() }
        for id in missing { loadedKeys.insert(LoadKey(from: from, days: days, resource: id)) }
        do {
            try connection.load(resources: missing, range: TimeRange(start: zone.startOfDay(from), end: zone.startOfDay(from.adding(days: days))))
        } catch {
            show("Could not load \(from): \(connection.describe(error).1)", error: true)
        }
    }

    /// The layout and column the cursor is in for the current view (day or week).
    func cursorLayout() -> (layout: DayLayout, column: Int)? {
        switch view {
        case .day:
            guard !resources.isEmpty else { return nil }
            return (dayLayout(), min(column, resources.count - 1))
        case .week:
            let w = weekLayouts()
            return w.isEmpty ? nil : (w[date.weekday.index], 0)
        default: return nil
        }
    }

    /// Rows of the selection (or just the cursor) in a layout.
    func selectedRows(in layout: DayLayout) -> ClosedRange<Int> {
        let c = layout.row(forSecond: cursorSecond)
        guard let a = anchorSecond else { return c...c }
        let r = layout.row(forSecond: a)
        return min(r, c)...max(r, c)
    }

    /// The booking the next c/m/s/Enter acts on: the open detail's, the agenda's selection,
    /// or the one under the cursor.
    func targetBooking() -> Booking? {
        if case .detail(let d) = overlay { return state.bookings[d.booking] }
        switch view {
        case .agenda:
            let rows = agendaRows()
            return rows.indices.contains(agendaIndex) ? rows[agendaIndex] : nil
        case .waitlist, .reports: return nil
        case .day, .week:
            guard let (layout, col) = cursorLayout() else { return nil }
            return layout.booking(resource: col, row: layout.row(forSecond: cursorSecond))
        }
    }

    /// The agenda's bookings, after loading every resource's bookings over its period.
    func agendaRows() -> [Booking] {
        let from = agendaFilter.from ?? date
        let to = agendaFilter.to?.adding(days: 1) ?? from.adding(days: agendaFilter.days)
        loadAllResources(from: from, days: max(1, Int(to.daysSinceEpoch - from.daysSinceEpoch)))
        return AgendaView.rows(state: state, filter: agendaFilter, sort: agendaSort, start: date, zone: zone)
    }

    // MARK: Cursor

    /// On today: the current slot; otherwise the first resource's opening time (or the grid's
    /// first row when it has no hours that day).
    func placeCursorAtStart() {
        column = 0; firstColumn = 0; anchorSecond = nil; selecting = false
        let layout = dayLayout()
        if date == today {
            let sod = zone.local(now).secondOfDay
            cursorSecond = layout.second(ofRow: layout.row(forSecond: sod))
        } else if let r = resources.first, let sid = r.schedule, let s = state.schedules[sid], let h = s.hours(on: date).first {
            cursorSecond = layout.second(ofRow: layout.row(forSecond: h.start))
        } else {
            cursorSecond = layout.startSecond
        }
        firstRow = 0
    }

    func moveCursor(rows delta: Int, extend: Bool) {
        guard let (layout, _) = cursorLayout() else { return }
        if extend || selecting { if anchorSecond == nil { anchorSecond = cursorSecond } } else { anchorSecond = nil }
        let row = min(max(0, layout.row(forSecond: cursorSecond) + delta), layout.rowCount - 1)
        cursorSecond = layout.second(ofRow: row)
    }

    func moveColumn(_ delta: Int) {
        anchorSecond = nil; selecting = false
        if view == .week { setDate(date.adding(days: delta), keepCursor: true); return }
        column = min(max(0, column + delta), max(0, resources.count - 1))
    }

    /// Moves to `d`; a day outside ``SupportedRange`` is refused with a message in the status
    /// line (nothing there can be booked, and the store holds nothing there).
    func setDate(_ d: LocalDate, keepCursor: Bool) {
        guard SupportedRange.contains(d) else {
            show("\(d) is outside the supported range (\(SupportedRange.firstDate) to \(SupportedRange.lastDate)).", error: true)
            return
        }
        date = d
        if !keepCursor { anchorSecond = nil; selecting = false }
    }

    // MARK: Messages

    func show(_ text: String, error: Bool = false) { message = text; messageIsError = error }

    /// Whether the account's role allows `action`; if not, says which role it needs.
    func permitted(_ action: AccessAction) -> Bool {
        do { try connection.authorize(action) } catch { show(error.description, error: true); return false }
        return true
    }

    /// Keys whose action the account's role does not allow: left out of the help.
    var hiddenActions: Set<Action> {
        Set(Action.allCases.filter { a in a.accessAction.map { !connection.allows($0) } ?? false })
    }

    // MARK: Refresh

    /// Applies other desks' changes; true when something changed.
    @discardableResult
    func refresh() -> Bool {
        do {
            let changed = try connection.refresh()
            lastRefresh = now
            if changed { generation += 1 }
            return changed
        } catch {
            show("Refresh failed: \(connection.describe(error).1)", error: true)
            return false
        }
    }

    /// Marks cached layouts stale after our own write.
    package func dataChanged() { generation += 1 }

    /// The app on `connection` with the default keys and theme, for drivers outside the module
    /// (the benchmarks in `frontdesk-bench`).
    package convenience init(showing connection: DeskConnection, clock: any WallClock, size: (rows: Int, cols: Int), date: LocalDate?) {
        self.init(connection: connection, clock: clock, size: size, date: date)
    }

    /// Whether the booking form is open.
    package var isShowingForm: Bool {
        if case .form = overlay { return true }
        return false
    }

    /// Whether anything sits on top of the main view.
    package var hasOverlay: Bool { overlay != nil }
}
