import FrontdeskCore

extension PostgresBookingStorage {
    /// Drops the bookings, customers and idempotency records read so far from memory, keeping
    /// the reference data, and forgets what was loaded, so ``refresh()`` and the next write
    /// read none of it again. A server lane calls this before each request: one connection
    /// serves many requests, and what one read must not grow every later one's work.
    ///
    /// - Complexity: O(objects in memory).
    public func forgetLoaded() {
        var s = state
        s.unload(Array(s.bookings.keys))
        s.unload(customers: Array(s.customers.keys))
        s.unloadIdempotencyKeys(Array(s.idempotencyKeys.keys))
        state = s
        loadedRanges = []
        loadedBookings = []
        loadedCustomers = []
    }
}
