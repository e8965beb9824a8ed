/// What a change reads: the bookings storage must have in memory (or inside its transaction)
/// before the plan runs. Computed by ``BookingEngine/footprint(of:in:)``.
public struct Footprint: Hashable, Sendable {
    /// Time ranges whose bookings the plan reads, sorted and apart, already widened by the
    /// largest buffer and a day, so that a neighbour's buffer and a booking that straddles a
    /// day are included.
    public var ranges: [TimeRange]
    /// The resources those bookings are on, with their parents and children, sorted; nil: all.
    public var resources: [ResourceID]?
    /// Bookings the change names that are not in the state: storage finds them first (by id),
    /// then asks for the footprint again, which then covers their current ranges.
    public var unresolved: [BookingID]
    /// Bookings whose whole series the change reads (it cancels or moves more than one
    /// occurrence): storage makes sure every occurrence is in memory.
    public var series: [BookingID]
    /// Idempotency keys the plan looks up, sorted, each once: storage that keeps the key
    /// table on disk loads the records of these keys (and may load more) before planning.
    public var idempotencyKeys: [String]
    /// Existing customers the change names (a booking's, a waitlist entry's): storage that
    /// loads customers lazily puts them in the state before the plan runs, sorted.
    public var customers: [CustomerID]

    public init(ranges: [TimeRange] = [], resources: [ResourceID]? = nil, unresolved: [BookingID] = [], series: [BookingID] = [],
                idempotencyKeys: [String] = [], customers: [CustomerID] = []) {
        self.ranges = ranges; self.resources = resources; self.unresolved = unresolved; self.series = series
        self.idempotencyKeys = idempotencyKeys; self.customers = customers
    }

    /// Nothing to read beyond the reference data.
    public var isEmpty: Bool { ranges.isEmpty && unresolved.isEmpty && series.isEmpty && idempotencyKeys.isEmpty && customers.isEmpty }
}
