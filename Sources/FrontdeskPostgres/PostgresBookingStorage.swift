import FrontdeskCore
import FrontdeskStore
import PostgresNIO

/// A ``BookingStorage`` on a PostgreSQL database (schema version 2 or later): the same engine
/// plans, the database keeps the objects and enforces the no-overlap rule itself.
///
/// Each object is stored as its canonical document (`doc`, the journal's mutation object, by
/// the file store's codec) beside the columns the constraints and indexes need. A write locks
/// the one row of `store_changes` first, so writers take turns as they do on the file store's
/// lock, reads the footprint inside that transaction, runs the plan, writes its transaction and
/// commits (see docs/POSTGRES.md, "Writing").
///
/// Not `Sendable`: one thread uses it, as with the file store. Only subscriptions reach other
/// threads.
public final class PostgresBookingStorage {
    public internal(set) var state: BookingState
    public let engine: BookingEngine
    public internal(set) var mode: StorageMode = .live
    let session: PostgresSession
    let password: String?
    /// The change number the state reflects (`store_changes.seq` when it was read).
    var seenChange: Int64 = -1
    /// What was loaded, so that `refresh` loads it again after a change elsewhere.
    var loadedRanges: [(resources: [ResourceID]?, range: TimeRange)] = []
    var loadedBookings: Set<BookingID> = []
    var loadedCustomers: Set<CustomerID> = []
    /// How many times a write is tried when the database reports a serialization failure or
    /// a deadlock (it never does for writers that take turns, but the database may).
    static let attempts = 5
    /// The channel every write notifies on commit.
    static let channel = "frontdesk_changes"

    /// Connects to `url` and reads the reference data.
    ///
    /// - Throws: ``PostgresStoreError`` when the server cannot be reached, the schema is missing,
    ///   older or newer than this program's, or a stored document cannot be read.
    public init(url: PostgresURL, password: String?, engine: BookingEngine) throws(PostgresStoreError) {
        self.session = try PostgresSession(url: url, password: password)
        self.password = password
        self.engine = engine
        self.state = BookingState()
        try SchemaMigrator(session: session).check()
        _ = try reload()
    }

    /// Parses `url`, takes the password from the environment or the password file, connects.
    ///
    /// - Throws: as ``init(url:password:engine:)``, and ``PostgresStoreError/invalidURL(url:message:)``.
    public static func connect(_ url: String, environment: [String: String] = PostgresEnvironment.current(),
                               engine: BookingEngine) throws(PostgresStoreError) -> PostgresBookingStorage {
        let parsed = try PostgresURL(parsing: url, environment: environment, defaultUser: PostgresEnvironment.accountName())
        let password = try PasswordFile.password(for: parsed, environment: environment)
        return try PostgresBookingStorage(url: parsed, password: password, engine: engine)
    }

    /// Closes the connection.
    public func close() { session.close() }

    // MARK: Reading

    /// The reference data as a state: resources, schedules, services, staff, settings, the
    /// waitlist and the counters (customers are read as needed, through their indexes).
    func readDirectory() throws(PostgresStoreError) -> BookingState {
        var mutations: [Mutation] = []
        for sql in [
            "SELECT body::text FROM schedules WHERE body ? 'schedule' ORDER BY id",
            "SELECT doc::text FROM resources WHERE doc IS NOT NULL ORDER BY id",
            "SELECT body::text FROM services WHERE body ? 'service' ORDER BY id",
            "SELECT doc::text FROM staff WHERE doc IS NOT NULL ORDER BY subject",
            "SELECT value::text FROM settings WHERE value ? 'setting' ORDER BY key",
            "SELECT body::text FROM waitlist WHERE body ? 'waitlist' ORDER BY id",
            "SELECT doc::text FROM counters",
        ] {
            for row in try session.execute(sql) { mutations.append(try Self.document(row)) }
        }
        var s = BookingState()
        s.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: mutations))
        return s
    }

    /// The mutation a row's first column holds.
    static func document(_ row: PostgresRow) throws(PostgresStoreError) -> Mutation {
        let text: String
        do { text = try row.decode(String.self) } catch { throw .damagedDocument(message: "\(error)") }
        do { return try MutationDocument.mutation(text) } catch { throw .damagedDocument(message: "\(error): \(text.prefix(200))") }
    }

    /// The bookings a query's rows hold (first column: `doc::text`).
    func bookings(_ query: PostgresQuery) throws(PostgresStoreError) -> [Booking] {
        var out: [Booking] = []
        for row in try session.query(query) {
            guard case .booking(let b) = try Self.document(row) else { throw .damagedDocument(message: "a booking row holds another kind of document") }
            out.append(b)
        }
        return out
    }

    /// The customers a query's rows hold (first column: `doc::text`).
    func customerRows(_ query: PostgresQuery) throws(PostgresStoreError) -> [Customer] {
        var out: [Customer] = []
        for row in try session.query(query) {
            guard case .customer(let c) = try Self.document(row) else { throw .damagedDocument(message: "a customer row holds another kind of document") }
            out.append(c)
        }
        return out
    }

    /// The earliest start a booking overlapping `range` can have: the range's start less the
    /// longest booking stored (`booking_extent`), in seconds. The bound lets the database skip
    /// every month's partition that ends before it.
    func earliestStart(overlapping range: TimeRange) throws(PostgresStoreError) -> Double {
        guard let row = try session.query("SELECT extract(epoch FROM longest)::float8 FROM booking_extent").first else {
            throw .damagedDocument(message: "booking_extent has no row")
        }
        let longest: Double
        do { longest = try row.decode(Double.self) } catch { throw .damagedDocument(message: "booking_extent: \(error)") }
        return Double(range.start.seconds) - longest
    }

    /// Bookings of `resources` (nil: all; as home or another resource) overlapping `range`.
    ///
    /// - Complexity: two index range scans, over the partitions of the months from
    ///   ``earliestStart(overlapping:)`` to the range's end: those held as home resource
    ///   (`bookings_resource_start`), then those held as another (`booking_resources_resource`).
    func readBookings(resources: [ResourceID]?, range: TimeRange) throws(PostgresStoreError) -> [Booking] {
        let start = Double(range.start.seconds), end = Double(range.end.seconds)
        let earliest = try earliestStart(overlapping: range)
        guard let resources else {
            return try bookings("""
                SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND start_at >= to_timestamp(\(earliest))
                AND start_at < to_timestamp(\(end)) AND end_at > to_timestamp(\(start))
                """)
        }
        let ids = resources.map(\.rawValue)
        return try bookings("""
            SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND start_at >= to_timestamp(\(earliest))
            AND start_at < to_timestamp(\(end)) AND end_at > to_timestamp(\(start)) AND resource = ANY(\(ids))
            UNION ALL
            SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND start_at >= to_timestamp(\(earliest))
            AND start_at < to_timestamp(\(end)) AND end_at > to_timestamp(\(start)) AND resource <> ALL(\(ids))
            AND id IN (SELECT booking FROM booking_resources WHERE resource = ANY(\(ids)))
            """)
    }

    /// The bookings with these ids.
    func readBookings(ids: [BookingID]) throws(PostgresStoreError) -> [Booking] {
        guard !ids.isEmpty else { return [] }
        return try bookings("SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND id = ANY(\(ids.map(\.rawValue)))")
    }

    /// Every occurrence of these series.
    func readSeries(_ series: [SeriesID]) throws(PostgresStoreError) -> [Booking] {
        guard !series.isEmpty else { return [] }
        return try bookings("SELECT doc::text FROM bookings WHERE doc IS NOT NULL AND series = ANY(\(series.map(\.rawValue)))")
    }

    /// The customers with these ids.
    func readCustomers(_ ids: [CustomerID]) throws(PostgresStoreError) -> [Customer] {
        guard !ids.isEmpty else { return [] }
        return try customerRows("SELECT doc::text FROM customers WHERE doc IS NOT NULL AND id = ANY(\(ids.map(\.rawValue)))")
    }

    /// The idempotency records of these keys.
    func readIdempotencyKeys(_ keys: [String]) throws(PostgresStoreError) -> [IdempotencyRecord] {
        guard !keys.isEmpty else { return [] }
        var out: [IdempotencyRecord] = []
        for row in try session.query("SELECT doc::text FROM idempotency_keys WHERE doc IS NOT NULL AND key = ANY(\(keys))") {
            guard case .idempotencyKey(let r) = try Self.document(row) else { throw .damagedDocument(message: "an idempotency row holds another kind of document") }
            out.append(r)
        }
        return out
    }

    /// Puts `bookings` and their customers in the handle's own state, in place: the customers
    /// are read first, so a failed read leaves the state as it was. In place because a copy of
    /// the state (`var s = state`, changed, stored back) costs what everything loaded so far
    /// costs, on every read of a long-lived handle (a desk, a server lane).
    func takeIn(_ bookings: [Booking]) throws(PostgresStoreError) {
        guard !bookings.isEmpty else { return }
        let missing = Set(bookings.compactMap(\.customer)).filter { state.customers[$0] == nil }
        let customers = try readCustomers(missing.sorted())
        state.load(bookings)
        state.load(customers: customers)
    }

    /// Puts `bookings` in `s` with their customers (a conflict names the customer) and the
    /// rest of their series.
    func add(_ bookings: [Booking], to s: inout BookingState) throws(PostgresStoreError) {
        guard !bookings.isEmpty else { return }
        s.load(bookings)
        let missing = Set(bookings.compactMap(\.customer)).filter { s.customers[$0] == nil }
        s.load(customers: try readCustomers(missing.sorted()))
    }

    /// Reads everything `footprint` asks for into `s`: bookings by id first (then the
    /// footprint is asked again, as it now covers their ranges), whole series, the ranges, the
    /// idempotency keys and customers.
    func loadFootprint(of change: ChangeRequest, into s: inout BookingState) throws(PostgresStoreError) {
        var fp = engine.footprint(of: change, in: s)
        // Each round finds at least one more booking or stops; a change names few.
        for _ in 0..<4 where !fp.unresolved.isEmpty {
            let found = try readBookings(ids: fp.unresolved)
            if found.isEmpty { break }
            try add(found, to: &s)
            fp = engine.footprint(of: change, in: s)
        }
        let series = Set(fp.series.compactMap { s.bookings[$0]?.series })
        try add(try readSeries(series.sorted { $0.rawValue < $1.rawValue }), to: &s)
        for range in fp.ranges { try add(try readBookings(resources: fp.resources, range: range), to: &s) }
        s.loadIdempotencyKeys(try readIdempotencyKeys(fp.idempotencyKeys))
        // A replay returns the bookings the key produced, wherever they are now.
        let bound = fp.idempotencyKeys.compactMap { s.idempotencyKeys[$0] }.flatMap(\.bookings).filter { s.bookings[$0] == nil }
        try add(try readBookings(ids: bound), to: &s)
        let customers = fp.customers.filter { s.customers[$0] == nil }
        s.load(customers: try readCustomers(customers))
    }

    /// The number of the last committed change.
    func currentChange() throws(PostgresStoreError) -> Int64 {
        guard let row = try session.execute("SELECT seq FROM store_changes").first else {
            throw .damagedDocument(message: "store_changes has no row")
        }
        do { return try row.decode(Int64.self) } catch { throw .damagedDocument(message: "store_changes: \(error)") }
    }

    /// Reads the state again (reference data, then what was loaded) when the database changed
    /// since it was read; true when it did. One REPEATABLE READ transaction: one snapshot.
    func reload() throws(PostgresStoreError) -> Bool {
        try session.transaction("REPEATABLE READ READ ONLY") { () throws(PostgresStoreError) -> Bool in
            let seq = try currentChange()
            guard seq != seenChange else { return false }
            var s = try readDirectory()
            // The waitlist's customers, for their names (a desk lists the waitlist).
            s.load(customers: try customerRows("SELECT doc::text FROM customers WHERE doc IS NOT NULL AND id IN (SELECT customer FROM waitlist)"))
            for (resources, range) in loadedRanges { try add(try readBookings(resources: resources, range: range), to: &s) }
            try add(try readBookings(ids: loadedBookings.filter { s.bookings[$0] == nil }.sorted()), to: &s)
            s.load(customers: try readCustomers(loadedCustomers.filter { s.customers[$0] == nil }.sorted()))
            state = s
            seenChange = seq
            return true
        }
    }
}
