import Testing
@testable import FrontdeskCore

/// Customer records (#24): the one summary `customer show` and the TUI view print, tags,
/// merging into another customer (an alias stays) and erasure, with their audit entries and
/// the actions they need.
@Suite struct CustomerRecordTests {
    static let gbp = Currency(code: "GBP")!

    /// A priced salon: a chair with a day's cancellation notice, a store in pounds.
    static func salon() throws -> (World, ResourceID) {
        var w = World(now: "2027-03-01T08:00:00Z")
        _ = w.commit(try w.engine.setCurrency("GBP", in: w.state, by: w.desk))
        let chair = try w.resource("Chair 1", policy: PolicyOverrides(cancellationNotice: .hours(24)))
        return (w, chair)
    }

    static func priced(_ w: inout World, _ b: Booking, _ price: Int64, lateFee: Int64 = 0, noShowFee: Int64 = 0) throws {
        _ = w.commit(try w.engine.setPrice(b.id, PriceDraft(price: price, lateCancelFee: lateFee, noShowFee: noShowFee, reason: "list"), in: w.state, by: w.desk))
    }

    @Test func theSummaryAddsUpTheLedgerAndCountsNoShowsAndLateCancellations() throws {
        var (w, chair) = try Self.salon()
        let ann = try w.customer("Ann Lee")
        let other = try w.customer("Bo Chen")
        // Past, paid in full, then partly refunded.
        let done = try w.book(chair, "2027-03-02T10:00:00Z", "2027-03-02T10:45:00Z", customer: ann)
        try Self.priced(&w, done, 3800)
        _ = w.commit(try w.engine.pay(done.id, amount: 3800, method: .card, in: w.state, by: w.desk))
        _ = w.commit(try w.engine.refund(done.id, amount: 500, reason: "goodwill", in: w.state, by: w.desk))
        // A no-show with its fee, unpaid.
        let missed = try w.book(chair, "2027-03-03T10:00:00Z", "2027-03-03T10:45:00Z", customer: ann)
        try Self.priced(&w, missed, 3800, noShowFee: 2000)
        // Cancelled late (inside the day's notice) with its fee, and one cancelled in time.
        let late = try w.book(chair, "2027-03-01T12:00:00Z", "2027-03-01T12:45:00Z", customer: ann)
        try Self.priced(&w, late, 3800, lateFee: 1500)
        _ = w.commit(try w.engine.cancel(late.id, reason: "ill", overrideReason: "manager ok", in: w.state, by: w.desk))
        let early = try w.book(chair, "2027-03-20T12:00:00Z", "2027-03-20T12:45:00Z", customer: ann)
        _ = w.commit(try w.engine.cancel(early.id, reason: "moved away", in: w.state, by: w.desk))
        // Upcoming, a deposit paid.
        let next = try w.book(chair, "2027-03-10T10:00:00Z", "2027-03-10T10:45:00Z", customer: ann)
        try Self.priced(&w, next, 4000)
        _ = w.commit(try w.engine.pay(next.id, amount: 1000, method: .cash, in: w.state, by: w.desk))
        // Someone else's booking is not counted.
        let theirs = try w.book(chair, "2027-03-11T10:00:00Z", "2027-03-11T10:45:00Z", customer: other)
        try Self.priced(&w, theirs, 9900)

        w.clock.set(World.t("2027-03-05T09:00:00Z"))
        _ = w.commit(try w.engine.setStatus(done.id, to: .completed, in: w.state, by: w.desk))
        _ = w.commit(try w.engine.setStatus(missed.id, to: .noShow, in: w.state, by: w.desk))
        let mine = w.state.bookings.values.filter { $0.customer == ann }
        let s = try CustomerSummary.make(customer: w.state.customers[ann]!, bookings: Array(mine), now: w.clock.now(), currency: Self.gbp)
        #expect(s.paid == Int64(3300 + 1000))
        // Owed: the refund taken back from the paid visit, the no-show fee, the late fee, the
        // upcoming balance (40 - 10).
        #expect(s.due == Int64(500 + 2000 + 1500 + 3000))
        #expect(s.noShows == 1 && s.lateCancellations == 1)
        #expect(s.upcoming.map(\.id) == [next.id, early.id])
        #expect(s.past.map(\.id) == [missed.id, done.id, late.id] && s.pastCount == 3)
        // Recomputed from every ledger entry the customer's bookings hold.
        let entries = mine.flatMap { $0.charges?.ledger ?? [] }
        let net = entries.reduce(Int64(0)) { $0 + ($1.kind == .payment ? $1.amount : $1.kind == .refund ? -$1.amount : 0) }
        #expect(s.paid == net)
        #expect(s.text(s.paid) == "43.00 GBP")

        let limited = try CustomerSummary.make(customer: w.state.customers[ann]!, bookings: Array(mine), now: w.clock.now(), currency: Self.gbp, historyLimit: 1)
        #expect(limited.past.map(\.id) == [missed.id] && limited.pastCount == 3)
        let noCurrency = try CustomerSummary.make(customer: w.state.customers[ann]!, bookings: Array(mine), now: w.clock.now(), currency: nil)
        #expect(noCurrency.paid == nil && noCurrency.due == nil && noCurrency.text(noCurrency.paid) == nil && noCurrency.noShows == 1)
    }

    @Test func tagsAreNormalisedAndAudited() throws {
        var (w, _) = try Self.salon()
        let ann = try w.customer("Ann Lee")
        var c = w.state.customers[ann]!
        c.tags = [" VIP", "allergy", "vip"]
        let p = try w.engine.updateCustomer(c, expectVersion: 1, in: w.state, by: w.desk)
        #expect(p.value.tags == ["allergy", "vip"])
        #expect(p.transaction.auditEntries.contains { $0.changes.contains("tags none → allergy,vip") })
        w.state.apply(p.transaction)
        c.tags = ["no spaces"]
        #expect(throws: CoreError.self) { try w.engine.updateCustomer(c, in: w.state, by: w.desk) }
        #expect(throws: CoreError.staleVersion(id: "C-001", expected: 1, current: 2)) { try w.engine.updateCustomer(c, expectVersion: 1, in: w.state, by: w.desk) }
    }

    @Test func mergeMovesBookingsPaymentsAndWaitlistAndLeavesAnAlias() throws {
        var (w, chair) = try Self.salon()
        let ann = try w.customer("Ann Lee")
        let dup = w.commit(try w.engine.addCustomer(name: "Ann Lee-Smith", phone: "555-0100", email: "ann@example.com", notes: "prefers mornings", in: w.state, by: w.desk)).id
        var d = w.state.customers[dup]!
        d.tags = ["vip"]
        _ = w.commit(try w.engine.updateCustomer(d, in: w.state, by: w.desk))
        let kept = try w.book(chair, "2027-03-02T10:00:00Z", "2027-03-02T10:45:00Z", customer: ann)
        let moved = try w.book(chair, "2027-03-03T10:00:00Z", "2027-03-03T10:45:00Z", customer: dup)
        try Self.priced(&w, moved, 3800)
        _ = w.commit(try w.engine.pay(moved.id, amount: 1000, method: .card, in: w.state, by: w.desk))
        let entry = w.commit(try w.engine.addToWaitlist(customer: dup, resources: [chair], window: World.r("2027-03-04T09:00:00Z", "2027-03-04T17:00:00Z"),
                                                         duration: .minutes(45), in: w.state, by: w.desk))
        let before = w.state
        let p = try w.engine.mergeCustomers(into: ann, from: dup, bookings: [moved.id], reason: "same person", in: w.state, by: w.desk)
        #expect(Access.actions(of: p.transaction, before: before).contains(.mergeCustomers))
        w.state.apply(p.transaction)
        #expect(w.state.bookings[moved.id]?.customer == ann && w.state.bookings[kept.id]?.customer == ann)
        #expect(w.state.bookings[moved.id]?.charges?.ledger.count == 1, "the payment moves with its booking")
        #expect(w.state.bookings[moved.id]?.history.last?.changes == ["customer C-002 → C-001 (merged)"])
        #expect(w.state.waitlist[entry.id]?.customer == ann)
        let a = w.state.customers[ann]!, b = w.state.customers[dup]!
        #expect(a.phone == "555-0100" && a.email == "ann@example.com" && a.notes == "prefers mornings" && a.tags == ["vip"])
        #expect(b.mergedInto == ann && b.phone == nil && b.email == nil && b.tags.isEmpty && b.name == "Ann Lee-Smith")
        let audit = p.transaction.auditEntries
        #expect(audit.contains { $0.id == ann.rawValue && $0.action == "merged" && $0.reason == "same person" && $0.changes == ["C-002 merged into C-001: 1 booking moved"] })
        #expect(audit.contains { $0.id == dup.rawValue && $0.action == "merged" })

        // The alias resolves to its target, by id, reference and name.
        let storage = InMemoryBookingStorage(state: w.state, engine: w.engine)
        for text in [dup.rawValue, "C-002", "ann lee-smith"] {
            let found = try storage.resolveCustomerAlias(text)
            #expect(found.customer.id == ann && found.alias?.id == dup, "\(text)")
        }
        #expect(try storage.resolveCustomerAlias("C-001").alias == nil)
        // Refusals: into itself, an alias on either side.
        #expect(throws: CoreError.self) { try w.engine.mergeCustomers(into: ann, from: ann, bookings: [], reason: nil, in: w.state, by: w.desk) }
        #expect(throws: CoreError.invalidInput(field: "customer", message: "C-002 is already merged into C-001")) {
            try w.engine.mergeCustomers(into: ann, from: dup, bookings: [], reason: nil, in: w.state, by: w.desk)
        }
        #expect(throws: CoreError.self) { try w.engine.updateCustomer(b, in: w.state, by: w.desk) }
    }

    @Test func aKeyThatNamedTheMergedCustomerStillReplays() throws {
        var (w, chair) = try Self.salon()
        let ann = try w.customer("Ann Lee")
        let dup = try w.customer("Ann L")
        let first = try w.book(chair, "2027-03-02T10:00:00Z", "2027-03-02T10:45:00Z", customer: dup, key: "k-1")
        _ = w.commit(try w.engine.mergeCustomers(into: ann, from: dup, bookings: [first.id], reason: nil, in: w.state, by: w.desk))
        // The retry names the customer as the desk would now resolve it: the target.
        let retry = BookingRequest(resource: chair, customer: .existing(ann), range: World.r("2027-03-02T10:00:00Z", "2027-03-02T10:45:00Z"),
                                   idempotencyKey: "k-1")
        let out = try w.engine.book(retry, in: w.state, by: w.desk)
        #expect(out.value.replayed && out.value.bookings.map(\.id) == [first.id] && out.transaction.mutations.isEmpty)
        // Another request under the key is still refused.
        var other = retry
        other.notes = "something else"
        #expect(throws: CoreError.idempotencyKeyReused(key: "k-1", existing: [first.id])) { try w.engine.book(other, in: w.state, by: w.desk) }
    }

    @Test func eraseRemovesTheDetailsKeepsTheMoneyAndAuditsWithoutThem() throws {
        var (w, chair) = try Self.salon()
        let ann = w.commit(try w.engine.addCustomer(name: "Zelda Quist", phone: "555-0142", email: "zelda@example.com", notes: "allergic to nuts", in: w.state, by: w.desk)).id
        let alias = try w.customer("Zelda Q")
        let b = try w.book(chair, "2027-03-02T10:00:00Z", "2027-03-02T10:45:00Z", customer: alias)
        _ = w.commit(try w.engine.edit(b.id, notes: "Zelda Quist asked for 555-0142", in: w.state, by: w.desk))
        _ = w.commit(try w.engine.mergeCustomers(into: ann, from: alias, bookings: [b.id], reason: nil, in: w.state, by: w.desk))
        _ = w.commit(try w.engine.edit(b.id, customer: .some(ann), in: w.state, by: w.desk))
        try Self.priced(&w, b, 3800)
        _ = w.commit(try w.engine.pay(b.id, amount: 3800, method: .card, in: w.state, by: w.desk))
        var history = w.state.customers[ann]!
        history.name = "Zelda Quist-Long"
        _ = w.commit(try w.engine.updateCustomer(history, in: w.state, by: w.desk))
        let logged = w.state.bookings[b.id]!.history.flatMap(\.changes)
        #expect(logged.contains { $0.contains("Zelda") }, "the booking's history names the customer before the erasure")

        #expect(throws: CoreError.self) { try w.engine.eraseCustomer(ann, aliases: [], bookings: [b.id], reason: "  ", in: w.state, by: w.desk) }
        #expect(throws: CoreError.self) { try w.engine.eraseCustomer(alias, aliases: [], bookings: [], reason: "asked", in: w.state, by: w.desk) }
        let before = w.state
        let p = try w.engine.eraseCustomer(ann, aliases: [alias], bookings: [b.id], reason: "customer asked by e-mail", in: w.state, by: w.desk)
        #expect(Access.actions(of: p.transaction, before: before).contains(.eraseCustomers))
        w.state.apply(p.transaction)
        let c = w.state.customers[ann]!
        #expect(c.name == "Erased customer C-001" && c.phone == nil && c.email == nil && c.notes == nil && c.tags.isEmpty && c.erased)
        #expect(w.state.customers[alias]!.name == "Erased customer C-002" && w.state.customers[alias]!.erased)
        let kept = w.state.bookings[b.id]!
        let paid = try kept.charges?.paid()
        #expect(kept.customer == ann && kept.charges?.price == 3800 && paid == 3800)
        let text = ([kept.notes] + kept.history.flatMap(\.changes)).joined(separator: "\n")
        for secret in ["Zelda", "555-0142", "zelda@example.com", "nuts"] { #expect(!text.contains(secret), "\(secret) in \(text)") }
        let audit = p.transaction.auditEntries
        let erased = try #require(audit.first { $0.id == ann.rawValue && $0.entity == .customer })
        #expect(erased.action == "erased" && erased.reason == "customer asked by e-mail" && erased.actor == w.desk)
        let all = audit.flatMap { [$0.action, $0.ref, $0.reason ?? ""] + $0.changes }.joined(separator: "\n")
        for secret in ["Zelda", "555-0142", "zelda@example.com", "nuts"] { #expect(!all.contains(secret), "\(secret) in the audit entries") }
        #expect(throws: CoreError.invalidInput(field: "customer", message: "C-001 is already erased")) {
            try w.engine.eraseCustomer(ann, aliases: [], bookings: [], reason: "again", in: w.state, by: w.desk)
        }
        #expect(throws: CoreError.self) { try w.engine.mergeCustomers(into: ann, from: try w.customer("Someone"), bookings: [], reason: nil, in: w.state, by: w.desk) }
    }

    @Test func anErasureTakesTheNameOutOfEarlierAuditEntries() {
        let at = World.t("2027-03-01T08:00:00Z"), who = Author(user: "alice", source: .cli)
        let created = AuditEntry(at: at, actor: who, entity: .customer, id: "cus_1", ref: "C-001", version: 1, action: "created",
                                 changes: ["name \"Zelda Quist\"", "phone added"])
        let renamed = AuditEntry(at: at, actor: who, entity: .customer, id: "cus_1", ref: "C-001", version: 2, action: "updated",
                                 changes: ["name \"Zelda Quist\" → \"Zelda Q\"", "notes changed"])
        let edited = AuditEntry(at: at, actor: who, entity: .booking, id: "bk_1", ref: "B-001", version: 2, action: "edited", changes: ["customer → Zelda Quist"])
        let otherCustomer = AuditEntry(at: at, actor: who, entity: .customer, id: "cus_2", ref: "C-002", version: 1, action: "created", changes: ["name \"Bo\""])
        let otherBooking = AuditEntry(at: at, actor: who, entity: .booking, id: "bk_2", ref: "B-002", version: 2, action: "edited", changes: ["customer → Bo"])
        #expect(AuditErasure(recordedIn: [created, edited]) == nil)
        let erase = AuditEntry(at: at, actor: who, entity: .customer, id: "cus_1", ref: "C-001", version: 3, action: "erased", changes: ["name, phone, e-mail, notes and tags erased"])
        let scrubbed = AuditEntry(at: at, actor: who, entity: .booking, id: "bk_1", ref: "B-001", version: 3, action: AuditErasure.bookingAction, changes: ["customer details erased"])
        let e = try! #require(AuditErasure(recordedIn: [erase, scrubbed]))
        #expect(e.apply(created).changes == ["name (erased)", "phone added"])
        #expect(e.apply(renamed).changes == ["name (erased)", "notes changed"])
        #expect(e.apply(edited).changes == ["customer → (erased)"])
        #expect(e.apply(otherCustomer) == otherCustomer && e.apply(otherBooking) == otherBooking && e.apply(erase) == erase)
    }
}
