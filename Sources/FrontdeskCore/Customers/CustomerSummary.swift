/// The facts about one customer that `customer show` prints and the TUI's customer view
/// shows: upcoming and past bookings, money totals and attendance counts. Computed in one
/// place (``make(customer:bookings:now:currency:historyLimit:)``) so both say the same.
public struct CustomerSummary: Hashable, Sendable {
    public var customer: Customer
    /// Bookings not over yet at `now`, soonest first.
    public var upcoming: [Booking]
    /// Bookings over by `now`, most recent first, at most the limit asked for.
    public var past: [Booking]
    /// How many bookings are over by `now`, however many ``past`` holds.
    public var pastCount: Int
    /// The store's currency; nil when it has none, and then ``paid`` and ``due`` are nil too.
    public var currency: Currency?
    /// Payments less refunds over every booking of the customer, in minor units.
    public var paid: Int64?
    /// What the customer still owes: the sum of the bookings' balances that are positive.
    public var due: Int64?
    /// Bookings marked `no_show`.
    public var noShows: Int
    /// Bookings cancelled inside their cancellation notice.
    public var lateCancellations: Int

    /// The summary of `customer` from `bookings` (every booking of theirs, any status, any
    /// order). Amounts count only bookings charged in `currency`.
    ///
    /// - Throws: ``MoneyError/overflow`` when the totals do not fit (only forged records can).
    /// - Complexity: O(b log b) for b bookings.
    public static func make(customer: Customer, bookings: [Booking], now: Instant, currency: Currency?,
                            historyLimit: Int = .max) throws(MoneyError) -> CustomerSummary {
        let sorted = bookings.sorted { ($0.range.start, $0.id.rawValue) < ($1.range.start, $1.id.rawValue) }
        let upcoming = sorted.filter { $0.range.end > now }
        let over = sorted.filter { $0.range.end <= now }
        var paid: Int64? = nil, due: Int64? = nil
        if let currency {
            var p: Int64 = 0, d: Int64 = 0
            for b in sorted {
                guard let c = b.charges, c.currency == currency else { continue }
                p = try Money.checked(p.addingReportingOverflow(try c.paid()))
                let balance = try c.balance(status: b.status)
                if balance > 0 { d = try Money.checked(d.addingReportingOverflow(balance)) }
            }
            paid = p
            due = d
        }
        return CustomerSummary(customer: customer, upcoming: upcoming, past: Array(over.reversed().prefix(max(0, historyLimit))),
                               pastCount: over.count, currency: currency, paid: paid, due: due,
                               noShows: sorted.count(where: { $0.status == .noShow }),
                               lateCancellations: sorted.count(where: { $0.status == .cancelled && $0.cancellation?.late == true }))
    }

    public init(customer: Customer, upcoming: [Booking], past: [Booking], pastCount: Int, currency: Currency?, paid: Int64?, due: Int64?,
                noShows: Int, lateCancellations: Int) {
        self.customer = customer; self.upcoming = upcoming; self.past = past; self.pastCount = pastCount; self.currency = currency
        self.paid = paid; self.due = due; self.noShows = noShows; self.lateCancellations = lateCancellations
    }

    /// An amount of ``currency`` as text ("38.00 GBP"); nil without a currency.
    public func text(_ minorUnits: Int64?) -> String? {
        guard let currency, let minorUnits else { return nil }
        return Money(minorUnits: minorUnits, currency: currency).description
    }
}
