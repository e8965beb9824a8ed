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
