import FrontdeskCore

/// One event owed to one target: waiting for its first try, or for a retry after failures.
public struct DeliveryJob: Codable, Hashable, Sendable {
    /// Journal sequence of the record the event came from.
    public var sequence: UInt64
    /// Position of the event within its record (records may carry several).
    public var index: Int
    public var event: DomainEvent
    public var target: DeliveryTarget
    /// Attempts made so far.
    public var attempts: Int
    /// Not to be tried before this instant.
    public var notBefore: Instant
    /// The last failure, for `deliveries --failed` and dead letters.
    public var lastError: String?

    /// Events with the same key reach one target in journal order: the booking, else the
    /// waitlist entry, else the event itself.
    public var orderingKey: String {
        if let b = event.booking { return "booking:" + b.id.rawValue }
        if let w = event.waitlistEntry { return "waitlist:" + w.id.rawValue }
        return "event:" + event.id
    }

    /// Journal position, for sorting.
    var position: (UInt64, Int) { (sequence, index) }
}
