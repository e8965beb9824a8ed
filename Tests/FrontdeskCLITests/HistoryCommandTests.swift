import Foundation
import Testing

/// `frontdesk history` and `frontdesk correct` end to end: every kind of change with its actor,
/// filters, the JSON shape, bad flag values, hostile text, correction rules, and the log
/// surviving compaction.
@Suite struct HistoryCommandTests {
    /// A store with a change of every kind the command line makes, and one booking on
    /// 2027-03-03 10:00 cancelled and corrected back; returns its reference.
    func store(_ h: CLIHarness) throws -> String {
        _ = try h.seeded()
        for args in [["resource", "edit", "Chair 1", "--name", "Chair One", "--buffer-after", "10m"],
                     ["resource", "blackout", "Chair One", "--from", "2027-04-01 09:00", "--to", "2027-04-01 12:00", "--reason", "Repair"],
                     ["schedule", "add", "--name", "Salon hours", "--hours", "mon-fri 09:00-18:00"],
                     ["customer", "edit", "Ann Lee", "--email", "ann@example.com"],
                     ["staff", "add", "--group", "root", "--role", "viewer"]] {
            let r = try h.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
        }
        let secret = h.data + "-secret"
        try Data("k\n".utf8).write(to: URL(fileURLWithPath: secret))
        defer { try? FileManager.default.removeItem(atPath: secret) }
        let wh = try h.run(["webhook", "add", "https://user:pw@example.com/hook?token=t", "--secret-file", secret])
        #expect(wh.code == 0, "\(wh.err)")
        let b = try h.run(["book", "--resource", "Chair One", "--start", "2027-03-03 10:00", "--duration", "1h", "--customer", "Ann Lee", "--json"])
        #expect(b.code == 0, "\(b.err)")
        let ref = b.object["ref"] as? String ?? ""
        #expect(try h.run(["cancel", ref, "--reason", "ill"]).code == 0)
        let c = try h.run(["correct", ref, "--status", "confirmed", "--reason", "cancelled the wrong booking"])
        #expect(c.code == 0, "\(c.err)")
        return ref
    }

    @Test func everyKindOfChangeWithItsActorAndAfterCompaction() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        let ref = try store(h)
        let me = try h.run(["show", ref, "--json"]).object["actor"] as? String ?? "?"
        let all = try h.run(["history", "--json"])
        #expect(all.code == 0, "\(all.err)")
        let kinds = Set(all.array.compactMap { $0["entity"] as? String })
        #expect(kinds == ["resource", "schedule", "blackout", "customer", "webhook", "booking", "staff"], "\(kinds)")
        let grant = try #require(all.array.first { $0["entity"] as? String == "staff" })
        #expect(grant["id"] as? String == "group root" && grant["action"] as? String == "granted", "\(grant)")
        #expect(grant["changes"] as? [String] == ["role none → viewer"], "\(grant)")
        #expect(all.array.allSatisfy { $0["user"] as? String == me })
        // A stable shape: every member in every entry, reason null when none.
        let keys: Set<String> = ["at", "user", "origin", "source", "entity", "id", "ref", "version", "action", "changes", "reason"]
        #expect(all.array.allSatisfy { Set($0.keys) == keys })
        let corrected = try #require(all.array.first { $0["action"] as? String == "corrected" })
        #expect(corrected["reason"] as? String == "cancelled the wrong booking")
        #expect(corrected["ref"] as? String == ref)
        let webhook = try #require(all.array.first { $0["entity"] as? String == "webhook" })
        #expect(webhook["changes"] as? [String] == ["url https://example.com/hook", "events all"], "credentials and query left out")
        #expect(all.array.first { $0["entity"] as? String == "blackout" }?["reason"] as? String == "Repair")

        #expect(try h.run(["compact"]).code == 0)
        let after = try h.run(["history", "--json"])
        #expect(after.out == all.out)
        // The booking's own history, complete, by reference.
        let booking = try h.run(["history", "--id", ref, "--json"])
        #expect(booking.array.map { $0["action"] as? String ?? "" } == ["created", "cancelled", "corrected"])
        let table = try h.run(["history", "--entity", "booking", "--id", ref])
        #expect(table.code == 0 && table.out.contains("corrected") && table.out.hasPrefix("WHEN"))
        #expect(try h.run(["check"]).code == 0)
    }

    @Test func filters() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        _ = try store(h)
        let resources = try h.run(["history", "--entity", "resource", "--json"]).array
        #expect(!resources.isEmpty && resources.allSatisfy { $0["entity"] as? String == "resource" })
        let byName = try h.run(["history", "--entity", "resource", "--id", "Chair One", "--json"]).array
        #expect(byName.count == resources.count)
        #expect(try h.run(["history", "--actor", "nobody-at-all", "--json"]).array.isEmpty)
        #expect(try h.run(["history", "--since", "2027-03-02", "--json"]).array.isEmpty)
        #expect(try h.run(["history", "--until", "2027-03-01 07:00", "--json"]).array.isEmpty)
        let two = try h.run(["history", "--limit", "2", "--json"]).array
        #expect(two.map { $0["action"] as? String ?? "" } == ["cancelled", "corrected"])
        let staff = try h.run(["history", "--entity", "staff", "--json"]).array
        #expect(staff.count == 1 && staff.allSatisfy { $0["entity"] as? String == "staff" }, "\(staff)")
        #expect(try h.run(["history", "--entity", "settings"]).out.contains("No changes recorded."))
    }

    @Test func badFlagValuesAreNamed() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        _ = try h.seeded()
        for (args, code, field) in [(["--entity", "rooms"], Int32(65), "entity"), (["--limit", "0"], 65, "limit"),
                                    (["--since", "soon"], 65, "since"), (["--since", "2027-03-02", "--until", "2027-03-01"], 65, "until"),
                                    (["--actor", "a\u{202E}b"], 65, "actor"), (["--limit", "x"], 64, "limit"),
                                    (["--entity", "resource", "--id", "No Such Room"], 6, "No Such Room")] {
            let r = try h.run(["history"] + args)
            #expect(r.code == code, "\(args): \(r.code) \(r.err)")
            #expect(r.err.contains(field), "\(args): \(r.err)")
        }
    }

    @Test func correctionRules() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        _ = try h.seeded()
        let b = try h.run(["book", "--resource", "Chair 1", "--start", "2027-03-03 10:00", "--duration", "1h", "--customer", "Ann Lee", "--json"])
        let ref = b.object["ref"] as? String ?? ""
        // Only out of completed, no_show or cancelled.
        let confirmed = try h.run(["correct", ref, "--status", "tentative", "--reason", "why"])
        #expect(confirmed.code == 65 && confirmed.err.contains("only takes a booking out of completed, no_show or cancelled"), "\(confirmed.err)")
        #expect(try h.run(["cancel", ref, "--reason", "ill"]).code == 0)
        // A reason is required and must be printable.
        #expect(try h.run(["correct", ref, "--status", "confirmed"]).code == 64)
        #expect(try h.run(["correct", ref, "--status", "confirmed", "--reason", "  "]).code == 65)
        let hostile = try h.run(["correct", ref, "--status", "confirmed", "--reason", "oops\u{1B}[2J\u{202E}"])
        #expect(hostile.code == 65 && hostile.err.contains("reason"), "\(hostile.err)")
        #expect(try h.run(["correct", ref, "--status", "cancelled", "--reason", "x"]).code == 65)
        // The slot was taken meanwhile: correcting back would double-book it.
        let other = try h.run(["book", "--resource", "Chair 1", "--start", "2027-03-03 10:30", "--duration", "30m", "--customer", "Ann Lee", "--json"])
        #expect(other.code == 0, "\(other.err)")
        let conflict = try h.run(["correct", ref, "--status", "confirmed", "--reason", "wrong booking"])
        #expect(conflict.code == 3, "\(conflict.err)")
        #expect(try h.run(["show", ref, "--json"]).object["status"] as? String == "cancelled")
        #expect(try h.run(["cancel", other.object["ref"] as? String ?? "", "--reason", "dup"]).code == 0)
        let ok = try h.run(["correct", ref, "--status", "confirmed", "--reason", "wrong booking", "--json"])
        #expect(ok.code == 0, "\(ok.err)")
        #expect(ok.object["status"] as? String == "confirmed" && ok.object["cancellation"] == nil)
        let history = ok.object["history"] as? [[String: Any]] ?? []
        #expect(history.last?["action"] as? String == "corrected")
        #expect(history.last?["changes"] as? [String] == ["status cancelled → confirmed (correction)", "cancellation taken back (was: ill)", "reason: wrong booking"])
        // Nothing drawn from stored text reaches the terminal raw.
        let table = try h.run(["history"])
        #expect(!table.out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E })
    }
}
