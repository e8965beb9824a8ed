import Foundation
import FrontdeskOSTestSupport
import FrontdeskPostgresTestSupport
import Testing

/// The front desk on a PostgreSQL store, driven in tmux as a receptionist would: `frontdesk
/// --data postgresql://…` re-executes as `frontdesk-postgres` and opens the same desk, which
/// hears other processes' writes through LISTEN/NOTIFY (and refreshes once a second besides).
/// The rows are checked with `psql`.
@Suite("the front desk on PostgreSQL", .serialized)
struct DeskTmuxTests {
    static func sql(_ cluster: PostgresTestCluster, _ database: String, _ query: String) throws -> String {
        let r = try cluster.psql(database: database, query)
        #expect(r.status == 0, "\(r.error)")
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("books by keys, sees another process's booking appear without a keypress, cancels by keys, quits; the rows are in the database")
    func bookSeeAnotherDeskCancelQuit() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let run = { (args: [String]) throws -> (status: Int32, output: String, error: String) in
            try SchemaCommandTests.frontdesk(args + ["--data", url])
        }
        #expect(try run(["init"]).status == 0)
        let chair = try run(["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"])
        #expect(chair.status == 0, "\(chair.error)")
        let ann = try run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123"])
        #expect(ann.status == 0, "\(ann.error)")

        // The shipped binary and the real clock: a Wednesday years ahead, in GMT.
        let tmux = TmuxSession()
        let command = "HOME=/nonexistent TZ=Europe/London '\(SchemaCommandTests.productsDirectory)/frontdesk' --data '\(url)' --date 2030-03-06; "
            + "echo EXITED=$?; sleep 5"
        tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])
        var s = tmux.wait { $0.contains("Wed 2030-03-06") && $0.contains("Chair 1") || $0.contains("EXITED=") }
        #expect(s.contains("Wed 2030-03-06") && s.contains("Chair 1"), "screen:\n\(s)")

        // Book 09:00 for Ann Lee by keys: the form finds her through the database's name index.
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("New booking") }
        #expect(s.contains("New booking"), "screen:\n\(s)")
        tmux.type("Ann")
        s = tmux.wait { $0.contains("› Ann Lee") }
        #expect(s.contains("› Ann Lee"), "screen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2030-03-06 09:00–09:15") }
        #expect(s.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2030-03-06 09:00–09:15"), "screen:\n\(s)")
        #expect(try Self.sql(cluster, database, """
            SELECT b.ref, b.status, to_char(b.start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), c.name
            FROM bookings b JOIN customers c ON c.id = b.customer
            """) == "B-001|confirmed|2030-03-06 09:00|Ann Lee")

        // Another process books 10:00; the desk shows it without a keypress.
        let other = try run(["book", "--resource", "Chair 1", "--start", "2030-03-06 10:00", "--duration", "30m", "--new-customer", "Other Desk"])
        #expect(other.status == 0, "\(other.error)")
        s = tmux.wait { $0.contains("Other Desk") }
        #expect(s.contains("Other Desk"), "the other process's booking did not appear:\n\(s)")

        // Cancel 09:00 by keys (the cursor is still on it).
        tmux.keys("c")
        s = tmux.wait { $0.contains("Cancel B-001") }
        #expect(s.contains("Cancel B-001"), "screen:\n\(s)")
        tmux.type("customer phoned")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("y yes") }
        tmux.keys("y")
        s = tmux.wait { $0.contains("Cancelled B-001") }
        #expect(s.contains("Cancelled B-001"), "screen:\n\(s)")
        #expect(try Self.sql(cluster, database, "SELECT ref, status, cancellation->>'reason' FROM bookings ORDER BY ref")
                == "B-001|cancelled|customer phoned\nB-002|confirmed|")
        // Only the live booking holds its slot.
        #expect(try Self.sql(cluster, database, "SELECT k.ref FROM occupancy o JOIN booking_keys k ON k.id = o.booking") == "B-002")

        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
