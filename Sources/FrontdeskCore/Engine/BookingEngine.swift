/// Plans every change to bookings: checks the rules, the state machine, conflicts, versions and
/// idempotency against the state it is given, and returns a transaction to store.
///
/// The engine never mutates the state. The store calls it under its write lock, after catching
/// up with other processes, so the checks run against the latest state; it then journals the
/// transaction and applies it. That ordering is what makes double bookings impossible.
public struct BookingEngine: Sendable {
    public let clock: any WallClock
    public let ids: any IdentifierSource
    /// How long a `pending_payment` hold lasts when the request does not say.
    public var defaultHold: TimeSpan
    /// How long idempotency keys are kept.
    public var idempotencyRetention: TimeSpan

    public init(clock: any WallClock, ids: any IdentifierSource = RandomIdentifierSource(),
                defaultHold: TimeSpan = .minutes(15), idempotencyRetention: TimeSpan = .days(30)) {
        self.clock = clock; self.ids = ids; self.defaultHold = defaultHold; self.idempotencyRetention = idempotencyRetention
    }

    func newPlan(_ state: BookingState, _ actor: Author) -> ChangePlan {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        plan.expireHolds()
        return plan
    }

    /// Only expires lapsed holds (the deliverer and any idle writer call it).
    public func expireHolds(in state: BookingState) -> Transaction {
        var plan = newPlan(state, .system)
        return plan.finish()
    }

    // MARK: Shared checks

    func resource(_ id: ResourceID, in state: BookingState) throws(CoreError) -> Resource {
        guard let r = state.resources[id] else { throw .notFound(kind: "resource", id: id.rawValue) }
        return r
    }

    func existingBooking(_ id: BookingID, in plan: ChangePlan, expectVersion: Int?) throws(CoreError) -> Booking {
        guard let b = plan.booking(id) else { throw .notFound(kind: "booking", id: id.rawValue) }
        if let v = expectVersion, v != b.version { throw .staleVersion(id: b.ref, expected: v, current: b.version) }
        return b
    }

    /// The first policy refusal for a booking of `range` on `resource`, if any
    /// (``BookingState/policyRefusal(_:booked:buffered:now:checkWindow:)`` at the plan's time).
    func policyRefusal(_ resource: Resource, _ range: TimeRange, in plan: ChangePlan, checkWindow: Bool = true) -> CoreError? {
        plan.state.policyRefusal(resource, booked: range, buffered: range, now: plan.now, checkWindow: checkWindow)
    }

    /// Throws a policy refusal unless there is an override reason.
    func enforcePolicy(_ resource: Resource, _ range: TimeRange, in plan: ChangePlan, override: String?, checkWindow: Bool = true) throws(CoreError) {
        if let refusal = policyRefusal(resource, range, in: plan, checkWindow: checkWindow), override == nil { throw refusal }
    }

    static func validRange(_ range: TimeRange) throws(CoreError) {
        guard range.end > range.start else { throw .emptyRange(start: range.start, end: range.end) }
    }

    static func overrideReason(_ text: String?) throws(CoreError) -> String? {
        guard let text else { return nil }
        let t = text.trimmingSpaces
        guard !t.isEmpty else { throw .invalidInput(field: "override", message: "an override needs a reason") }
        return try TextRules.optional(t, field: "override")
    }
}

extension BookingState {
    /// The instant for a wall-clock time in a resource's zone: the first occurrence when the
    /// clocks go back, an error when the time does not exist (the clocks went forward).
    public func instant(_ local: LocalDateTime, on resource: ResourceID) throws(CoreError) -> Instant {
        guard let r = resources[resource] else { throw .notFound(kind: "resource", id: resource.rawValue) }
        guard let i = r.zone.instant(local) else { throw .nonexistentLocalTime(local, zone: r.zone) }
        return i
    }
}
