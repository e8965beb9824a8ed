import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// What only the PostgreSQL storage has: the upgrade from schema version 1, the database's
/// own no-overlap rule behind the engine, and nothing half-written when it refuses.
@Suite("PostgreSQL booking storage")
struct PostgresBookingStorageTests {
    static let now = Instant(seconds: 1_798_761_600)
    static let desk = Author(user: "carol", origin: "local", source: .cli)

    static func storage(_ url: String) throws -> PostgresBookingStorage {
        try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: FixedClock(now)))
    }

    /// A new database at the newest schema, the storage open on it, and a resource `Room 1`.
    static func freshStore() throws -> (cluster: PostgresTestCluster, database: String, storage: PostgresBookingStorage, room: ResourceID) {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        _ = try SchemaMigrator(session: session).migrate()
        session.close()
        let storage = try Self.storage(url)
        let room = try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: .utc), in: s, by: Self.desk)
        }.id
        return (cluster, database, storage, room)
    }

    @Test("a database at schema version 1 upgrades to the newest, and the storage refuses it until then")
    func upgradeFromVersion1() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        defer { session.close() }
        #expect(try SchemaMigrator(session: session, migrations: Array(SchemaMigration.all.prefix(1))).migrate() == .init(from: 0, to: 1))
        #expect(throws: PostgresStoreError.schemaBehind(found: 1, required: SchemaMigration.latestVersion)) { try Self.storage(url) }
        #expect(try SchemaMigrator(session: session).migrate() == .init(from: 1, to: SchemaMigration.latestVersion))
        let storage = try Self.storage(url)
        defer { storage.close() }
        let room = try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: .utc), in: s, by: Self.desk)
        }.id
        let range = TimeRange(start: Self.now + .days(2), end: Self.now + .days(2) + .hours(1))
        let request = BookingRequest(resource: room, range: range)
        let b = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Self.desk) }.bookings[0]
        let rows = try cluster.psql(database: database, "SELECT count(*) FROM occupancy WHERE booking = '\(b.id.rawValue)'")
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test("an overlap the engine cannot see (a row written with plain SQL) is refused by the database, and nothing is written")
    func databaseRefusesWhatTheEngineMissed() throws {
        let (cluster, database, storage, room) = try Self.freshStore()
        defer { storage.close() }
        // 2027-01-03T10:00Z-11:00Z, with no document: the storage cannot read it back.
        let inserted = try cluster.psql(database: database, """
            BEGIN;
            SELECT frontdesk_ensure_month('2027-01-03T10:00Z');
            INSERT INTO booking_keys (id, ref) VALUES ('bk_sql', 'B-SQL');
            INSERT INTO bookings (id, ref, resource, start_at, end_at, status, created_by, updated_by, created_at, updated_at, version)
            VALUES ('bk_sql', 'B-SQL', '\(room.rawValue)', '2027-01-03T10:00Z', '2027-01-03T11:00Z', 'confirmed', '{}', '{}', now(), now(), 1);
            COMMIT;
            """)
        #expect(inserted.status == 0, "\(inserted.error)")
        let start = Instant(seconds: 1_798_970_400) // 2027-01-03T10:00:00Z
        let request = BookingRequest(resource: room, range: TimeRange(start: start + .minutes(30), end: start + .minutes(90)))
        do {
            _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Self.desk) }
            Issue.record("the overlapping booking was stored")
        } catch let PostgresStoreError.server(sqlState, _, _, constraint) {
            #expect(sqlState == "23P01" && constraint == "occupancy_no_overlap")
        }
        let count = try cluster.psql(database: database, "SELECT count(*) FROM booking_keys")
        #expect(count.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        // The change number did not move: the refused write left nothing behind.
        let seq = try cluster.psql(database: database, "SELECT seq FROM store_changes")
        #expect(seq.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test("booking_history and payments hold each booking's history and ledger, row by row, and the database checks the money")
    func historyAndPaymentRows() throws {
        let (cluster, database, storage, room) = try Self.freshStore()
        defer { storage.close() }
        _ = try storage.write("currency", .directory) { s, e throws(CoreError) in try e.setCurrency("EUR", in: s, by: Self.desk) }
        var request = BookingRequest(resource: room, range: TimeRange(start: Self.now + .days(2), end: Self.now + .days(2) + .hours(1)))
        request.price = PriceDraft(price: 4500, reason: "list price")
        let b = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Self.desk) }.bookings[0]
        _ = try storage.write("pay", .edit(b.id)) { s, e throws(CoreError) in
            try e.pay(b.id, amount: 4500, method: .card, reference: "T-1", idempotencyKey: "pay-1", in: s, by: Self.desk)
        }
        _ = try storage.write("refund", .edit(b.id)) { s, e throws(CoreError) in
            try e.refund(b.id, amount: 1000, reason: "late start", in: s, by: Self.desk)
        }
        _ = try storage.write("cancel", .cancel(b.id, scope: .this)) { s, e throws(CoreError) in
            try e.cancel(b.id, reason: "ill", in: s, by: Self.desk)
        }
        let stored = try #require(try storage.booking(idOrRef: b.ref))
        let history = try cluster.psql(database: database, "SELECT seq || ' ' || action || ' v' || version FROM booking_history WHERE booking = '\(b.id.rawValue)' ORDER BY seq")
        let expectedHistory = stored.history.enumerated().map { "\($0.offset + 1) \($0.element.action) v\($0.element.version)" }
        #expect(expectedHistory.count >= 4)
        #expect(history.output.split(separator: "\n").map(String.init) == expectedHistory, "\(history.output) \(history.error)")
        let ledger = try #require(stored.charges?.ledger)
        let payments = try cluster.psql(database: database, """
            SELECT position || ' ' || id || ' ' || kind || ' ' || amount_minor || ' ' || currency || ' ' || COALESCE(method, '-') || ' ' || reference
                   || ' ' || COALESCE(idempotency_key, '-')
            FROM payments WHERE booking = '\(b.id.rawValue)' ORDER BY position
            """)
        let expectedPayments = ledger.enumerated().map { i, e in
            "\(i + 1) \(e.id) \(e.kind.rawValue) \(e.amount) EUR \(e.method?.rawValue ?? "-") \(e.reference) \(e.idempotencyKey ?? "-")"
        }
        #expect(ledger.count == 2)
        #expect(payments.output.split(separator: "\n").map(String.init) == expectedPayments, "\(payments.output) \(payments.error)")
        // The database itself refuses money the engine would not write.
        for (bad, constraint) in [("'payment', 0, 'EUR', 'card'", "payments_amount_minor_check"), ("'gift', 100, 'EUR', NULL", "payments_kind_check"),
                                  ("'payment', 100, 'EUR', NULL", "payments_payment_has_method"), ("'fee', 100, 'EUR', 'card'", "payments_fee_has_no_method"),
                                  ("'refund', 100, 'eur', NULL", "payments_currency_check")] {
            let refused = try cluster.psql(database: database, """
                INSERT INTO payments (id, booking, kind, amount_minor, currency, method, reference, at, actor, position)
                VALUES ('pay_sql', '\(b.id.rawValue)', \(bad), '', now(), '{}', 9)
                """)
            #expect(refused.status != 0 && refused.error.contains(constraint), "\(bad): \(refused.error)")
        }
    }

    @Test("the upgrade to version 4 copies the history and ledger of bookings already stored into their tables")
    func upgradeFillsHistoryAndPayments() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        defer { session.close() }
        #expect(try SchemaMigrator(session: session, migrations: Array(SchemaMigration.all.prefix(3))).migrate() == .init(from: 0, to: 3))
        let actor = #"{"user":"carol","origin":"local","source":"cli"}"#
        let doc = """
            {"booking":{"history":[{"at":"2027-01-03T09:00:00Z","actor":\(actor),"action":"created","changes":[],"version":1},
                                   {"at":"2027-01-03T09:05:00Z","actor":\(actor),"action":"payment","changes":["paid 45.00"],"version":2}],
                        "charges":{"currency":"EUR","price":4500,"ledger":[{"id":"pay_1","kind":"payment","amount":4500,"method":"card",
                                   "reference":"T-1","at":"2027-01-03T09:05:00Z","actor":\(actor)}]}}}
            """
        let inserted = try cluster.psql(database: database, """
            BEGIN;
            INSERT INTO resources (id, ref, name, kind, zone, slot_length, version) VALUES ('res_1', 'R-1', 'Room 1', 'room', 'UTC', interval '30 minutes', 1);
            SELECT frontdesk_ensure_month('2027-01-03T10:00Z');
            INSERT INTO booking_keys (id, ref) VALUES ('bk_old', 'B-OLD');
            INSERT INTO bookings (id, ref, resource, start_at, end_at, status, created_by, updated_by, created_at, updated_at, version, doc)
            VALUES ('bk_old', 'B-OLD', 'res_1', '2027-01-03T10:00Z', '2027-01-03T11:00Z', 'confirmed', '{}', '{}', now(), now(), 2, '\(doc)'::jsonb);
            COMMIT;
            """)
        #expect(inserted.status == 0, "\(inserted.error)")
        #expect(try cluster.psql(database: database, "SELECT count(*) FROM booking_history").output.hasPrefix("0"))
        #expect(try SchemaMigrator(session: session).migrate() == .init(from: 3, to: SchemaMigration.latestVersion))
        let history = try cluster.psql(database: database, "SELECT seq || ' ' || action || ' ' || array_to_string(changes, ',') FROM booking_history ORDER BY seq")
        #expect(history.output == "1 created \n2 payment paid 45.00\n", "\(history.output)")
        let payments = try cluster.psql(database: database, "SELECT id || ' ' || kind || ' ' || amount_minor || ' ' || currency || ' ' || method FROM payments")
        #expect(payments.output == "pay_1 payment 4500 EUR card\n", "\(payments.output)")
    }

    @Test("search through the token and name indexes finds what SearchWords finds in memory, a LIKE wildcard is only a character, and an untokenized booking is still found")
    func indexedSearchMatchesSearchWords() throws {
        let (cluster, database, storage, room) = try Self.freshStore()
        defer { storage.close() }
        var customers: [CustomerID] = []
        for name in ["Ann Lee", "Zoë Ånström", "Lee Marvin", "Mary-Jane Smith", "Bob 50%"] {
            customers.append(try storage.write("customer add", .directory) { s, e throws(CoreError) in
                try e.addCustomer(name: name, in: s, by: Self.desk)
            }.id)
        }
        let notes = ["follow-up visit", "xzy", "x%y promo", "", "colour & cut", "Leeds branch", "a_b test", "FOLLOW up", "", "ann's friend"]
        for i in 0..<20 {
            var request = BookingRequest(resource: room, range: TimeRange(start: Self.now + .hours(Int64(24 + i * 2)), end: Self.now + .hours(Int64(25 + i * 2))))
            request.customer = i % 6 == 5 ? nil : .existing(customers[i % customers.count])
            request.notes = notes[i % notes.count]
            _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Self.desk) }
        }
        // One booking as a database before version 4 held it: no tokens.
        #expect(try cluster.psql(database: database, """
            UPDATE bookings SET search_tokens = NULL WHERE id = (SELECT id FROM bookings WHERE notes = 'xzy' ORDER BY start_at LIMIT 1)
            """).status == 0)
        #expect(try cluster.psql(database: database, "SELECT count(*) FROM bookings WHERE search_tokens IS NULL").output.hasPrefix("1"))
        // Everything in memory, for SearchWords itself to search.
        let all = TimeRange(start: Self.now, end: Self.now + .days(30))
        try storage.load(resources: nil, range: all)
        var memory = storage.state
        memory.load(customers: try customers.compactMap { try storage.customer(id: $0) })
        let late = TimeRange(start: Self.now + .hours(40), end: Self.now + .hours(60))
        let queries = ["lee", "le", "ann", "zoe", "anstrom", "ZOË Å", "up", "follow", "follow-up", "xzy", "x%y", "x_y", "a_b", "a b", "50",
                       "mary", "jane", "smith mary", "b-0", "colour cut", "leeds lee", "nobody", "%", "_"]
        for q in queries {
            for (range, limit, backward) in [(nil, 50, false), (nil, 3, false), (nil, 3, true), (late, 50, false), (late, 2, true)] as [(TimeRange?, Int, Bool)] {
                let expected = SearchWords.search(q, range: range, limit: limit, backward: backward, in: memory).map(\.ref)
                let found = try storage.search(text: q, range: range, limit: limit, backward: backward).map(\.ref)
                #expect(found == expected, "\(q) \(String(describing: range)) \(limit) \(backward)")
            }
        }
        // The cases above are not all empty: the indexes had work to do.
        #expect(try storage.search(text: "lee", range: nil, limit: 50, backward: false).count >= 6)
        #expect(try storage.search(text: "x%y", range: nil, limit: 50, backward: false).map(\.notes).allSatisfy { $0 == "x%y promo" })
        #expect(try storage.search(text: "xzy", range: nil, limit: 50, backward: false).count == 2)
    }

    @Test("a range read bounded by the longest booking still finds a booking that started in an earlier month, on its home and its other resource")
    func rangeReadsReachBackByTheLongestBooking() throws {
        let (cluster, database, storage, room) = try Self.freshStore()
        defer { storage.close() }
        let van = try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Van 1", zone: .utc), in: s, by: Self.desk)
        }.id
        // 2027-01-30T10:00Z for three days, holding the room and the van; a short one on 2027-01-20.
        let start = Instant(seconds: 1_801_303_200)
        var long = BookingRequest(resource: room, range: TimeRange(start: start, end: start + .days(3)))
        long.otherResources = [van]
        let rental = try storage.write("book", .book(long)) { s, e throws(CoreError) in try e.book(long, in: s, by: Self.desk) }.bookings[0]
        let short = BookingRequest(resource: room, range: TimeRange(start: start - .days(10), end: start - .days(10) + .hours(1)))
        _ = try storage.write("book", .book(short)) { s, e throws(CoreError) in try e.book(short, in: s, by: Self.desk) }
        let extent = try cluster.psql(database: database, "SELECT extract(epoch FROM longest)::bigint FROM booking_extent")
        #expect(extent.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(3 * 86_400))
        let february = TimeRange(start: start + .days(2), end: start + .days(2) + .hours(2))
        for resources in [[room], [van], nil] as [[ResourceID]?] {
            let reader = try Self.storage(cluster.url(database: database))
            defer { reader.close() }
            try reader.load(resources: resources, range: february)
            #expect(reader.state.bookings.keys.sorted() == [rental.id], "\(String(describing: resources))")
        }
        let customerless = try Self.storage(cluster.url(database: database))
        defer { customerless.close() }
        #expect(try customerless.search(text: rental.ref, range: february, limit: 5, backward: false).map(\.id) == [rental.id])
    }
}
