import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import FrontdeskStore
import FrontdeskStoreTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk migrate` as processes between data directories and a throwaway cluster: the
/// documents that arrive, a migration killed part-way and run again, targets it must refuse.
@Suite("frontdesk migrate between a data directory and PostgreSQL")
struct MigrateCommandTests {
    static func frontdesk(_ args: [String]) throws -> (status: Int32, output: String, error: String) {
        try SchemaCommandTests.frontdesk(args)
    }

    /// The canonical document of every object in the data directory `dir`, read in this
    /// process with the store's own reader (not through `migrate`).
    static func documents(_ dir: String) throws -> Set<String> {
        let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
        let store = try Store.open(at: dir, clock: FixedClock(now))
        return Set(try store.everyObject(liveKeysSince: now - .days(30)).map { try MutationDocument.text($0) })
    }

    /// The `kinds` of `migrate --json`: kind → "count sha256".
    static func kinds(_ json: String) throws -> [String: String] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let kinds = try #require(object["kinds"] as? [[String: Any]])
        var out: [String: String] = [:]
        for k in kinds { out[k["kind"] as? String ?? "?"] = "\(k["count"] ?? "?") \(k["sha256"] ?? "?")" }
        return out
    }

    /// A JSON answer's integer member.
    static func number(_ json: String, _ key: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return object[key] as? Int
    }

    static func count(_ cluster: PostgresTestCluster, _ database: String, _ sql: String) throws -> String {
        try cluster.psql(database: database, sql).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a store moved to PostgreSQL and back holds the same canonical documents; both runs print the same counts and checksums; a re-run writes nothing")
    func roundTrip() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.path + "/source", back = dir.path + "/back"
        let demo = try Self.frontdesk(["init", "--demo", "--data", source])
        #expect(demo.status == 0, "\(demo.error)")
        // A keyed booking (its key is live), paid; then cancelled: history, ledger and key travel.
        #expect(try Self.frontdesk(["resource", "add", "--data", source, "--name", "Room 1", "--tz", "UTC"]).status == 0)
        let keyed = try Self.frontdesk(["book", "--data", source, "--resource", "Room 1", "--new-customer", "Zoë Ångström",
                                        "--phone", "+44 20 7946 0999", "--start", "2031-05-06 10:00", "--duration", "1h",
                                        "--idempotency-key", "migrate-test-1", "--json"])
        #expect(keyed.status == 0, "\(keyed.error)")
        let listed = try Self.frontdesk(["list", "--data", source, "--customer", "Zoë Ångström", "--from", "2031-05-01", "--to", "2031-06-01", "--json"])
        let ref = try #require(StorageCommandTests.ref(listed.output), "\(listed.output) \(listed.error)")
        let priced = try Self.frontdesk(["price", ref, "--data", source, "--price", "12.50", "--reason", "agreed"])
        #expect(priced.status == 0, "\(priced.error)")
        let paid = try Self.frontdesk(["pay", ref, "--data", source, "--amount", "12.50", "--method", "card", "--idempotency-key", "pay-1"])
        #expect(paid.status == 0, "\(paid.error)")
        #expect(try Self.frontdesk(["cancel", ref, "--data", source, "--reason", "moved away"]).status == 0)

        #expect(try Self.frontdesk(["init", "--data", url]).status == 0)
        let there = try Self.frontdesk(["migrate", "--from", source, "--to", url, "--json"])
        #expect(there.status == 0, "\(there.error)")
        let sourceDocuments = try Self.documents(source)
        #expect(Self.number(there.output, "written") == sourceDocuments.count)
        let bookings = sourceDocuments.filter { $0.hasPrefix("{\"booking\"") }.count
        #expect(bookings > 10)
        #expect(try Self.count(cluster, database, "SELECT count(*) FROM bookings") == String(bookings))

        let home = try Self.frontdesk(["migrate", "--from", url, "--to", back, "--json"])
        #expect(home.status == 0, "\(home.error)")
        #expect(try Self.documents(back) == sourceDocuments)
        #expect(try Self.kinds(home.output) == Self.kinds(there.output))
        #expect(try Self.kinds(there.output)["idempotency_key"]?.hasPrefix("0 ") == false)

        // Done already: nothing is written, the figures are checked again.
        let again = try Self.frontdesk(["migrate", "--from", source, "--to", url, "--json"])
        #expect(again.status == 0 && Self.number(again.output, "written") == 0, "\(again.error)")
        let homeAgain = try Self.frontdesk(["migrate", "--from", url, "--to", back])
        #expect(homeAgain.status == 0 && homeAgain.output.contains("0 objects written"), "\(homeAgain.error)")
        #expect(homeAgain.output.contains("Verified"))
    }

    @Test("a migration killed after a batch, run again, completes with the same counts and checksums and nothing twice")
    func killedThenRerun() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.path + "/source", back = dir.path + "/back"
        #expect(try Self.frontdesk(["init", "--data", source]).status == 0)
        #expect(try Self.frontdesk(["resource", "add", "--data", source, "--name", "Room 1", "--tz", "UTC"]).status == 0)
        let total = 1_500
        do {
            let now = Instant(seconds: Int64(Date().timeIntervalSince1970))
            let store = try Store.open(at: source, clock: FixedClock(now))
            let room = try #require(store.state.resources.values.first).id
            let customers = (1...100).map { i in
                Customer(id: CustomerID("cus_kill\(i)"), ref: ShortReference.make(prefix: "C", number: i), name: "Seeded \(i)")
            }
            let first = TimeRange(start: now + .days(40), end: now + .days(40) + .minutes(30))
            let template = try store.engine.book(BookingRequest(resource: room, range: first), in: store.state,
                                                 by: Author(user: "test", origin: "local", source: .cli)).value.bookings[0]
            let bookings = (1...total).map { i in
                var b = template
                b.id = BookingID("bk_kill\(i)")
                b.ref = ShortReference.make(prefix: "B", number: i)
                b.range = TimeRange(start: first.start + .hours(Int64(i)), end: first.end + .hours(Int64(i)))
                b.customer = customers[i % customers.count].id
                return b
            }
            try store.seedForBenchmark(bookings: bookings, bookingReferencesUpTo: total, customers: customers, customerReferencesUpTo: 100)
        }
        #expect(try Self.frontdesk(["init", "--data", url]).status == 0)

        // Killed once it has said a batch is committed.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SchemaCommandTests.productsDirectory + "/frontdesk")
        p.arguments = ["migrate", "--from", source, "--to", url, "--batch", "20"]
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var said = ""
        while !said.contains("objects written") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            said += String(decoding: chunk, as: UTF8.self)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(said.contains("objects written"), "\(said)")
        #expect(p.terminationReason == .uncaughtSignal)
        let partial = try #require(Int(try Self.count(cluster, database, "SELECT count(*) FROM bookings")))
        #expect(partial < total, "the kill came after the last batch")

        let rerun = try Self.frontdesk(["migrate", "--from", source, "--to", url, "--batch", "20", "--json"])
        #expect(rerun.status == 0, "\(rerun.error)")
        let objects = try Self.documents(source).count
        #expect((Self.number(rerun.output, "written") ?? 0) + (Self.number(rerun.output, "already_there") ?? 0) == objects)
        #expect(try Self.kinds(rerun.output)["booking"]?.hasPrefix("\(total) ") == true)
        #expect(try Self.count(cluster, database, "SELECT count(*), count(DISTINCT id) FROM bookings") == "\(total)|\(total)")
        #expect(try Self.count(cluster, database, "SELECT count(*) FROM customers") == "100")
        let home = try Self.frontdesk(["migrate", "--from", url, "--to", back, "--json"])
        #expect(home.status == 0, "\(home.error)")
        #expect(try Self.kinds(home.output) == Self.kinds(rerun.output))
        #expect(try Self.documents(back) == Self.documents(source))
    }

    @Test("a target holding other or changed data, a non-empty directory and another store are refused (65) and left unchanged")
    func badTargetsRefused() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let source = dir.path + "/source"
        #expect(try Self.frontdesk(["init", "--data", source]).status == 0)
        #expect(try Self.frontdesk(["resource", "add", "--data", source, "--name", "Room 1", "--tz", "UTC"]).status == 0)
        let booked = try Self.frontdesk(["book", "--data", source, "--resource", "Room 1", "--block", "painting",
                                         "--start", "2031-01-02 09:00", "--duration", "1h", "--json"])
        let ref = try #require(StorageCommandTests.ref(booked.output), "\(booked.error)")

        // A database someone started using.
        #expect(try Self.frontdesk(["init", "--data", url]).status == 0)
        #expect(try Self.frontdesk(["resource", "add", "--data", url, "--name", "Other room", "--tz", "UTC"]).status == 0)
        let other = try Self.frontdesk(["migrate", "--from", source, "--to", url])
        #expect(other.status == 65 && other.error.contains("not in the source") && other.error.contains("nothing was changed"), "\(other.error)")
        #expect(try Self.count(cluster, database, "SELECT (SELECT count(*) FROM resources) || ' ' || (SELECT count(*) FROM bookings)") == "1 0")

        // A database holding the source's objects, one of them since changed there.
        let second = try cluster.createDatabase()
        let secondURL = cluster.url(database: second)
        #expect(try Self.frontdesk(["init", "--data", secondURL]).status == 0)
        #expect(try Self.frontdesk(["migrate", "--from", source, "--to", secondURL]).status == 0)
        #expect(try Self.frontdesk(["cancel", ref, "--data", secondURL, "--reason", "not needed"]).status == 0)
        let changed = try Self.frontdesk(["migrate", "--from", source, "--to", secondURL])
        #expect(changed.status == 65 && changed.error.contains("differs from the source"), "\(changed.error)")
        #expect(try Self.count(cluster, second, "SELECT status FROM bookings") == "cancelled")

        // A directory with something else in it, and another store.
        let junk = dir.path + "/junk"
        try FileManager.default.createDirectory(atPath: junk, withIntermediateDirectories: false)
        try dir.write(junk + "/notes.txt", "mine", mode: 0o600)
        let notStore = try Self.frontdesk(["migrate", "--from", secondURL, "--to", junk])
        #expect(notStore.status == 65 && notStore.error.contains("holds no store"), "\(notStore.error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: junk) == ["notes.txt"])
        let otherStore = dir.path + "/other"
        #expect(try Self.frontdesk(["init", "--data", otherStore]).status == 0)
        #expect(try Self.frontdesk(["resource", "add", "--data", otherStore, "--name", "Studio", "--tz", "UTC"]).status == 0)
        let before = try Self.documents(otherStore)
        let refusedStore = try Self.frontdesk(["migrate", "--from", secondURL, "--to", otherStore])
        #expect(refusedStore.status == 65 && refusedStore.error.contains("nothing was changed"), "\(refusedStore.error)")
        #expect(try Self.documents(otherStore) == before)
    }
}
