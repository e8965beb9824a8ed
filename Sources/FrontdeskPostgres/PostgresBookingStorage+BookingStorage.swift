import FrontdeskCore
import FrontdeskStore
import PostgresNIO

/// The PostgreSQL store is a `BookingStorage`: `write` plans inside one transaction that holds
/// the change row's lock, `subscribe` listens for the writes' notifications.
extension PostgresBookingStorage: BookingStorage {
    public func load(resources: [ResourceID]?, range: TimeRange) throws {
        try takeIn(try readBookings(resources: resources, range: range))
        loadedRanges.append((resources, range))
    }

    /// Reads the customer's bookings through the `(customer, start_at)` index, from the
    /// partitions that can reach `range` only.
    public func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws -> [Booking] {
        let earliest = try earliestStart(overlapping: range)
        let found = try bookings("""
            SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND customer = \(customer.rawValue) AND start_at >= to_timestamp(\(earliest))
            AND start_at < to_timestamp(\(Double(range.end.seconds))) AND end_at > to_timestamp(\(Double(range.start.seconds)))
            """)
        try takeIn(found)
        loadedBookings.formUnion(found.map(\.id))
        return found.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
    }

    public func booking(idOrRef: String) throws -> Booking? {
        let text = idOrRef.trimming(.whitespaces)
        guard let b = try bookings("SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND (id = \(text) OR ref = upper(\(text)))").first else { return nil }
        var s = state
        try add([b], to: &s)
        if let series = b.series { try add(try readSeries([series]), to: &s) }
        state = s
        loadedBookings.insert(b.id)
        if let series = b.series { loadedBookings.formUnion(s.series(series).map(\.id)) }
        return b
    }

    /// Reads the bookings of `range` (every booking when nil) with their customers and
    /// searches them as ``SearchWords`` does.
    ///
    /// - Complexity: O(bookings in `range`) read from the database.
    public func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking] {
        try indexedSearch(text: text, range: range, limit: limit, backward: backward)
    }

    public func write<T>(_ operation: String, _ change: ChangeRequest,
                         _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        if case .readOnly(let why) = mode { throw StorageRefusal(message: "read-only: \(why)") }
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try writeOnce(change, plan)
            } catch {
                guard let state = Self.retryable(error) else { throw error }
                guard attempt < Self.attempts else { throw PostgresStoreError.retriesExhausted(attempts: attempt, sqlState: state) }
            }
        }
    }

    /// One try of ``write(_:_:_:)``: lock the change row, read the footprint, plan, store,
    /// check the exclusion constraint, notify, commit.
    func writeOnce<T>(_ change: ChangeRequest, _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        try session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        var committed = false
        defer { if !committed { _ = try? session.execute("ROLLBACK") } }
        // The lock first: every later statement sees every write committed before it.
        guard let row = try session.execute("UPDATE store_changes SET seq = seq + 1 RETURNING seq").first else {
            throw PostgresStoreError.damagedDocument(message: "store_changes has no row")
        }
        let seq = try row.decode(Int64.self)
        var fresh = try readDirectory()
        // Customers this desk has read stay in the plan's state, read again: a change of the
        // directory (a waitlist entry, a new customer's name) names them without a footprint.
        fresh.load(customers: try readCustomers(loadedCustomers.union(state.customers.keys).sorted()))
        try loadFootprint(of: change, into: &fresh)
        let planned = try plan(fresh, engine)
        guard !planned.transaction.isEmpty else { return planned.value }
        try store(planned.transaction, planned: fresh)
        try storeEvents(of: planned.transaction, change: seq)
        try session.query("SELECT pg_notify(\(Self.channel), \(String(seq)))")
        do {
            try session.execute("SET CONSTRAINTS ALL IMMEDIATE")
        } catch {
            guard Self.sqlState(of: error) == "23P01" else { throw error }
            _ = try? session.execute("ROLLBACK")
            committed = true // rolled back: nothing for the deferred rollback to do
            throw try overlapRefusal(planned.transaction, planned: fresh)
        }
        try session.execute("COMMIT")
        committed = true
        // What this desk had loaded stays, the plan's fresher copies and the change on top.
        var s = fresh
        s.load(state.bookings.values.filter { fresh.bookings[$0.id] == nil })
        s.load(customers: state.customers.values.filter { fresh.customers[$0.id] == nil })
        s.apply(planned.transaction)
        state = s
        loadedBookings.formUnion(fresh.bookings.keys)
        loadedBookings.formUnion(planned.transaction.bookings.map(\.id))
        loadedCustomers.formUnion(s.customers.keys)
        // Unchanged elsewhere meanwhile: the state is current.
        if seq == seenChange + 1 { seenChange = seq }
        return planned.value
    }

    /// The SQLSTATE of a server error, nil for any other error.
    static func sqlState(of error: any Error) -> String? {
        guard let e = error as? PostgresStoreError, case .server(let state, _, _, _) = e else { return nil }
        return state
    }

    /// The SQLSTATE when `error` is worth another try (serialization failure, deadlock).
    static func retryable(_ error: any Error) -> String? {
        guard let state = sqlState(of: error), state == "40001" || state == "40P01" else { return nil }
        return state
    }

    /// The refusal for a write the exclusion constraint stopped: the engine's conflict naming
    /// the bookings in the database that overlap, or the server's error when the engine would
    /// not count them (a lapsed hold whose occupancy is still stored).
    func overlapRefusal(_ tx: Transaction, planned: BookingState) throws -> any Error {
        var s = planned
        var conflicts: [ConflictingBooking] = []
        for b in tx.bookings where b.status.occupiesSlot {
            let ids = try occupants(against: b, policy: planned.policy(for: b.resource))
            try add(try readBookings(ids: ids.filter { s.bookings[$0] == nil }), to: &s)
            for r in b.resources {
                conflicts += s.conflicts(on: r, range: b.range, at: engine.clock.now(), excluding: [b.id],
                                         bufferBefore: b.bufferBefore, bufferAfter: b.bufferAfter)
            }
        }
        if conflicts.isEmpty {
            return PostgresStoreError.server(sqlState: "23P01", message: "a booking overlaps another on the same resource",
                                             detail: nil, constraint: "occupancy_no_overlap")
        }
        var seen = Set<BookingID>()
        return CoreError.conflict(conflicts.filter { seen.insert($0.id).inserted })
    }

    public func refresh() throws -> Bool { try reload() }

    public func subscribe(_ onChange: @escaping @Sendable () -> Void) -> PostgresSubscription {
        PostgresSubscription(url: session.url, password: password, channel: Self.channel, onChange)
    }

    /// A planning refusal phrased with the names in the state; a database error in its own words.
    public func describe(_ error: any Error) -> (refusal: CoreError?, message: String) {
        if let e = error as? CoreError { return (e, e.description(in: state)) }
        if let e = error as? PostgresStoreError { return (nil, e.description) }
        return (nil, String(describing: error))
    }

    public func auditEntries(_ query: AuditQuery) throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for row in try session.execute("SELECT entry::text FROM audit WHERE entry ? 'audit' ORDER BY seq") {
            guard case .audit(let e) = try Self.document(row) else { throw PostgresStoreError.damagedDocument(message: "an audit row holds another kind of document") }
            entries.append(e)
        }
        return query.select(entries)
    }

    public func customer(id: CustomerID) throws -> Customer? {
        guard let c = try readCustomers([id]).first else { return nil }
        remember([c])
        return c
    }

    /// Reads through the GIN index on `customers.keys`.
    public func customers(key: String) throws -> [Customer] {
        let found = try customerRows("SELECT doc::text FROM customers WHERE doc IS NOT NULL AND keys @> ARRAY[\(key)]::text[] ORDER BY ref, id")
        remember(found)
        return found
    }

    /// Reads through the prefix index on `customer_name_keys`, then orders as the core does.
    public func customers(namePrefix prefix: String, limit: Int) throws -> [Customer] {
        let folded = CustomerKey.foldedName(prefix)
        let pattern = folded.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_") + "%"
        let found = try customerRows("""
            SELECT doc::text FROM customers WHERE doc IS NOT NULL
            AND id IN (SELECT customer FROM customer_name_keys WHERE key LIKE \(pattern))
            """)
        let hits = CustomerKey.nameSearch(found, prefix: folded, limit: limit)
        remember(hits)
        return hits
    }

    /// Reads every customer's document.
    ///
    /// - Complexity: O(customers) read from the database.
    public func allCustomers() throws -> [Customer] {
        let found = try customerRows("SELECT doc::text FROM customers WHERE doc IS NOT NULL")
        remember(found)
        return found
    }

    /// Puts customers read for a caller in the state, and reads them again on refresh.
    func remember(_ customers: [Customer]) {
        state.load(customers: customers)
        loadedCustomers.formUnion(customers.map(\.id))
    }
}
