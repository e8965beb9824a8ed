import FrontdeskCore

extension Store {
    /// The bookings of `customer` overlapping `range`, in start order (ties by reference), any
    /// status; afterwards they are in ``state``.
    ///
    /// Reads one shard of the generation's customer index and only the partitions that hold
    /// the customer's bookings starting in reach of `range` (the longest booking in the
    /// snapshot before it), decoding only the customer's bookings in them; a booking the
    /// journal tail changed is taken from memory instead of its index entry, since it may have
    /// moved or changed customer since. A generation
    /// without the index (written by an older build, until the next compaction) is scanned:
    /// every partition overlapping `range`, as `load(resources: nil, range:)` does.
    ///
    /// - Complexity: O(entries of the customer's shard + journal tail), plus the partitions read.
    public func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws(StoreError) -> [Booking] {
        let entries: [CustomerIndex.Entry]?
        do { entries = try generation.customerEntries(customer, fs: fs) } catch { throw noteDamage(error) }
        guard let entries else {
            try load(resources: nil, range: range)
            return Store.inOrder(state.bookings.values.filter { $0.customer == customer && $0.range.overlaps(range) })
        }
        let reach = TimeSpan(seconds: generation.manifest.maxBookingSeconds)
        var keys: Set<String> = []
        var ids: [BookingID] = []
        for e in entries where e.start < range.end && e.start + reach >= range.start && !touched.contains(e.id) {
            keys.insert(e.partition)
            ids.append(e.id)
        }
        // Only the customer's bookings of those partitions are decoded (``loadBookings(ofPartitions:ids:)``).
        try loadBookings(ofPartitions: keys, ids: Set(ids))
        var out: [Booking] = []
        for id in ids {
            if let b = state.bookings[id], b.customer == customer, b.range.overlaps(range) { out.append(b) }
        }
        for id in touched {
            if let b = state.bookings[id], b.customer == customer, b.range.overlaps(range) { out.append(b) }
        }
        try loadCustomers(for: out)
        return Store.inOrder(out)
    }

    /// Bookings by start, ties by reference.
    static func inOrder(_ bookings: [Booking]) -> [Booking] {
        bookings.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
    }

    /// The customers that bookings a partial load put in memory lack (``loadBookings(ofPartitions:mayBeWanted:wanted:)``'s
    /// result), picked from their partitions' customer lists without decoding the rest of
    /// the lists. Those no list names are left for ``loadCustomers(for:)`` (the shards).
    ///
    /// - Complexity: O(size of the lists read), plus decoding the customers picked.
    func loadCustomers(listedFor loaded: [(key: String, bookings: [Booking])]) throws(StoreError) {
        var keys: [String] = []
        var ids: Set<[UInt8]> = []
        for (key, bookings) in loaded {
            var lacking = false
            for b in bookings {
                if let c = b.customer, state.customers[c] == nil { ids.insert(Array(c.rawValue.utf8)); lacking = true }
            }
            if lacking { keys.append(key) }
        }
        guard !keys.isEmpty else { return }
        var found: [Mutation] = []
        for key in keys {
            let listed: [Customer]?
            do { listed = try generation.partitionCustomers(key, only: ids, fs: fs) } catch { throw noteDamage(error) }
            if listed != nil { partitionCustomerListsRead += 1 }
            for c in listed ?? [] where state.customers[c.id] == nil { found.append(.customer(c)) }
        }
        guard !found.isEmpty else { return }
        state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: found))
    }

    /// Puts the customers listed for partitions `keys` (`partition-customers/`) into the state,
    /// each unless the state already has it: the state's copy comes from the same generation's
    /// customer table or from the journal tail, so it is never older. Partitions without a
    /// list (a generation from an older build) are skipped.
    ///
    /// What a lazily loaded customer table calls to show the names of a partition's bookings
    /// without reading one customer file per booking.
    ///
    /// - Complexity: O(size of the lists read).
    func loadCustomers(forPartitions keys: some Sequence<String>) throws(StoreError) {
        var found: [Mutation] = []
        for key in keys {
            let listed: [Customer]?
            do { listed = try generation.partitionCustomers(key, fs: fs) } catch { throw noteDamage(error) }
            if listed != nil { partitionCustomerListsRead += 1 }
            for c in listed ?? [] where state.customers[c.id] == nil { found.append(.customer(c)) }
        }
        guard !found.isEmpty else { return }
        state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: found))
    }
}
