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
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        _ = try SchemaMigrator(session: session).migrate()
        session.close()
        let storage = try Self.storage(url)
        defer { storage.close() }
        let room = try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: .utc), in: s, by: Self.desk)
        }.id
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
}
