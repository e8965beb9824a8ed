import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// One event owed to one target: waiting for its first try, or for a retry after failures.
public struct DeliveryJob: Hashable, Sendable {
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

    /// The memberwise initializer, at `package` level: a shared outbox (FrontdeskPostgres)
    /// builds the jobs it claims.
    package init(sequence: UInt64, index: Int, event: DomainEvent, target: DeliveryTarget, attempts: Int, notBefore: Instant, lastError: String?) {
        self.sequence = sequence; self.index = index; self.event = event; self.target = target
        self.attempts = attempts; self.notBefore = notBefore; self.lastError = lastError
    }

    /// Events with the same key reach one target in journal order: the booking, else the
    /// waitlist entry, else the changed entity, else the event itself.
    public var orderingKey: String {
        if let b = event.booking { return "booking:" + b.id.rawValue }
        if let w = event.waitlistEntry { return "waitlist:" + w.id.rawValue }
        if let c = event.change { return c.entity.rawValue + ":" + c.id }
        return "event:" + event.id
    }

    /// The job as `delivery-state.json` holds it; `lastError` is left out when not set, the
    /// event as the store writes it (``EventSchema/tree(_:)``).
    ///
    /// - Throws: ``StoreError`` when the event has a time the store cannot write.
    func json() throws(StoreError) -> JSONTree {
        var o: [String: JSONTree] = ["sequence": .integer(sequence), "index": .integer(index), "event": try EventSchema.tree(event),
                                     "target": .string(target.description), "attempts": .integer(attempts),
                                     "notBefore": .string(notBefore.iso8601)]
        o["lastError"] = lastError.map { .string($0) }
        return .object(o)
    }

    /// Journal position, for sorting.
    var position: (UInt64, Int) { (sequence, index) }
}

extension DeliveryJob {
    /// Reads a job of `delivery-state.json`.
    init(_ v: SchemaValue) throws(SchemaError) {
        let f = try v.object()
        let targetValue = try f.value("target")
        let targetText = try targetValue.string()
        guard let target = DeliveryTarget(text: targetText) else { throw targetValue.error("not a delivery target: \(targetText)") }
        self.init(sequence: try f.integer("sequence", as: UInt64.self), index: try f.integer("index", as: Int.self),
                  event: try EventSchema.read(try f.value("event")), target: target, attempts: try f.integer("attempts", as: Int.self),
                  notBefore: try f.value("notBefore").instant(), lastError: try f.optional("lastError")?.string())
    }
}
