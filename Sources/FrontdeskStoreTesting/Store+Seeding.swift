import FrontdeskCore
import FrontdeskStore

extension Store {
    /// Puts already-valid bookings straight into a new snapshot generation (no planning, no
    /// journal record), then forgets them from memory: how `frontdesk-storetool bench generate`
    /// and the lazy-loading tests build a large store quickly. The bookings' references must be
    /// numbered (`ShortReference.make(prefix:number:)`) no higher than `referencesUpTo`.
    package func seedSnapshotForBenchmark(_ bookings: [Booking], referencesUpTo: Int) throws(StoreError) {
        try writeGeneration { state in
            state.load(bookings)
            // The reference counter moves past the seeded references, or the next real booking
            // would get `B-001` again.
            var counters = state.counters
            counters.bookings = max(counters.bookings, referencesUpTo)
            state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: [.counters(counters)]))
            return bookings.map(\.id)
        }
    }

    /// Journals already-valid customers and idempotency keys without planning them, `perRecord`
    /// mutations a record: how `frontdesk-storetool bench generate-scale` builds a store with a
    /// million of each.
    ///
    /// Unlike bookings these go through ordinary journal records, so the next compaction
    /// writes them in whatever layout the store keeps customers and keys in, and the generator
    /// does not depend on it. The customers' references must be numbered
    /// (`ShortReference.make(prefix: "C", number:)`) no higher than `customerReferencesUpTo`.
    /// The store's compaction thresholds decide whether compactions run in between; a generator
    /// raises them and calls `compact()` once at the end.
    ///
    /// - Complexity: O(customers + keys), one fdatasync per record.
    package func seedTablesForBenchmark(customers: [Customer], customerReferencesUpTo: Int,
                                        idempotencyKeys: [IdempotencyRecord], at now: Instant,
                                        perRecord: Int = 20_000) throws(StoreError) {
        let mutations = customers.map(Mutation.customer) + idempotencyKeys.map(Mutation.idempotencyKey)
        var start = 0
        while start < mutations.count {
            let chunk = Array(mutations[start..<min(start + perRecord, mutations.count)])
            try write("seed", .directory) { _, _ throws(CoreError) in
                Planned(transaction: Transaction(at: now, actor: .system, mutations: chunk), value: ())
            }
            start += perRecord
        }
        // The reference counter moves past the seeded references, or the next real customer
        // would get `C-001` again.
        try write("seed", .directory) { state, _ throws(CoreError) in
            var counters = state.counters
            counters.customers = max(counters.customers, customerReferencesUpTo)
            return Planned(transaction: Transaction(at: now, actor: .system, mutations: [.counters(counters)]), value: ())
        }
    }

    /// Puts customers straight into a new snapshot generation (no planning, no journal
    /// record), for benchmarks whose seeded bookings name them. Their references must be
    /// numbered no higher than `referencesUpTo`.
    package func seedCustomersForBenchmark(_ customers: [Customer], referencesUpTo: Int) throws(StoreError) {
        try writeGeneration(referenceFiles: ["customers.json"]) { state in
            var counters = state.counters
            counters.customers = max(counters.customers, referencesUpTo)
            state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: customers.map(Mutation.customer) + [.counters(counters)]))
            return []
        }
    }

    /// Puts idempotency records straight into a new snapshot generation (no planning, no
    /// journal record), then forgets them from memory: a store with a million live keys for
    /// `frontdesk-storetool bench idempotency` and the lazy-loading tests. The records' bookings
    /// need not exist (a replay then finds none).
    package func seedIdempotencyKeysForBenchmark(_ records: [IdempotencyRecord]) throws(StoreError) {
        try writeGeneration { state in
            state.loadIdempotencyKeys(records)
            return []
        }
    }
}

extension Store {
    /// Puts `count` customers (`Customer 0000001`, …, with phones and e-mails) straight into a
    /// new snapshot generation, as `seedSnapshotForBenchmark` does bookings; returns them.
    @discardableResult
    package func seedCustomersForBenchmark(count: Int, startingAt first: Int = 1) throws(StoreError) -> [Customer] {
        var customers: [Customer] = []
        customers.reserveCapacity(count)
        for n in first..<(first + count) {
            let digits = Partition.zeroPadded(n, 7)
            customers.append(Customer(id: CustomerID("cus_seed" + digits), ref: ShortReference.make(prefix: "C", number: n),
                                      name: "Customer " + digits, phone: "+1 555 " + digits, email: "customer\(digits)@example.com"))
        }
        try writeGeneration(customers: customers, referencesUpTo: first + count - 1)
        return customers
    }
}
