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
