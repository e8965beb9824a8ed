/// A customer waiting for time on one of a set of resources.
public struct WaitlistEntry: Hashable, Sendable, Codable, Identifiable {
    public var id: WaitlistEntryID
    public var ref: String
    public var customer: CustomerID
    /// Any of these will do.
    public var resources: [ResourceID]
    /// The window the booking must fall inside.
    public var window: TimeRange
    public var duration: Duration
    public var notes: String
    public var createdAt: Instant
    public var createdBy: Actor
    /// Set once the entry became a booking.
    public var fulfilledBy: BookingID?
    /// Set when withdrawn.
    public var removedAt: Instant?

    public var isOpen: Bool { fulfilledBy == nil && removedAt == nil }
}
