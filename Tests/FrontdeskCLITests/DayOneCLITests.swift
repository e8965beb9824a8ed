import Foundation
import Testing

/// Issue #20, "Command line" (items 15-21): what a new receptionist tripped over in the CLI.
@Suite(.serialized) struct DayOneCLITests {
    /// Terminal columns as the TUI counts them, for the few ranges these tests type.
    static func columns(_ s: Substring) -> Int {
        s.reduce(0) { n, c in
            let v = c.unicodeScalars.first!.value
            return n + ((0x3040...0x9FFF).contains(v) || (0x1F300...0x1FAFF).contains(v) ? 2 : 1)
        }
    }

    /// Item 15: no terminal (TERM=dumb, stdin a pipe) is "unavailable" (69), not 3 (a conflict).
    @Test func noTerminalExitsUnavailableNotConflict() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        cli.extraEnv["TERM"] = "dumb"
        let r = try cli.run([])
        #expect(r.code == 69, "\(r.code) \(r.err)")
        #expect(r.err.contains("TERM=dumb"), "\(r.err)")
        let help = try cli.run(["--help"])
        #expect(help.out.contains("69") && help.out.contains("--demo"), "\(help.out)")
    }

    /// Item 16: tables pad by display width, so a CJK or emoji name keeps the next column aligned.
    @Test func tablesPadByDisplayWidth() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        for name in ["李小龍の部屋", "Spa 🌸 room"] {
            let r = try cli.run(["resource", "add", "--name", name, "--kind", "room", "--tz", "UTC"])
            #expect(r.code == 0, "\(r.err)")
        }
        let list = try cli.run(["resource", "list"])
        #expect(list.code == 0)
        let lines = list.out.split(separator: "\n")
        #expect(lines.count == 4, "\(list.out)")
        // KIND is the third column: it starts at the same terminal column on every line.
        let kindColumn = lines.map { line -> Int in
            let at = ["  KIND", "  staff", "  room"].compactMap { line.range(of: $0)?.lowerBound }.min()!
            return Self.columns(line[..<at])
        }
        #expect(Set(kindColumn).count == 1, "\(list.out)")
    }

    /// Item 17: messages name the flag given, not a field the user never typed.
    @Test func messagesNameTheFlagGiven() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        let hostile = try cli.run(["resource", "add", "--name", "Chair\u{1B}[31mRED", "--hours", "mon-fri 09:00-17:00"])
        #expect(hostile.code == 65)
        #expect(hostile.err.contains("name") && !hostile.err.contains("schedule name"), "\(hostile.err)")
        // A name at the length limit with --hours also names the schedule made from it,
        // which must take it too.
        let long = String(repeating: "x", count: 118)
        let ok = try cli.run(["resource", "add", "--name", long, "--hours", "mon-fri 09:00-17:00"])
        #expect(ok.code == 0, "\(ok.err)")
        // waitlist book --start outside the entry's window names --start (the engine says "slot").
        let wl = try cli.run(["waitlist", "add", "--customer", "Ann Lee", "--resource", "Chair 1", "--from", "2027-03-02 09:00",
                              "--to", "2027-03-02 12:00", "--duration", "1h", "--json"])
        #expect(wl.code == 0, "\(wl.err)")
        let outside = try cli.run(["waitlist", "book", wl.object["ref"] as? String ?? "?", "--start", "2027-03-02 15:00"])
        #expect(outside.code == 65)
        #expect(outside.err.contains("start") && !outside.err.contains("slot:"), "\(outside.err)")
    }

    /// Item 18: suggestions at every level, and `help NAME` for an unknown NAME fails.
    @Test func suggestionsWithinSubcommandsAndHelp() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let lsit = try cli.run(["lsit"])
        #expect(lsit.code == 64)
        #expect(lsit.err.contains("did you mean \"list\""), "\(lsit.err)")
        let help = try cli.run(["help", "boook"])
        #expect(help.code == 64, "\(help.code) \(help.out.prefix(200))")
        #expect(help.err.contains("did you mean \"book\""), "\(help.err)")
        let lst = try cli.run(["resource", "lst"])
        #expect(lst.code == 64)
        #expect(lst.err.contains("did you mean \"resource list\""), "\(lst.err)")
        let sched = try cli.run(["--data", cli.data, "schedule", "blakout"])
        #expect(sched.err.contains("did you mean \"schedule blackout\""), "\(sched.err)")
        let hostile = try cli.run(["lis\u{1B}[2J"])
        #expect(!hostile.err.contains("\u{1B}"), "\(hostile.err.debugDescription)")
        // Known commands still get their help.
        #expect(try cli.run(["help", "book"]).code == 0)
    }

    /// Item 19: `book` without a customer is an error listing the choices; `--block` books blocked time.
    @Test func bookWithoutCustomerIsAnErrorAndBlockIsExplicit() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        let missing = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-02 09:00", "--duration", "1h"])
        #expect(missing.code == 64)
        for choice in ["--customer", "--new-customer", "--block"] { #expect(missing.err.contains(choice), "\(missing.err)") }
        let none = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-08", "--json"])
        #expect(none.array.isEmpty, "\(none.out)")
        let both = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-02 09:00", "--duration", "1h", "--customer", "Ann Lee", "--block", "x"])
        #expect(both.code == 64)
        let blocked = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-02 09:00", "--duration", "1h", "--block", "Staff meeting", "--json"])
        #expect(blocked.code == 0, "\(blocked.err)")
        #expect(blocked.object["customer"] == nil || blocked.object["customer"] is NSNull)
        #expect((blocked.object["notes"] as? String)?.contains("Staff meeting") == true, "\(blocked.out)")
        let text = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-05 09:00", "--duration", "1h", "--customer", "Ann Lee"])
        #expect(text.out.contains("Fri 2027-03-05"), "\(text.out)")
    }

    /// Item 20: `import --history` stores past completed/no-show/cancelled rows without policies,
    /// as imported history; any row not stored makes the import exit 8.
    @Test func importHistoryAndPartialImportExitCode() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        // 2027-02-20 is a Saturday (closed) and in the past of the pinned clock (2027-03-01).
        let csv = """
        resource,customer,start,end,status,idempotency_key,notes
        Chair 1,Ann Lee,2027-02-20 09:00,2027-02-20 10:00,completed,,
        Chair 1,Ann Lee,2027-02-22 09:00,2027-02-22 10:00,no_show,,
        Chair 1,Ann Lee,2027-02-22 09:00,2027-02-22 10:00,cancelled,,

        """
        let file = cli.data + "-history.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let plain = try cli.run(["import", file])
        #expect(plain.code == 8, "\(plain.err)")
        #expect(plain.err.contains("not stored"), "\(plain.err)")
        // Without --history no past row is stored, whatever its status, and each says how.
        let pastRows = plain.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(pastRows.map { $0["outcome"] as? String } == ["refused", "refused", "refused"], "\(plain.out)")
        #expect(pastRows.allSatisfy { (($0["error"] as? [String: Any])?["message"] as? String ?? "").contains("--history") }, "\(plain.out)")
        #expect(try cli.run(["list", "--from", "2027-02-01", "--to", "2027-03-01", "--json"]).array.isEmpty, "a past row was stored without --history")
        // Recording history without any policy is a manager's call, with a reason.
        let unexplained = try cli.run(["import", file, "--history"])
        #expect(unexplained.code == 64 && unexplained.err.contains("--override REASON"), "\(unexplained.code) \(unexplained.err)")
        let history = try cli.run(["import", file, "--history", "--override", "migration from the old diary"])
        #expect(history.code == 0, "\(history.err)")
        let outcomes = history.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(outcomes.map { $0["outcome"] as? String } == ["created", "created", "created"], "\(history.out)")
        let id = outcomes.first?["id"] as? String ?? "?"
        let shown = try cli.run(["show", id, "--json"])
        let entries = shown.object["history"] as? [[String: Any]] ?? []
        #expect(entries.first?["action"] as? String == "imported history", "\(shown.out)")
        #expect(((entries.first?["changes"] as? [String]) ?? []).contains("policy override: migration from the old diary"), "\(shown.out)")
        #expect(shown.object["source"] as? String == "import")
        // A future or still-open row is not history.
        let bad = """
        resource,customer,start,end,status,idempotency_key,notes
        Chair 1,Ann Lee,2027-03-10 09:00,2027-03-10 10:00,cancelled,,
        Chair 1,Ann Lee,2027-02-23 09:00,2027-02-23 10:00,confirmed,,

        """
        try bad.write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try cli.run(["import", file, "--history", "--override", "migration"])
        #expect(refused.code == 8)
        #expect(refused.out.components(separatedBy: "\"invalid\"").count == 3, "\(refused.out)")
    }

    /// Item 21: `resource show --json` carries the rules; `schedule list` shows overrides;
    /// blackouts on a resource without a schedule; weekdays capitalised.
    @Test func resourceRulesOverridesAndBlackouts() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        let edit = try cli.run(["resource", "edit", "Chair 1", "--buffer-after", "10m", "--min-notice", "1h", "--max-advance", "30d", "--reminder", "24h"])
        #expect(edit.code == 0, "\(edit.err)")
        let show = try cli.run(["resource", "show", "Chair 1", "--json"]).object
        #expect(show["buffer_after"] as? String == "10m", "\(show)")
        #expect(show["buffer_before"] != nil && show["min_notice"] as? String == "1h", "\(show)")
        #expect(show["max_advance"] as? String == "30d" && show["cancel_notice"] as? String == "1d", "\(show)")
        #expect(show["reminder"] as? String == "1d", "\(show)")
        let text = try cli.run(["resource", "show", "Chair 1"]).out
        #expect(text.contains("  Mon") && !text.contains("  mon"), "\(text)")
        #expect(text.contains("Reminder"), "\(text)")

        #expect(try cli.run(["schedule", "override", "Chair 1 hours", "2027-12-24", "09:00-13:00"]).code == 0)
        let schedules = try cli.run(["schedule", "list"]).out
        #expect(schedules.contains("OVERRIDES") && schedules.contains("2027-12-24 09:00-13:00"), "\(schedules)")
        #expect(schedules.contains("Mon 09:00-17:00"), "\(schedules)")

        // A resource with no schedule (open at all times) takes a blackout.
        #expect(try cli.run(["resource", "add", "--name", "Van 1", "--kind", "vehicle", "--tz", "UTC"]).code == 0)
        let bo = try cli.run(["resource", "blackout", "Van 1", "--from", "2027-03-03 00:00", "--to", "2027-03-04 00:00", "--reason", "Service"])
        #expect(bo.code == 0, "\(bo.err)")
        let refused = try cli.run(["book", "--resource", "Van 1", "--start", "2027-03-03 10:00", "--duration", "1h", "--customer", "Ann Lee"])
        #expect(refused.code == 5 && refused.err.contains("Service"), "\(refused.err)")
        let night = try cli.run(["book", "--resource", "Van 1", "--start", "2027-03-04 23:00", "--duration", "3h", "--customer", "Ann Lee"])
        #expect(night.code == 0, "still open around the clock: \(night.err)")
    }
}
