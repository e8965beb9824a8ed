/// A customer waiting for time on one of a set of resources.
public struct WaitlistEntry: Hashable, Sendable, Identifiable {
    public var id: WaitlistEntryID
    public var ref: String
    public var customer: CustomerID
    /// Any of these will do.
    public var resources: [ResourceID]
    /// The window the booking must fall inside.
    public var window: TimeRange
    public var duration: TimeSpan
    public var notes: String
    public var createdAt: Instant
    public var createdBy: Author
    /// Set once the entry became a booking.
    public var fulfilledBy: BookingID?
    /// Set when withdrawn.
    public var removedAt: Instant?
    /// The catalog service wanted (nil: any one of `resources` for `duration`). For a service,
    /// `resources` are those that could fill it when the entry was made, `duration` its
    /// duration, and the slot offered is a start where a whole combination is free.
    public var service: ServiceID?

    public var isOpen: Bool { fulfilledBy == nil && removedAt == nil }

    /// The memberwise initializer, at `package` level: readers of stored entries build them.
    package init(id: WaitlistEntryID, ref: String, customer: CustomerID, resources: [ResourceID], window: TimeRange,
                 duration: TimeSpan, notes: String, createdAt: Instant, createdBy: Author,
                 fulfilledBy: BookingID? = nil, removedAt: Instant? = nil, service: ServiceID? = nil) {
        self.id = id; self.ref = ref; self.customer = customer; self.resources = resources; self.window = window
        self.duration = duration; self.notes = notes; self.createdAt = createdAt; self.createdBy = createdBy
        self.fulfilledBy = fulfilledBy; self.removedAt = removedAt; self.service = service
    }
}
