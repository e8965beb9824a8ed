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

    /// Every object of ``everyObject(liveKeysSince:)``, handed to `body` a batch at a time
    /// instead of all at once, so that memory holds one batch, one customer or key shard, or
    /// one month's partitions, not the store: the reference data (settings, schedules,
    /// resources, services, staff grants, the counters) in one batch, then customers (those
    /// merged into another after all the others, so the one they name is handed over first),
    /// the waitlist, bookings (about `batchSize` a batch) and the live idempotency keys. Within
    /// a kind the order is the store's, not the ids'.
    ///
    /// What `frontdesk migrate` reads from a directory. Read what no one writes meanwhile: a
    /// compaction that removes a shard under the read fails it (run it again).
    ///
    /// - Throws: `StoreError.incomplete` when part of the store does not verify, and what
    ///   `body` throws (then no further batch is read).
    /// - Complexity: reads every partition, customer shard and idempotency shard once.
    package func forEachObjectBatch(liveKeysSince cutoff: Instant, batchSize: Int = 1000,
                                    _ body: ([Mutation]) throws -> Void) throws {
        try requireComplete()
        let s = state
        var reference: [Mutation] = []
        reference += s.settings.values.sorted { $0.name < $1.name }.map { .setting($0) }
        reference += s.schedules.values.sorted { $0.id < $1.id }.map { .schedule($0) }
        reference += s.resources.values.sorted { $0.id < $1.id }.map { .resource($0) }
        reference += s.services.values.sorted { $0.id < $1.id }.map { .service($0) }
        reference += s.staff.values.sorted { $0.subject < $1.subject }.map { .staff($0) }
        reference.append(.counters(s.counters))
        try body(reference)

        var merged: [Customer] = []
        var lists: [[Customer]] = []
        if customerLayout.isSharded {
            // Shard by shard, straight from the files (not kept in memory); the customers the
            // journal changed since are in memory and replace their shard copies.
            for n in 0..<customerLayout.shardCount {
                let list: [Customer]
                do { list = try generation.customerShard(n, count: customerLayout.shardCount, fs: fs) } catch { throw noteDamage(error) }
                let batch = try migrationCustomers(list.filter { !customersInMemory.contains($0.id) }, merged: &merged)
                if !batch.isEmpty { try body(batch) }
            }
            lists = [state.customers.values.filter { customersInMemory.contains($0.id) }]
        } else {
            lists = [Array(state.customers.values)]
        }
        for list in lists {
            let batch = try migrationCustomers(list, merged: &merged)
            if !batch.isEmpty { try body(batch) }
        }
        if !merged.isEmpty { try body(merged.map { .customer($0) }) }

        let waitlist = s.waitlist.values.sorted { $0.id < $1.id }.map { Mutation.waitlist($0) }
        if !waitlist.isEmpty { try body(waitlist) }

        // The scan hands over one booking at a time and cannot throw from its callback: a
        // failure of `body` stops the handing-over and is thrown after the scan.
        var pending: [Mutation] = [], failure: (any Error)?
        pending.reserveCapacity(batchSize)
        _ = try scanBookings(resources: nil, range: Store.wholeRange, into: { 0 }) { _, b in
            guard failure == nil else { return }
            pending.append(.booking(b))
            if pending.count >= batchSize {
                do { try body(pending) } catch { failure = error }
                pending.removeAll(keepingCapacity: true)
            }
        }
        if let failure { throw failure }
        if !pending.isEmpty { try body(pending) }

        let layout = try currentKeyLayout()
        let touched = touchedKeys
        for n in 0..<layout.count {
            let records = try migrationKeyShard(n, layout: layout)
            let live = records.filter { !touched.contains($0.key) && $0.createdAt >= cutoff }.map { Mutation.idempotencyKey($0) }
            if !live.isEmpty { try body(live) }
        }
        let changed = touched.compactMap { state.idempotencyKeys[$0] }.filter { $0.createdAt >= cutoff }.sorted { $0.key < $1.key }
        if !changed.isEmpty { try body(changed.map { .idempotencyKey($0) }) }
    }

    /// `list` as mutations, those merged into another customer set aside in `merged`.
    private func migrationCustomers(_ list: [Customer], merged: inout [Customer]) throws -> [Mutation] {
        var batch: [Mutation] = []
        for c in list {
            if c.mergedInto != nil { merged.append(c) } else { batch.append(.customer(c)) }
        }
        return batch
    }

    /// Idempotency shard `n`; a damaged one makes the store incomplete for a migration.
    private func migrationKeyShard(_ n: Int, layout: IdempotencyLayout) throws(StoreError) -> [IdempotencyRecord] {
        do {
            return try generation.idempotencyShard(n, layout: layout, fs: fs)
        } catch .damaged(let path, let detail) {
            throw .incomplete(missing: "the idempotency keys in \(path) (\(detail))")
        } catch {
            throw error
        }
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
