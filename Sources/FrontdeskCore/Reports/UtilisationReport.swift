/// Booked time over open time per resource, grouped in time.
///
/// Open time is the resource's opening hours less its blackouts (``AvailabilityRules``,
/// always open without a schedule). Booked time is the union of the time its bookings keep it
/// from others: each booking that still occupies its slot at the report's `now` (not
/// cancelled, not a no-show, not a lapsed hold), widened by the resource's buffers; a booking
/// of several resources counts on each. A booking outside the opening hours is booked time
/// too, so a rate may pass 100%. Time is in whole seconds, rates from integer arithmetic.
public struct UtilisationReport: Hashable, Sendable {
    /// One resource (nil: all of them) in one group (``ReportBucket``; the whole period for totals).
    public struct Row: Hashable, Sendable {
        public var resource: ResourceID?
        public var bucket: ReportBucket
        /// Seconds open and not blacked out.
        public var openSeconds: Int64
        /// Seconds booked (buffers included).
        public var bookedSeconds: Int64
        /// Booked over open.
        public var rate: ReportRate { ReportRate(bookedSeconds, of: openSeconds) }
    }

    public var request: ReportRequest
    /// The resources reported, in reference order.
    public var resources: [ResourceID]
    /// Each resource's groups with open or booked time, by resource then time.
    public var rows: [Row]
    /// One row per resource over the whole period, in `resources` order.
    public var byResource: [Row]
    /// All resources together, one row per group, in time order (the chart's bars).
    public var byBucket: [Row]
    /// All resources over the whole period.
    public var total: Row

    /// The report of `bookings` (each once) for `request`, with resources, schedules and policies from `directory`.
    ///
    /// - Complexity: O(n log n + g) for n bookings and g groups crossed (see ``ReportBuilder``).
    public static func make<S: Sequence>(_ request: ReportRequest, directory: BookingState, bookings: S) throws(ReportError) -> UtilisationReport
    where S.Element == Booking {
        var b = try ReportBuilder(request, directory: directory)
        b.add(contentsOf: bookings)
        return try b.utilisation()
    }
}
