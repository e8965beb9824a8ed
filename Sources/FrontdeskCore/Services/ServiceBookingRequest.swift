/// A request to book a service: its duration and buffers come from the catalog, its
/// resources are chosen (``ResourceChooser``) unless fixed.
public struct ServiceBookingRequest: Hashable, Sendable {
    public var service: ServiceID
    public var start: Instant
    public var customer: CustomerChoice?
    /// Resources the caller named (`--resource`): each must fill one of the requirements.
    public var fixed: [ResourceID]
    /// Resources to try first where they fit (the customer's last stylist).
    public var preferred: [ResourceID]
    public var status: BookingStatus
    public var hold: TimeSpan?
    public var notes: String
    public var idempotencyKey: String?
    /// A manager's reason for letting it past policy refusals (never past a conflict).
    public var overrideReason: String?
    /// A price set by hand in place of the service's (a manager override whose draft carries
    /// the reason); nil: the service's price, deposit and fees.
    public var price: PriceDraft?

    public init(service: ServiceID, start: Instant, customer: CustomerChoice? = nil, fixed: [ResourceID] = [], preferred: [ResourceID] = [],
                status: BookingStatus = .confirmed, hold: TimeSpan? = nil, notes: String = "", idempotencyKey: String? = nil,
                overrideReason: String? = nil, price: PriceDraft? = nil) {
        self.service = service; self.start = start; self.customer = customer; self.fixed = fixed; self.preferred = preferred
        self.status = status; self.hold = hold; self.notes = notes; self.idempotencyKey = idempotencyKey; self.overrideReason = overrideReason
        self.price = price
    }
}
