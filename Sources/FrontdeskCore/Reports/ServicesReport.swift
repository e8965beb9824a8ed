/// Bookings, booked hours and takings per service, grouped by the bookings' start.
///
/// Counts bookings with a customer that start in the period. `bookings` and `bookedSeconds`
/// (the booked time, without buffers) leave out cancelled ones; `takings` is the net money
/// (payments less refunds) of all of them, cancelled included, so it adds up to
/// ``TakingsReport``'s net for customers' bookings.
public struct ServicesReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var bucket: ReportBucket
        /// nil: bookings with no service.
        public var service: ServiceID?
        public var bookings: Int64
        public var bookedSeconds: Int64
        /// Net payments in minor units.
        public var takings: Int64
    }

    public var request: ReportRequest
    public var currency: Currency?
    /// By group, then service id (no service first).
    public var rows: [Row]
    /// Each service over the whole period.
    public var byService: [Row]
    /// All services over the whole period (`service` nil).
    public var total: Row

    /// The report of `bookings` (each once) for `request`.
    ///
    /// - Complexity: O(n + e + g log g) for n bookings, e ledger entries and g rows.
    public static func make<S: Sequence>(_ request: ReportRequest, directory: BookingState, bookings: S) throws(ReportError) -> ServicesReport
    where S.Element == Booking {
        var b = try ReportBuilder(request, directory: directory)
        b.add(contentsOf: bookings)
        return try b.services()
    }
}
