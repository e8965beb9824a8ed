extension BookingEngine {
    /// The bookings a series-scoped change covers, starting with the one named.
    func targets(_ b: Booking, scope: SeriesScope, in plan: ChangePlan) -> [Booking] {
        guard scope != .this, let s = b.series else { return [b] }
        let members = plan.state.series(s).compactMap { plan.booking($0.id) }.filter { !$0.status.isFinal }
        let chosen = scope == .all ? members : members.filter { $0.start >= b.start }
        return [b] + chosen.filter { $0.id != b.id }
    }

    /// Plans cancelling a booking (or more of its series).
    ///
    /// Inside the resource's cancellation notice the request is refused unless it carries an
    /// override reason; the booking is then marked a late cancellation.
    public func cancel(_ id: BookingID, reason: String, scope: SeriesScope = .this, expectVersion: Int? = nil,
                       overrideReason: String? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<[Booking]> {
        var plan = newPlan(state, actor)
        let first = try existingBooking(id, in: plan, expectVersion: expectVersion)
        let why = try TextRules.optional(reason, field: "reason", maxLength: 500) ?? "no reason given"
        let override = try Self.overrideReason(overrideReason)
        // A lapsed hold was already cancelled by `newPlan`, so it is refused here as cancelled.
        guard first.status.canMove(to: .cancelled) else { throw .invalidTransition(from: first.status, to: .cancelled) }
        var done: [Booking] = []
        for var b in targets(first, scope: scope, in: plan) {
            let notice = cancellationNotice(of: b, in: plan.state)
            let late = notice.seconds > 0 && plan.now > b.start - notice
            if late && override == nil { throw .insideCancellationNotice(notice: notice, start: b.start) }
            let from = b.status
            b.status = .cancelled
            b.cancellation = Cancellation(at: plan.now, by: actor.user, reason: why, late: late)
            if late { b.overrideReason = override }
            var changes = ["status \(from) → cancelled", "reason: \(why)"]
            if late { changes.append("late cancellation, override: \(override ?? "")") }
            let fee = late ? chargeFee(&b, lateCancellation: true, plan: &plan, changes: &changes) : nil
            touch(&b, action: "cancelled", changes: changes, plan: plan, actor: actor)
            plan.put(b)
            plan.emit(.bookingCancelled, booking: b)
            if let fee { plan.emit(.feeCharged, booking: b, ledgerEntry: fee) }
            done.append(b)
        }
        return Planned(transaction: plan.finish(), value: done)
    }

    /// Plans moving a booking to a new range (and optionally another resource). With a series
    /// scope, every covered occurrence moves by the same wall-clock shift and takes the new length.
    ///
    /// `resources`, when given, replaces every resource the booking holds (the first becomes
    /// its home); else `resource` replaces its home and it keeps its other resources. Every
    /// resource it will hold is checked, all or none.
    ///
    /// Moving a booking that starts inside its resource's cancellation notice frees its slot as
    /// late as a cancellation would, so it follows the same policy: refused unless the request
    /// carries an override reason, and then recorded as a late change (`lateReschedule`).
    public func reschedule(_ id: BookingID, to range: TimeRange, resource newResource: ResourceID? = nil,
                           resources newResources: [ResourceID]? = nil, scope: SeriesScope = .this,
                           expectVersion: Int? = nil, overrideReason: String? = nil,
                           in state: BookingState, by actor: Author) throws(CoreError) -> Planned<[Booking]> {
        var plan = newPlan(state, actor)
        let first = try existingBooking(id, in: plan, expectVersion: expectVersion)
        guard !first.status.isFinal else { throw .finalStatus(id: first.ref, status: first.status) }
        try Self.validRange(range)
        try SupportedRange.check(range)
        let override = try Self.overrideReason(overrideReason)
        var targetIDs = first.resources
        if let newResources { targetIDs = newResources } else if let newResource {
            targetIDs = [newResource] + first.otherResources.filter { $0 != newResource }
        }
        let held = try heldResources(targetIDs, in: state)
        let targetResource = held[0]
        let heldIDs = held.map(\.id)

        let oldZone = try resource(first.resource, in: state).zone
        let oldLocal = oldZone.local(first.start)
        let newLocal = targetResource.zone.local(range.start)
        let dayShift = Int(newLocal.date.daysSinceEpoch - oldLocal.date.daysSinceEpoch)
        let secondShift = newLocal.secondOfDay - oldLocal.secondOfDay

        var moves: [(Booking, TimeRange)] = []
        for b in targets(first, scope: scope, in: plan) {
            if b.id == first.id { moves.append((b, range)); continue }
            let local = oldZone.local(b.start)
            var sod = local.secondOfDay + secondShift
            var date = local.date.adding(days: dayShift)
            if sod < 0 { sod += 86400; date = date.adding(days: -1) } else if sod >= 86400 { sod -= 86400; date = date.adding(days: 1) }
            guard SupportedRange.contains(date) else {
                throw .outsideSupportedRange(field: "start", value: "the occurrence moved to \(date)")
            }
            let start = targetResource.zone.instantOrNextAfterGap(LocalDateTime(date: date, secondOfDay: sod))
            let moved = TimeRange(start: start, end: start + range.duration)
            guard SupportedRange.contains(moved) else {
                throw .outsideSupportedRange(field: "start", value: "the occurrence moved to \(moved.start) – \(moved.end)")
            }
            moves.append((b, moved))
        }
        let moving = Set(moves.map(\.0.id))
        // Late: the booking leaves a slot inside its cancellation notice (as a late cancellation).
        var late: Set<BookingID> = []
        for (b, _) in moves {
            let notice = cancellationNotice(of: b, in: plan.state)
            guard notice.seconds > 0, plan.now > b.start - notice else { continue }
            if override == nil { throw .insideCancellationNotice(notice: notice, start: b.start) }
            late.insert(b.id)
        }
        var conflicts: [ConflictingBooking] = []
        for (b, r) in moves {
            if let refusal = policyRefusal(held, r, in: plan), override == nil { throw refusal }
            if b.status.occupiesSlot {
                conflicts += self.conflicts(on: heldIDs, range: r, in: plan, excluding: moving, bufferBefore: b.bufferBefore, bufferAfter: b.bufferAfter)
            }
        }
        if !conflicts.isEmpty { throw .conflict(conflicts) }
        // Moved occurrences must not collide with each other either.
        let sorted = moves.map(\.1).sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.overlaps(b) {
            throw .invalidInput(field: "start", message: "the moved occurrences would overlap each other")
        }

        var done: [Booking] = []
        for (var b, r) in moves {
            let old = b
            b.range = r
            b.resource = targetResource.id
            b.otherResources = Array(heldIDs.dropFirst())
            if old.status == .pendingPayment, let exp = old.holdExpiresAt { b.holdExpiresAt = exp }
            if override != nil, late.contains(b.id) || policyRefusal(held, r, in: plan) != nil { b.overrideReason = override }
            var changes = ["time \(old.start) – \(old.end) → \(r.start) – \(r.end)"]
            if late.contains(b.id) { changes.append(Booking.lateRescheduleMark + ", override: \(override ?? "")") }
            if old.otherResources.isEmpty && b.otherResources.isEmpty {
                if old.resource != b.resource {
                    changes.append("resource \(state.resources[old.resource]?.name ?? old.resource.rawValue) → \(targetResource.name)")
                }
            } else if old.resources != b.resources {
                changes.append("resources \(state.resourceNames(old.resources)) → \(state.resourceNames(b.resources))")
            }
            touch(&b, action: "rescheduled", changes: changes, plan: plan, actor: actor)
            plan.put(b)
            plan.emit(.bookingRescheduled, booking: b)
            done.append(b)
        }
        return Planned(transaction: plan.finish(), value: done)
    }

    /// Plans taking back a cancellation: the same booking (same id, reference and series) at
    /// its old time and status again, as a new version, so an undo at the desk does not turn
    /// into a new booking that drops out of its series.
    ///
    /// The status is the one it had before it was cancelled (a lapsed hold comes back as
    /// `tentative`). Refused when it is not cancelled or its slot is taken meanwhile; booking
    /// policies are not applied again (it was booked under them once).
    public func restoreCancelled(_ id: BookingID, expectVersion: Int? = nil,
                                 in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Booking> {
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: expectVersion)
        guard b.status == .cancelled, let cancellation = b.cancellation else {
            throw .invalidInput(field: "booking", message: "\(b.ref) is \(b.status), not cancelled; only a cancellation can be taken back")
        }
        var status = b.statusBeforeCancellation
        if status == .pendingPayment { status = .tentative }
        let conflicts = self.conflicts(on: b.resources, range: b.range, in: plan, excluding: [b.id], bufferBefore: b.bufferBefore, bufferAfter: b.bufferAfter)
        if !conflicts.isEmpty { throw .conflict(conflicts) }
        b.status = status
        b.cancellation = nil
        b.holdExpiresAt = nil
        touch(&b, action: "restored", changes: ["status cancelled → \(status)", "cancellation taken back (was: \(cancellation.reason))"],
              plan: plan, actor: actor)
        plan.put(b)
        plan.emit(.bookingUpdated, booking: b)
        return Planned(transaction: plan.finish(), value: b)
    }

    /// Plans a status change through the state machine (confirm, complete, no-show, tentative).
    public func setStatus(_ id: BookingID, to status: BookingStatus, expectVersion: Int? = nil,
                          in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Booking> {
        guard status != .cancelled else {
            throw .invalidInput(field: "status", message: "use cancel to cancel a booking (it asks for a reason)")
        }
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: expectVersion)
        guard b.status.canMove(to: status) else { throw .invalidTransition(from: b.status, to: status) }
        if BookingStatus.requiresStarted.contains(status), plan.now < b.start { throw .notStarted(status: status, start: b.start) }
        let from = b.status
        b.status = status
        if from == .pendingPayment { b.holdExpiresAt = nil }
        var changes = ["status \(from) → \(status)"]
        let fee = status == .noShow ? chargeFee(&b, lateCancellation: false, plan: &plan, changes: &changes) : nil
        touch(&b, action: status.rawValue, changes: changes, plan: plan, actor: actor)
        plan.put(b)
        plan.emit(.statusChange(to: status), booking: b)
        if let fee { plan.emit(.feeCharged, booking: b, ledgerEntry: fee) }
        return Planned(transaction: plan.finish(), value: b)
    }

    /// Plans editing a booking's notes or customer.
    public func edit(_ id: BookingID, notes: String? = nil, customer: CustomerID?? = nil, expectVersion: Int? = nil,
                     in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Booking> {
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: expectVersion)
        var changes: [String] = []
        if let notes {
            b.notes = try TextRules.notes(notes)
            changes.append("notes edited")
        }
        if let customer {
            if let c = customer, state.customers[c] == nil { throw .notFound(kind: "customer", id: c.rawValue) }
            b.customer = customer
            changes.append("customer → \(customer.flatMap { state.customers[$0]?.name } ?? "none")")
        }
        guard !changes.isEmpty else { throw .invalidInput(field: "edit", message: "nothing to change") }
        touch(&b, action: "edited", changes: changes, plan: plan, actor: actor)
        plan.put(b)
        plan.emit(.bookingUpdated, booking: b)
        return Planned(transaction: plan.finish(), value: b)
    }

    func touch(_ b: inout Booking, action: String, changes: [String], plan: ChangePlan, actor: Author) {
        b.version += 1
        b.updatedAt = plan.now
        b.updatedBy = actor
        b.history.append(HistoryEntry(at: plan.now, actor: actor, action: action, changes: changes, version: b.version))
    }
}
