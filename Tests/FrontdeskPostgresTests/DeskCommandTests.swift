import Foundation
import FrontdeskPostgresTestSupport
import Testing

/// The rest of the desk's command line on a PostgreSQL store: the demo store moved to a
/// database, then the same command lines (reads, then writes that change both stores the same
/// way) run on the data directory and on the database, each giving the same exit status,
/// standard output and standard error.
@Suite("the remaining commands on PostgreSQL")
struct DeskCommandTests {
    typealias Outcome = (status: Int32, output: String, error: String)

    static func run(_ args: [String], _ data: String) throws -> Outcome {
        try SchemaCommandTests.frontdesk(args + ["--data", data])
    }

    /// Members that hold the instant a change was made (each store made it a moment apart).
    static let momentKeys: Set<String> = ["at", "created_at", "updated_at", "granted_at"]

    /// JSON text with the members naming the moment of a change left out, and the ids of
    /// payments made during the test (random, so each store's differ); keys sorted.
    static func withoutMoments(_ text: String) -> String {
        func strip(_ v: Any) -> Any {
            if let o = v as? [String: Any] {
                return o.filter { !momentKeys.contains($0.key) && !($0.key == "id" && ($0.value as? String)?.hasPrefix("pay_") == true) }
                    .mapValues(strip)
            }
            if let a = v as? [Any] { return a.map(strip) }
            return v
        }
        guard let v = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let d = try? JSONSerialization.data(withJSONObject: strip(v), options: [.sortedKeys, .fragmentsAllowed]) else { return text }
        return String(decoding: d, as: UTF8.self)
    }

    /// Text with every schedule and service id as `sch_…`/`svc_…`: one made during the test has
    /// a random id on each store (of the same length, so tables keep their columns).
    static func withoutScheduleIDs(_ text: String) -> String {
        text.replacing(/sch_[A-Za-z0-9]+/, with: "sch_…").replacing(/svc_[A-Za-z0-9]+/, with: "svc_…")
    }

    /// Runs `args` on both stores, expects the same status, output and error; the directory's.
    @discardableResult
    static func same(_ args: [String], _ dir: String, _ url: String, moments: Bool = false, scheduleIDs: Bool = false,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let onFiles = try run(args, dir)
        let onDatabase = try run(args, url)
        var (a, b) = moments ? (withoutMoments(onFiles.output), withoutMoments(onDatabase.output)) : (onFiles.output, onDatabase.output)
        if scheduleIDs { (a, b) = (withoutScheduleIDs(a), withoutScheduleIDs(b)) }
        #expect(onFiles.status == onDatabase.status, "\(args): \(onFiles.status) vs \(onDatabase.status): \(onFiles.error) | \(onDatabase.error)",
                sourceLocation: sourceLocation)
        #expect(a == b, "\(args):\n\(a)\n---\n\(b)", sourceLocation: sourceLocation)
        #expect(onFiles.error == onDatabase.error, "\(args)", sourceLocation: sourceLocation)
        return onFiles
    }

    /// ``same(_:_:_:moments:scheduleIDs:sourceLocation:)`` for a line that must succeed.
    @discardableResult
    static func ok(_ args: [String], _ dir: String, _ url: String, moments: Bool = false, scheduleIDs: Bool = false,
                   sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let r = try same(args, dir, url, moments: moments, scheduleIDs: scheduleIDs, sourceLocation: sourceLocation)
        #expect(r.status == 0, "\(args): \(r.error)", sourceLocation: sourceLocation)
        return r
    }

    static func objects(_ text: String) -> [[String: Any]] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? []
    }

    static func day(_ offset: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    @Test("show, free, history, export, reports, settings and waitlist read the same; reschedule, price, pay, refund, customer edit|merge|erase, waitlist add|book|remove and book --service write the same")
    func sameOnBothStores() throws {
        let cluster = try PostgresTestCluster.shared
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        let tmp = try TemporaryDirectory()
        defer { tmp.remove() }
        let dir = tmp.path + "/store"
        #expect(try Self.run(["init", "--demo"], dir).status == 0)
        #expect(try Self.run(["init"], url).status == 0)
        let moved = try SchemaCommandTests.frontdesk(["migrate", "--from", dir, "--to", url])
        #expect(moved.status == 0, "\(moved.error)")
        let (past, from, to) = (Self.day(-7), Self.day(1), Self.day(14))

        // What the demo holds, read from the data directory.
        let upcoming = Self.objects(try Self.run(["list", "--from", from, "--to", to, "--json"], dir).output)
        let confirmed = upcoming.filter { $0["status"] as? String == "confirmed" && $0["customer"] != nil && ($0["resources"] as? [Any])?.count ?? 0 <= 1 }
        let booking = try #require(confirmed.first?["ref"] as? String, "\(upcoming)")
        let other = try #require(confirmed.dropFirst().first?["ref"] as? String)
        let resource = try #require(confirmed.first?["resource"] as? String)
        let people = Self.objects(try Self.run(["customer", "list", "--json"], dir).output)
        #expect(people.count > 5)
        let (keep, erase) = (try #require(people[0]["ref"] as? String), try #require(people[1]["ref"] as? String))

        // Reads.
        let reads: [[String]] = [
            ["show", booking], ["show", booking, "--json"], ["show", "B-ZZZZZ"],
            ["free", "--resource", "Chair 1", "--from", from, "--to", Self.day(3), "--duration", "30m"],
            ["free", "--resource", "Chair 1,Chair 2", "--from", from, "--to", Self.day(3), "--duration", "1h", "--json"],
            ["free", "--resource", "Studio", "--from", from, "--to", Self.day(3), "--duration", "2h", "--first"],
            ["free", "--resource", "Ana Silva", "--resource", "Chair 1", "--from", from, "--to", Self.day(3), "--duration", "45m", "--limit", "5"],
            ["free", "--service", "Cut & blow-dry", "--from", from, "--to", Self.day(3), "--limit", "6", "--json"],
            ["free", "--resource", "no such room", "--from", from, "--to", to, "--duration", "1h"],
            ["history", "--id", booking], ["history", "--entity", "booking", "--id", other, "--json"],
            ["waitlist", "list"], ["waitlist", "list", "--all", "--json"],
            ["settings", "show"], ["settings", "show", "--json"],
            ["export", "--format", "csv"], ["export", "--format", "json"],
            ["export", "--format", "csv", "--resource", "Chair 1", "--from", past, "--to", to],
            ["report", "utilisation", "--from", past, "--to", to],
            ["report", "utilisation", "--from", past, "--to", to, "--by", "day", "--json"],
            ["report", "utilisation", "--from", past, "--to", to, "--resource", "Studio", "--csv"],
            ["report", "no-shows", "--from", past, "--to", to], ["report", "cancellations", "--from", past, "--to", to, "--by", "week"],
            ["report", "takings", "--from", past, "--to", to, "--json"], ["report", "services", "--from", past, "--to", to],
            ["report", "sales", "--from", past, "--to", to],
            ["agenda", "--date", from], ["agenda", "--date", from, "--json"],
            ["agenda", "--date", from, "--resource", "Chair 1", "--resource", "Studio", "--format", "html"],
            ["resource", "list"], ["resource", "list", "--json"], ["resource", "show", "Studio A"], ["resource", "show", "nowhere"],
            ["service", "list"], ["service", "list", "--json"], ["service", "show", "Colour"], ["schedule", "list"],
        ]
        for args in reads { try Self.same(args, dir, url) }

        // Writes, in the same order on both: each store changes the same way. The database's
        // audit log starts empty (migrate leaves it behind); the directory's has the demo's.
        let demoEntries = Self.objects(try Self.run(["history", "--json"], dir).output).count
        #expect(demoEntries > 10)
        #expect(Self.objects(try Self.run(["history", "--json"], url).output).isEmpty)
        let slot = Self.objects(try Self.run(["free", "--resource", resource, "--from", Self.day(2), "--to", to,
                                              "--duration", "1h", "--first", "--json"], dir).output)
        let start = try #require(slot.first?["start"] as? String)
        try Self.ok(["reschedule", booking, "--start", start, "--duration", "1h"], dir, url)
        #expect(try Self.same(["reschedule", other, "--start", start, "--duration", "1h", "--resource", resource], dir, url).status == 3)
        try Self.ok(["price", booking, "--price", "40.00", "--reason", "agreed"], dir, url)
        try Self.ok(["pay", booking, "--amount", "10.00", "--method", "cash"], dir, url)
        try Self.ok(["pay", booking, "--amount", "5.00", "--method", "card", "--idempotency-key", "desk-pay-1"], dir, url)
        let replay = try Self.same(["pay", booking, "--amount", "5.00", "--method", "card", "--idempotency-key", "desk-pay-1"], dir, url)
        #expect(replay.status == 0 && replay.output.hasPrefix("Already recorded"), "\(replay)")
        #expect(try Self.same(["pay", booking, "--amount", "5.00", "--method", "bitcoin"], dir, url).status == 65)
        try Self.ok(["refund", booking, "--amount", "5.00", "--reason", "goodwill"], dir, url)
        #expect(try Self.same(["refund", booking, "--amount", "500.00"], dir, url).status != 0)
        try Self.same(["show", booking, "--json"], dir, url, moments: true)

        try Self.ok(["customer", "edit", keep, "--phone", "+44 20 7946 0123", "--tag", "vip"], dir, url)
        #expect(try Self.same(["customer", "edit", "nobody at all", "--phone", "+44 20 7946 0124"], dir, url).status != 0)
        try Self.ok(["customer", "add", "--name", "Dup Person", "--phone", "+44 20 7946 0999"], dir, url)
        try Self.ok(["book", "--resource", "Meeting Room", "--start", "\(to) 09:00", "--duration", "1h", "--customer", "Dup Person"], dir, url)
        try Self.ok(["customer", "merge", keep, "Dup Person", "--reason", "same person"], dir, url)
        try Self.ok(["customer", "erase", erase, "--reason", "asked to be forgotten"], dir, url)
        try Self.same(["customer", "show", keep], dir, url)
        try Self.same(["customer", "show", erase, "--json"], dir, url, moments: true)

        // A window of two hours around a free hour of the meeting room: the entry books it.
        let room = Self.objects(try Self.run(["free", "--resource", "Meeting Room", "--from", Self.day(3), "--to", to,
                                              "--duration", "2h", "--first", "--json"], dir).output)
        let iso = ISO8601DateFormatter()
        let roomStart = try #require(room.first?["start"] as? String)
        let windowStart = try #require(iso.date(from: roomStart))
        let (wFrom, wTo) = (iso.string(from: windowStart), iso.string(from: windowStart.addingTimeInterval(7200)))
        let added = try Self.same(["waitlist", "add", "--customer", keep, "--resource", "Meeting Room", "--from", wFrom,
                                   "--to", wTo, "--duration", "1h", "--notes", "any time"], dir, url)
        #expect(added.status == 0, "\(added.error)")
        let entry = try #require(added.output.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        try Self.ok(["waitlist", "book", entry], dir, url)
        let service = try Self.same(["waitlist", "add", "--customer", keep, "--service", "Meeting room hire", "--from", wFrom,
                                     "--to", wTo], dir, url)
        #expect(service.status == 0, "\(service.error)")
        let second = try #require(service.output.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        try Self.ok(["waitlist", "remove", second], dir, url)
        try Self.same(["waitlist", "list", "--all"], dir, url)

        let starts = Self.objects(try Self.run(["free", "--service", "Cut & blow-dry", "--from", Self.day(3), "--to", to, "--first", "--json"], dir).output)
        let serviceStart = try #require(starts.first?["start"] as? String)
        try Self.ok(["book", "--service", "Cut & blow-dry", "--start", serviceStart, "--customer", keep], dir, url)
        #expect(try Self.same(["book", "--service", "Cut & blow-dry", "--start", serviceStart, "--customer", keep, "--resource", "Ben Okafor"], dir, url).status != 0)

        // A manager's corrections and an admin's reference data and grants.
        let missed = Self.objects(try Self.run(["list", "--from", past, "--to", from, "--status", "no_show", "--json"], dir).output)
        let noShow = try #require(missed.first?["ref"] as? String, "the demo has a no-show this past week")
        try Self.ok(["correct", noShow, "--status", "completed", "--reason", "arrived late, served"], dir, url)
        #expect(try Self.same(["correct", noShow, "--status", "cancelled", "--reason", "no"], dir, url).status != 0)
        try Self.ok(["resource", "edit", "Studio B", "--name", "Studio Blue", "--tag", "studio", "--tag", "daylight"], dir, url)
        try Self.ok(["resource", "blackout", "Car 2", "--from", "\(Self.day(20)) 00:00", "--to", "\(Self.day(21)) 00:00", "--reason", "service"], dir, url)
        try Self.ok(["resource", "blackout", "Chair 2", "--from", "\(Self.day(20)) 09:00", "--to", "\(Self.day(20)) 12:00", "--reason", "deep clean"], dir, url)
        try Self.ok(["schedule", "add", "--name", "Evening hours", "--hours", "mon-fri 17:00-21:00", "--buffer-after", "10m"], dir, url, scheduleIDs: true)
        try Self.ok(["schedule", "hours", "Evening hours", "sat 10:00-14:00", "sun closed"], dir, url, scheduleIDs: true)
        try Self.ok(["schedule", "override", "Evening hours", Self.day(22), "closed"], dir, url, scheduleIDs: true)
        try Self.ok(["schedule", "blackout", "Room hours", "--from", "\(Self.day(23)) 08:00", "--to", "\(Self.day(23)) 12:00", "--reason", "fire drill"], dir, url)
        try Self.ok(["schedule", "unblackout", "Room hours", "--reason", "fire drill"], dir, url)
        #expect(try Self.same(["schedule", "hours", "Evening hours", "funday 10:00-11:00"], dir, url).status != 0)
        try Self.ok(["service", "add", "Beard trim", "--duration", "20m", "--needs", "stylist", "--price", "15.00"], dir, url)
        try Self.ok(["service", "edit", "Beard trim", "--duration", "25m"], dir, url)
        try Self.ok(["service", "archive", "Van hire (half day)"], dir, url)
        try Self.ok(["staff", "add", "root", "--role", "admin"], dir, url)
        try Self.ok(["staff", "add", "nobody", "--role", "viewer", "--contact"], dir, url)
        try Self.ok(["staff", "remove", "nobody"], dir, url)
        #expect(try Self.same(["staff", "add", "no-such-account-here", "--role", "desk"], dir, url).status != 0)
        for args in [["staff", "list"], ["staff", "list", "--json"], ["resource", "show", "Studio Blue"], ["resource", "show", "Chair 2"],
                     ["schedule", "list"], ["service", "list", "--all"], ["service", "show", "Beard trim"],
                     ["free", "--resource", "Chair 2", "--from", Self.day(20), "--to", Self.day(21), "--duration", "1h"],
                     ["show", noShow, "--json"]] {
            try Self.same(args, dir, url, moments: args.contains("--json"), scheduleIDs: true)
        }

        // What all that left behind reads the same.
        try Self.same(["list", "--from", past, "--to", to], dir, url)
        try Self.same(["report", "takings", "--from", past, "--to", to], dir, url)
        // The entries the writes made: the directory's after the demo's, the database's all.
        let onFiles = Self.objects(try Self.run(["history", "--json"], dir).output).dropFirst(demoEntries)
        let onDatabase = Self.objects(try Self.run(["history", "--json"], url).output)
        #expect(onFiles.count > 15)
        // Compared by reference: what the writes created has a random id on each store.
        let text = { (list: [[String: Any]]) -> String in
            let byRef = list.map { $0.filter { $0.key != "id" } }
            return Self.withoutMoments(String(decoding: (try? JSONSerialization.data(withJSONObject: byRef)) ?? Data(), as: UTF8.self))
        }
        #expect(text(Array(onFiles)) == text(onDatabase))
        try Self.same(["history", "--id", booking, "--json"], dir, url, moments: true)
        // The database's own rows: the merged customer points at the kept one; the payments are in the booking.
        let merged = try cluster.psql(database: database, "SELECT count(*) FROM customers c JOIN customers k ON k.id = c.merged_into WHERE k.ref = '\(keep)'")
        #expect(merged.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(merged)")
        let erased = try cluster.psql(database: database, "SELECT erased, phone IS NULL FROM customers WHERE ref = '\(erase)'")
        #expect(erased.output.trimmingCharacters(in: .whitespacesAndNewlines) == "t|t", "\(erased)")
    }
}
