extension BookingEngine {
    /// Most resources one service may need at once.
    public static let maximumServiceResources = 12

    /// Plans adding a service to the catalog (`service.id` is ignored; a new one is drawn).
    ///
    /// - Throws: ``CoreError/invalidInput(field:message:)`` naming the field that does not fit.
    public func addService(_ service: Service, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Service> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        var s = service
        s.id = ServiceID("svc_" + ids.next())
        s.archived = false
        s.version = 1
        try validate(&s, in: state)
        plan.record(.service(s))
        return Planned(transaction: plan.finish(), value: s)
    }

    /// Plans replacing a service's fields (the caller edits a copy of the current record);
    /// archiving is an update with `archived` set.
    ///
    /// - Throws: ``CoreError/notFound(kind:id:)``, ``CoreError/staleVersion(id:expected:current:)``
    ///   or ``CoreError/invalidInput(field:message:)``.
    public func updateService(_ service: Service, expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Service> {
        var plan = ChangePlan(state: state, now: clock.now(), actor: actor, ids: ids)
        guard let current = state.services[service.id] else { throw .notFound(kind: "service", id: service.id.rawValue) }
        if let v = expectVersion, v != current.version { throw .staleVersion(id: current.name, expected: v, current: current.version) }
        var s = service
        try validate(&s, in: state)
        s.version = current.version + 1
        plan.record(.service(s))
        return Planned(transaction: plan.finish(), value: s)
    }

    /// Normalises and checks a service's fields against the catalog.
    private func validate(_ s: inout Service, in state: BookingState) throws(CoreError) {
        s.name = try TextRules.name(s.name, field: "name")
        let lower = s.name.lowercased(), id = s.id
        if !s.archived, state.services.values.contains(where: { $0.id != id && !$0.archived && $0.name.lowercased() == lower }) {
            throw .invalidInput(field: "name", message: "a service named \"\(s.name)\" already exists")
        }
        guard s.duration.seconds > 0, s.duration.seconds <= 86_400 else {
            throw .invalidInput(field: "duration", message: "must be more than 0 and at most 24h")
        }
        for (d, field) in [(s.bufferBefore, "buffer-before"), (s.bufferAfter, "buffer-after")] where d.seconds < 0 || d.seconds > 86_400 {
            throw .invalidInput(field: field, message: "must be between 0 and 24h")
        }
        guard !s.requirements.isEmpty else { throw .invalidInput(field: "needs", message: "a service needs at least one tag or kind (--needs stylist)") }
        guard s.requirements.count <= Service.maximumRequirements else {
            throw .invalidInput(field: "needs", message: "at most \(Service.maximumRequirements) requirements")
        }
        var seen = Set<ServiceRequirement.Match>()
        for i in s.requirements.indices {
            let r = s.requirements[i]
            guard (1...Service.maximumCount).contains(r.count) else {
                throw .invalidInput(field: "needs", message: "\(r): the count must be 1 to \(Service.maximumCount)")
            }
            switch r.match {
            case .tag(let t): s.requirements[i].match = .tag(try ResourceTags.normalise(t, field: "needs"))
            case .kind(let k): try Self.checkKind(k)
            }
            guard seen.insert(s.requirements[i].match).inserted else {
                throw .invalidInput(field: "needs", message: "\(s.requirements[i].match == r.match ? r.description : "a requirement") is given twice; give a count instead (2x…)")
            }
        }
        guard s.resourceCount <= Self.maximumServiceResources else {
            throw .invalidInput(field: "needs", message: "a service needs at most \(Self.maximumServiceResources) resources at once")
        }
        for (a, field) in [(s.price, "price"), (s.deposit, "deposit"), (s.lateCancellationFee, "late-cancel-fee"), (s.noShowFee, "no-show-fee")] {
            if let a, a < 0 || a > Service.maximumAmount { throw .invalidInput(field: field, message: "must be between 0 and \(Service.maximumAmount) minor units") }
        }
        if let d = s.deposit, let p = s.price, d > p { throw .invalidInput(field: "deposit", message: "must not be more than the price") }
    }

    /// What storage must read for ``bookService(_:in:)``: the booking window of every resource
    /// that could take the service (and the idempotency key), as one change.
    public static func change(for request: ServiceBookingRequest, in state: BookingState) -> ChangeRequest {
        guard let s = state.services[request.service] else { return .directory }
        let span = s.footprint(startingAt: request.start)
        var ids = state.candidates(for: s).map(\.id)
        for f in request.fixed where !ids.contains(f) { ids.append(f) }
        var parts: [ChangeRequest] = ids.map { .book(BookingRequest(resource: $0, range: span)) }
        if let first = ids.first {
            parts.append(.book(BookingRequest(resource: first, customer: request.customer, range: span, idempotencyKey: request.idempotencyKey)))
        }
        return .batch(parts)
    }

    /// Plans booking a service: chooses its resources (``ResourceChooser``: fixed ones first,
    /// then preferred ones that are free, then by reference) and books them all in one booking
    /// for the service's duration from `request.start`, as ``book(_:in:by:)`` does, idempotency
    /// included. When the store has a currency, the booking takes the service's price, deposit
    /// and fees, unless `request.price` sets them by hand (a manager override with a reason).
    ///
    /// - Throws: as ``book(_:in:by:)``; the policy refusal of the first resource kept out by its
    ///   rules when only rules stand in the way; ``CoreError/noResourcesFit(service:requirement:start:)``
    ///   when no combination is free.
    public func bookService(_ request: ServiceBookingRequest, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<BookingOutcome> {
        guard let s = state.services[request.service] else { throw .notFound(kind: "service", id: request.service.rawValue) }
        guard !s.archived else { throw .invalidInput(field: "service", message: "\"\(s.name)\" is archived and takes no new bookings") }
        try SupportedRange.check(s.footprint(startingAt: request.start))
        let range = s.range(startingAt: request.start)
        func booking(on resources: [ResourceID]) -> BookingRequest {
            var b = BookingRequest(resource: resources[0], customer: request.customer, range: range, status: request.status, hold: request.hold,
                                   notes: request.notes, idempotencyKey: request.idempotencyKey, overrideReason: request.overrideReason)
            b.otherResources = Array(resources.dropFirst())
            b.service = s.id
            b.bufferBefore = s.bufferBefore
            b.bufferAfter = s.bufferAfter
            if let manual = request.price {
                b.price = manual
            } else if state.currency != nil, let price = s.price {
                b.price = PriceDraft(price: price, deposit: s.deposit ?? 0, lateCancelFee: s.lateCancellationFee ?? 0,
                                     noShowFee: s.noShowFee ?? 0, fromService: true)
            }
            return b
        }
        // A repeated request finds its own booking in the way: it is answered from the key,
        // on the resource chosen the first time.
        if let key = request.idempotencyKey, let bound = liveIdempotencyRecord(key, in: state),
           let first = bound.bookings.first.flatMap({ state.bookings[$0] }) {
            return try book(booking(on: first.resources), in: state, by: actor)
        }
        let now = clock.now()
        for id in request.fixed {
            guard let r = state.resources[id] else { throw .notFound(kind: "resource", id: id.rawValue) }
            if r.archived { throw .resourceArchived(resource: r.name) }
        }
        let result = state.chooseResources(for: s, at: request.start, fixed: request.fixed, preferred: request.preferred,
                                           now: now, policies: request.overrideReason == nil)
        switch result {
        case .success(let chosen): return try book(booking(on: chosen.flatMap { $0 }), in: state, by: actor)
        case .failure(let failure):
            throw state.refusal(failure, service: s, start: request.start, fixed: request.fixed, preferred: request.preferred,
                                now: now, policies: request.overrideReason == nil)
        }
    }
}
