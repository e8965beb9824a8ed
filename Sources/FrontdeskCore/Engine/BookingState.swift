/// Everything the core knows: resources, schedules, customers, the bookings loaded so far,
/// the waitlist and idempotency keys, with the indexes that make checks fast.
///
/// The state changes only by `apply(_:)` (a planned transaction) or, for the store's lazy
/// partitions, by `load(_:)` of bookings already on disk. The store makes sure the bookings a
/// plan needs (its months, related resources, a whole series) are loaded before planning.
public struct BookingState: Sendable {
    /// The tables and indexes, kept in one copy-on-write box (`Storage`): every plan holds a
    /// copy of the state while it checks a request, and one box costs one retain and release
    /// where separate tables would cost one each.
    struct Tables: Sendable {
        var resources: [ResourceID: Resource] = [:]
        var schedules: [ScheduleID: Schedule] = [:]
        var customers: [CustomerID: Customer] = [:]
        var bookings: [BookingID: Booking] = [:]
        var waitlist: [WaitlistEntryID: WaitlistEntry] = [:]
        var idempotencyKeys: [String: IdempotencyRecord] = [:]
        var staff: [StaffSubject: StaffGrant] = [:]
        var settings: [String: StoreSetting] = [:]
        var services: [ServiceID: Service] = [:]
        var counters = Counters()
        var intervals = ConflictIndex()
        var pendingHolds: Set<BookingID> = []
        var children: [ResourceID: Set<ResourceID>] = [:]
        var parents: [ResourceID: ResourceID] = [:]
        var policies: [ResourceID: EffectivePolicy] = [:]
        var bookingsByRef: [String: BookingID] = [:]
        var seriesMembers: [SeriesID: Set<BookingID>] = [:]
        var bookingsByCustomer: [CustomerID: Set<BookingID>] = [:]
    }

    /// The box; changed only through `changeTables`, that is only while uniquely referenced,
    /// which is why sharing it across threads is safe.
    final class Storage: @unchecked Sendable {
        // Unchecked: copy-on-write storage, written only while uniquely referenced (`changeTables`).
        var tables: Tables
        init(_ tables: Tables) { self.tables = tables }
    }

    private var storage = Storage(Tables())

    /// The box itself, so tests can tell a copy from a change in place.
    var storageForTests: AnyObject { storage }

    /// Runs `change` on the tables in place, copying the box first if another state shares it.
    /// Every change to the state goes through here, so a change never shows through a copy.
    private mutating func changeTables<R>(_ change: (inout Tables) -> R) -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.tables) }
        return change(&storage.tables)
    }

    public var resources: [ResourceID: Resource] { storage.tables.resources }
    public var schedules: [ScheduleID: Schedule] { storage.tables.schedules }
    public var customers: [CustomerID: Customer] { storage.tables.customers }
    public var bookings: [BookingID: Booking] { storage.tables.bookings }
    public var waitlist: [WaitlistEntryID: WaitlistEntry] { storage.tables.waitlist }
    public var idempotencyKeys: [String: IdempotencyRecord] { storage.tables.idempotencyKeys }
    public var counters: Counters { storage.tables.counters }
    /// Roles granted to users and groups, removed grants included (with no role).
    public var staff: [StaffSubject: StaffGrant] { storage.tables.staff }
    /// Store settings by name (``StoreSetting``).
    public var settings: [String: StoreSetting] { storage.tables.settings }
    /// The store's currency (nil: not set yet, so money commands refuse).
    public var currency: Currency? { settings[StoreSetting.currency].flatMap { Currency(code: $0.value) } }
    /// The service catalog, archived services included.
    public var services: [ServiceID: Service] { storage.tables.services }
    /// Occupying bookings, widened by their resource's buffers (`.blocking`), and every
    /// loaded booking, any status, by its own range (`.calendar`: what the day grid and lists
    /// draw).
    var intervals: ConflictIndex { storage.tables.intervals }
    /// `pending_payment` bookings, so expired holds are found without a scan.
    var pendingHolds: Set<BookingID> { storage.tables.pendingHolds }
    var children: [ResourceID: Set<ResourceID>] { storage.tables.children }
    /// Each resource's parent, so `related(to:)` walks up without copying resources.
    var parents: [ResourceID: ResourceID] { storage.tables.parents }
    /// Each resource's effective policy (`policy(for:)`), remade whenever the resource or its
    /// schedule changes: a booking reads it three times, and making it copies a resource and
    /// a schedule out of their tables.
    var policies: [ResourceID: EffectivePolicy] { storage.tables.policies }
    var bookingsByRef: [String: BookingID] { storage.tables.bookingsByRef }
    var seriesMembers: [SeriesID: Set<BookingID>] { storage.tables.seriesMembers }
    var bookingsByCustomer: [CustomerID: Set<BookingID>] { storage.tables.bookingsByCustomer }

    public init() {}

    // MARK: Applying changes

    /// Applies a planned transaction. Replaying the same transactions in order yields the same state.
    public mutating func apply(_ transaction: Transaction) {
        changeTables { tables in
            for m in transaction.mutations { tables.apply(m) }
        }
    }

    /// Adds bookings read from a snapshot partition (no events, no checks).
    ///
    /// An array, not any sequence: the store calls this for every partition it loads, and a
    /// generic of this module runs unspecialized there, resolving its sequence's iterator type
    /// at run time (a conformance check that scans every conformance record of the binary).
    public mutating func load(_ loaded: [Booking]) {
        changeTables { tables in
            for b in loaded { tables.put(b) }
        }
    }

    /// Adds idempotency records read from a snapshot (no events, no checks), replacing what
    /// memory holds for their keys: the caller leaves out keys that changed since the snapshot.
    public mutating func loadIdempotencyKeys<S: Sequence>(_ records: S) where S.Element == IdempotencyRecord {
        changeTables { tables in
            for r in records { tables.idempotencyKeys[r.key] = r }
        }
    }

    /// Forgets idempotency records from memory only (storage that keeps them on disk reads
    /// them back when a plan needs them); not a change of the store, unlike
    /// ``Mutation/forgetIdempotencyKey(_:)``.
    public mutating func unloadIdempotencyKeys<S: Sequence>(_ keys: S) where S.Element == String {
        changeTables { tables in
            for k in keys { tables.idempotencyKeys[k] = nil }
        }
    }

    /// Adds customers read from a snapshot (no events, no checks): storage that loads
    /// customers lazily puts them in memory with this.
    public mutating func load<S: Sequence>(customers loaded: S) where S.Element == Customer {
        changeTables { tables in
            for c in loaded { tables.customers[c.id] = c }
        }
    }

    /// Forgets customers from memory only (storage that reads customers as needed reads them
    /// back); not a change of the store, unlike erasing or merging one.
    public mutating func unload<S: Sequence>(customers ids: S) where S.Element == CustomerID {
        changeTables { tables in
            for id in ids { tables.customers[id] = nil }
        }
    }

    /// Makes room for `n` more bookings before a large `load`, so the tables and indexes grow
    /// once instead of rehashing repeatedly.
    public mutating func reserveCapacity(forAdditionalBookings n: Int) {
        changeTables { tables in
            tables.bookings.reserveCapacity(tables.bookings.count + n)
            tables.bookingsByRef.reserveCapacity(tables.bookingsByRef.count + n)
            tables.intervals.reserveCapacity(forAdditional: n)
        }
    }

    /// Forgets bookings (e.g. a partition the store evicts); indexes follow.
    public mutating func unload<S: Sequence>(_ ids: S) where S.Element == BookingID {
        changeTables { tables in
            for id in ids { tables.remove(id) }
        }
    }

    mutating func apply(_ m: Mutation) {
        changeTables { $0.apply(m) }
    }

    // MARK: Reading

    /// The policy in force for a resource: its own overrides, else its schedule's, else none.
    /// - Complexity: O(1) expected (kept in `policies`).
    public func policy(for resource: ResourceID) -> EffectivePolicy {
        storage.tables.policy(for: resource)
    }

    /// What `policy(for:)` answers, made from the resource and its schedule.
    func makePolicy(for resource: ResourceID) -> EffectivePolicy {
        storage.tables.makePolicy(for: resource)
    }

    /// The availability rules of a resource (always open when it follows no schedule).
    public func availability(for resource: Resource) -> AvailabilityRules {
        AvailabilityRules(schedule: resource.schedule.flatMap { schedules[$0] }, zone: resource.zone)
    }

    /// The resource, its ancestors and its descendants: everything a booking on it occupies.
    public func related(to resource: ResourceID) -> [ResourceID] {
        // Most resources stand alone: no set, no walk.
        if parents[resource] == nil && children[resource]?.isEmpty ?? true { return [resource] }
        var out: [ResourceID] = [resource]
        var seen: Set<ResourceID> = [resource]
        var up = parents[resource]
        while let p = up, seen.insert(p).inserted { out.append(p); up = parents[p] }
        var stack = Array(children[resource] ?? [])
        while let c = stack.popLast() {
            guard seen.insert(c).inserted else { continue }
            out.append(c)
            stack.append(contentsOf: children[c] ?? [])
        }
        return out
    }

    public func booking(ref: String) -> Booking? { bookingsByRef[ref.uppercased()].flatMap { bookings[$0] } }

    /// Bookings of one series, in start order.
    public func series(_ id: SeriesID) -> [Booking] {
        (seriesMembers[id] ?? []).compactMap { bookings[$0] }.sorted(by: Booking.startOrder)
    }

    /// A customer's bookings, in start order.
    public func bookings(of customer: CustomerID) -> [Booking] {
        (bookingsByCustomer[customer] ?? []).compactMap { bookings[$0] }.sorted(by: Booking.startOrder)
    }

    /// Occupying bookings holding exactly this resource (as home or another resource) whose
    /// buffered range overlaps `range`.
    ///
    /// - Complexity: O(log n + k) through the conflict index, for n bookings on the resource.
    public func occupying(_ resource: ResourceID, overlapping range: TimeRange) -> [Booking] {
        intervals.overlapping(range, on: resource, in: .blocking).compactMap { bookings[$0] }
    }

    /// All loaded bookings holding a resource (as home or another resource) that overlap a
    /// range, any status, in start order.
    ///
    /// - Complexity: O(log n + k) through the calendar index, for n bookings on the resource.
    public func bookings(on resource: ResourceID, overlapping range: TimeRange) -> [Booking] {
        intervals.overlapping(range, on: resource, in: .calendar).compactMap { bookings[$0] }
    }

    /// Holds whose expiry has passed at `now`.
    public func expiredHolds(at now: Instant) -> [Booking] {
        pendingHolds.compactMap { bookings[$0] }.filter { $0.holdExpired(at: now) }.sorted { $0.id < $1.id }
    }
}

extension BookingState.Tables {
    /// One mutation of a planned transaction, indexes included.
    mutating func apply(_ m: Mutation) {
        switch m {
        case .booking(let b): put(b)
        case .resource(let r):
            let old = resources[r.id]
            if let p = old?.parent { children[p]?.remove(r.id) }
            resources[r.id] = r
            if let p = r.parent { children[p, default: []].insert(r.id) }
            parents[r.id] = r.parent
            policies[r.id] = makePolicy(for: r.id)
            if old?.policy != r.policy || old?.schedule != r.schedule { reindex(resource: r.id) }
        case .schedule(let s):
            let old = schedules[s.id]
            schedules[s.id] = s
            let buffersChanged = old?.bufferBefore != s.bufferBefore || old?.bufferAfter != s.bufferAfter
            for r in resources.values where r.schedule == s.id {
                policies[r.id] = makePolicy(for: r.id)
                if buffersChanged { reindex(resource: r.id) }
            }
        case .customer(let c): customers[c.id] = c
        case .waitlist(let w): waitlist[w.id] = w
        case .idempotencyKey(let k): idempotencyKeys[k.key] = k
        case .forgetIdempotencyKey(let k): idempotencyKeys[k] = nil
        case .staff(let g): staff[g.subject] = g
        case .setting(let s): settings[s.name] = s
        case .service(let v): services[v.id] = v
        case .counters(let c):
            // Counters only go up, so a replayed or reordered record never reuses a reference.
            counters = counters.merged(with: c)
        case .audit:
            // The log is the storage's to keep; the state holds no table of it.
            break
        }
    }

    mutating func put(_ b: Booking) {
        // One probe of the (large) table for both the old version and the new one.
        if let old = bookings.updateValue(b, forKey: b.id) {
            if let c = old.customer, c != b.customer { bookingsByCustomer[c]?.remove(b.id) }
            if let s = old.series, s != b.series { seriesMembers[s]?.remove(b.id) }
            if old.ref != b.ref { bookingsByRef[old.ref] = nil }
        }
        bookingsByRef[b.ref] = b.id
        if let c = b.customer { bookingsByCustomer[c, default: []].insert(b.id) }
        if let s = b.series { seriesMembers[s, default: []].insert(b.id) }
        if b.status == .pendingPayment { pendingHolds.insert(b.id) } else if !pendingHolds.isEmpty { pendingHolds.remove(b.id) }
        index(b)
    }

    mutating func remove(_ id: BookingID) {
        guard let b = bookings.removeValue(forKey: id) else { return }
        bookingsByRef[b.ref] = nil
        if let c = b.customer { bookingsByCustomer[c]?.remove(id) }
        if let s = b.series { seriesMembers[s]?.remove(id) }
        pendingHolds.remove(id)
        intervals.remove(id)
    }

    /// Both interval layers in one probe of their id map: the booking's own range, and its
    /// buffered one while it occupies its slot.
    /// A booking that holds several resources is indexed on each, its blocking range widened
    /// by that resource's own buffers or the booking's, whichever is larger on each side.
    private mutating func index(_ b: Booking) {
        var blocking: TimeRange?
        let occupies = b.status.occupiesSlot
        if occupies {
            blocking = policy(for: b.resource).buffered(b.range, before: b.bufferBefore, after: b.bufferAfter)
        }
        let others = b.otherResources
        if others.isEmpty {
            intervals.insert(b.id, resource: b.resource, calendar: b.range, blocking: blocking)
            return
        }
        let more = others.map { r -> (resource: ResourceID, blocking: TimeRange?) in
            guard occupies else { return (r, nil) }
            return (r, policy(for: r).buffered(b.range, before: b.bufferBefore, after: b.bufferAfter))
        }
        intervals.insert(b.id, resource: b.resource, calendar: b.range, blocking: blocking, others: more)
    }

    private mutating func reindex(resource: ResourceID) {
        for b in bookings.values where b.holds(resource) { index(b) }
    }

    /// The policy in force for a resource: its own overrides, else its schedule's, else none.
    func policy(for resource: ResourceID) -> EffectivePolicy {
        policies[resource] ?? makePolicy(for: resource)
    }

    /// What `policy(for:)` answers, made from the resource and its schedule.
    func makePolicy(for resource: ResourceID) -> EffectivePolicy {
        let r = resources[resource]
        let s = r?.schedule.flatMap { schedules[$0] }
        let o = r?.policy ?? PolicyOverrides()
        return EffectivePolicy(
            bufferBefore: o.bufferBefore ?? s?.bufferBefore ?? .zero,
            bufferAfter: o.bufferAfter ?? s?.bufferAfter ?? .zero,
            minimumNotice: o.minimumNotice ?? s?.minimumNotice ?? .zero,
            maximumAdvance: o.maximumAdvance ?? s?.maximumAdvance,
            cancellationNotice: o.cancellationNotice ?? s?.cancellationNotice ?? .zero,
            reminderLead: o.reminderLead)
    }
}
