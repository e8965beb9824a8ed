import Foundation
import Testing

/// Issue #22: an import re-run is idempotent for every row the first run stored, replays are
/// marked as such, and an import of many new customers resolves each of them once.
@Suite(.serialized) struct ImportRerunTests {
    func lines(_ s: String) -> [[String: Any]] {
        s.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Rows on one always-open resource, half an hour apart from 2 March 2027 (after the
    /// harness's pinned clock), each with its own key; `customer(i)` names row i's customer.
    func csv(rows: Int, customer: (Int) -> String) -> String {
        let base = Date(timeIntervalSince1970: 1_803_945_600)   // 2027-03-02T00:00:00Z
        let f = ISO8601DateFormatter()
        var text = "resource,customer,start,end,status,idempotency_key,notes\n"
        for i in 0..<rows {
            let s = base.addingTimeInterval(Double(i) * 1800)
            text += "Room,\(customer(i)),\(f.string(from: s)),\(f.string(from: s.addingTimeInterval(1800))),,imp-\(i),\n"
        }
        return text
    }

    func store(_ cli: CLIHarness) throws {
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Room", "--tz", "Europe/London"])
        #expect(r.code == 0, "\(r.err)")
    }

    /// Runs `import file --chunk chunk` and SIGKILLs it once it has printed `after` outcome
    /// lines (plus a few random milliseconds, so the kill lands anywhere in the next chunk:
    /// judging, writing, syncing or printing). Returns the outcome lines it printed.
    func importKilled(_ cli: CLIHarness, file: String, chunk: Int, after: Int, delay: UInt32) throws -> [[String: Any]] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: cli.executable)
        p.arguments = ["import", file, "--chunk", String(chunk)]
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = cli.data
        env["FRONTDESK_NOW"] = cli.now
        env["TZ"] = cli.zone
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var printed = Data()
        while printed.filter({ $0 == UInt8(ascii: "\n") }).count < after {
            let more = out.fileHandleForReading.availableData
            if more.isEmpty { break }
            printed += more
        }
        usleep(delay)
        kill(p.processIdentifier, SIGKILL)
        printed += out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        // A line cut by the kill is not an outcome.
        return lines(String(decoding: printed, as: UTF8.self)).filter { $0["outcome"] != nil }
    }

    /// (a) An import SIGKILLed at a random point and run again: every row is created or a
    /// duplicate (the first run's rows, with the ids it printed), nothing is invalid, no
    /// customer exists twice, and there is one booking a row.
    @Test(arguments: [1, 2, 3, 4, 5])
    func killedImportReRunStoresEveryRowOnce(seed: Int) throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try store(cli)
        var rng = SeededRandom(seed: UInt64(seed))
        let rows = 320, chunk = 16, people = 120
        // Names repeat within and across chunks, in another case on every third row.
        let text = csv(rows: rows) { i in
            let name = "Guest \(i % people)"
            return i % 3 == 0 ? name.lowercased() : name
        }
        let file = cli.data + "-rerun.csv"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }

        // At least half the rows are left when the kill comes, more than a few milliseconds of work.
        let after = Int(rng.next() % UInt64(rows / 2)) + 1
        let first = try importKilled(cli, file: file, chunk: chunk, after: after, delay: UInt32(rng.next() % 10_000))
        #expect(first.count >= after && first.count < rows, "the kill was meant to land mid-import (\(first.count) of \(rows) printed)")
        #expect(first.allSatisfy { $0["outcome"] as? String == "created" })

        let again = try cli.run(["import", file, "--chunk", String(chunk)])
        #expect(again.code == 0, "\(again.err)")
        let outcomes = lines(again.out)
        #expect(outcomes.count == rows)
        let bad = outcomes.filter { !["created", "duplicate"].contains($0["outcome"] as? String ?? "") }
        #expect(bad.isEmpty, "rows neither created nor duplicate: \(bad.prefix(3))")
        // What the first run printed, the re-run replays with the same booking.
        for (was, now) in zip(first, outcomes) {
            #expect(now["outcome"] as? String == "duplicate" && now["replayed"] as? Bool == true, "row \(was["row"] ?? "?")")
            #expect(now["id"] as? String == was["id"] as? String)
        }
        #expect(outcomes.filter { $0["outcome"] as? String == "created" }.allSatisfy { $0["replayed"] == nil })

        let customers = try cli.run(["customer", "list", "--json"]).array.compactMap { $0["name"] as? String }
        #expect(customers.count == people)
        #expect(Set(customers.map { $0.lowercased() }).count == customers.count, "a customer was created twice")
        let bookings = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-04-01", "--json"]).array
        #expect(bookings.count == rows)
        #expect(Set(bookings.compactMap { $0["id"] as? String }).count == rows)

        // A third run finds every row stored.
        let third = lines(try cli.run(["import", file, "--chunk", String(chunk)]).out)
        #expect(third.count == rows && third.allSatisfy { $0["outcome"] as? String == "duplicate" && $0["replayed"] as? Bool == true })
    }

    /// (b) A replayed `book` is marked as one and answers what the first request did.
    @Test func replayedBookIsMarkedInJSONAndText() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try store(cli)
        let args = ["book", "--resource", "Room", "--start", "2027-03-02 09:00", "--duration", "1h", "--new-customer", "Zoë Park",
                    "--phone", "+44 7700 900555", "--idempotency-key", "web-1"]
        let first = try cli.run(args + ["--json"])
        #expect(first.code == 0, "\(first.err)")
        #expect(first.object["replayed"] == nil)
        let again = try cli.run(args + ["--json"])
        #expect(again.code == 0, "\(again.err)")
        #expect(again.object["replayed"] as? Bool == true)
        for field in ["id", "ref", "status", "start", "end", "customer"] {
            #expect(again.object[field] as? String == first.object[field] as? String, "field \(field)")
        }
        let text = try cli.run(args)
        #expect(text.code == 0)
        #expect(text.out.hasPrefix("Already booked \(first.object["ref"] as? String ?? "?")"), "\(text.out)")
        let plain = try cli.run(["book", "--resource", "Room", "--start", "2027-03-02 11:00", "--duration", "1h", "--customer", "Zoë Park",
                                 "--idempotency-key", "web-2"])
        #expect(plain.out.hasPrefix("Booked "), "\(plain.out)")
        // One customer is listed as an object, not an array of one.
        let listed = try cli.run(["customer", "list", "--json"])
        #expect(listed.array.isEmpty && listed.object["name"] as? String == "Zoë Park")

        // A series replays every occurrence, each marked.
        let series = ["book", "--resource", "Room", "--start", "2027-03-03 09:00", "--duration", "1h", "--block", "staff",
                      "--repeat", "FREQ=DAILY;COUNT=3", "--idempotency-key", "web-3", "--json"]
        let made = try cli.run(series).array
        let replayed = try cli.run(series).array
        #expect(made.count == 3 && made.allSatisfy { $0["replayed"] == nil })
        #expect(replayed.map { $0["id"] as? String } == made.map { $0["id"] as? String })
        #expect(replayed.count == 3 && replayed.allSatisfy { $0["replayed"] as? Bool == true })
    }

    /// (b) A replayed import row is `duplicate`, marked, with the id the first run printed,
    /// also when the first run created its customer.
    @Test func replayedImportRowIsMarked() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try store(cli)
        let file = cli.data + "-marked.csv"
        try csv(rows: 3) { ["New Person", "new person", "Other"][$0] }.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let first = lines(try cli.run(["import", file]).out)
        #expect(first.map { $0["outcome"] as? String } == ["created", "created", "created"])
        #expect(first.allSatisfy { $0["replayed"] == nil })
        let again = try cli.run(["import", file])
        #expect(again.code == 0, "\(again.err)")
        let second = lines(again.out)
        #expect(second.map { $0["outcome"] as? String } == ["duplicate", "duplicate", "duplicate"])
        #expect(second.allSatisfy { $0["replayed"] as? Bool == true })
        #expect(second.map { $0["id"] as? String } == first.map { $0["id"] as? String })
        #expect(again.err.contains("imported 3 rows: 0 created, 3 duplicate"))
        #expect(try cli.run(["customer", "list", "--json"]).array.compactMap { $0["name"] as? String }.sorted() == ["New Person", "Other"])
    }

    /// (c) Thousands of rows for as many new customers, with some rows naming an earlier one in
    /// another case or by reference: every row is booked for the right customer, each
    /// customer created once.
    @Test func largeImportOfDistinctCustomersResolvesEachOnce() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try store(cli)
        let existing = try cli.run(["customer", "add", "--name", "Kept Customer", "--json"])
        let keptRef = existing.object["ref"] as? String ?? "?"
        let rows = 5000
        func name(_ i: Int) -> String {
            if i % 500 == 499 { return keptRef }             // an existing customer by reference
            if i % 100 == 50 { return "client \(i - 50)" }    // a customer created 50 rows earlier, at times in the chunk before
            return "Client \(i)"
        }
        let file = cli.data + "-large.csv"
        try csv(rows: rows, customer: name).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try cli.run(["import", file, "--chunk", "730"])
        #expect(run.code == 0, "\(run.err)")
        let outcomes = lines(run.out)
        #expect(outcomes.count == rows && outcomes.allSatisfy { $0["outcome"] as? String == "created" })

        let expectedNew = (0..<rows).filter { $0 % 500 != 499 && $0 % 100 != 50 }.count
        let customers = try cli.run(["customer", "list", "--json"]).array
        #expect(customers.count == expectedNew + 1)
        #expect(Set(customers.compactMap { ($0["name"] as? String)?.lowercased() }).count == customers.count)

        let exported = try cli.run(["export", "--format", "json"]).json as? [[String: Any]] ?? []
        #expect(exported.count == rows)
        let byStart = Dictionary(exported.map { ($0["start"] as? String ?? "", $0["customer_name"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        let f = ISO8601DateFormatter()
        let base = Date(timeIntervalSince1970: 1_803_945_600)
        for i in stride(from: 0, to: rows, by: 1) {
            let expected: String
            if i % 500 == 499 { expected = "Kept Customer" } else if i % 100 == 50 { expected = "Client \(i - 50)" } else { expected = "Client \(i)" }
            let got = byStart[f.string(from: base.addingTimeInterval(Double(i) * 1800))]
            if got != expected { Issue.record("row \(i + 1): booked for \(got ?? "nobody"), expected \(expected)"); break }
        }
    }
}
