import FrontdeskCore

/// One customer's record: contact (as the account may see it), tags, notes, money totals,
/// no-show and late-cancellation counts, then upcoming and past bookings. The facts are
/// ``CustomerSummary``'s, the same `customer show` prints.
struct CustomerView {
    /// What is shown, how far it is scrolled, and the overlay Esc goes back to (the booking
    /// detail or form it was opened from; nil: the main view). The lines are taken when the
    /// view opens.
    struct State {
        var title: String
        var lines: [String]
        var scroll = 0
        var back: Overlay?
    }

    /// At most this many past bookings are listed (the count says how many there are).
    static let pastShown = 50

    /// The lines for `s`: bookings with times in `zone`. Phone and e-mail only with `contact`.
    static func lines(_ s: CustomerSummary, zone: Zone, state: BookingState, contact: Bool) -> [String] {
        let c = s.customer
        var out: [String] = []
        out.append("\(c.ref)  \(c.name)")
        if c.erased { out.append("Erased: contact details and notes removed on request.") }
        if contact {
            if let p = c.phone { out.append("Phone: \(p)") }
            if let e = c.email { out.append("E-mail: \(e)") }
        }
        if !c.tags.isEmpty { out.append("Tags: " + c.tags.joined(separator: ", ")) }
        if let n = c.notes { out.append("Notes: " + n) }
        var money: [String] = []
        if let p = s.text(s.paid) { money.append("Paid: \(p)") }
        if let d = s.text(s.due) { money.append("Due: \(d)") }
        if !money.isEmpty { out.append(money.joined(separator: "   ")) }
        out.append("Bookings: \(s.upcoming.count) upcoming, \(s.pastCount) past   No-shows: \(s.noShows)   Late cancellations: \(s.lateCancellations)")
        out.append("")
        out.append("Upcoming:")
        if s.upcoming.isEmpty { out.append("  No bookings.") }
        for b in s.upcoming { out.append("  " + line(b, zone: zone, state: state)) }
        out.append("")
        out.append(s.pastCount > s.past.count ? "Past (most recent \(s.past.count) of \(s.pastCount)):" : "Past (most recent first):")
        if s.past.isEmpty { out.append("  No bookings.") }
        for b in s.past { out.append("  " + line(b, zone: zone, state: state)) }
        return out
    }

    /// One booking: reference, local start, resources, status and its balance when it has money.
    static func line(_ b: Booking, zone: Zone, state: BookingState) -> String {
        var t = "\(b.ref)  \(Format.stamp(b.range.start, zone))  \(state.resourceNames(b.resources))  \(b.status)"
        if let c = b.charges, let balance = try? c.balance(status: b.status), balance != 0 {
            t += "  balance \(c.money(balance))"
        }
        return t
    }

    let state: State

    func draw(into grid: inout CellGrid) {
        Box.page(in: grid).drawScrolling(state.lines, from: state.scroll, title: state.title, hint: "Esc back · j/k scroll", into: &grid)
    }
}
