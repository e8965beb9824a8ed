extension BookingEngine {
    /// Plans putting a customer on the waitlist for any of `resources` within `window`.
    public func addToWaitlist(customer: CustomerID, resources: [ResourceID], window: TimeRange, duration: TimeSpan, notes: String = "",
                              in state: BookingState, by actor: Author) throws(CoreError) -> Planned<WaitlistEntry> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        guard state.customers[customer] != nil else { throw .notFound(kind: "customer", id: customer.rawValue) }
        guard !resources.isEmpty else { throw .invalidInput(field: "resource", message: "name at least one resource") }
        for r in resources { _ = try resource(r, in: state) }
        try Self.validRange(window)
        try SupportedRange.check(window, startField: "from", endField: "to")
        guard duration.seconds > 0, duration <= window.duration else {
            throw .invalidInput(field: "duration", message: "must be positive and fit inside the window")
        }
        let e = WaitlistEntry(id: WaitlistEntryID("wl_" + ids.next()), ref: plan.nextWaitlistRef(), customer: customer, resources: resources,
                              window: window, duration: duration, notes: try TextRules.notes(notes), createdAt: plan.now, createdBy: actor,
                              fulfilledBy: nil, removedAt: nil)
        plan.record(.waitlist(e))
        return Planned(transaction: plan.finish(), value: e)
    }

    /// Plans withdrawing a waitlist entry.
    public func removeFromWaitlist(_ id: WaitlistEntryID, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<WaitlistEntry> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        guard var e = state.waitlist[id], e.isOpen else { throw .notFound(kind: "waitlist entry", id: id.rawValue) }
        e.removedAt = plan.now
        plan.record(.waitlist(e))
        return Planned(transaction: plan.finish(), value: e)
    }

    /// Plans turning a waitlist entry into a booking: at `slot` if given, else at the first free
    /// slot that fits the entry.
    public func bookFromWaitlist(_ id: WaitlistEntryID, slot: Slot? = nil, status: BookingStatus = .confirmed,
                                 in state: BookingState, by actor: Author) throws(CoreError) -> Planned<BookingOutcome> {
        guard let e = state.waitlist[id], e.isOpen else { throw .notFound(kind: "waitlist entry", id: id.rawValue) }
        let chosen: Slot
        if let slot {
            guard e.resources.contains(slot.resource), e.window.contains(slot.range) else {
                throw .invalidInput(field: "slot", message: "must be on one of the entry's resources and inside its window")
            }
            chosen = slot
        } else {
            guard let first = state.firstFreeSlot(FreeSlotQuery(resources: e.resources, window: e.window, duration: e.duration), now: clock.now()) else {
                throw .conflict([])
            }
            chosen = first
        }
        var planned = try book(BookingRequest(resource: chosen.resource, customer: .existing(e.customer), range: chosen.range, status: status, notes: e.notes),
                               in: state, by: actor)
        var done = e
        done.fulfilledBy = planned.value.bookings.first?.id
        planned.transaction.mutations.append(.waitlist(done))
        return planned
    }
}
