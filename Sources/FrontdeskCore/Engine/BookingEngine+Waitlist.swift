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

    /// Plans putting a customer on the waitlist for a catalog service within `window`: the slot
    /// is offered (`waitlist.slot_opened`) once a whole combination of resources that fills it
    /// is free, and booked as the service.
    ///
    /// - Throws: ``CoreError/notFound(kind:id:)``, ``CoreError/invalidInput(field:message:)``
    ///   for an archived service, one no resource can fill, or a window shorter than it.
    public func addServiceToWaitlist(customer: CustomerID, service: ServiceID, window: TimeRange, notes: String = "",
                                     in state: BookingState, by actor: Author) throws(CoreError) -> Planned<WaitlistEntry> {
        guard let s = state.services[service] else { throw .notFound(kind: "service", id: service.rawValue) }
        guard !s.archived else { throw .invalidInput(field: "service", message: "\"\(s.name)\" is archived and takes no new bookings") }
        let pool = state.candidates(for: s).map(\.id)
        guard !pool.isEmpty else { throw .invalidInput(field: "service", message: "no resource can fill \"\(s.name)\"") }
        var planned = try addToWaitlist(customer: customer, resources: pool, window: window, duration: s.duration, notes: notes, in: state, by: actor)
        planned.value.service = s.id
        planned.transaction.mutations = planned.transaction.mutations.map { m in
            if case .waitlist(var e) = m, e.id == planned.value.id { e.service = s.id; return .waitlist(e) }
            return m
        }
        return planned
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
        if let service = e.service { return try bookServiceFromWaitlist(e, service: service, slot: slot, status: status, in: state, by: actor) }
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

    /// A service entry booked as the service: at `slot`'s start if given, else at the first
    /// start in its window where a whole combination fits.
    private func bookServiceFromWaitlist(_ e: WaitlistEntry, service: ServiceID, slot: Slot?, status: BookingStatus,
                                         in state: BookingState, by actor: Author) throws(CoreError) -> Planned<BookingOutcome> {
        guard let s = state.services[service] else { throw .notFound(kind: "service", id: service.rawValue) }
        let start: Instant
        if let slot {
            guard e.window.contains(s.range(startingAt: slot.range.start)) else {
                throw .invalidInput(field: "slot", message: "must start inside the entry's window with the whole service")
            }
            start = slot.range.start
        } else {
            let zone = e.resources.first.flatMap { state.resources[$0]?.zone } ?? .utc
            guard let first = state.serviceStarts(s, within: e.window, now: clock.now(), zone: zone, limit: 1).first else { throw .conflict([]) }
            start = first.range.start
        }
        var planned = try bookService(ServiceBookingRequest(service: service, start: start, customer: .existing(e.customer), status: status, notes: e.notes),
                                      in: state, by: actor)
        var done = e
        done.fulfilledBy = planned.value.bookings.first?.id
        planned.transaction.mutations.append(.waitlist(done))
        return planned
    }
}
