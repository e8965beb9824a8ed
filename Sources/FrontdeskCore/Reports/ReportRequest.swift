/// What a report covers: a period, how its rows are grouped, the zone the groups are read in,
/// the resources it is limited to, and the instant it is made at.
public struct ReportRequest: Hashable, Sendable {
    /// The half-open period. Utilisation counts the time inside it; the other reports count
    /// the bookings that start inside it (with all their money, whenever it was taken).
    public var period: TimeRange
    public var grouping: ReportGrouping
    /// The zone days, weeks, months and hours are read in.
    public var zone: Zone
    /// Only bookings holding one of these (and, for utilisation, only these rows); nil: all.
    public var resources: [ResourceID]?
    /// What "now" is: a `pending_payment` hold lapsed by then does not count as booked.
    public var now: Instant

    public init(period: TimeRange, grouping: ReportGrouping = .period, zone: Zone, resources: [ResourceID]? = nil, now: Instant) {
        self.period = period; self.grouping = grouping; self.zone = zone; self.resources = resources; self.now = now
    }
}
