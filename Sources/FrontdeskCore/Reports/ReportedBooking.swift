/// The fields of a booking that reports read, and nothing else: what a scan over a long period
/// decodes from each stored booking instead of the whole record (no history, notes, authors or
/// timestamps), so that a year of a million bookings costs its ranges, not its documents.
///
/// ``ReportBuilder`` makes every report from these; a whole ``Booking`` is added through
/// ``init(_:)``, so a report from bookings in memory and one from a projected scan are the same
/// computation.
public struct ReportedBooking: Hashable, Sendable {
    public var id: BookingID
    /// The short reference, for messages (``ReportError``).
    public var ref: String
    /// The home resource.
    public var resource: ResourceID
    /// The other resources it holds (``Booking/otherResources``).
    public var otherResources: [ResourceID]
    public var customer: CustomerID?
    public var range: TimeRange
    public var status: BookingStatus
    /// When a `pending_payment` hold lapses.
    public var holdExpiresAt: Instant?
    /// Whether it was cancelled late (``Cancellation/late``); false when not cancelled.
    public var lateCancellation: Bool
    public var service: ServiceID?
    /// The booking's own set-up and clean-up (``Booking/bufferBefore``, ``Booking/bufferAfter``).
    public var bufferBefore: TimeSpan
    public var bufferAfter: TimeSpan
    /// Price, fees and the payments ledger; nil for a booking without money.
    public var charges: Charges?

    public init(id: BookingID, ref: String, resource: ResourceID, otherResources: [ResourceID] = [], customer: CustomerID?,
                range: TimeRange, status: BookingStatus, holdExpiresAt: Instant?, lateCancellation: Bool,
                service: ServiceID?, bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero, charges: Charges?) {
        self.id = id; self.ref = ref; self.resource = resource; self.otherResources = otherResources
        self.customer = customer; self.range = range; self.status = status; self.holdExpiresAt = holdExpiresAt
        self.lateCancellation = lateCancellation; self.service = service
        self.bufferBefore = bufferBefore; self.bufferAfter = bufferAfter; self.charges = charges
    }

    /// The report fields of `b`.
    public init(_ b: Booking) {
        self.init(id: b.id, ref: b.ref, resource: b.resource, otherResources: b.otherResources, customer: b.customer,
                  range: b.range, status: b.status, holdExpiresAt: b.holdExpiresAt, lateCancellation: b.cancellation?.late ?? false,
                  service: b.service, bufferBefore: b.bufferBefore, bufferAfter: b.bufferAfter, charges: b.charges)
    }

    /// Every resource it holds: `resource` first, then `otherResources`.
    public var resources: [ResourceID] { otherResources.isEmpty ? [resource] : [resource] + otherResources }

    /// Whether it still keeps others out of its slot at `now` (``Booking/blocks(at:)``).
    public func blocks(at now: Instant) -> Bool { status.blocks(holdExpiresAt: holdExpiresAt, at: now) }

    /// Whether it holds any of `set`. - Complexity: O(resources held).
    func holds(anyOf set: Set<ResourceID>) -> Bool {
        set.contains(resource) || (!otherResources.isEmpty && otherResources.contains(where: set.contains))
    }

    /// The time it keeps a resource from others: its range widened on each side by the larger
    /// of that resource's buffer (`policy`) and its own (its service's), as the conflict index
    /// holds it (``EffectivePolicy/buffered(_:before:after:)``).
    func occupiedRange(with policy: EffectivePolicy) -> TimeRange {
        policy.buffered(range, before: bufferBefore, after: bufferAfter)
    }
}
