import Foundation
import FrontdeskOSTestSupport
import Testing

/// `frontdesk status`: exit 0 and `"ok": true` for a healthy store, 9 with each reason for
/// what needs attention (failed deliveries, a lagging deliverer, a long journal, little disk),
/// 74 for a damaged store (a flipped byte in the journal or in a snapshot file), never healthy.
@Suite(.serialized) struct StatusCommandTests {
    static func reasons(_ r: CLIHarness.Result) -> [String] {
        ((r.object["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    /// A store with three bookings; `--min-free 0` keeps the host's disk out of the verdict.
    static func bookedStore() throws -> (CLIHarness, [String]) {
        let cli = CLIHarness()
        let (res, _) = try cli.seeded()
        let refs = try DamagedStoreCommandTests.book(cli, res, days: ["2027-03-02", "2027-03-03", "2027-03-04"])
        return (cli, refs)
    }

    @Test func aHealthyStoreIsOK() throws {
        let (cli, _) = try Self.bookedStore()
        defer { cli.cleanup() }
        let r = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(r.code == 0, "\(r.out) \(r.err)")
        #expect(r.object["ok"] as? Bool == true)
        #expect(Self.reasons(r).isEmpty)
        let store = try #require(r.object["store"] as? [String: Any])
        #expect((store["last_sequence"] as? Int ?? 0) >= 5 && (store["format"] as? Int ?? 0) >= 4)
        #expect((store["size_bytes"] as? Int ?? 0) > 0)
        let journal = try #require(r.object["journal"] as? [String: Any])
        #expect((journal["records_since_compaction"] as? Int ?? 0) >= 5, "\(journal)")
        #expect((journal["bytes"] as? Int ?? 0) > 0 && journal["last_compaction"] is String)
        #expect((r.object["roles"] as? [String: Any])?["mode"] as? String == "private")
        #expect((r.object["delivery"] as? [String: Any])?["in_use"] as? Bool == false)
        let disk = try #require(r.object["disk"] as? [String: Any])
        #expect((disk["total_bytes"] as? Int ?? 0) > 0)
        #expect(r.object["verified"] as? String == "open")
        #expect((r.object["idempotency"] as? [String: Any])?["shards"] as? Int ?? 0 >= 1)

        let text = try cli.run(["status", "--min-free", "0"])
        #expect(text.code == 0)
        #expect(text.out.hasSuffix("OK\n"), "\(text.out)")
        for word in ["store ", "snapshot ", "journal ", "events ", "retention ", "delivery ", "idempotency ", "disk ", "roles ", "verified "] {
            #expect(text.out.contains("\n" + word) || text.out.hasPrefix(word), "no \(word) line: \(text.out)")
        }
        // The full check agrees.
        let verified = try cli.run(["status", "--json", "--verify", "--min-free", "0"])
        #expect(verified.code == 0 && verified.object["verified"] as? String == "full", "\(verified.out)")
    }

    @Test func failedDeliveriesNeedAttention() throws {
        let (cli, _) = try Self.bookedStore()
        defer { cli.cleanup() }
        let seq = (try cli.run(["status", "--json", "--min-free", "0"]).object["store"] as? [String: Any])?["last_sequence"] as? Int ?? 0
        let event = #"{"id":"evt_1","type":"booking.created","at":"2027-03-01T08:00:00Z","actor":{"user":"a","origin":"local","source":"cli"}}"#
        let job = #"{"sequence":1,"index":0,"event":\#(event),"target":"hook:all","attempts":8,"notBefore":"2027-03-01T08:00:00Z","lastError":"exit 1"}"#
        try #"{"version":1,"cursor":\#(seq),"queue":[],"deadLetters":[\#(job)]}"#.write(toFile: cli.data + "/delivery-state.json", atomically: true, encoding: .utf8)
        let r = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(r.code == 9, "\(r.out) \(r.err)")
        #expect(Self.reasons(r) == ["failed_deliveries"])
        #expect(r.object["ok"] as? Bool == false && r.object["exit"] as? Int == 9)
        let delivery = try #require(r.object["delivery"] as? [String: Any])
        #expect(delivery["dead_letters"] as? Int == 1 && delivery["in_use"] as? Bool == true && delivery["records_behind"] as? Int == 0)
        let text = try cli.run(["status", "--min-free", "0"])
        #expect(text.code == 9 && text.out.contains("ATTENTION\n  failed_deliveries: 1 deliveries failed"), "\(text.out)")
    }

    @Test func aLaggingDelivererALongJournalAndLittleDiskNeedAttention() throws {
        let (cli, _) = try Self.bookedStore()
        defer { cli.cleanup() }
        try #"{"version":1,"cursor":1,"queue":[],"deadLetters":[]}"#.write(toFile: cli.data + "/delivery-state.json", atomically: true, encoding: .utf8)
        let r = try cli.run(["status", "--json", "--min-free", "100", "--max-lag", "2", "--max-journal", "2"])
        #expect(r.code == 9, "\(r.out) \(r.err)")
        #expect(Set(Self.reasons(r)) == ["deliverer_lagging", "journal_long", "disk_low"], "\(r.out)")
        #expect(try cli.run(["status", "--min-free", "0", "--max-lag", "1000"]).code == 0)
        // A deliverer that has read past the journal's end means records were lost.
        try #"{"version":1,"cursor":9999,"queue":[],"deadLetters":[]}"#.write(toFile: cli.data + "/delivery-state.json", atomically: true, encoding: .utf8)
        let lost = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(lost.code == 74 && Self.reasons(lost) == ["damaged"], "\(lost.out)")
        // A delivery state that cannot be read is named.
        try "garbage".write(toFile: cli.data + "/delivery-state.json", atomically: true, encoding: .utf8)
        let unreadable = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(unreadable.code == 9 && Self.reasons(unreadable) == ["delivery_state"], "\(unreadable.out)")
        #expect(try cli.run(["status", "--min-free", "101"]).code == 65)
    }

    @Test func aFlippedJournalByteIsDamage() throws {
        let (cli, refs) = try Self.bookedStore()
        defer { cli.cleanup() }
        let segment = DamagedStoreCommandTests.files(cli.data, under: "journal").last { $0.hasSuffix(".jsonl") }!
        try DamagedStoreCommandTests.flip(segment, inLineContaining: "\"ref\":\"\(refs[0])\"")
        let r = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(r.code == 74, "\(r.out) \(r.err)")
        #expect(r.object["ok"] as? Bool == false && Self.reasons(r).contains("damaged"))
        let messages = ((r.object["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("journal records after record") }, "\(messages)")
        let text = try cli.run(["status", "--min-free", "0"])
        #expect(text.code == 74 && text.out.contains("DAMAGED\n  damaged: "), "\(text.out)")
    }

    @Test func aFlippedSnapshotByteIsDamage() throws {
        let (cli, _) = try Self.bookedStore()
        defer { cli.cleanup() }
        #expect(try cli.run(["compact"]).code == 0)
        let newest = try #require(DamagedStoreCommandTests.files(cli.data, under: "snapshots").filter { $0.hasSuffix("/resources.json") }.last)
        try DamagedStoreCommandTests.flip(newest, inLineContaining: "Chair 1")
        let r = try cli.run(["status", "--json", "--min-free", "0"])
        #expect(r.code == 74, "\(r.out) \(r.err)")
        let messages = ((r.object["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains { $0.contains("does not verify") }, "\(messages)")

        // A partition file is read only by --verify: status says so, and --verify finds it.
        let (cli2, _) = try Self.bookedStore()
        defer { cli2.cleanup() }
        #expect(try cli2.run(["compact"]).code == 0)
        let partition = try #require(DamagedStoreCommandTests.files(cli2.data, under: "snapshots").filter { $0.contains("/bookings/") && $0.hasSuffix(".json") }.last)
        try DamagedStoreCommandTests.flip(partition, inLineContaining: "\"status\"")
        let quick = try cli2.run(["status", "--min-free", "0"])
        #expect(quick.out.contains("verified     manifest, reference files and journal since the snapshot (frontdesk status --verify reads every file)"), "\(quick.out)")
        let full = try cli2.run(["status", "--json", "--verify", "--min-free", "0"])
        #expect(full.code == 74 && Self.reasons(full).contains("damaged"), "\(full.out)")
    }

    /// Through the setgid binary a member of staff sees `roles enforced`; install-service
    /// writes no file there (only `--print`).
    @Test func throughTheSetgidBinaryRolesAreEnforced() throws {
        let install = try SetgidInstallTests.Install()
        let r = try install.runAsStaff(["status", "--json", "--min-free", "0"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], "\(r.out)\(r.err)")
        #expect(r.code == 0, "\(r.out)\(r.err)")
        #expect((report["roles"] as? [String: Any])?["mode"] as? String == "enforced" && (report["roles"] as? [String: Any])?["enforced"] as? Bool == true)
        let text = try install.runAsStaff(["status", "--min-free", "0"])
        #expect(text.out.contains("roles        enforced (setgid frontdesk)"), "\(text.out)")
        let refused = try install.runAsStaff(["install-service", "deliver", "--user", "daemon", "--unit-dir", "/etc/systemd/system"])
        #expect(refused.code == 77 && refused.err.contains("install-service"), "\(refused.err)")
    }

    /// `status` is a viewer's: it names no customer.
    @Test func statusNamesNoCustomer() throws {
        let (cli, _) = try Self.bookedStore()
        defer { cli.cleanup() }
        let r = try cli.run(["status", "--min-free", "0"])
        #expect(!r.out.contains("Ann Lee") && !r.out.contains("+44"))
    }
}
