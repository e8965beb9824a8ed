import FrontdeskCore

extension Store {
    /// The range every stored booking falls in (as `export` reads "everything").
    package static let wholeRange = TimeRange(start: Instant(seconds: 0), end: Instant(seconds: 253_402_300_799))

    /// Every object the store holds, as the mutations that recreate it: settings, schedules,
    /// resources, services, customers, staff grants, the counters, the waitlist, every booking
    /// (its history and payments are in its document) and the idempotency keys the engine
    /// still honours at `now` (``BookingEngine/idempotencyRetention``). Audit entries are not
    /// objects and are not included.
    ///
    /// What `frontdesk migrate` moves to another store.
    ///
    /// - Throws: `StoreError.incomplete` when part of the store does not verify.
    /// - Complexity: reads every partition, customer shard and idempotency shard.
    package func everyObject(liveKeysSince cutoff: Instant) throws -> [Mutation] {
        try requireComplete()
        try load(resources: nil, range: Store.wholeRange)
        let customers = try allCustomers()
        let missing = try loadAllIdempotencyKeys()
        if let first = missing.first { throw StoreError.incomplete(missing: first) }
        let s = state
        var out: [Mutation] = []
        out += s.settings.values.sorted { $0.name < $1.name }.map { .setting($0) }
        out += s.schedules.values.sorted { $0.id < $1.id }.map { .schedule($0) }
        out += s.resources.values.sorted { $0.id < $1.id }.map { .resource($0) }
        out += s.services.values.sorted { $0.id < $1.id }.map { .service($0) }
        out += customers.sorted { $0.id < $1.id }.map { .customer($0) }
        out += s.staff.values.sorted { $0.subject < $1.subject }.map { .staff($0) }
        out.append(.counters(s.counters))
        out += s.waitlist.values.sorted { $0.id < $1.id }.map { .waitlist($0) }
        out += s.bookings.values.sorted { $0.id < $1.id }.map { .booking($0) }
        out += s.idempotencyKeys.values.filter { $0.createdAt >= cutoff }.sorted { $0.key < $1.key }.map { .idempotencyKey($0) }
        return out
    }

    /// Replaces the whole content of this store, a new one that nobody uses yet, with
    /// `objects` (``everyObject(liveKeysSince:)`` of another store), written as one snapshot
    /// generation with no journal record: the grant `create` gave its creator goes too, so
    /// the store holds exactly what it was given.
    ///
    /// Nothing plans the objects: they come from a store whose engine or database checked
    /// them. A crash leaves the store as it was (a generation is committed by one rename).
    ///
    /// - Complexity: O(objects) in memory and written.
    package func replaceContent(with objects: [Mutation]) throws(StoreError) {
        let files: Set<String> = ["resources.json", "schedules.json", CustomerLayout.wholeFile, "waitlist.json",
                                  StaffSchema.file, SettingSchema.file, ServiceSchema.file]
        try writeGeneration(referenceFiles: files) { state in
            var fresh = BookingState()
            fresh.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: objects))
            state = fresh
            return Array(fresh.bookings.keys)
        }
    }
}
