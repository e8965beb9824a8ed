/// Cancellations and late cancellations among the customers' bookings, grouped by the bookings' start.
///
/// Counts bookings with a customer (not blocked time) that start in the period, whatever
/// their status; `late` are cancellations inside the cancellation notice, `lateFees` the
/// late-cancellation fees charged on cancelled bookings, in minor units.
public struct CancellationReport: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var bucket: ReportBucket
        public var bookings: Int64
        public var cancelled: Int64
        /// Cancelled inside the notice (a subset of `cancelled`).
        public var late: Int64
        /// Fees charged on cancelled bookings, in minor units.
        public var lateFees: Int64
        /// Cancelled over bookings.
        public var cancelRate: ReportRate { ReportRate(cancelled, of: bookings) }
        /// Late cancellations over bookings.
        public var lateRate: ReportRate { ReportRate(late, of: bookings) }
    }

    public var request: ReportRequest
    public var currency: Currency?
    /// One row per group with bookings, in time order.
    public var rows: [Row]
    public var total: Row

    /// The report of `bookings` (each once) for `request`.
    ///
    /// - Complexity: O(n + g log g) for n bookings and g groups.
    public static func make<S: Sequence>(_ request: ReportRequest, directory: BookingState, bookings: S) throws(ReportError) -> CancellationReport
    where S.Element == Booking {
        var b = try ReportBuilder(request, directory: directory)
        b.add(contentsOf: bookings)
        return try b.cancellations()
    }
}
