extension BookingEngine {
    /// Plans a new booking or recurring series.
    ///
    /// Refuses, with nothing planned: unknown or archived resources, empty ranges, policy
    /// refusals (unless overridden), conflicts, a reused idempotency key with another payload,
    /// and invalid or overlong series. A repeated request with the same key returns the
    /// bookings it created before and an empty transaction.
    public func book(_ request: BookingRequest, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<BookingOutcome> {
        // Only a request with a key is remembered (and compared) by its fingerprint.
        let fingerprint = request.idempotencyKey == nil ? "" : Self.fingerprint(request)
        if let key = request.idempotencyKey {
            try TextRules.idempotencyKey(key)
            if let bound = liveIdempotencyRecord(key, in: state) {
                guard bound.fingerprint == fingerprint || Self.earlierFingerprints(request).contains(bound.fingerprint)
                        || Self.sameRequestAfterMerge(bound, request, in: state) else {
                    throw .idempotencyKeyReused(key: key, existing: bound.bookings)
                }
                // The footprint of a keyed `.book` names these bookings, so storage has them in memory.
                let found = bound.bookings.compactMap { state.bookings[$0] }
                return Planned(transaction: Transaction(at: clock.now(), actor: actor),
                               value: BookingOutcome(bookings: found, skipped: [], replayed: true, createdCustomer: nil))
            }
        }

        var plan = newPlan(state, actor)
        let held = try heldResources(request.resources, in: state)
        let resource = held[0]
        let heldIDs = held.map(\.id)
        try Self.validRange(request.range)
        try SupportedRange.check(request.range)
        if request.status == .pendingPayment {
            let hold = request.hold ?? defaultHold
            guard hold.seconds > 0 else { throw .invalidInput(field: "hold", message: "must be positive") }
            guard hold.seconds < SupportedRange.upperBound.seconds - plan.now.seconds else {
                throw .outsideSupportedRange(field: "hold", value: "\(plan.now) + \(hold.text)")
            }
        }
        let notes = try TextRules.notes(request.notes)
        if let s = request.service, state.services[s] == nil { throw .notFound(kind: "service", id: s.rawValue) }
        for (d, field) in [(request.bufferBefore, "buffer-before"), (request.bufferAfter, "buffer-after")] where d.seconds < 0 || d.seconds > 86_400 {
            throw .invalidInput(field: field, message: "must be between 0 and 24h")
        }
        let overrideReason = try Self.overrideReason(request.overrideReason)
        var charges: Charges?
        if let draft = request.price { charges = try self.charges(draft, old: nil, in: state) }

        var createdCustomer: Customer?
        var customerID: CustomerID?
        switch request.customer {
        case .none: break
        case .existing(let id):
            guard state.customers[id] != nil else { throw .notFound(kind: "customer", id: id.rawValue) }
            customerID = id
        case .new(let name, let phone, let email):
            let c = Customer(id: CustomerID("cus_" + ids.next()), ref: plan.nextCustomerRef(),
                             name: try TextRules.name(name, field: "customer"),
                             phone: try TextRules.optional(phone, field: "phone", maxLength: 40), email: try Self.email(email))
            plan.record(.customer(c))
            createdCustomer = c
            customerID = c.id
        }

        // Occurrences: one, or the expanded series in the resource's zone.
        var occurrences: [(date: LocalDate?, range: TimeRange)] = []
        var series: SeriesID?
        if let rule = request.recurrence {
            let first = resource.zone.local(request.range.start)
            let length = request.range.duration
            let expanded: [Occurrence]
            do { expanded = try rule.occurrences(startingAt: first, in: resource.zone) }
            catch let e as CoreError { throw e }
            catch { throw .invalidRecurrence("\(error)") }
            // A series that would cross the supported range is refused whole, not cut short:
            // a shorter series than asked for would pass unnoticed.
            for o in expanded {
                let range = TimeRange(start: o.start, end: o.start + length)
                guard SupportedRange.contains(range) else {
                    throw .outsideSupportedRange(field: "repeat", value: "the occurrence on \(o.date) (\(range.start) – \(range.end))")
                }
                occurrences.append((o.date, range))
            }
            series = SeriesID("ser_" + ids.next())
        } else {
            occurrences = [(nil, request.range)]
        }

        let isHistory = [.completed, .cancelled, .noShow].contains(request.status)
        if request.importedHistory {
            guard isHistory else {
                throw .invalidInput(field: "status", message: "\(request.status) is not history; imported history rows are completed, no_show or cancelled")
            }
            guard request.recurrence == nil else { throw .invalidInput(field: "repeat", message: "imported history is one booking a row") }
            guard request.range.start <= plan.now else {
                throw .invalidInput(field: "start", message: "\(request.range.start) has not come yet; imported history must have started")
            }
        }
        var created: [Booking] = []
        var skipped: [SkippedOccurrence] = []
        var seriesConflicts: [LocalDate: [ConflictingBooking]] = [:]
        for occ in occurrences {
            // Policy first: an occurrence on a holiday is refused even if the slot is free.
            if !request.importedHistory, let refusal = policyRefusal(held, occ.range, in: plan, checkWindow: !isHistory), overrideReason == nil {
                if request.skipConflicts, let d = occ.date { skipped.append(SkippedOccurrence(date: d, range: occ.range, error: refusal)); continue }
                throw refusal
            }
            if [.completed, .noShow].contains(request.status), occ.range.start > plan.now {
                throw .notStarted(status: request.status, start: occ.range.start)
            }
            if request.status.occupiesSlot {
                let conflicts = self.conflicts(on: heldIDs, range: occ.range, in: plan, bufferBefore: request.bufferBefore, bufferAfter: request.bufferAfter)
                if !conflicts.isEmpty {
                    if let d = occ.date {
                        if request.skipConflicts { skipped.append(SkippedOccurrence(date: d, range: occ.range, error: .conflict(conflicts))) }
                        else { seriesConflicts[d] = conflicts }
                        continue
                    }
                    throw .conflict(conflicts)
                }
            }
            let b = newBooking(request, range: occ.range, customer: customerID, series: series, occurrence: occ.date,
                               notes: notes, overrideReason: overrideReason, charges: charges, plan: &plan, actor: actor)
            plan.put(b)
            created.append(b)
        }
        if !seriesConflicts.isEmpty { throw .seriesConflicts(seriesConflicts) }
        if created.isEmpty {
            throw .invalidInput(field: "repeat", message: "no occurrence of the series could be booked (\(skipped.count) skipped)")
        }
        // Imported history is a record of the past, not news: no booking.created for it.
        if !request.importedHistory { for b in created { plan.emit(.bookingCreated, booking: b) } }
        if let key = request.idempotencyKey {
            plan.record(.idempotencyKey(IdempotencyRecord(key: key, fingerprint: fingerprint, bookings: created.map(\.id), createdAt: plan.now)))
        }
        return Planned(transaction: plan.finish(), value: BookingOutcome(bookings: created, skipped: skipped, replayed: false, createdCustomer: createdCustomer))
    }

    private func newBooking(_ request: BookingRequest, range: TimeRange, customer: CustomerID?, series: SeriesID?, occurrence: LocalDate?,
                            notes: String, overrideReason: String?, charges: Charges?, plan: inout ChangePlan, actor: Author) -> Booking {
        let now = plan.now
        var history = [HistoryEntry(at: now, actor: actor, action: request.importedHistory ? "imported history" : "created",
                                    changes: ["status \(request.status)", "time \(range.start) – \(range.end)"], version: 1)]
        if !request.otherResources.isEmpty { history[0].changes.append("resources \(plan.state.resourceNames(request.resources))") }
        if let s = request.service { history[0].changes.append("service \(plan.state.services[s]?.name ?? s.rawValue)") }
        if request.bufferBefore.seconds > 0 || request.bufferAfter.seconds > 0 {
            history[0].changes.append("buffers \(request.bufferBefore.text) before, \(request.bufferAfter.text) after")
        }
        if request.importedHistory { history[0].changes.append("imported as history: no policy applied") }
        if let o = overrideReason { history[0].changes.append("policy override: \(o)") }
        if let charges { history[0].changes.append(Self.priceChange(charges)) }
        var cancellation: Cancellation?
        if request.status == .cancelled {
            cancellation = Cancellation(at: now, by: actor.user, reason: request.importedHistory ? "imported as cancelled" : "recorded as cancelled", late: false)
        }
        return Booking(
            id: plan.newBookingID(), ref: plan.nextBookingRef(), resource: request.resource, customer: customer,
            range: range, status: request.status, createdBy: actor, updatedBy: actor, version: 1, createdAt: now, updatedAt: now,
            notes: notes, series: series, occurrenceDate: occurrence,
            holdExpiresAt: request.status == .pendingPayment ? now + (request.hold ?? defaultHold) : nil,
            cancellation: cancellation, idempotencyKey: request.idempotencyKey, overrideReason: overrideReason, history: history,
            charges: charges, otherResources: request.otherResources, service: request.service,
            bufferBefore: request.bufferBefore, bufferAfter: request.bufferAfter)
    }

    /// A canonical text of everything that defines a booking request, for idempotency.
    ///
    /// The customer is the one the caller sent: its `customerText` when it named one by text,
    /// else the choice (an id, or a new customer's details).
    static func fingerprint(_ r: BookingRequest) -> String {
        fingerprint(r, customer: r.customerText.map { "named:" + $0 } ?? customerPart(r.customer))
    }

    /// The fingerprints a request of `customerText` had when the fingerprint recorded the
    /// resolved choice instead: the id found, or the new customer the first run created. Keys
    /// stored that way are still replays of the same row.
    ///
    /// A service request also matches the fingerprint it had before bookings recorded their
    /// service (the same request without `service`).
    static func earlierFingerprints(_ r: BookingRequest) -> [String] {
        var earlier: [String] = []
        if let text = r.customerText {
            earlier.append(fingerprint(r, customer: customerPart(.new(name: text))))
            if case .existing = r.customer { earlier.append(fingerprint(r, customer: customerPart(r.customer))) }
        }
        if r.service != nil {
            var plain = r
            plain.service = nil
            earlier += [fingerprint(plain)] + earlierFingerprints(plain)
        }
        return earlier
    }

    /// Whether `bound` recorded `r` naming another customer whose bookings have since moved to
    /// the one `r` names (a merge): the key's bookings all belong to `r`'s customer now, and the
    /// fingerprints differ in the customer alone. A retry that resolves the merged customer's
    /// name to its target is then the same request.
    static func sameRequestAfterMerge(_ bound: IdempotencyRecord, _ r: BookingRequest, in state: BookingState) -> Bool {
        guard r.customerText == nil, case .existing(let id)? = r.customer, !bound.bookings.isEmpty,
              bound.bookings.allSatisfy({ state.bookings[$0]?.customer == id }) else { return false }
        var stored = bound.fingerprint.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        // The customer the key recorded need not be in memory: its bookings moving to the
        // named customer (a merge, or an edit of their customer) is what makes the retry the same.
        guard stored.count > 1, stored[1].hasPrefix("id:") else { return false }
        stored[1] = Substring(customerPart(r.customer))
        return stored.joined(separator: "\u{1F}") == fingerprint(r, customer: customerPart(r.customer))
    }

    private static func customerPart(_ choice: CustomerChoice?) -> String {
        switch choice {
        case .none: "-"
        case .existing(let id): "id:" + id.rawValue
        case .new(let name, let phone, let email): "new:\(name)|\(phone ?? "")|\(email ?? "")"
        }
    }

    private static func fingerprint(_ r: BookingRequest, customer: String) -> String {
        return [r.resource.rawValue, customer, r.range.start.iso8601, r.range.end.iso8601, r.status.rawValue,
                r.hold.map { String($0.seconds) } ?? "-", r.notes, r.recurrence?.text ?? "-", r.skipConflicts ? "skip" : "strict",
                r.overrideReason ?? "-"].joined(separator: "\u{1F}") + (r.importedHistory ? "\u{1F}history" : "")
            + (r.price.map { "\u{1F}" + $0.fingerprint } ?? "")
            // Only a request for several resources names the others, so a key bound before
            // bookings held several keeps its fingerprint.
            + (r.otherResources.isEmpty ? "" : "\u{1F}also:" + r.otherResources.map(\.rawValue).joined(separator: ","))
            + (r.service.map { "\u{1F}service:" + $0.rawValue } ?? "")
    }

    /// The record `key` is bound to, unless it is older than ``idempotencyRetention``: an
    /// expired key counts as absent whether or not it has been forgotten yet, so every process
    /// judges a key alike however lazily its storage drops old records.
    public func liveIdempotencyRecord(_ key: String, in state: BookingState) -> IdempotencyRecord? {
        guard let r = state.idempotencyKeys[key], r.createdAt >= clock.now() - idempotencyRetention else { return nil }
        return r
    }

    /// Plans forgetting the idempotency keys in `state` older than the retention period (the
    /// store calls this when it compacts; keys it has not loaded expire by the rule of
    /// ``liveIdempotencyRecord(_:in:)`` and are dropped from disk by compaction).
    public func pruneIdempotencyKeys(in state: BookingState) -> Transaction {
        let cutoff = clock.now() - idempotencyRetention
        let old = state.idempotencyKeys.values.filter { $0.createdAt < cutoff }.map(\.key).sorted()
        return Transaction(at: clock.now(), actor: .system, mutations: old.map(Mutation.forgetIdempotencyKey))
    }
}
