/// Money taken and given back, by payment method and by service, grouped by the bookings' start.
///
/// Every ledger entry of every booking that starts in the period counts, whenever it was
/// recorded: payments positive, refunds negative, `net` their sum; fees charged are amounts
/// owed, not money taken, and are shown apart. Amounts are integer minor units of `currency`.
public struct TakingsReport: Hashable, Sendable {
    /// Money in one group by one payment method (nil: a refund recorded without one).
    public struct MethodRow: Hashable, Sendable {
        public var bucket: ReportBucket
        public var method: PaymentMethod?
        public var payments: Int64
        /// Zero or negative.
        public var refunds: Int64
        public var net: Int64
    }

    /// Money in one group for one service (nil: bookings with no service).
    public struct ServiceRow: Hashable, Sendable {
        public var bucket: ReportBucket
        public var service: ServiceID?
        public var payments: Int64
        /// Zero or negative.
        public var refunds: Int64
        public var net: Int64
        /// Late-cancellation and no-show fees charged.
        public var fees: Int64
    }

    /// The whole period.
    public struct Totals: Hashable, Sendable {
        public var payments: Int64
        /// Zero or negative.
        public var refunds: Int64
        public var net: Int64
        public var fees: Int64
        /// How many bookings carry money.
        public var bookings: Int64
    }

    public var request: ReportRequest
    /// nil: no booking in the period carries money and the store has no currency.
    public var currency: Currency?
    /// By group, then method (cash, card, transfer, external, none).
    public var byMethod: [MethodRow]
    /// By group, then service id (no service first).
    public var byService: [ServiceRow]
    /// Each method over the whole period.
    public var methodTotals: [MethodRow]
    /// Each service over the whole period.
    public var serviceTotals: [ServiceRow]
    public var total: Totals

    /// The report of `bookings` (each once) for `request`.
    ///
    /// - Throws: ``ReportError/currencyMismatch(booking:found:expected:)``, ``ReportError/overflow(booking:)``.
    /// - Complexity: O(n + e + g log g) for n bookings, e ledger entries and g rows.
    public static func make<S: Sequence>(_ request: ReportRequest, directory: BookingState, bookings: S) throws(ReportError) -> TakingsReport
    where S.Element == Booking {
        var b = try ReportBuilder(request, directory: directory)
        b.add(contentsOf: bookings)
        return try b.takings()
    }
}
