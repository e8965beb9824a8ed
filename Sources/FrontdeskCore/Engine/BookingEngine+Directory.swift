extension BookingEngine {
    /// Plans adding a resource.
    public func addResource(_ draft: ResourceDraft, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Resource> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        let name = try TextRules.name(draft.name, field: "name")
        try Self.checkKind(draft.kind)
        if state.resources.values.contains(where: { $0.name.lowercased() == name.lowercased() && !$0.archived }) {
            throw .invalidInput(field: "name", message: "a resource named \"\(name)\" already exists")
        }
        try checkResourceLinks(parent: draft.parent, schedule: draft.schedule, slot: draft.slotLength, in: state)
        let tags = try ResourceTags.normalise(draft.tags)
        let r = Resource(id: ResourceID("res_" + ids.next()), ref: plan.nextResourceRef(), name: name, kind: draft.kind, parent: draft.parent,
                         zone: draft.zone, slotLength: draft.slotLength, schedule: draft.schedule, policy: draft.policy, tags: tags)
        plan.record(.resource(r))
        return Planned(transaction: plan.finish(), value: r)
    }

    /// Plans replacing a resource's fields (the caller edits a copy of the current record).
    public func updateResource(_ updated: Resource, expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Resource> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        let current = try resource(updated.id, in: state)
        if let v = expectVersion, v != current.version { throw .staleVersion(id: current.ref, expected: v, current: current.version) }
        var r = updated
        r.name = try TextRules.name(r.name, field: "name")
        try Self.checkKind(r.kind)
        r.ref = current.ref
        r.tags = try ResourceTags.normalise(r.tags)
        try checkResourceLinks(parent: r.parent, schedule: r.schedule, slot: r.slotLength, in: state)
        // Walk up from the new parent: meeting ourselves means a cycle.
        var up = r.parent
        var steps = 0
        while let p = up {
            if p == r.id || steps > state.resources.count { throw .hierarchyCycle(resource: r.name) }
            up = state.resources[p]?.parent
            steps += 1
        }
        r.version = current.version + 1
        plan.record(.resource(r))
        return Planned(transaction: plan.finish(), value: r)
    }

    private func checkResourceLinks(parent: ResourceID?, schedule: ScheduleID?, slot: TimeSpan, in state: BookingState) throws(CoreError) {
        if let p = parent, state.resources[p] == nil { throw .notFound(kind: "resource", id: p.rawValue) }
        if let s = schedule, state.schedules[s] == nil { throw .notFound(kind: "schedule", id: s.rawValue) }
        guard slot.seconds >= 60, slot.seconds <= 86400, 86400 % slot.seconds == 0 else {
            throw .invalidInput(field: "slot", message: "must divide a day evenly, between 1 minute and 24 hours (e.g. 15m, 30m, 1h)")
        }
    }

    /// Plans adding a shared schedule.
    public func addSchedule(_ schedule: Schedule, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Schedule> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        var s = schedule
        s.id = ScheduleID("sch_" + ids.next())
        _ = plan.nextScheduleRef()
        try validate(&s)
        s.version = 1
        plan.record(.schedule(s))
        return Planned(transaction: plan.finish(), value: s)
    }

    /// Plans replacing a schedule's rules (hours, overrides, blackouts, buffers, windows).
    public func updateSchedule(_ schedule: Schedule, expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Schedule> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        guard let current = state.schedules[schedule.id] else { throw .notFound(kind: "schedule", id: schedule.id.rawValue) }
        if let v = expectVersion, v != current.version { throw .staleVersion(id: current.id.rawValue, expected: v, current: current.version) }
        var s = schedule
        try validate(&s)
        s.version = current.version + 1
        plan.record(.schedule(s))
        return Planned(transaction: plan.finish(), value: s)
    }

    private func validate(_ s: inout Schedule) throws(CoreError) {
        s.name = try TextRules.name(s.name, field: "schedule name")
        for (day, hours) in s.weekly { try checkNoOverlap(hours, field: "hours for \(day.shortName)") }
        for (date, hours) in s.overrides {
            try SupportedRange.check(date, field: "date")
            try checkNoOverlap(hours, field: "hours for \(date)")
        }
        for b in s.blackouts {
            try Self.validRange(b.range)
            try SupportedRange.check(b.range, startField: "blackout from", endField: "blackout to")
            _ = try TextRules.name(b.reason, field: "blackout reason", maxLength: 200)
        }
        for (d, field) in [(s.bufferBefore, "buffer-before"), (s.bufferAfter, "buffer-after"), (s.minimumNotice, "min-notice"), (s.cancellationNotice, "cancel-notice")]
        where d.seconds < 0 { throw .invalidInput(field: field, message: "must not be negative") }
        if let m = s.maximumAdvance, m.seconds <= 0 { throw .invalidInput(field: "max-advance", message: "must be positive") }
    }

    private func checkNoOverlap(_ hours: [DailyHours], field: String) throws(CoreError) {
        let sorted = hours.sorted { $0.start < $1.start }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
            throw .invalidInput(field: field, message: "intervals \(a) and \(b) overlap")
        }
    }

    /// Plans adding a customer.
    public func addCustomer(name: String, phone: String? = nil, email: String? = nil, notes: String? = nil,
                            in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Customer> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        let c = Customer(id: CustomerID("cus_" + ids.next()), ref: plan.nextCustomerRef(), name: try TextRules.name(name, field: "name"),
                         phone: try TextRules.optional(phone, field: "phone", maxLength: 40),
                         email: try Self.email(email), notes: try notes.map { n throws(CoreError) in try TextRules.notes(n) })
        plan.record(.customer(c))
        return Planned(transaction: plan.finish(), value: c)
    }

    /// Plans replacing a customer's details.
    public func updateCustomer(_ customer: Customer, expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Customer> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        guard let current = state.customers[customer.id] else { throw .notFound(kind: "customer", id: customer.id.rawValue) }
        if let v = expectVersion, v != current.version { throw .staleVersion(id: current.ref, expected: v, current: current.version) }
        var c = customer
        c.ref = current.ref
        c.name = try TextRules.name(c.name, field: "name")
        c.phone = try TextRules.optional(c.phone, field: "phone", maxLength: 40)
        c.email = try Self.email(c.email)
        c.notes = try c.notes.map { n throws(CoreError) in try TextRules.notes(n) }
        c.tags = try ResourceTags.normalise(c.tags)
        // Merging and erasing are their own changes, with their own roles.
        c.mergedInto = current.mergedInto
        c.erased = current.erased
        if current.mergedInto != nil { throw .invalidInput(field: "customer", message: "\(current.ref) is merged into another customer; edit that one") }
        c.version = current.version + 1
        plan.record(.customer(c))
        return Planned(transaction: plan.finish(), value: c)
    }

    /// A kind other than the well-known ones is free text, under the name rules.
    static func checkKind(_ kind: ResourceKind) throws(CoreError) {
        if case .other(let text) = kind { try TextRules.name(text, field: "kind", maxLength: 40) }
    }

    static func email(_ text: String?) throws(CoreError) -> String? {
        guard let e = try TextRules.optional(text, field: "email", maxLength: 254) else { return nil }
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !e.contains(" ") else {
            throw .invalidInput(field: "email", message: "\"\(e)\" is not an e-mail address (expected name@example.com)")
        }
        return e
    }
}
