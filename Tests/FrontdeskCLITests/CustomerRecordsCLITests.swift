import Foundation
import Testing
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Customer records on the command line (#24): `customer show` with totals and counts,
/// `customer edit --expect-version` and tags, `customer merge` (an alias stays; a key that
/// named the merged customer replays), `customer erase` (the store directory is searched for
/// what was erased), and who may do each.
@Suite struct CustomerRecordsCLITests {
    static func int(_ v: Any?) -> Int64 { (v as? NSNumber)?.int64Value ?? -1 }

    @Test func showEditAndMerge() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, _) = try cli.seededAfterInit()
        // A visit last week, paid; a no-show with its fee; one cancelled late; one ahead.
        cli.now = "2027-02-22T08:00:00Z"
        func book(_ start: String, _ customer: String, _ extra: [String] = []) throws -> String {
            let b = try cli.run(["book", "--resource", r, "--customer", customer, "--start", start, "--duration", "45m", "--price", "38", "--reason", "list",
                                 "--late-cancel-fee", "15", "--no-show-fee", "20", "--json"] + extra)
            #expect(b.code == 0, "\(b.err)")
            return b.object["ref"] as? String ?? "?"
        }
        let visit = try book("2027-02-23 10:00", "Ann Lee")
        let missed = try book("2027-02-24 10:00", "Ann Lee")
        let late = try book("2027-03-01 15:00", "Ann Lee")
        cli.now = "2027-03-01T08:00:00Z"
        #expect(try cli.run(["pay", visit, "--amount", "38", "--method", "card"]).code == 0)
        #expect(try cli.run(["no-show", missed]).code == 0)
        let cancelled = try cli.run(["cancel", late, "--reason", "ill", "--override", "regular"])
        #expect(cancelled.code == 0, "\(cancelled.err)")
        let ahead = try book("2027-03-10 10:00", "Ann Lee")
        #expect(try cli.run(["pay", ahead, "--amount", "10", "--method", "cash"]).code == 0)

        let show = try cli.run(["customer", "show", "Ann Lee", "--json"])
        #expect(show.code == 0, "\(show.err)")
        let totals = show.object["totals"] as? [String: Any] ?? [:]
        #expect(totals["currency"] as? String == "GBP" && Self.int(totals["paid"]) == 4800, "\(show.out)")
        // Due: the no-show fee, the late fee, the upcoming balance.
        #expect(Self.int(totals["due"]) == 2000 + 1500 + 2800, "\(show.out)")
        #expect(Self.int(show.object["no_shows"]) == 1 && Self.int(show.object["late_cancellations"]) == 1 && Self.int(show.object["past_count"]) == 2)
        let text = try cli.run(["customer", "show", "C-001"])
        for line in ["Paid: 48.00 GBP   Due: 63.00 GBP", "Bookings: 2 upcoming, 2 past   No-shows: 1   Late cancellations: 1", "Upcoming:"] {
            #expect(text.out.contains(line), "\(line)\n\(text.out)")
        }

        // Edit with the version read; the same version again is stale (exit 4).
        let tagged = try cli.run(["customer", "edit", "C-001", "--tag", "VIP", "--tag", "allergy", "--expect-version", "1", "--json"])
        #expect(tagged.code == 0 && tagged.object["tags"] as? [String] == ["allergy", "vip"], "\(tagged.out) \(tagged.err)")
        let stale = try cli.run(["customer", "edit", "C-001", "--untag", "vip", "--expect-version", "1"])
        #expect(stale.code == 4, "\(stale.err)")
        let untagged = try cli.run(["customer", "edit", "C-001", "--untag", "vip", "--expect-version", "2", "--json"])
        #expect(untagged.object["tags"] as? [String] == ["allergy"], "\(untagged.out)")
        #expect(try cli.run(["customer", "edit", "C-001", "--tag", "not a tag"]).code == 65)

        // A duplicate, booked with a key and paid, merged after a compaction.
        #expect(try cli.run(["customer", "add", "--name", "Annie Lee", "--email", "annie@example.com"]).code == 0)
        let keyed = try book("2027-03-12 10:00", "Annie Lee", ["--idempotency-key", "web-77"])
        #expect(try cli.run(["pay", keyed, "--amount", "5", "--method", "card"]).code == 0)
        #expect(try cli.run(["compact"]).code == 0)
        let merge = try cli.run(["customer", "merge", "Ann Lee", "Annie Lee", "--reason", "same person", "--json"])
        #expect(merge.code == 0 && Self.int(merge.object["bookings_moved"]) == 1, "\(merge.out) \(merge.err)")
        let shown = try cli.run(["customer", "show", "Annie Lee", "--json"])
        #expect(shown.err.contains("C-002 was merged into C-001"), "\(shown.err)")
        #expect((shown.object["customer"] as? [String: Any])?["ref"] as? String == "C-001")
        #expect(Self.int((shown.object["totals"] as? [String: Any])?["paid"]) == 5300, "\(shown.out)")
        #expect((shown.object["customer"] as? [String: Any])?["email"] as? String == "annie@example.com")
        let retry = try cli.run(["book", "--resource", r, "--customer", "Annie Lee", "--start", "2027-03-12 10:00", "--duration", "45m", "--price", "38",
                                 "--reason", "list", "--late-cancel-fee", "15", "--no-show-fee", "20", "--idempotency-key", "web-77", "--json"])
        #expect(retry.code == 0 && retry.object["ref"] as? String == keyed, "\(retry.out) \(retry.err)")
        let list = try cli.run(["customer", "list", "--json"])
        #expect(list.object["ref"] as? String == "C-001", "the alias is not listed: \(list.out)")
        #expect(try cli.run(["customer", "merge", "C-001", "C-002"]).code == 65, "an alias cannot be merged again")
        #expect(try cli.run(["customer", "merge", "C-001", "nobody"]).code == 6)
        let history = try cli.run(["history", "--json"])
        #expect(history.out.contains("C-002 merged into C-001: 1 booking moved") && history.out.contains("same person"), "\(history.out)")
        for _ in 0..<2 {
            let check = try cli.run(["check"])
            #expect(check.code == 0, "\(check.out)")
            #expect(try cli.run(["compact"]).code == 0)
        }
        let after = try cli.run(["list", "--customer", "C-001", "--from", "2027-02-01", "--to", "2027-04-01", "--json"])
        #expect(after.array.count == 5, "\(after.out)")
    }

    @Test func eraseLeavesNoTraceInTheStoreItKeepsGoingForward() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, _) = try cli.seededAfterInit()
        let secrets = ["Zelda", "Quist", "7700 900555", "447700900555", "zelda@example.org", "cashew"]
        #expect(try cli.run(["customer", "add", "--name", "Zelda Quist", "--phone", "+44 7700 900555", "--email", "zelda@example.org",
                             "--notes", "cashew allergy"]).code == 0)
        let b = try cli.run(["book", "--resource", r, "--customer", "Zelda Quist", "--start", "2027-03-03 10:00", "--duration", "45m",
                             "--price", "38", "--reason", "list", "--notes", "Zelda Quist: no cashew", "--json"])
        #expect(b.code == 0, "\(b.err)")
        let ref = b.object["ref"] as? String ?? "?"
        #expect(try cli.run(["pay", ref, "--amount", "38", "--method", "card"]).code == 0)
        #expect(try cli.run(["customer", "edit", "Zelda Quist", "--name", "Zelda Quist-Ray", "--tag", "cashew"]).code == 0)
        #expect(try cli.run(["compact"]).code == 0)
        #expect(try cli.run(["customer", "edit", "C-002", "--notes", "cashew and Zelda"]).code == 0)

        let erase = try cli.run(["customer", "erase", "C-002", "--reason", "request 2027-41", "--json"])
        #expect(erase.code == 0, "\(erase.err)")
        #expect((erase.object["customer"] as? [String: Any])?["name"] as? String == "Erased customer C-002", "\(erase.out)")
        // Compacted, then something else written and compacted again: the generation from
        // before the erasure (the fallback) is no longer kept.
        #expect(try cli.run(["compact"]).code == 0)
        #expect(try cli.run(["customer", "add", "--name", "Someone Else"]).code == 0)
        #expect(try cli.run(["compact"]).code == 0)

        let shown = try cli.run(["show", ref, "--json"])
        #expect(shown.code == 0 && Self.int((shown.object["money"] as? [String: Any])?["paid"]) == 3800, "\(shown.out)")
        let customer = try cli.run(["customer", "show", "C-002"])
        #expect(customer.out.contains("Erased customer C-002") && customer.out.contains("Paid: 38.00 GBP"), "\(customer.out)")
        let history = try cli.run(["history", "--json"])
        #expect(history.out.contains("erased") && history.out.contains("request 2027-41"), "\(history.out)")
        for s in secrets {
            #expect(!shown.out.contains(s) && !customer.out.contains(s) && !history.out.contains(s), "\(s) still shown")
            #expect(try cli.run(["customer", "list", "--search", s]).out.contains("No customers."), "\(s) still finds the customer")
        }
        #expect(try cli.run(["list", "--search", "cashew", "--json"]).array.isEmpty)
        #expect(try cli.run(["check"]).code == 0)

        // Every file that still holds erased text is a journal segment written before the
        // erasure (README "Customer records": they age out with the journal's retention).
        let fm = FileManager.default
        var holding: [String] = []
        let walker = try #require(fm.enumerator(atPath: cli.data))
        while let rel = walker.nextObject() as? String {
            let path = cli.data + "/" + rel
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, let data = fm.contents(atPath: path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            if secrets.contains(where: text.contains) { holding.append(rel) }
        }
        #expect(holding.contains { $0.hasPrefix("journal/") || $0.hasPrefix("events/") }, "the test found nothing to look for: \(holding)")
        #expect(holding.allSatisfy { $0.hasPrefix("journal/") || $0.hasPrefix("events/") }, "erased text outside old journal segments: \(holding)")
    }

    /// Desk edits customers; merging and erasing need a manager.
    @Test func mergeAndEraseNeedAManager() throws {
        let os = try OSAccounts()
        defer { os.remove() }
        let desk = try os.addWithOwnGroup("d", inGroup: true), manager = try os.addWithOwnGroup("m", inGroup: true)
        let base = NSTemporaryDirectory() + "frontdesk-customer-roles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let data = base + "/data"
        func run(_ user: String, _ args: [String]) throws -> ChildProcess.Result { try RolesCLITests.run(as: user, data: data, args) }
        #expect(try run("root", ["init", "--group", os.group]).code == 0)
        #expect(try run("root", ["staff", "add", manager, "--role", "manager"]).code == 0)
        #expect(try run(desk, ["customer", "add", "--name", "Ann Lee"]).code == 0)
        #expect(try run(desk, ["customer", "add", "--name", "Annie Lee"]).code == 0)
        #expect(try run(desk, ["customer", "edit", "Ann Lee", "--tag", "vip", "--expect-version", "1"]).code == 0)
        let merge = try run(desk, ["customer", "merge", "Ann Lee", "Annie Lee"])
        #expect(merge.code == 77 && merge.err.contains("merge customers") && merge.err.contains("manager"), "\(merge.err)")
        let erase = try run(desk, ["customer", "erase", "Ann Lee", "--reason", "asked"])
        #expect(erase.code == 77 && erase.err.contains("manager"), "\(erase.err)")
        #expect(try run(manager, ["customer", "merge", "Ann Lee", "Annie Lee"]).code == 0)
        #expect(try run(manager, ["customer", "erase", "Ann Lee", "--reason", "asked"]).code == 0)
    }
}
