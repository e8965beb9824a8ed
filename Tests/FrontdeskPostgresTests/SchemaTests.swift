import Foundation
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// The schema on a real server: migrations, and the rules the database itself enforces with
/// the application bypassed (plain SQL through psql).
@Suite("PostgreSQL schema")
struct SchemaTests {
    /// A fresh database on the shared test cluster, migrated to the newest schema.
    static func migratedDatabase() throws -> (cluster: PostgresTestCluster, database: String, session: PostgresSession) {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        let outcome = try SchemaMigrator(session: session).migrate()
        #expect(outcome == .init(from: 0, to: SchemaMigration.latestVersion))
        return (cluster, database, session)
    }

    /// Runs SQL with psql and returns its exit status and error text.
    static func sql(_ cluster: PostgresTestCluster, _ database: String, _ text: String) throws -> (ok: Bool, error: String, output: String) {
        let r = try cluster.psql(database: database, text)
        return (r.status == 0, r.error, r.output.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static let resources = """
        INSERT INTO resources (id, ref, name, kind, zone, slot_length, buffer_after, version) VALUES
          ('res_a', 'R-1', 'Chair 1', 'chair', 'Europe/London', '15 minutes', '10 minutes', 1),
          ('res_b', 'R-2', 'Chair 2', 'chair', 'Europe/London', '15 minutes', '0', 1);
        SELECT frontdesk_ensure_month('2026-01-15T00:00Z'), frontdesk_ensure_month('2026-02-15T00:00Z');
        """

    /// One booking as plain SQL: its key row and its row, in one transaction.
    static func booking(_ id: String, resource: String = "res_a", _ start: String, _ end: String,
                        status: String = "confirmed", bufferAfter: String = "0") -> String {
        let cancelled = status == "cancelled" ? "now(), '{\"reason\": \"x\"}'" : "NULL, NULL"
        return """
            BEGIN;
            INSERT INTO booking_keys (id, ref) VALUES ('\(id)', 'B-\(id)');
            INSERT INTO bookings (id, ref, resource, start_at, end_at, buffer_after, status, cancelled_at, cancellation,
                                  created_by, updated_by, created_at, updated_at, version)
            VALUES ('\(id)', 'B-\(id)', '\(resource)', '\(start)', '\(end)', '\(bufferAfter)', '\(status)', \(cancelled),
                    '{}', '{}', now(), now(), 1);
            COMMIT;
            """
    }

    @Test("migrate creates every table at the newest version; a second run changes nothing")
    func migrateTwice() throws {
        let (cluster, database, session) = try SchemaTests.migratedDatabase()
        defer { session.close() }
        let again = try SchemaMigrator(session: session).migrate()
        #expect(again == .init(from: SchemaMigration.latestVersion, to: SchemaMigration.latestVersion))
        try SchemaMigrator(session: session).check()
        let tables = try SchemaTests.sql(cluster, database, """
            SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p') AND relname NOT LIKE 'bookings\\_%'
            """)
        #expect(tables.output == "audit,booking_extent,booking_history,booking_keys,booking_resources,booking_tokens,bookings,counters,customer_name_keys,customers,idempotency_keys,occupancy,outbox,outbox_jobs,payments,resources,schedules,schema_version,services,settings,staff,store_changes,waitlist")
        let versions = try SchemaTests.sql(cluster, database, "SELECT count(*) FROM schema_version")
        #expect(versions.output == String(SchemaMigration.latestVersion))
    }

    @Test("a schema newer than this program is refused by migrate and check, and left as it was")
    func newerSchemaRefused() throws {
        let (cluster, database, session) = try SchemaTests.migratedDatabase()
        defer { session.close() }
        let newer = SchemaMigration.latestVersion + 1
        #expect(try SchemaTests.sql(cluster, database, "INSERT INTO schema_version (version, summary) VALUES (\(newer), 'from the future')").ok)
        #expect(throws: PostgresStoreError.newerSchema(found: newer, supported: SchemaMigration.latestVersion)) {
            try SchemaMigrator(session: session).migrate()
        }
        #expect(throws: PostgresStoreError.newerSchema(found: newer, supported: SchemaMigration.latestVersion)) {
            try SchemaMigrator(session: session).check()
        }
        #expect(try SchemaTests.sql(cluster, database, "SELECT max(version) FROM schema_version").output == String(newer))
    }

    @Test("an empty database is behind: check refuses it and creates nothing")
    func emptyDatabaseBehind() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        defer { session.close() }
        #expect(throws: PostgresStoreError.schemaBehind(found: 0, required: SchemaMigration.latestVersion)) {
            try SchemaMigrator(session: session).check()
        }
        #expect(try SchemaTests.sql(cluster, database, "SELECT to_regclass('schema_version') IS NULL").output == "t")
    }

    @Test("a migration that fails part-way leaves nothing of itself behind")
    func failedStepRolledBack() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let session = try PostgresEnvironment.connect(cluster.url(database: database), environment: [:])
        defer { session.close() }
        let broken = SchemaMigration.all + [SchemaMigration(version: SchemaMigration.latestVersion + 1, summary: "broken",
                                                            statements: ["CREATE TABLE half (x int)", "SELECT no_such_function()"])]
        let error = #expect(throws: PostgresStoreError.self) {
            try SchemaMigrator(session: session, migrations: broken).migrate()
        }
        if case .server(let state, _, _, _) = error { #expect(state == "42883") } else { Issue.record("\(String(describing: error))") }
        #expect(try SchemaMigrator(session: session).currentVersion() == SchemaMigration.latestVersion)
        #expect(try SchemaTests.sql(cluster, database, "SELECT to_regclass('half') IS NULL").output == "t")
    }

    @Test("plain SQL: an overlapping blocking booking on the same resource, buffers included, is refused by the database")
    func exclusionRefusesOverlap() throws {
        let (cluster, database, session) = try SchemaTests.migratedDatabase()
        defer { session.close() }
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.resources).ok)
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_1", "2026-01-15T10:00Z", "2026-01-15T11:00Z", bufferAfter: "10 minutes")).ok)
        // Starts inside bk_1's buffer (11:00–11:10).
        let inBuffer = try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_2", "2026-01-15T11:05Z", "2026-01-15T11:30Z"))
        #expect(!inBuffer.ok)
        #expect(inBuffer.error.contains("occupancy_no_overlap"))
        // After the buffer, on another resource, or cancelled: stored.
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_3", "2026-01-15T11:10Z", "2026-01-15T11:30Z")).ok)
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_4", resource: "res_b", "2026-01-15T10:30Z", "2026-01-15T11:30Z")).ok)
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_5", "2026-01-15T10:30Z", "2026-01-15T10:45Z", status: "cancelled")).ok)
        // Bringing the cancelled one back, or giving bk_4 chair 1 as a second resource, overlaps.
        let restore = try SchemaTests.sql(cluster, database, "UPDATE bookings SET status = 'confirmed', cancelled_at = NULL, cancellation = NULL WHERE id = 'bk_5'")
        #expect(!restore.ok && restore.error.contains("occupancy_no_overlap"))
        let second = try SchemaTests.sql(cluster, database, "INSERT INTO booking_resources (booking, resource, position) VALUES ('bk_4', 'res_a', 1)")
        #expect(!second.ok && second.error.contains("occupancy_no_overlap"))
        #expect(try SchemaTests.sql(cluster, database, "SELECT string_agg(id, ',' ORDER BY id) FROM bookings").output == "bk_1,bk_3,bk_4,bk_5")
        // Cancelling bk_1 frees its slot and buffer for bk_2.
        #expect(try SchemaTests.sql(cluster, database, "UPDATE bookings SET status = 'cancelled', cancelled_at = now(), cancellation = '{}' WHERE id = 'bk_1'").ok)
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_2", "2026-01-15T11:05Z", "2026-01-15T11:09Z")).ok)
    }

    @Test("a booking crossing the month boundary still cannot be overlapped from the next month's partition")
    func monthBoundary() throws {
        let (cluster, database, session) = try SchemaTests.migratedDatabase()
        defer { session.close() }
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.resources).ok)
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_1", "2026-01-31T23:00Z", "2026-02-01T01:00Z")).ok)
        let next = try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_2", "2026-02-01T00:30Z", "2026-02-01T01:30Z"))
        #expect(!next.ok && next.error.contains("occupancy_no_overlap"))
        // The two would sit in different partitions: the constraint is not per partition.
        #expect(try SchemaTests.sql(cluster, database, "SELECT tableoid::regclass FROM bookings WHERE id = 'bk_1'").output == "bookings_2026_01")
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_2", "2026-02-01T01:00Z", "2026-02-01T01:30Z")).ok)
        #expect(try SchemaTests.sql(cluster, database, "SELECT tableoid::regclass FROM bookings WHERE id = 'bk_2'").output == "bookings_2026_02")
        // Moving bk_2 back across the boundary onto bk_1 is refused too.
        let move = try SchemaTests.sql(cluster, database, "UPDATE bookings SET start_at = '2026-01-31T23:30Z' WHERE id = 'bk_2'")
        #expect(!move.ok && move.error.contains("occupancy_no_overlap"))
    }

    @Test("CHECKs, keys and references: bad status, end before start, a reused reference, an unknown resource, a month without its partition")
    func checks() throws {
        let (cluster, database, session) = try SchemaTests.migratedDatabase()
        defer { session.close() }
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.resources).ok)
        let cases: [(String, String)] = [
            (SchemaTests.booking("bk_1", "2026-01-15T10:00Z", "2026-01-15T11:00Z", status: "maybe"), "bookings_status_check"),
            (SchemaTests.booking("bk_1", "2026-01-15T11:00Z", "2026-01-15T10:00Z"), "bookings_ends_after_start"),
            (SchemaTests.booking("bk_1", resource: "res_zz", "2026-01-15T10:00Z", "2026-01-15T11:00Z"), "bookings_resource_fkey"),
            (SchemaTests.booking("bk_1", "2026-05-15T10:00Z", "2026-05-15T11:00Z"), "no partition"),
            ("INSERT INTO bookings (id, ref, resource, start_at, end_at, status, created_by, updated_by, created_at, updated_at, version) "
                + "VALUES ('bk_9', 'B-9', 'res_a', '2026-01-15T10:00Z', '2026-01-15T11:00Z', 'confirmed', '{}', '{}', now(), now(), 1)",
             "bookings_id_ref_fkey"),
            ("INSERT INTO staff (subject, role, version) VALUES ('user:ann', 'owner', 1)", "staff_role_check"),
            ("INSERT INTO payments (id, booking, kind, amount_minor, currency, method, at, actor, position) "
                + "VALUES ('p1', 'bk_x', 'payment', 100, 'GBP', 'card', now(), '{}', 1)",
             "payments_booking_fkey"),
        ]
        for (statement, expected) in cases {
            let r = try SchemaTests.sql(cluster, database, statement)
            #expect(!r.ok, "accepted: \(statement)")
            #expect(r.error.contains(expected), "\(r.error)")
        }
        #expect(try SchemaTests.sql(cluster, database, SchemaTests.booking("bk_1", "2026-01-15T10:00Z", "2026-01-15T11:00Z")).ok)
        let reusedRef = try SchemaTests.sql(cluster, database, "INSERT INTO booking_keys (id, ref) VALUES ('bk_2', 'B-bk_1')")
        #expect(!reusedRef.ok && reusedRef.error.contains("booking_keys_ref_key"))
        let key = "INSERT INTO idempotency_keys (key, fingerprint, booking, response, created_at) VALUES ('k1', 'f', 'bk_1', '{}', now())"
        #expect(try SchemaTests.sql(cluster, database, key).ok)
        let reusedKey = try SchemaTests.sql(cluster, database, key)
        #expect(!reusedKey.ok && reusedKey.error.contains("idempotency_keys_pkey"))
    }
}
