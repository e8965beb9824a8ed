import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import PostgresNIO

/// What `frontdesk migrate` reads from and writes into a PostgreSQL store: every object as a
/// mutation, and bulk inserts of objects the database does not hold yet.
extension PostgresBookingStorage {
    /// Where the store is, without any password.
    package var location: String { session.url.description }

    /// Every object the database holds, as the mutations that recreate it (the canonical
    /// documents of its `doc`/`body`/`value` columns), in the order of
    /// `Store.everyObject(liveKeysSince:)`. Audit entries are not objects and are not included.
    ///
    /// - Throws: ``PostgresStoreError/damagedDocument(message:)`` when a row holds no document
    ///   (written by plain SQL) or one that cannot be read: such a store cannot be compared.
    /// - Complexity: reads every row of every object table, in one REPEATABLE READ snapshot.
    package func migrationObjects() throws -> [Mutation] {
        var out: [Mutation] = []
        try forEachMigrationBatch { out += $0 }
        return out
    }

    /// Every object of ``migrationObjects()``, handed to `body` at most `batchSize` at a time
    /// as a server-side cursor fetches them, so that memory holds one batch, not the store:
    /// settings, schedules, resources, services, customers, staff, the counters, the
    /// waitlist, bookings and idempotency keys, all from one REPEATABLE READ snapshot. Within
    /// a kind the order is the server's, not the ids'.
    ///
    /// - Throws: ``PostgresStoreError/damagedDocument(message:)`` as ``migrationObjects()``,
    ///   the server's errors, and what `body` throws (the read is then ended).
    package func forEachMigrationBatch(batchSize: Int = 2000, _ body: ([Mutation]) throws -> Void) throws {
        try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        var open = true
        defer { if open { _ = try? session.execute("ROLLBACK") } }
        for (table, column) in [("settings", "value"), ("schedules", "body"), ("resources", "doc"), ("services", "body"),
                                ("customers", "doc"), ("staff", "doc"), ("counters", "doc"), ("waitlist", "body"),
                                ("bookings", "doc"), ("idempotency_keys", "doc")] {
            let rows = try session.execute("SELECT count(*) FROM \(table) WHERE \(column) IS NULL OR jsonb_typeof(\(column)) <> 'object'")
            let n = try rows.first.map { row throws(PostgresStoreError) -> Int64 in
                do { return try row.decode(Int64.self) } catch { throw .damagedDocument(message: "\(table): \(error)") }
            } ?? 0
            if n > 0 { throw PostgresStoreError.damagedDocument(message: "\(n) row(s) of \(table) hold no document (written outside frontdesk)") }
        }
        for sql in [
            "SELECT value::text FROM settings ORDER BY key",
            "SELECT body::text FROM schedules ORDER BY id",
            "SELECT doc::text FROM resources ORDER BY id",
            "SELECT body::text FROM services ORDER BY id",
            "SELECT doc::text FROM customers",
            "SELECT doc::text FROM staff ORDER BY subject",
            "SELECT doc::text FROM counters",
            "SELECT body::text FROM waitlist ORDER BY id",
            "SELECT doc::text FROM bookings",
            "SELECT doc::text FROM idempotency_keys",
        ] {
            try session.execute("DECLARE migration_rows NO SCROLL CURSOR FOR \(sql)")
            while true {
                let rows = try session.execute("FETCH FORWARD \(batchSize) FROM migration_rows")
                if rows.isEmpty { break }
                var batch: [Mutation] = []
                batch.reserveCapacity(rows.count)
                for row in rows { batch.append(try Self.document(row)) }
                try body(batch)
            }
            try session.execute("CLOSE migration_rows")
        }
        try session.execute("COMMIT")
        open = false
    }

    /// Writes `objects`, none of which the database holds yet, as rows: the reference data
    /// (settings, schedules, resources with parents first, services, staff, counters,
    /// waitlist) in one transaction, then customers, bookings and idempotency keys in
    /// transactions of at most `batchSize` objects each, every one a few multi-row
    /// statements (`jsonb_to_recordset`), not a round trip per object. Each transaction locks
    /// the change row first, as every write does, and advances it; `progress` is called after
    /// each commit with the number of objects written so far.
    ///
    /// A crash between transactions leaves a subset of `objects` stored, each whole; inserting
    /// the rest later completes the store.
    ///
    /// - Throws: ``PostgresStoreError`` for what the server refuses (a foreign key, the
    ///   exclusion constraint: bookings that overlap in the source).
    package func insertMigrated(_ objects: [Mutation], batchSize: Int, progress: (Int) -> Void) throws {
        var reference: [Mutation] = [], customers: [Customer] = [], bookings: [Booking] = [], keys: [IdempotencyRecord] = []
        var waitlist: [Mutation] = []
        for m in objects {
            switch m {
            case .customer(let c): customers.append(c)
            case .booking(let b): bookings.append(b)
            case .idempotencyKey(let r): keys.append(r)
            case .waitlist: waitlist.append(m)
            case .audit, .forgetIdempotencyKey: continue
            default: reference.append(m)
            }
        }
        // The buffers every booking's occupancy is widened by come from its resource and
        // schedule: the state with the reference data as it will be stored.
        var planned = state
        planned.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: reference))
        var written = 0
        if !reference.isEmpty {
            try batch { () throws in try store(Transaction(at: Instant(seconds: 0), actor: .system, mutations: Self.parentsFirst(reference)), planned: planned) }
            written += reference.count
            progress(written)
        }
        // A customer merged into another refers to it: the ones they were merged into first.
        let ordered = Self.mergeTargetsFirst(customers)
        for chunk in stride(from: 0, to: ordered.count, by: batchSize).map({ Array(ordered[$0..<min($0 + batchSize, ordered.count)]) }) {
            try batch { () throws in try insertCustomers(chunk) }
            written += chunk.count
            progress(written)
        }
        if !waitlist.isEmpty {
            try batch { () throws in try store(Transaction(at: Instant(seconds: 0), actor: .system, mutations: waitlist), planned: planned) }
            written += waitlist.count
            progress(written)
        }
        for start in stride(from: 0, to: bookings.count, by: batchSize) {
            let chunk = Array(bookings[start..<min(start + batchSize, bookings.count)])
            try batch { () throws in try insertBookings(chunk, planned: planned) }
            written += chunk.count
            progress(written)
        }
        for start in stride(from: 0, to: keys.count, by: batchSize) {
            let chunk = Array(keys[start..<min(start + batchSize, keys.count)])
            try batch { () throws in try insertKeys(chunk) }
            written += chunk.count
            progress(written)
        }
        // The reference data just written is what later calls widen bookings' occupancy by.
        if !reference.isEmpty || !waitlist.isEmpty {
            seenChange = -1
            _ = try reload()
        }
    }

    /// Runs `body` in one transaction that holds the change row (writers take turns, desks see
    /// the change) and is checked against the exclusion constraint before it commits.
    func batch(_ body: () throws -> Void) throws {
        try session.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        var committed = false
        defer { if !committed { _ = try? session.execute("ROLLBACK") } }
        let seq = try session.execute("UPDATE store_changes SET seq = seq + 1 RETURNING seq").first.map { try $0.decode(Int64.self) } ?? 0
        try body()
        try session.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try session.query("SELECT pg_notify(\(Self.channel), \(String(seq)))")
        try session.execute("COMMIT")
        committed = true
    }

    /// Resources whose parent is among them after that parent (the parent's foreign key).
    static func parentsFirst(_ reference: [Mutation]) -> [Mutation] {
        var resources: [Resource] = []
        var rest: [Mutation] = []
        for m in reference { if case .resource(let r) = m { resources.append(r) } else { rest.append(m) } }
        var placed: Set<ResourceID> = [], ordered: [Resource] = []
        let ids = Set(resources.map(\.id))
        var pending = resources
        while !pending.isEmpty {
            let (ready, later) = (pending.filter { r in r.parent.map { !ids.contains($0) || placed.contains($0) } ?? true },
                                  pending.filter { r in !(r.parent.map { !ids.contains($0) || placed.contains($0) } ?? true) })
            // A cycle cannot be stored (the database refuses it): keep the rest as they are.
            if ready.isEmpty { ordered += later; break }
            ordered += ready
            placed.formUnion(ready.map(\.id))
            pending = later
        }
        return rest.filter { if case .setting = $0 { true } else if case .schedule = $0 { true } else { false } }
            + ordered.map { .resource($0) }
            + rest.filter { if case .setting = $0 { false } else if case .schedule = $0 { false } else { true } }
    }

    /// Customers merged into another after the one they were merged into.
    static func mergeTargetsFirst(_ customers: [Customer]) -> [Customer] {
        let ids = Set(customers.map(\.id))
        var placed: Set<CustomerID> = [], ordered: [Customer] = []
        var pending = customers
        while !pending.isEmpty {
            let isReady = { (c: Customer) in c.mergedInto.map { !ids.contains($0) || placed.contains($0) } ?? true }
            let ready = pending.filter(isReady)
            if ready.isEmpty { ordered += pending; break }
            ordered += ready
            placed.formUnion(ready.map(\.id))
            pending = pending.filter { !isReady($0) }
        }
        return ordered
    }

    /// Seconds since the epoch, or JSON null.
    static func seconds(_ t: Instant?, _ w: inout JSONWriter) {
        if let t { w.value(t.seconds) } else { w.nullValue() }
    }

    /// Customers as rows of `customers` and `customer_name_keys`, two statements.
    func insertCustomers(_ customers: [Customer]) throws {
        var w = JSONWriter()
        w.beginArray()
        for c in customers {
            w.beginObject()
            w.key("id"); w.value(c.id.rawValue)
            w.key("ref"); w.value(c.ref)
            w.key("name"); w.value(c.name)
            w.key("phone"); w.value(c.phone)
            w.key("email"); w.value(c.email)
            w.key("notes"); w.value(c.notes)
            w.key("tags"); w.beginArray(); for t in c.tags { w.value(t) }; w.endArray()
            w.key("merged_into"); w.value(c.mergedInto?.rawValue)
            w.key("erased"); w.value(c.erased)
            w.key("version"); w.value(c.version)
            w.key("doc"); w.rawValue(try MutationDocument.text(.customer(c)))
            w.key("keys"); w.beginArray(); for k in CustomerKey.keys(of: c) { w.value(k) }; w.endArray()
            w.key("names"); w.beginArray(); for k in Set(CustomerKey.nameSearchKeys(folded: CustomerKey.foldedName(c.name))).sorted() { w.value(k) }; w.endArray()
            w.endObject()
        }
        w.endArray()
        let rows = String(decoding: w.bytes, as: UTF8.self)
        try session.query("""
            INSERT INTO customers (id, ref, name, phone, email, notes, tags, merged_into, erased, version, doc, keys)
            SELECT x.id, x.ref, x.name, x.phone, x.email, x.notes, ARRAY(SELECT jsonb_array_elements_text(x.tags)), x.merged_into, x.erased,
                   x.version, x.doc, ARRAY(SELECT jsonb_array_elements_text(x.keys))
            FROM jsonb_to_recordset(\(rows)::jsonb) AS x(id text, ref text, name text, phone text, email text, notes text, tags jsonb,
                 merged_into text, erased boolean, version integer, doc jsonb, keys jsonb)
            """)
        try session.query("""
            INSERT INTO customer_name_keys (customer, key)
            SELECT x.id, jsonb_array_elements_text(x.names) FROM jsonb_to_recordset(\(rows)::jsonb) AS x(id text, names jsonb)
            """)
    }

    /// Bookings as rows of `booking_keys`, `bookings` (their months' partitions created first)
    /// and `booking_resources`: four statements whatever their number. The occupancy rows
    /// follow by trigger, widened as ``store(_:doc:expected:policy:)`` widens them.
    func insertBookings(_ bookings: [Booking], planned: BookingState) throws {
        var w = JSONWriter()
        var starts: Set<Int64> = []
        w.beginArray()
        for b in bookings {
            let policy = planned.policy(for: b.resource)
            starts.insert(b.start.seconds)
            w.beginObject()
            w.key("id"); w.value(b.id.rawValue)
            w.key("ref"); w.value(b.ref)
            w.key("resource"); w.value(b.resource.rawValue)
            w.key("service"); w.value(b.service?.rawValue)
            w.key("customer"); w.value(b.customer?.rawValue)
            w.key("start_at"); w.value(b.start.seconds)
            w.key("end_at"); w.value(b.end.seconds)
            w.key("before"); w.value(max(policy.bufferBefore.seconds, b.bufferBefore.seconds))
            w.key("after"); w.value(max(policy.bufferAfter.seconds, b.bufferAfter.seconds))
            w.key("status"); w.value(b.status.rawValue)
            w.key("hold"); Self.seconds(b.holdExpiresAt, &w)
            w.key("cancelled"); Self.seconds(b.cancellation?.at, &w)
            w.key("series"); w.value(b.series?.rawValue)
            w.key("occurrence"); w.value(b.occurrenceDate?.description)
            w.key("notes"); w.value(b.notes)
            w.key("ikey"); w.value(b.idempotencyKey)
            w.key("override"); w.value(b.overrideReason)
            w.key("reminder"); Self.seconds(b.reminderSentAt, &w)
            w.key("created_by"); w.rawValue(MutationDocument.actor(b.createdBy))
            w.key("updated_by"); w.rawValue(MutationDocument.actor(b.updatedBy))
            w.key("created"); w.value(b.createdAt.seconds)
            w.key("updated"); w.value(b.updatedAt.seconds)
            w.key("version"); w.value(b.version)
            w.key("doc"); w.rawValue(try MutationDocument.text(.booking(b)))
            w.key("others"); w.beginArray(); for r in b.otherResources { w.value(r.rawValue) }; w.endArray()
            w.key("tokens"); w.beginArray(); for t in Self.searchTokens(of: b) { w.value(t) }; w.endArray()
            w.endObject()
        }
        w.endArray()
        let rows = String(decoding: w.bytes, as: UTF8.self)
        try session.query("""
            SELECT frontdesk_ensure_month(m) FROM (SELECT DISTINCT date_trunc('month', to_timestamp(s) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m
            FROM unnest(\(starts.sorted().map(Double.init))::float8[]) AS s) AS months
            """)
        try session.query("""
            INSERT INTO booking_keys (id, ref) SELECT x.id, x.ref FROM jsonb_to_recordset(\(rows)::jsonb) AS x(id text, ref text)
            """)
        try session.query("""
            INSERT INTO bookings (id, ref, resource, service, customer, start_at, end_at, buffer_before, buffer_after, status,
                hold_expires_at, cancelled_at, cancellation, series, occurrence_date, notes, idempotency_key, override_reason,
                reminder_sent_at, created_by, updated_by, created_at, updated_at, version, doc, search_tokens)
            SELECT x.id, x.ref, x.resource, x.service, x.customer, to_timestamp(x.start_at), to_timestamp(x.end_at),
                make_interval(secs => x.before), make_interval(secs => x.after), x.status,
                to_timestamp(x.hold), to_timestamp(x.cancelled), x.doc->'booking'->'cancellation', x.series, x.occurrence::date,
                x.notes, x.ikey, x.override, to_timestamp(x.reminder), x.created_by, x.updated_by,
                to_timestamp(x.created), to_timestamp(x.updated), x.version, x.doc, ARRAY(SELECT jsonb_array_elements_text(x.tokens))
            FROM jsonb_to_recordset(\(rows)::jsonb) AS x(id text, ref text, resource text, service text, customer text, start_at float8,
                end_at float8, before float8, after float8, status text, hold float8, cancelled float8, series text, occurrence text,
                notes text, ikey text, override text, reminder float8, created_by jsonb, updated_by jsonb, created float8, updated float8,
                version integer, doc jsonb, tokens jsonb)
            """)
        try session.query("""
            INSERT INTO booking_resources (booking, resource, position)
            SELECT x.id, o.resource, o.position FROM jsonb_to_recordset(\(rows)::jsonb) AS x(id text, others jsonb)
            CROSS JOIN LATERAL jsonb_array_elements_text(x.others) WITH ORDINALITY AS o(resource, position)
            """)
    }

    /// Idempotency records as rows of `idempotency_keys`, one statement; a key whose booking
    /// is not stored keeps no booking (the column's foreign key), as a purged booking leaves it.
    func insertKeys(_ keys: [IdempotencyRecord]) throws {
        var w = JSONWriter()
        w.beginArray()
        for r in keys {
            w.beginObject()
            w.key("key"); w.value(r.key)
            w.key("fingerprint"); w.value(r.fingerprint)
            w.key("booking"); w.value(r.bookings.first?.rawValue)
            w.key("response"); w.value(r.response)
            w.key("created"); w.value(r.createdAt.seconds)
            w.key("doc"); w.rawValue(try MutationDocument.text(.idempotencyKey(r)))
            w.endObject()
        }
        w.endArray()
        let rows = String(decoding: w.bytes, as: UTF8.self)
        try session.query("""
            INSERT INTO idempotency_keys (key, fingerprint, booking, response, created_at, doc)
            SELECT x.key, x.fingerprint, (SELECT k.id FROM booking_keys k WHERE k.id = x.booking),
                   COALESCE(to_jsonb(x.response), 'null'::jsonb), to_timestamp(x.created), x.doc
            FROM jsonb_to_recordset(\(rows)::jsonb) AS x(key text, fingerprint text, booking text, response text, created float8, doc jsonb)
            """)
    }
}
