import FrontdeskCore
import FrontdeskStore

extension Store {
    /// Puts already-valid bookings, customers and idempotency keys straight into one new
    /// snapshot generation (no planning, no journal record), then forgets the bookings and keys
    /// from memory: how `frontdesk-storetool bench generate`, `generate-scale` and the
    /// lazy-loading tests build a large store quickly.
    ///
    /// The generation is written as any compaction writes one, in whatever layout the store
    /// keeps each table in (shards, the customer index, the partitions' customer lists), in one
    /// pass over what is given: nothing is journaled and then compacted. Call it once with
    /// everything, or several times (each call writes a generation based on the previous one).
    /// The bookings' references must be numbered (`ShortReference.make(prefix: "B", number:)`)
    /// no higher than `bookingReferencesUpTo`, the customers' (`prefix: "C"`) no higher than
    /// `customerReferencesUpTo`: the reference counters move past them, or the next real booking
    /// or customer would get `B-001` or `C-001` again. Keys' bookings need not exist (a replay
    /// then finds none).
    ///
    /// - Complexity: O(bookings + customers + keys) in memory and written, plus the files of
    ///   the previous generation that the new one rewrites.
    package func seedForBenchmark(bookings: [Booking] = [], bookingReferencesUpTo: Int = 0,
                                  customers: [Customer] = [], customerReferencesUpTo: Int = 0,
                                  idempotencyKeys: [IdempotencyRecord] = []) throws(StoreError) {
        try writeGeneration(referenceFiles: customers.isEmpty ? [] : ["customers.json"]) { state in
            state.load(bookings)
            state.load(customers: customers)
            state.loadIdempotencyKeys(idempotencyKeys)
            var counters = state.counters
            counters.bookings = max(counters.bookings, bookingReferencesUpTo)
            counters.customers = max(counters.customers, customerReferencesUpTo)
            state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: [.counters(counters)]))
            return bookings.map(\.id)
        }
    }

    /// Puts `count` customers (`Customer 0000001`, …, with phones and e-mails) straight into a
    /// new snapshot generation (``seedForBenchmark(bookings:bookingReferencesUpTo:customers:customerReferencesUpTo:idempotencyKeys:)``); returns them.
    @discardableResult
    package func seedCustomersForBenchmark(count: Int, startingAt first: Int = 1) throws(StoreError) -> [Customer] {
        var customers: [Customer] = []
        customers.reserveCapacity(count)
        for n in first..<(first + count) {
            let digits = Partition.zeroPadded(n, 7)
            customers.append(Customer(id: CustomerID("cus_seed" + digits), ref: ShortReference.make(prefix: "C", number: n),
                                      name: "Customer " + digits, phone: "+1 555 " + digits, email: "customer\(digits)@example.com"))
        }
        try seedForBenchmark(customers: customers, customerReferencesUpTo: first + count - 1)
        return customers
    }
}
