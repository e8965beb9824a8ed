import FrontdeskCore

extension TUIApp {
    /// Handles one key: Ctrl-C first, then the overlay, then move mode, then the key map.
    ///
    /// While "Terminal too small" is shown nothing else is on screen, so only quit and redraw
    /// act: a key pressed blind must not open a form that appears when the window grows.
    func handle(_ key: KeyEvent) {
        if key == .resize { return }
        if isTooSmall {
            if key == .ctrl("c") || keys.action(for: key) == .quit { requestQuit() }
            else if keys.action(for: key) == .redraw { redrawRequested = true }
            return
        }
        if key == .ctrl("c") { closedDayOffer = nil; interrupt(); return }
        if overlay != nil { handleOverlay(key); return }
        if moving != nil, handleMove(key) { return }
        if let offer = closedDayOffer {
            closedDayOffer = nil
            if keys.action(for: key) == .open { goToOpenDay(offer); return }
        }
        guard let action = keys.action(for: key) else {
            if key != .escape { show("\(key.spokenName) does nothing here; \(keys.hint(.help)) shows the keys.") }
            else { anchorSecond = nil; selecting = false; message = nil }
            return
        }
        perform(action)
    }

    /// True while the screen is too small to show anything but the "Terminal too small" notice.
    var isTooSmall: Bool { size.rows < Self.minRows || size.cols < Self.minCols }

    /// Ctrl-C: cancels a form or dialog (asking first when typed input would be lost), stops a
    /// move, or asks whether to quit.
    func interrupt() {
        switch overlay {
        case .form(let f) where f.hasInput:
            overlay = .confirm(ConfirmDialog(purpose: .discardForm, question: "Discard this booking form?", resume: overlay))
        case .confirm(let c) where c.purpose == .discardForm:
            overlay = c.resume
        case .some:
            overlay = nil
        case .none:
            if moving != nil { moving = nil; show("Move cancelled.") }
            else { overlay = .confirm(ConfirmDialog(purpose: .quit, question: "Quit Frontdesk?")) }
        }
    }

    /// `q`: quits at once unless a form holds unsaved input.
    func requestQuit() {
        if case .form(let f) = overlay, f.hasInput {
            overlay = .confirm(ConfirmDialog(purpose: .discardForm, question: "Discard this booking form and quit?", resume: overlay))
            return
        }
        finished = true
    }

    func perform(_ action: Action) {
        if action != .nextMatch && action != .prevMatch && action != .open { message = nil }
        if let needed = action.accessAction, !permitted(needed) { return }
        switch action {
        case .up: view == .agenda ? moveList(-1) : view == .waitlist ? moveWaitlist(-1) : moveCursor(rows: -1, extend: false)
        case .down: view == .agenda ? moveList(1) : view == .waitlist ? moveWaitlist(1) : moveCursor(rows: 1, extend: false)
        case .extendUp: moveCursor(rows: -1, extend: true)
        case .extendDown: moveCursor(rows: 1, extend: true)
        case .pageUp: view == .agenda ? moveList(-10) : moveCursor(rows: -max(1, size.rows - 6), extend: false)
        case .pageDown: view == .agenda ? moveList(10) : moveCursor(rows: max(1, size.rows - 6), extend: false)
        case .left: view == .reports ? switchReport(by: -1) : moveColumn(-1)
        case .right: view == .reports ? switchReport(by: 1) : moveColumn(1)
        case .select:
            selecting.toggle()
            anchorSecond = selecting ? cursorSecond : nil
            show(selecting ? "Selecting: move to extend, Enter to book, v or Esc to stop." : "Selection off.")
        case .open: open()
        case .cancelBooking: startCancel()
        case .move: startMove()
        case .status: startStatus()
        case .undo: undo()
        case .history: openHistory()
        case .pay: startPayment()
        case .customer: openCustomer()
        case .today: setDate(today, keepCursor: false); placeCursorAtStart(); offerOpenDayIfClosed()
        case .prevDay: setDate(date.adding(days: -1), keepCursor: true)
        case .nextDay: setDate(date.adding(days: 1), keepCursor: true)
        case .prevWeek: setDate(date.adding(days: -7), keepCursor: true)
        case .nextWeek: setDate(date.adding(days: 7), keepCursor: true)
        case .gotoDate: overlay = .prompt(InputPrompt(.gotoDate, label: "Go to date (YYYY-MM-DD, today, +3, -7):"))
        case .search:
            // A new search starts empty; the last one is one key (Up or Ctrl-P) away.
            let label = searchText.map { "Search (Up: \"\(Format.fit($0, width: 20))\"):" } ?? "Search:"
            overlay = .prompt(InputPrompt(.search, label: label, recall: searchText))
        case .nextMatch: jumpToMatch(forward: true)
        case .prevMatch: jumpToMatch(forward: false)
        case .nextView: switchView(by: 1)
        case .prevView: switchView(by: -1)
        case .waitlist: view = .waitlist
        case .filter:
            if view == .agenda {
                overlay = .prompt(InputPrompt(.agendaFilter, label: "Filter (status: resource: customer: from: to: days: text):",
                                              text: agendaFilterText))
            } else { cycleResourceFilter() }
        case .sort:
            let all = AgendaView.Sort.allCases
            agendaSort = all[(all.firstIndex(of: agendaSort)! + 1) % all.count]
            show("Agenda sorted by \(agendaSort.rawValue).")
        case .help: overlay = .help(scroll: 0)
        case .redraw: redrawRequested = true
        case .quit: requestQuit()
        case .reports: openReports()
        }
    }

    private var agendaFilterText: String {
        agendaFilter == AgendaView.Filter() ? "" : agendaFilter.summary
    }

    func switchView(by delta: Int) {
        let all = ViewKind.allCases
        view = all[(all.firstIndex(of: view)! + delta + all.count) % all.count]
        anchorSecond = nil; selecting = false
    }

    func moveList(_ delta: Int) {
        let n = agendaRows().count
        agendaIndex = n == 0 ? 0 : min(max(0, agendaIndex + delta), n - 1)
    }

    func moveWaitlist(_ delta: Int) {
        let n = WaitlistView.entries(in: state).count
        waitlistIndex = n == 0 ? 0 : min(max(0, waitlistIndex + delta), n - 1)
    }

    /// `f` in the day grid: all → each kind → each resource with children → all.
    func cycleResourceFilter() {
        let all = state.resources.values.filter { !$0.archived }
        var kinds: [ResourceKind] = []
        for r in all.sorted(by: { $0.ref < $1.ref }) where !kinds.contains(r.kind) { kinds.append(r.kind) }
        let parents = Set(all.compactMap(\.parent)).sorted()
        let options: [ResourceFilter] = [.all] + kinds.map { .kind($0) } + parents.map { .parent($0) }
        let i = options.firstIndex(of: filter) ?? 0
        filter = options[(i + 1) % options.count]
        column = 0; firstColumn = 0
        show("Showing " + filterLabel + ".")
    }

    var filterLabel: String {
        switch filter {
        case .all: "all resources"
        case .kind(let k): "kind \(k)"
        case .parent(let p): "inside \(state.resources[p]?.name ?? p.rawValue)"
        }
    }

    // MARK: Overlays

    func handleOverlay(_ key: KeyEvent) {
        guard let current = overlay else { return }
        switch current {
        case .help(let scroll):
            switch key {
            case .char("j"), .down: overlay = .help(scroll: min(scroll + 1, max(0, HelpOverlay.lines(keys, width: HelpOverlay.innerWidth(cols: size.cols), hidden: hiddenActions).count - 5)))
            case .char("k"), .up: overlay = .help(scroll: max(0, scroll - 1))
            default: overlay = nil
            }
        case .detail(var d):
            switch key {
            case .escape, .enter: overlay = d.resume.map(Overlay.form)
            case .char("j"), .down: d.scroll += 1; overlay = .detail(d)
            case .char("k"), .up: d.scroll = max(0, d.scroll - 1); overlay = .detail(d)
            default:
                if let a = keys.action(for: key) {
                    if let needed = a.accessAction, !permitted(needed) { return }
                    switch a {
                    case .cancelBooking: startCancel()
                    case .status: startStatus()
                    case .move: startMove()
                    case .undo: overlay = nil; undo()
                    case .history: openHistory()
                    case .pay: startPayment()
                    case .customer: openCustomer()
                    case .quit: overlay = nil
                    case .help: overlay = .help(scroll: 0)
                    default: break
                    }
                }
            }
        case .history(var h):
            switch key {
            case .char("j"), .down: h.scroll = min(h.scroll + 1, max(0, h.lines.count - 1)); overlay = .history(h)
            case .char("k"), .up: h.scroll = max(0, h.scroll - 1); overlay = .history(h)
            default: overlay = nil
            }
        case .customer(var c):
            switch key {
            case .char("j"), .down: c.scroll = min(c.scroll + 1, max(0, c.lines.count - 1)); overlay = .customer(c)
            case .char("k"), .up: c.scroll = max(0, c.scroll - 1); overlay = .customer(c)
            case .pageDown: c.scroll = min(c.scroll + max(1, size.rows - 6), max(0, c.lines.count - 1)); overlay = .customer(c)
            case .pageUp: c.scroll = max(0, c.scroll - max(1, size.rows - 6)); overlay = .customer(c)
            default: overlay = c.back
            }
        case .form(let f) where key == .function(2) && f.focus == .customer:
            openCustomer(fromForm: f)
        case .form(var f):
            let outcome = f.handle(key, state: state)
            f.refreshMatches(in: connection.storage)
            // The customer's usual resources are read once per customer (bookings the read
            // brings into memory redraw the grid).
            let loaded = state.bookings.count
            f.refreshPreferred(in: connection.storage, state: state)
            if state.bookings.count != loaded { dataChanged() }
            switch outcome {
            case .none: f.check(state: state, now: now); overlay = .form(f)
            case .showCancelled(let id): overlay = .detail(DetailView.State(booking: id, resume: f))
            case .cancel: overlay = nil; show("Booking not made.")
            case .save: save(f)
            }
        case .cancel(var c):
            switch c.handle(key) {
            case .none: overlay = .cancel(c)
            case .abort: overlay = nil; show("Booking kept.")
            case .confirm: commitCancel(c)
            }
        case .status(let s):
            switch s.handle(key) {
            case .none: break
            case .abort: overlay = nil
            case .chosen(let status): overlay = nil; commitStatus(s.booking, to: status)
            }
        case .scope(let sc):
            switch sc.handle(key) {
            case .none: show("Press 1, 5 or 9 — or Esc.")
            case .abort: overlay = nil; moving = nil; show("Nothing changed.")
            case .chosen(let scope):
                overlay = nil
                switch sc.purpose {
                case .cancel(let b): openCancelDialog(b, scope: scope)
                case .move(let b, let range, let resource): commitMove(b, to: range, resource: resource, scope: scope)
                }
            }
        case .confirm(let c):
            switch c.handle(key) {
            case .none: break
            case .no: overlay = c.purpose == .discardForm ? c.resume : nil
            case .yes:
                overlay = nil
                if c.purpose == .quit { finished = true } else { show("Form discarded.") }
            }
        case .payment(var p):
            switch p.handle(key) {
            case .none: overlay = .payment(p)
            case .abort: overlay = p.resume.map(Overlay.detail); show("No payment recorded.")
            case .submit: commitPayment(p)
            }
        case .waitlistConfirm(let w):
            switch w.handle(key) {
            case .none: break
            case .no: overlay = nil; show("Nothing booked; \(w.entry.ref) stays on the waitlist.")
            case .yes: overlay = nil; commitWaitlist(w)
            }
        case .prompt(var p):
            switch p.handle(key) {
            case .none: overlay = .prompt(p)
            case .abort: overlay = nil
            case .submit(let text): submit(p, text: text)
            }
        }
    }

    func submit(_ p: InputPrompt, text: String) {
        var p = p
        switch p.purpose {
        case .gotoDate:
            let t = text.trimming(.whitespaces).lowercased()
            var target: LocalDate?
            if t == "today" || t.isEmpty { target = today }
            else if let d = LocalDate(t) { target = d }
            else if let n = Int(t.hasPrefix("+") ? String(t.dropFirst()) : t), abs(n) <= 366 * 400 { target = date.adding(days: n) }
            else if Int(t.hasPrefix("+") ? String(t.dropFirst()) : t) != nil { target = LocalDate(daysSinceEpoch: -1) }
            guard let target else { p.error = "\"\(text)\" is not a date: use YYYY-MM-DD, today, +N or -N."; overlay = .prompt(p); return }
            guard SupportedRange.contains(target) else {
                p.error = "\"\(text)\" is outside the supported range (\(SupportedRange.firstDate) to \(SupportedRange.lastDate))."
                overlay = .prompt(p)
                show(p.error ?? "", error: true)
                return
            }
            overlay = nil
            setDate(target, keepCursor: true)
        case .search:
            overlay = nil
            let t = text.trimming(.whitespaces)
            searchText = t.isEmpty ? nil : t
            if searchText != nil { jumpToMatch(forward: true, includeCurrent: true) }
        case .moveOverride:
            overlay = nil
            let reason = text.trimming(.whitespaces)
            guard let m = moving, let t = m.lateTarget else { return }
            guard !reason.isEmpty else {
                p.error = "A late move needs the manager's reason (Esc to leave the booking where it is)."
                overlay = .prompt(p); return
            }
            commitMove(m.booking, to: t.range, resource: t.resource, scope: t.scope, overrideReason: reason)
        case .customer:
            let t = text.trimming(.whitespaces)
            guard !t.isEmpty else { overlay = nil; return }
            do {
                let found = try connection.storage.resolveCustomerAlias(t)
                try openCustomer(found.customer, back: nil)
                if let alias = found.alias { show("\(alias.ref) was merged into \(found.customer.ref).") }
            } catch {
                p.error = connection.storage.describe(error).message; overlay = .prompt(p)
            }
        case .agendaFilter:
            do {
                agendaFilter = try AgendaView.Filter(parsing: text)
                overlay = nil; agendaIndex = 0; agendaFirstRow = 0
            } catch {
                p.error = "Filter: \(error.message)"; overlay = .prompt(p)
            }
        }
    }

    // MARK: Search

    /// Bookings in memory matching the search text (customer, reference, notes, resource), in start order.
    ///
    /// - Complexity: O(bookings in memory); each customer's and resource's name is matched once
    ///   (``SearchNeedle``: no lowercased copy of an ASCII text).
    func searchMatches() -> [Booking] {
        guard let text = searchText else { return [] }
        let needle = SearchNeedle(text)
        let q = needle.lowered
        var resourceMatches: [ResourceID: Bool] = [:]
        for r in state.resources.values { resourceMatches[r.id] = needle.matches(r.name) }
        // Usually no resource's name matches: then no booking needs its resource looked up.
        let anyResource = q.isEmpty || resourceMatches.values.contains(true)
        var customerMatches: [CustomerID: Bool] = [:]
        return state.bookings.values.filter { b in
            if anyResource, resourceMatches[b.resource] ?? q.isEmpty { return true }
            if let c = b.customer {
                if let hit = customerMatches[c] {
                    if hit { return true }
                } else {
                    let hit = needle.matches(state.customers[c]?.name ?? "")
                    customerMatches[c] = hit
                    if hit { return true }
                }
            } else if q.isEmpty {
                return true
            }
            return needle.matches(b.ref) || (!b.notes.isEmpty && needle.matches(b.notes))
        }.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
    }

    /// Matches the storage finds across every date (``BookingStorage/search(text:range:limit:backward:)``):
    /// the next few from `here` (up to it, `forward` false) and, when none is beyond `here`,
    /// the first (last) of all, for wrapping around. A failure is shown and gives nil; the
    /// search then covers what is loaded.
    func storageMatches(_ text: String, around here: Instant, forward: Bool) -> [Booking]? {
        let before = state.bookings.count
        defer { if state.bookings.count != before { generation += 1 } }  // partitions the search read are in memory
        let span = TimeSpan.days(365 * 100)
        do {
            let near = forward ? TimeRange(start: here, end: here + span) : TimeRange(start: here - span, end: here + TimeSpan(seconds: 1))
            let found = try connection.search(text: text, range: near, limit: Self.searchNear, backward: !forward)
            let beyond = found.contains { forward ? $0.start > here : $0.start < here }
            // Wrapping around: the first (last) of all, asked for only when nothing is beyond.
            return beyond ? found : found + (try connection.search(text: text, range: nil, limit: 1, backward: !forward))
        } catch {
            show("Search covers only the bookings loaded: \(connection.describe(error).1)", error: true)
            return nil
        }
    }

    /// Whether `text` matches the name of a resource that is not archived (``SearchNeedle``).
    func namesAResource(_ text: String) -> Bool {
        let needle = SearchNeedle(text)
        return state.resources.values.contains { !$0.archived && needle.matches($0.name) }
    }

    /// Matches a search asks the storage for on each side of the cursor.
    static let searchNear = 4

    /// n / N: the next (previous) match after (before) the cursor's time, wrapping around.
    func jumpToMatch(forward: Bool, includeCurrent: Bool = false) {
        guard let q = searchText else { show("No search yet: \(keys.hint(.search)) searches.", error: true); return }
        let current = targetBooking()
        let here: Instant
        if view == .agenda, let c = current { here = c.start }
        else { here = zone.instant(LocalDateTime(date: date, secondOfDay: min(cursorSecond, 86399))) ?? zone.startOfDay(date) }
        // The storage searches customers, references and notes on every resource and date, but
        // not resource names: a query naming a resource reads every resource's day (the grid
        // reads only the columns on screen) and is matched here.
        if namesAResource(q) { loadAllResources(from: date) }
        var byID: [BookingID: Booking] = [:]
        for b in searchMatches() { byID[b.id] = b }
        var inMemory = byID.count
        let fromStorage = storageMatches(q, around: current?.start ?? here, forward: forward)
        if fromStorage == nil {
            // The storage could not search: every resource's day is what there is to match.
            loadAllResources(from: date)
            for b in searchMatches() { byID[b.id] = b }
            inMemory = byID.count
        }
        for b in fromStorage ?? [] where byID[b.id] == nil { byID[b.id] = state.bookings[b.id] ?? b }
        let all = byID.values.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
        guard !all.isEmpty else {
            if fromStorage != nil { show("No booking matches \"\(q)\".", error: true) }
            return
        }
        let n = all.count
        let index: Int
        if !includeCurrent, let c = current, let i = all.firstIndex(where: { $0.id == c.id }) {
            index = forward ? (i + 1) % n : (i - 1 + n) % n
        } else if forward {
            index = all.firstIndex { includeCurrent ? $0.start >= here : $0.start > here } ?? 0
        } else {
            index = all.lastIndex { $0.start < here } ?? n - 1
        }
        let pick = all[index]
        goTo(pick)
        if n == inMemory {
            show("Match \(index + 1) of \(n) for \"\(q)\": \(pick.ref) \(Format.customer(pick, state)).")
        } else {
            // Matches beyond what is loaded were found by the storage one at a time: no total.
            show("Match for \"\(q)\": \(pick.ref) \(Format.customer(pick, state)), \(Format.day(zone.local(pick.start).date)).")
        }
    }

    /// Shows a booking under the cursor (or selected in the agenda).
    func goTo(_ b: Booking) {
        if view == .agenda {
            let rows = agendaRows()
            if let i = rows.firstIndex(where: { $0.id == b.id }) { agendaIndex = i; return }
            view = .day
        }
        if view == .waitlist { view = .day }
        if !resources.contains(where: { $0.id == b.resource }) { filter = .all }
        let rs = resources
        column = rs.firstIndex { $0.id == b.resource } ?? 0
        let local = zone.local(b.start)
        date = local.date
        anchorSecond = nil; selecting = false
        let layout = dayLayout()
        cursorSecond = layout.second(ofRow: layout.row(forSecond: local.secondOfDay))
    }
}
