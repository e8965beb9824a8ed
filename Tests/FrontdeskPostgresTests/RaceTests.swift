import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing

/// Races across processes on one database, and a connection killed inside a write.
@Suite("PostgreSQL races", .serialized)
struct RaceTests {
    /// Runs `frontdesk` processes with `argv` each, all started before any is waited for; their
    /// exit statuses and error texts.
    static func together(_ argvs: [[String]]) throws -> [(status: Int32, error: String)] {
        var running: [(Process, Pipe)] = []
        for args in argvs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: SchemaCommandTests.productsDirectory + "/frontdesk")
            p.arguments = args
            p.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb"]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            running.append((p, err))
        }
        return running.map { p, err in
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            return (p.terminationStatus, text)
        }
    }

    @Test("8 frontdesk book processes race for one slot, 10 rounds: one winner a round, the others refused, no overlap stored")
    func eightProcessesOneSlot() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        #expect(try StorageCommandTests.run(["init"], url).status == 0)
        #expect(try StorageCommandTests.run(["resource", "add", "--name", "Room 1", "--tz", "UTC"], url).status == 0)
        let rounds = 10
        for round in 0..<rounds {
            let start = "2030-03-\(String(format: "%02d", round + 1)) 10:00"
            let results = try Self.together((0..<8).map { i in
                ["book", "--block", "desk \(i)", "--resource", "Room 1", "--start", start, "--duration", "1h", "--data", url]
            })
            let won = results.filter { $0.status == 0 }
            #expect(won.count == 1, "round \(round): \(results.map(\.status))")
            for r in results where r.status != 0 {
                #expect(r.status == 3 && r.error.contains("B-"), "round \(round): \(r.status) \(r.error)")
            }
        }
        let stored = try cluster.psql(database: database, "SELECT count(*) FROM bookings WHERE status = 'confirmed'")
        #expect(stored.output.trimmingCharacters(in: .whitespacesAndNewlines) == String(rounds))
        let overlaps = try cluster.psql(database: database, """
            SELECT count(*) FROM occupancy a JOIN occupancy b
            ON a.resource = b.resource AND a.booking < b.booking AND a.span && b.span
            """)
        #expect(overlaps.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test("a connection killed inside a write leaves nothing; the retry with the same idempotency key books once")
    func terminatedMidTransaction() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        _ = try SchemaMigrator(session: session).migrate()
        session.close()
        let desk = PostgresBookingStorageTests.desk
        let first = try PostgresBookingStorageTests.storage(url)
        defer { first.close() }
        let room = try first.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: .utc), in: s, by: desk)
        }.id
        let start = PostgresBookingStorageTests.now + .days(3)
        var request = BookingRequest(resource: room, range: TimeRange(start: start, end: start + .hours(1)))
        request.idempotencyKey = "desk-retry-1"
        var killed = ""
        do {
            _ = try first.write("book", .book(request)) { s, e throws(CoreError) in
                // Inside the transaction, holding the change row: the writer's backend is the
                // one idle in a transaction.
                killed = (try? cluster.psql(database: database, """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'idle in transaction'
                    """).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? ""
                return try e.book(request, in: s, by: desk)
            }
            Issue.record("the write on a killed connection succeeded")
        } catch {
            #expect(error is PostgresStoreError, "\(error)")
        }
        #expect(killed == "t")
        let nothing = try cluster.psql(database: database, "SELECT (SELECT count(*) FROM booking_keys) || ',' || (SELECT count(*) FROM idempotency_keys) || ',' || (SELECT seq FROM store_changes)")
        #expect(nothing.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0,0,1")
        let retry = try PostgresBookingStorageTests.storage(url)
        defer { retry.close() }
        let booked = try retry.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: desk) }
        #expect(!booked.replayed && booked.bookings.count == 1)
        let again = try retry.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: desk) }
        #expect(again.replayed && again.bookings.map(\.id) == booked.bookings.map(\.id))
        let one = try cluster.psql(database: database, "SELECT count(*) FROM bookings")
        #expect(one.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }
}
