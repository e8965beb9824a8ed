/// No-shows among the customers' bookings that stood, grouped by the bookings' start.
///
/// Counts bookings with a customer (not blocked time) that start in the period and were not
/// cancelled; `noShows` are those marked `no_show`, `fees` the no-show fees charged on them
/// in minor units.
public struct NoShowReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var bucket: ReportBucket
        /// Bookings not cancelled.
        public var bookings: Int64
        public var noShows: Int64
        /// Fees charged on the no-shows, in minor units.
        public var fees: Int64
        /// No-shows over bookings.
        public var rate: ReportRate { ReportRate(noShows, of: bookings) }
    }

    public var request: ReportRequest
    /// The currency of `fees` (nil: no booking in it carries money and the store has none).
    public var currency: Currency?
    /// One row per group with bookings, in time order.
    public var rows: [Row]
    /// The whole period.
    public var total: Row

    /// The report of `bookings` (each once) for `request`.
    ///
    /// - Complexity: O(n + g log g) for n bookings and g groups.
    public static func make<S: Sequence>(_ request: ReportRequest, directory: BookingState, bookings: S) throws(ReportError) -> NoShowReport
    where S.Element == Booking {
        var b = try ReportBuilder(request, directory: directory)
        b.add(contentsOf: bookings)
        return try b.noShows()
    }
}
