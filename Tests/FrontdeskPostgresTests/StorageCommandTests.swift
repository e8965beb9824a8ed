import Foundation
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// The everyday commands on a PostgreSQL store, as processes: `frontdesk` re-executes as
/// `frontdesk-postgres`, which books through `PostgresBookingStorage`.
@Suite("frontdesk book, cancel and confirm on PostgreSQL")
struct StorageCommandTests {
    static func run(_ args: [String], _ url: String) throws -> (status: Int32, output: String, error: String) {
        try SchemaCommandTests.frontdesk(args + ["--data", url])
    }

    /// The reference in a `--json` booking (`"ref":"B-…"`).
    static func ref(_ json: String) -> String? {
        guard let r = json.range(of: #""ref":"#) else { return nil }
        let rest = json[r.upperBound...].drop { $0 == " " || $0 == "\"" }
        return String(rest.prefix { $0 != "\"" })
    }

    @Test("a resource, a customer and a booking; the same slot refused naming it (exit 3); cancelled, the slot books again; confirm")
    func everydayCommands() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        #expect(try Self.run(["init"], url).status == 0)
        let room = try Self.run(["resource", "add", "--name", "Room 1", "--tz", "UTC"], url)
        #expect(room.status == 0, "\(room.error)")
        let ann = try Self.run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 20 7946 0001"], url)
        #expect(ann.status == 0, "\(ann.error)")
        let slot = ["--resource", "Room 1", "--start", "2030-03-04 10:00", "--duration", "1h"]
        let first = try Self.run(["book", "--customer", "Ann Lee", "--json"] + slot, url)
        #expect(first.status == 0, "\(first.error)")
        let ref = try #require(Self.ref(first.output))
        let again = try Self.run(["book", "--block", "staff training"] + slot, url)
        #expect(again.status == 3 && again.error.contains(ref), "\(again.status) \(again.error)")
        let tentative = try Self.run(["book", "--customer", "Ann Lee", "--status", "tentative", "--json",
                                      "--resource", "Room 1", "--start", "2030-03-04 12:00", "--duration", "30m"], url)
        #expect(tentative.status == 0, "\(tentative.error)")
        let confirmed = try Self.run(["confirm", try #require(Self.ref(tentative.output))], url)
        #expect(confirmed.status == 0 && confirmed.output.contains("Confirmed"), "\(confirmed.error)")
        let cancel = try Self.run(["cancel", ref, "--reason", "ill"], url)
        #expect(cancel.status == 0, "\(cancel.error)")
        let rebook = try Self.run(["book", "--block", "staff training"] + slot, url)
        #expect(rebook.status == 0, "\(rebook.error)")
        // What the commands stored is in the database's own rows.
        let rows = try cluster.psql(database: database, "SELECT status, count(*) FROM bookings GROUP BY status ORDER BY status")
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "cancelled|1\nconfirmed|2")
    }

    @Test("a database that refuses a write mid-command is exit 74 naming its refusal, not an internal error, and nothing is stored")
    func databaseRefusalIsAnIOError() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        #expect(try Self.run(["init"], url).status == 0)
        #expect(try Self.run(["resource", "add", "--name", "Room 1", "--tz", "UTC"], url).status == 0)
        // A trigger stands in for a database that fails a statement (a full disk, a revoked grant).
        let trap = try cluster.psql(database: database, """
            CREATE FUNCTION refuse_bookings() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'bookings are closed for maintenance'; END $$;
            CREATE TRIGGER refuse_bookings BEFORE INSERT ON booking_keys FOR EACH ROW EXECUTE FUNCTION refuse_bookings();
            """)
        #expect(trap.status == 0, "\(trap.error)")
        let refused = try Self.run(["book", "--block", "training", "--resource", "Room 1", "--start", "2030-03-04 10:00", "--duration", "1h", "--json"], url)
        #expect(refused.status == 74, "\(refused.status) \(refused.error)")
        #expect(refused.error.contains("the database refused (P0001): bookings are closed for maintenance"), "\(refused.error)")
        #expect(refused.output.contains(#""code":"io""#), "\(refused.output)")
        let rows = try cluster.psql(database: database, "SELECT count(*) FROM bookings")
        #expect(rows.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
