import FrontdeskCore

/// A first screen of solid `░` tells a new user nothing: on a day when the desk is closed
/// the TUI says so and offers the next open day.
extension TUIApp {
    /// True when some shown resource has opening hours and none of those is open at any time
    /// on `day`. Resources without a schedule (always bookable: a van, a car) do not keep the
    /// desk open.
    func isClosed(on day: LocalDate) -> Bool {
        let scheduled = resources.filter { $0.schedule != nil }
        guard !scheduled.isEmpty else { return false }
        let range = TimeRange(start: zone.startOfDay(day), end: zone.startOfDay(day.adding(days: 1)))
        return scheduled.allSatisfy { state.availability(for: $0).openRanges(within: range).isEmpty }
    }

    /// The first day after `day`, within a year and the supported range, on which some shown
    /// resource is open.
    func nextOpenDay(after day: LocalDate) -> LocalDate? {
        for k in 1...366 {
            let d = day.adding(days: k)
            guard SupportedRange.contains(d) else { return nil }
            if !isClosed(on: d) { return d }
        }
        return nil
    }

    /// When the shown day is closed: says so and offers the next open day on the open key.
    func offerOpenDayIfClosed() {
        closedDayOffer = nil
        guard isClosed(on: date) else { offerOpenDayIfMostlyClosed(); return }
        let which = date == today ? "today (\(Format.day(date)))" : "on \(Format.day(date))"
        guard let next = nextOpenDay(after: date) else {
            show("The desk is closed \(which), and on every day of the following year.")
            return
        }
        closedDayOffer = next
        let always = resources.contains { $0.schedule == nil } ? " (resources without opening hours stay bookable)" : ""
        show("The desk is closed \(which)\(always). \(keys.spokenHint(.open)) goes to the next open day, \(Format.day(next)).")
    }

    /// True when `resource` has opening hours and is open at no time on `day`.
    func isClosed(_ resource: Resource, on day: LocalDate) -> Bool {
        guard resource.schedule != nil else { return false }
        let range = TimeRange(start: zone.startOfDay(day), end: zone.startOfDay(day.adding(days: 1)))
        return state.availability(for: resource).openRanges(within: range).isEmpty
    }

    /// When most shown columns are closed but some are open (the demo's vans on a Sunday):
    /// names the open ones and offers the next day on which the closed ones open.
    func offerOpenDayIfMostlyClosed() {
        let shown = resources
        let closed = shown.filter { isClosed($0, on: date) }
        guard closed.count * 2 > shown.count else { return }
        let open = shown.filter { r in !closed.contains { $0.id == r.id } }
        var next: LocalDate?
        for k in 1...366 {
            let d = date.adding(days: k)
            guard SupportedRange.contains(d) else { break }
            if closed.contains(where: { !isClosed($0, on: d) }) { next = d; break }
        }
        let when = date == today ? "today" : "on \(Format.day(date))"
        let names = open.prefix(3).map(\.name).joined(separator: ", ") + (open.count > 3 ? ", …" : "")
        let head = "Closed \(when): \(closed.count) of \(shown.count) (only \(names) open)."
        guard let next else { show(head); return }
        closedDayOffer = next
        let full = "\(head) \(keys.spokenHint(.open)): next day the desk opens (\(Format.day(next)))."
        // On a narrow screen (80 columns) the key and the day must survive, not the wording.
        let short = "Closed \(when): \(closed.count) of \(shown.count) (only \(names) open). \(keys.spokenHint(.open)): go to \(Format.day(next))."
        show(DisplayWidth.of(full) <= size.cols - 2 ? full : short)
    }

    /// Accepts the offer: the open day, cursor at its opening time.
    func goToOpenDay(_ day: LocalDate) {
        setDate(day, keepCursor: false)
        placeCursorAtStart()
        show("\(Format.day(day)): the next open day.")
    }
}

extension TUIApp {
    /// `: Fire drill` — the reason of the blackout over `range` on a resource, as the CLI
    /// gives it; empty when there is none.
    func blackoutReason(_ resource: Resource, _ range: TimeRange) -> String {
        let reasons = state.availability(for: resource).blackouts(overlapping: range).map(\.reason).filter { !$0.isEmpty }
        return reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
    }
}
