extension BookingEngine {
    /// Plans merging customer `b` into customer `a`: every booking of `b` (with its payments,
    /// which live in the booking) and every open waitlist entry of `b` moves to `a`, `a` gains
    /// `b`'s tags and the contact details it lacks, and `b` becomes an alias of `a`
    /// (``Customer/mergedInto``) that resolves to `a` from then on. One transaction: all of it
    /// or none.
    ///
    /// `bookings` are `b`'s bookings as the caller found them (through the customer index);
    /// bookings of `b` in the state that the list lacks (written by another process since)
    /// move too, so a booking made meanwhile is not left behind.
    ///
    /// - Throws: ``CoreError/notFound(kind:id:)`` for a customer not in the state;
    ///   ``CoreError/invalidInput(field:message:)`` when `a` and `b` are one customer, either is
    ///   already an alias or erased, or the reason breaks the text rules.
    /// - Complexity: O(bookings of `b` + waitlist entries).
    public func mergeCustomers(into a: CustomerID, from b: CustomerID, bookings: [BookingID], reason: String?,
                               in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Customer> {
        var plan = newPlan(state, actor)
        guard var target = state.customers[a] else { throw .notFound(kind: "customer", id: a.rawValue) }
        guard var alias = state.customers[b] else { throw .notFound(kind: "customer", id: b.rawValue) }
        guard a != b else { throw .invalidInput(field: "customer", message: "\(target.ref) cannot be merged into itself") }
        for c in [target, alias] {
            if let m = c.mergedInto {
                throw .invalidInput(field: "customer", message: "\(c.ref) is already merged into \(state.customers[m]?.ref ?? m.rawValue)")
            }
            if c.erased { throw .invalidInput(field: "customer", message: "\(c.ref) is erased and cannot be merged") }
        }
        let why = try reason.map { r throws(CoreError) in try TextRules.name(r, field: "reason", maxLength: 200) }
        var moved = 0
        for id in Self.customerBookings(b, listed: bookings, in: plan) {
            guard var booking = plan.booking(id), booking.customer == b else { continue }
            booking.customer = a
            touch(&booking, action: "customer merged", changes: ["customer \(alias.ref) → \(target.ref) (merged)"], plan: plan, actor: actor)
            plan.put(booking)
            plan.emit(.bookingUpdated, booking: booking)
            moved += 1
        }
        for var entry in state.waitlist.values where entry.customer == b {
            entry.customer = a
            plan.record(.waitlist(entry))
        }
        target.tags = Array(Set(target.tags).union(alias.tags)).sorted()
        if target.phone == nil { target.phone = alias.phone }
        if target.email == nil { target.email = alias.email }
        if target.notes == nil { target.notes = alias.notes }
        target.version += 1
        // The alias keeps its name and reference (what resolves to the target) and nothing else:
        // its contact details are the target's now, so a phone number finds one customer.
        alias.phone = nil
        alias.email = nil
        alias.notes = nil
        alias.tags = []
        alias.mergedInto = a
        alias.version += 1
        plan.record(.customer(target))
        plan.record(.customer(alias))
        plan.recordAudit(AuditEntry(at: plan.now, actor: actor, entity: .customer, id: a.rawValue, ref: target.ref, version: target.version,
                                    action: "merged", changes: ["\(alias.ref) merged into \(target.ref): \(moved) booking\(moved == 1 ? "" : "s") moved"],
                                    reason: why))
        return Planned(transaction: plan.finish(), value: target)
    }

    /// Plans erasing a customer's details (the right to erasure): the name becomes
    /// "Erased customer C-…", phone, e-mail, notes and tags go; the customer's bookings lose
    /// their notes, and the name, phone and e-mail are replaced in their history and
    /// cancellation reasons. The bookings and their amounts
    /// stay, anonymised. `aliases` (customers merged into this one) are erased with it.
    ///
    /// The audit entry names who, when and why, never what was erased.
    ///
    /// - Throws: ``CoreError/notFound(kind:id:)``; ``CoreError/invalidInput(field:message:)``
    ///   for an alias (its target is what to erase), a customer already erased, or a reason
    ///   that is empty or breaks the text rules.
    /// - Complexity: O(bookings of the customer × their history).
    public func eraseCustomer(_ id: CustomerID, aliases: [CustomerID], bookings: [BookingID], reason: String,
                              in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Customer> {
        var plan = newPlan(state, actor)
        guard let current = state.customers[id] else { throw .notFound(kind: "customer", id: id.rawValue) }
        if let m = current.mergedInto {
            throw .invalidInput(field: "customer", message: "\(current.ref) is merged into \(state.customers[m]?.ref ?? m.rawValue); erase that customer")
        }
        guard !current.erased else { throw .invalidInput(field: "customer", message: "\(current.ref) is already erased") }
        let why = try TextRules.name(reason, field: "reason", maxLength: 200)
        var people = [current]
        for a in aliases where a != id {
            guard let c = state.customers[a], c.mergedInto == id else { continue }
            people.append(c)
        }
        let placeholder = Self.erasedName(current.ref)
        // The whole name, phone and e-mail, then each word of a name of three letters or more
        // (an earlier spelling of the name shares them); longest first, so text that contains
        // another is replaced whole.
        let whole = people.flatMap { c in [c.name, c.phone, c.email].compactMap { $0 } }
        let words = people.flatMap { c in c.name.split(whereSeparator: { !$0.isLetter }).map(String.init) }.filter { $0.count >= 3 }
        let secrets = Set((whole + words).filter { $0.count >= 2 }).sorted { ($0.count, $0) > ($1.count, $1) }
        for id in Self.customerBookings(id, listed: bookings, in: plan) {
            guard var b = plan.booking(id), b.customer == current.id else { continue }
            // A booking's notes are the desk's words about this person: they go whole.
            b.notes = ""
            if var cancellation = b.cancellation {
                cancellation.reason = Self.scrub(cancellation.reason, secrets, placeholder)
                b.cancellation = cancellation
            }
            for i in b.history.indices { b.history[i].changes = b.history[i].changes.map { Self.scrub($0, secrets, placeholder) } }
            touch(&b, action: AuditErasure.bookingAction, changes: ["customer details erased"], plan: plan, actor: actor)
            plan.put(b)
        }
        var erased: [Customer] = []
        for var c in people {
            c.name = c.id == id ? placeholder : Self.erasedName(c.ref)
            c.phone = nil
            c.email = nil
            c.notes = nil
            c.tags = []
            c.erased = true
            c.version += 1
            plan.record(.customer(c))
            plan.customerAuditReasons[c.id] = why
            erased.append(c)
        }
        // `people` starts with the customer asked for.
        return Planned(transaction: plan.finish(), value: erased[0])
    }

    /// The name an erased customer keeps: "Erased customer C-004".
    public static func erasedName(_ ref: String) -> String { "Erased customer \(ref)" }

    /// `listed` and every booking of `customer` in the plan's view, each once, in order.
    static func customerBookings(_ customer: CustomerID, listed: [BookingID], in plan: ChangePlan) -> [BookingID] {
        var seen = Set(listed)
        var out = listed
        for b in (plan.state.bookingsByCustomer[customer] ?? []).sorted(by: { $0.rawValue < $1.rawValue }) where !seen.contains(b) {
            seen.insert(b)
            out.append(b)
        }
        return out
    }

    /// `text` with every occurrence of each of `secrets` replaced by `placeholder`.
    static func scrub(_ text: String, _ secrets: [String], _ placeholder: String) -> String {
        var t = text
        for s in secrets where t.contains(s) { t = t.replacing(s, with: placeholder) }
        return t
    }
}
