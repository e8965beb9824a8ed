/// Something a business sells by time: "Cut & blow-dry, 45 min, needs a stylist and a chair".
///
/// Amounts are integer minor units of the store's currency (pence, cents), nil when not set;
/// never floating point.
public struct Service: Hashable, Sendable, Identifiable {
    /// Most resources one requirement may ask for.
    public static let maximumCount = 9
    /// Most requirements of one service.
    public static let maximumRequirements = 8
    /// Largest amount accepted, in minor units (ten billion units of the currency).
    public static let maximumAmount: Int64 = 1_000_000_000_000

    public var id: ServiceID
    /// Unique among services not archived, ignoring case.
    public var name: String
    /// How long the customer is booked for.
    public var duration: TimeSpan
    /// Set-up time every chosen resource must also be free for, before the start.
    public var bufferBefore: TimeSpan
    /// Clean-up time every chosen resource must also be free for, after the end.
    public var bufferAfter: TimeSpan
    /// What it needs at once, each satisfied by different resources.
    public var requirements: [ServiceRequirement]
    /// The price in minor units.
    public var price: Int64?
    /// The deposit due when booking, in minor units (at most the price).
    public var deposit: Int64?
    /// What a cancellation inside the cancellation notice costs, in minor units.
    public var lateCancellationFee: Int64?
    /// What a no-show costs, in minor units.
    public var noShowFee: Int64?
    /// Retired services keep their history but take no new bookings.
    public var archived: Bool
    public var version: Int

    public init(id: ServiceID = ServiceID(""), name: String, duration: TimeSpan, bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero,
                requirements: [ServiceRequirement], price: Int64? = nil, deposit: Int64? = nil, lateCancellationFee: Int64? = nil,
                noShowFee: Int64? = nil, archived: Bool = false, version: Int = 1) {
        self.id = id; self.name = name; self.duration = duration; self.bufferBefore = bufferBefore; self.bufferAfter = bufferAfter
        self.requirements = requirements; self.price = price; self.deposit = deposit; self.lateCancellationFee = lateCancellationFee
        self.noShowFee = noShowFee; self.archived = archived; self.version = version
    }

    /// How many resources a booking of it holds at once.
    public var resourceCount: Int { requirements.reduce(0) { $0 + $1.count } }

    /// The booked time starting at `start`, without buffers.
    public func range(startingAt start: Instant) -> TimeRange { TimeRange(start: start, end: start + duration) }

    /// The time every chosen resource must be free for: the booked time widened by the buffers.
    public func footprint(startingAt start: Instant) -> TimeRange {
        range(startingAt: start).widened(before: bufferBefore, after: bufferAfter)
    }
}
