import FrontdeskCore

/// Everything about one booking: every field (version, reference, source, actor, origin …)
/// and its whole history.
struct DetailView {
    /// Which booking is open and how far it is scrolled.
    struct State {
        var booking: BookingID
        var scroll = 0
        /// The booking form it was opened from (Ctrl-O on a cancelled slot): Esc goes back to it.
        var resume: BookingForm? = nil
    }

    /// The text lines of the detail, top to bottom.
    /// Without `contact`, the customer's phone and e-mail are left out (a viewer's role).
    static func lines(for b: Booking, in state: BookingState, contact: Bool = true) -> [String] {
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        let c = b.customer.flatMap { state.customers[$0] }
        func who(_ a: Author) -> String { "\(a.user) @ \(a.origin) via \(a.source.rawValue)" }
        var out = [
            "Reference     \(b.ref)    id \(b.id.rawValue)",
            "Status        \(Format.status(b.status))",
            (b.otherResources.isEmpty ? "Resource      " : "Resources     ") + b.resources.map { id in
                state.resources[id].map { "\($0.name) (\($0.ref))" } ?? id.rawValue }.joined(separator: " + "),
            "Time          \(Format.range(b.range, zone))  \(zone)  (\(b.range.duration.text))",
            "Customer      " + (c.map { "\($0.name) (\($0.ref))" } ?? "none — blocked time"),
        ]
        if let c, contact {
            if let p = c.phone { out.append("Phone         \(p)") }
            if let e = c.email { out.append("E-mail        \(e)") }
        }
        out += moneyLines(for: b, zone: zone)
        out += [
            "Version       \(b.version)",
            "Source        \(b.createdBy.source.rawValue)",
            "Created       \(Format.stamp(b.createdAt, zone)) by \(who(b.createdBy))",
            "Updated       \(Format.stamp(b.updatedAt, zone)) by \(who(b.updatedBy))",
            "Origin        \(b.createdBy.origin)",
        ]
        if let s = b.series { out.append("Series        \(s.rawValue)" + (b.occurrenceDate.map { ", occurrence of \($0)" } ?? "")) }
        if let h = b.holdExpiresAt { out.append("Hold until    \(Format.stamp(h, zone))") }
        if let x = b.cancellation {
            out.append("Cancelled     \(Format.stamp(x.at, zone)) by \(x.by): \(x.reason)" + (x.late ? " (late)" : ""))
        }
        if let o = b.overrideReason { out.append("Override      \(o)") }
        if let k = b.idempotencyKey { out.append("Idempotency   \(k)") }
        let notes = b.notes.split(separator: "\n", omittingEmptySubsequences: false)
        out.append("Notes         " + (notes.first.map(String.init) ?? ""))
        for n in notes.dropFirst() { out.append("              " + n) }
        out.append("")
        out.append("History")
        for h in b.history {
            out.append("  v\(h.version)  \(Format.stamp(h.at, zone))  \(who(h.actor))  \(h.action)")
            for ch in h.changes { out.append("        \(ch)") }
        }
        return out
    }

    /// A priced booking's money: price, deposit due, paid, balance (and fees), in the store's
    /// currency with its decimals, then each ledger entry; nothing for a booking with no price.
    static func moneyLines(for b: Booking, zone: Zone) -> [String] {
        guard let c = b.charges else { return [] }
        func m(_ v: Int64) -> String { Format.money(v, c.currency) }
        guard let paid = try? c.paid(), let balance = try? c.balance(status: b.status), let fees = try? c.fees() else {
            return ["Price         \(m(c.price)) (the ledger's totals are too large to add up)"]
        }
        var out = ["Price         \(m(c.price))" + (c.priceReason.map { " (set by hand: \($0))" } ?? "")]
        let due = max(0, c.deposit - paid)
        out.append("Deposit due   \(m(due))" + (c.deposit > 0 && due == 0 ? " (deposit \(m(c.deposit)) covered)" : ""))
        if fees > 0 { out.append("Fees          \(m(fees))") }
        out.append("Paid          \(m(paid))")
        out.append("Balance       \(m(balance))" + (balance < 0 ? " (due back)" : ""))
        for e in c.ledger {
            var line = "  \(e.kind == .refund ? "refund due" : e.kind.rawValue) \(m(e.amount))"
            if let method = e.method { line += " by \(method.rawValue)" }
            line += "  \(Format.stamp(e.at, zone)) \(e.actor.user)"
            if !e.reference.isEmpty { line += "  \(e.reference)" }
            out.append(line)
        }
        return out
    }

    let booking: Booking
    let state: BookingState
    let scroll: Int
    let keys: KeyMap
    /// Whether the customer's phone and e-mail are shown (the account's role allows them).
    var contact = true

    func draw(into grid: inout CellGrid) {
        let box = Box.page(in: grid)
        box.draw(into: &grid, title: "Booking \(booking.ref)")
        let all = Self.lines(for: booking, in: state, contact: contact)
        let room = box.capacity - 1
        for i in 0..<max(0, room) {
            let k = scroll + i
            guard k < all.count else { break }
            box.line(i, all[k], into: &grid)
        }
        box.line(box.capacity - 1, Self.hint(for: booking, keys: keys), into: &grid, role: .dim)
    }

    /// The keys that act on this booking in its status: a cancelled, completed or no-show
    /// booking offers no cancel, move or status change (they would only be refused).
    static func hint(for b: Booking, keys: KeyMap) -> String {
        var parts = ["Esc close", "j/k scroll"]
        if b.status.canMove(to: .cancelled) { parts.append("\(keys.hint(.cancelBooking)) cancel") }
        if !b.status.isFinal { parts += ["\(keys.hint(.move)) move", "\(keys.hint(.status)) status"] }
        if b.charges != nil { parts.append("\(keys.hint(.pay)) pay") }
        else { parts.append("\(Format.status(b.status)): no further changes") }
        return parts.joined(separator: " · ")
    }
}
