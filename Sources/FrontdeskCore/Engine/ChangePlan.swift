/// A change being planned: collects new record versions and events without touching the state,
/// so a refused request leaves nothing behind.
struct ChangePlan {
    var view: BookingView
    let actor: Author
    let ids: any IdentifierSource
    var counters: Counters
    private var countersChanged = false
    private var bookingOrder: [BookingID] = []
    private var records: [Mutation] = []
    private(set) var events: [DomainEvent] = []
    /// Time that stopped being occupied, for the waitlist.
    private var freed: [Slot] = []
    /// Audit entries recorded as such (staff, webhooks, settings); the entries of bookings
    /// and reference records are derived from their new versions in ``finish()``.
    private var auditRecords: [AuditEntry] = []
    /// The reason an audit entry of a booking gives (a correction's, an override's).
    var auditReasons: [BookingID: String] = [:]
    /// The reason the audit entry of a customer's new version gives (an erasure's).
    var customerAuditReasons: [CustomerID: String] = [:]

    var state: BookingState { view.state }
    var now: Instant { view.now }

    init(state: BookingState, now: Instant, actor: Author, ids: any IdentifierSource) {
        view = BookingView(state: state, now: now)
        self.actor = actor
        self.ids = ids
        counters = state.counters
    }

    func booking(_ id: BookingID) -> Booking? { view.booking(id) }

    /// A new booking id that no loaded booking and no booking of this plan has. Ids are random
    /// (`IdentifierBody`), so drawing again is all but never needed; the one lookup keeps a
    /// repeat from turning a new booking into a silent replacement of another.
    func newBookingID() -> BookingID {
        while true {
            let id = BookingID("bk_" + ids.next())
            if view.booking(id) == nil { return id }
        }
    }

    /// Records a booking's new version (the last one written for an id wins).
    mutating func put(_ b: Booking) {
        if view.overlay[b.id] == nil && !bookingOrder.contains(b.id) { bookingOrder.append(b.id) }
        if let old = view.booking(b.id), old.blocks(at: now), !b.blocks(at: now) || old.range != b.range || old.resource != b.resource
            || old.otherResources != b.otherResources {
            for r in old.resources { freed.append(Slot(resource: r, range: old.range)) }
        }
        view.overlay[b.id] = b
    }

    mutating func record(_ m: Mutation) { records.append(m) }

    /// Records a change that is stored elsewhere or has no record of its own (a staff grant, a
    /// webhook, a setting).
    mutating func recordAudit(_ e: AuditEntry) { auditRecords.append(e) }

    mutating func emit(_ type: EventType, booking: Booking? = nil, entry: WaitlistEntry? = nil, slot: Slot? = nil, by who: Author? = nil,
                       ledgerEntry: LedgerEntry? = nil) {
        events.append(DomainEvent(id: "evt_" + ids.next(), type: type, at: now, actor: who ?? actor, booking: booking, waitlistEntry: entry, slot: slot,
                                  ledgerEntry: ledgerEntry))
    }

    /// The next short reference from one of the state's counters (`B-00F`, `R-003`, …).
    mutating func nextRef(_ counter: WritableKeyPath<Counters, Int>, prefix: Character) -> String {
        counters[keyPath: counter] += 1
        countersChanged = true
        return ShortReference.make(prefix: prefix, number: counters[keyPath: counter])
    }
    mutating func nextBookingRef() -> String { nextRef(\.bookings, prefix: "B") }
    mutating func nextResourceRef() -> String { nextRef(\.resources, prefix: "R") }
    mutating func nextCustomerRef() -> String { nextRef(\.customers, prefix: "C") }
    mutating func nextScheduleRef() -> String { nextRef(\.schedules, prefix: "S") }
    mutating func nextWaitlistRef() -> String { nextRef(\.waitlist, prefix: "W") }

    /// Cancels every loaded hold that has lapsed: "the next write that meets it".
    mutating func expireHolds() {
        for var b in state.expiredHolds(at: now) where view.overlay[b.id] == nil {
            let system = Author.system
            b.status = .cancelled
            b.cancellation = Cancellation(at: now, by: system.user, reason: "hold expired", late: false)
            b.version += 1
            b.updatedAt = now
            b.updatedBy = system
            b.history.append(HistoryEntry(at: now, actor: system, action: "hold_expired",
                                          changes: ["status pending_payment → cancelled (hold expired)"], version: b.version))
            // The slot stopped blocking when the hold lapsed; recording the freed time lets the
            // waitlist hear of it.
            for r in b.resources { freed.append(Slot(resource: r, range: b.range)) }
            view.overlay[b.id] = b
            bookingOrder.append(b.id)
            emit(.bookingHoldExpired, booking: b, by: system)
        }
    }

    /// Finishes the plan: tells waiting customers about freed time that fits, and assembles the
    /// transaction.
    mutating func finish() -> Transaction {
        announceFreedTime()
        var mutations: [Mutation] = []
        if countersChanged { mutations.append(.counters(counters)) }
        mutations += records
        let written = bookingOrder.compactMap { view.overlay[$0] }
        mutations += written.map(Mutation.booking)
        mutations += auditEntries(bookings: written).map(Mutation.audit)
        return Transaction(at: now, actor: actor, mutations: mutations, events: events)
    }

    /// The audit entries of everything this plan writes: a booking's new history entries,
    /// each reference record's changed fields against the state's version, and the entries
    /// recorded as such. Every entry but a booking's is also an event for hooks and webhooks
    /// (``DomainEvent/change(_:sequence:index:)``), read from the record's entries rather than
    /// stored twice.
    private mutating func auditEntries(bookings: [Booking]) -> [AuditEntry] {
        var out: [AuditEntry] = []
        // Within one plan a record may be written twice (created, then linked): the diff of
        // each version is against the one before it.
        var resources: [ResourceID: Resource] = [:], schedules: [ScheduleID: Schedule] = [:], customers: [CustomerID: Customer] = [:]
        var services: [ServiceID: Service] = [:]
        for m in records {
            switch m {
            case .resource(let r):
                if let e = AuditDiff.resource(old: resources[r.id] ?? state.resources[r.id], new: r, at: now, actor: actor) { out.append(e) }
                resources[r.id] = r
            case .schedule(let s):
                out += AuditDiff.schedule(old: schedules[s.id] ?? state.schedules[s.id], new: s, at: now, actor: actor)
                schedules[s.id] = s
            case .service(let v):
                if let e = AuditDiff.service(old: services[v.id] ?? state.services[v.id], new: v, at: now, actor: actor) { out.append(e) }
                services[v.id] = v
            case .customer(let c):
                if var e = AuditDiff.customer(old: customers[c.id] ?? state.customers[c.id], new: c, at: now, actor: actor) {
                    e.reason = customerAuditReasons[c.id]
                    out.append(e)
                }
                customers[c.id] = c
            default: break
            }
        }
        out += auditRecords
        for b in bookings {
            out += AuditDiff.booking(old: state.bookings[b.id], new: b, reason: auditReasons[b.id])
        }
        return out
    }

    private mutating func announceFreedTime() {
        guard !freed.isEmpty else { return }
        var told: Set<WaitlistEntryID> = []
        let entries = state.waitlist.values.filter(\.isOpen).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        // The stored state, before this plan: a fit that was already free there did not open now.
        let before = BookingView(state: state, now: now)
        for slot in freed {
            let related = Set(state.related(to: slot.resource))
            for entry in entries where !told.contains(entry.id) && entry.window.overlaps(slot.range) {
                if let id = entry.service {
                    // A service entry is offered a start only once a whole combination is free.
                    guard let service = state.services[id], entry.resources.contains(where: related.contains),
                          let fit = serviceOpened(service, for: entry, near: slot.range, before: before) else { continue }
                    told.insert(entry.id)
                    emit(.waitlistSlotOpened, entry: entry, slot: fit)
                    continue
                }
                for r in entry.resources where related.contains(r) {
                    // Freed time plus whatever free time touches it may fit the entry.
                    let near = TimeRange(start: slot.range.start - entry.duration, end: slot.range.end + entry.duration)
                    // Only a slot that this change opened: it overlaps the freed time, or was
                    // kept busy before (by a buffer), not one that was free all along nearby.
                    guard let search = near.clipped(to: entry.window),
                          let fit = view.freeSlots(on: r, within: search, duration: entry.duration, limit: nil).first(where: {
                              $0.range.overlaps(slot.range) || !before.blockers(on: r, range: $0.range).isEmpty
                          }) else { continue }
                    told.insert(entry.id)
                    emit(.waitlistSlotOpened, entry: entry, slot: fit)
                    break
                }
            }
        }
    }

    /// The first start near `freed`, inside `entry`'s window on its resources' slot grid, where
    /// the whole `service` fits after this change and did not before it; the slot names the
    /// first resource it would take.
    ///
    /// - Complexity: O(t · C) for t grid steps within the service's reach of the freed time and
    ///   C the chooser's cost.
    private func serviceOpened(_ service: Service, for entry: WaitlistEntry, near freed: TimeRange, before: BookingView) -> Slot? {
        let pool = entry.resources.compactMap { state.resources[$0] }.filter { !$0.archived }.sorted { ($0.ref, $0.id) < ($1.ref, $1.id) }
        guard let home = pool.first else { return nil }
        let reach = service.duration + service.bufferBefore + service.bufferAfter
        guard let search = TimeRange(start: freed.start - reach, end: freed.end + reach).clipped(to: entry.window) else { return nil }
        let step = max(60, pool.map(\.slotLength.seconds).min() ?? 900)
        var t = search.start
        let rem = Int64(home.zone.local(t).secondOfDay) % step
        if rem != 0 { t = t + TimeSpan(seconds: step - rem) }
        while t + service.duration <= search.end {
            if let chosen = view.serviceCombination(service, among: pool, at: t), before.serviceCombination(service, among: pool, at: t) == nil {
                return Slot(resource: chosen[0][0], range: service.range(startingAt: t))
            }
            t = t + TimeSpan(seconds: step)
        }
        return nil
    }
}
