import Foundation
import Testing

/// Values outside the supported time range and abusive free text are refused by the CLI with
/// exit 65, a message naming the flag given, and the store left exactly as it was (and still
/// writable).
@Suite struct BadInputTests {
    static let zalgo = "a" + String(repeating: "\u{301}", count: 60_000)

    /// Everything a refused command could have touched, as the CLI reports it.
    func snapshot(_ h: CLIHarness) throws -> String {
        var parts: [String] = []
        for args in [["export", "--format", "json"], ["resource", "list", "--json"], ["customer", "list", "--json"],
                     ["schedule", "list", "--json"], ["waitlist", "list", "--all", "--json"]] {
            let r = try h.run(args)
            #expect(r.code == 0, "\(args): \(r.err)")
            parts.append(r.out)
        }
        return parts.joined(separator: "\n--\n")
    }

    /// A store with an always-open UTC room, a Los Angeles and a Tokyo room, the salon chair,
    /// a customer and one booking; returns the booking's reference.
    func store(_ h: CLIHarness) throws -> String {
        _ = try h.seeded()
        for (name, tz) in [("Open", "UTC"), ("LA", "America/Los_Angeles"), ("Tokyo", "Asia/Tokyo")] {
            let r = try h.run(["resource", "add", "--name", name, "--tz", tz])
            #expect(r.code == 0, "\(r.err)")
        }
        let b = try h.run(["book", "--resource", "Open", "--start", "2027-03-02T09:00:00Z", "--duration", "1h", "--customer", "Ann Lee", "--json"])
        #expect(b.code == 0, "\(b.err)")
        return b.object["ref"] as? String ?? ""
    }

    /// Runs `args`, expects exit 65 with `field` named on stderr, an unchanged store, a clean
    /// `check`, and a valid booking accepted afterwards.
    func expectRefused(_ h: CLIHarness, _ args: [String], field: String, also: String? = nil, slot: inout Int,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try snapshot(h)
        let r = try h.run(args)
        #expect(r.code == 65, "\(args.map { $0.prefix(60) }): exit \(r.code) \(r.err.prefix(300))", sourceLocation: sourceLocation)
        #expect(r.err.contains(field), "\(args.map { $0.prefix(60) }) should name \(field): \(r.err.prefix(300))", sourceLocation: sourceLocation)
        if let also { #expect(r.err.contains(also), "\(r.err.prefix(300))", sourceLocation: sourceLocation) }
        // The message never echoes what could drive the terminal.
        #expect(!r.err.unicodeScalars.contains { $0.value == 0x1B || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) },
                "\(r.err.debugDescription.prefix(300))", sourceLocation: sourceLocation)
        #expect(try snapshot(h) == before, "\(args.map { $0.prefix(60) }) changed the store", sourceLocation: sourceLocation)
        let check = try h.run(["check"])
        #expect(check.code == 0, "\(check.out) \(check.err)", sourceLocation: sourceLocation)
        slot += 1
        let ok = try h.run(["book", "--block", "test", "--resource", "Open", "--start", "2027-04-0\(slot % 9 + 1)T\(10 + slot / 9):00:00Z", "--duration", "30m"])
        #expect(ok.code == 0, "a later booking: \(ok.err)", sourceLocation: sourceLocation)
    }

    @Test func timesOutsideTheSupportedRangeAreRefusedAtEveryCommand() throws {
        let h = CLIHarness()
        defer { h.cleanup() }
        let ref = try store(h)
        var slot = 0
        let range = "1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "9999-12-31T23:50:00Z", "--duration", "2h"], field: "start", also: range, slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2199-12-31T23:00:00Z", "--duration", "2h"], field: "duration", also: range, slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2199-12-31T23:00:00Z", "--end", "2200-01-01T01:00:00Z"], field: "end", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "LA", "--start", "9999-12-31 23:00", "--duration", "30m"], field: "start", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Tokyo", "--start", "0001-01-01 00:00", "--duration", "1h", "--override", "x"], field: "start", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2199-12-20T09:00:00Z", "--duration", "1h", "--repeat", "FREQ=DAILY;COUNT=20"],
                          field: "repeat", also: range, slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2199-12-20T09:00:00Z", "--duration", "1h", "--repeat", "FREQ=DAILY;UNTIL=99991231"],
                          field: "UNTIL", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2027-03-03T09:00:00Z", "--duration", "1h", "--status", "pending_payment",
                              "--hold", "3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d3650d"],
                          field: "hold", slot: &slot)
        try expectRefused(h, ["reschedule", ref, "--start", "9999-12-31T23:50:00Z"], field: "start", slot: &slot)
        try expectRefused(h, ["reschedule", ref, "--start", "2199-12-31T23:30:00Z"], field: "start", also: "2200-01-01T00:30:00Z", slot: &slot)
        try expectRefused(h, ["reschedule", ref, "--start", "2199-12-31T23:30:00Z", "--duration", "1h"], field: "duration", slot: &slot)
        try expectRefused(h, ["waitlist", "add", "--customer", "Ann Lee", "--resource", "Open", "--from", "2199-12-31T00:00:00Z",
                              "--to", "2200-01-02T00:00:00Z", "--duration", "1h"], field: "to", slot: &slot)
        try expectRefused(h, ["schedule", "blackout", "Chair 1 hours", "--from", "2199-12-31T00:00:00Z", "--to", "2300-01-01T00:00:00Z",
                              "--reason", "far"], field: "to", slot: &slot)
        try expectRefused(h, ["schedule", "override", "Chair 1 hours", "2200-01-01", "closed"], field: "date", slot: &slot)
        try expectRefused(h, ["schedule", "override", "Chair 1 hours", "1969-12-31", "closed"], field: "date", slot: &slot)
        // And the store stays writable and compactable.
        #expect(try h.run(["compact"]).code == 0)
        #expect(try h.run(["check"]).code == 0)
    }

    @Test func abusiveTextIsRefusedNamingTheFlagGiven() throws {
        let h = CLIHarness()
        defer { h.cleanup() }
        let ref = try store(h)
        var slot = 0
        try expectRefused(h, ["customer", "add", "--name", Self.zalgo], field: "name", also: "bytes", slot: &slot)
        try expectRefused(h, ["customer", "add", "--name", "Bob", "--phone", "0\u{202E}1"], field: "phone", slot: &slot)
        try expectRefused(h, ["customer", "add", "--name", "Bob", "--notes", "x\u{1B}[2J"], field: "notes", slot: &slot)
        try expectRefused(h, ["customer", "add", "--name", "Bob\u{200B}by"], field: "name", slot: &slot)
        // The schedule --hours creates is named after the resource: the refusal names --name, not the schedule.
        let before = try h.run(["resource", "add", "--name", "Chair\u{1B}[31mRED", "--hours", "mon-fri 09:00-17:00"])
        #expect(!before.err.contains("schedule name"), "\(before.err)")
        try expectRefused(h, ["resource", "add", "--name", "Chair\u{1B}[31mRED", "--hours", "mon-fri 09:00-17:00"], field: "name:", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "\u{1B}[2J2027-03-03", "--duration", "1h"], field: "start", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2027-03-03T09:00:00Z", "--duration", "1h\u{202E}"], field: "duration", slot: &slot)
        try expectRefused(h, ["resource", "add", "--name", "Boat", "--kind", "\u{1B}]0;boat\u{7}"], field: "kind", slot: &slot)
        try expectRefused(h, ["resource", "add", "--name", "Boat", "--kind", "boat"], field: "kind", also: "room, staff, vehicle, equipment", slot: &slot)
        try expectRefused(h, ["resource", "edit", "Open", "--kind", "x\u{1B}"], field: "kind", slot: &slot)
        try expectRefused(h, ["schedule", "add", "--name", "Hours\u{202E}"], field: "name:", slot: &slot)
        try expectRefused(h, ["schedule", "blackout", "Chair 1 hours", "--from", "2027-03-10", "--to", "2027-03-11", "--reason", Self.zalgo],
                          field: "reason:", slot: &slot)
        try expectRefused(h, ["book", "--resource", "Open", "--start", "2027-03-03T09:00:00Z", "--duration", "1h", "--new-customer", Self.zalgo],
                          field: "new-customer", slot: &slot)
        try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2027-03-03T09:00:00Z", "--duration", "1h", "--notes", "a\u{2066}b"],
                          field: "notes", slot: &slot)
        for key in ["k\u{1}", "   ", String(repeating: "k", count: 201), "line\nbreak"] {
            try expectRefused(h, ["book", "--block", "test", "--resource", "Open", "--start", "2027-03-03T09:00:00Z", "--duration", "1h", "--idempotency-key", key],
                              field: "idempotency-key", slot: &slot)
        }
        try expectRefused(h, ["cancel", ref, "--reason", Self.zalgo], field: "reason", slot: &slot)
        try expectRefused(h, ["waitlist", "add", "--customer", "Ann Lee", "--resource", "Open", "--from", "2027-03-10", "--to", "2027-03-11",
                              "--duration", "1h", "--notes", "\u{7}"], field: "notes", slot: &slot)
        // A plain key of 200 bytes is fine.
        let ok = try h.run(["book", "--block", "test", "--resource", "Open", "--start", "2027-03-05T09:00:00Z", "--duration", "1h", "--idempotency-key", String(repeating: "k", count: 200)])
        #expect(ok.code == 0, "\(ok.err)")
    }

    @Test func importRefusesOneOutOfRangeRowAlone() throws {
        let h = CLIHarness()
        defer { h.cleanup() }
        _ = try store(h)
        let csv = """
        resource,customer,start,end,status,idempotency_key,notes
        Open,Ann Lee,2027-03-04T09:00:00Z,2027-03-04T10:00:00Z,confirmed,,
        Open,Ann Lee,2027-03-04T10:00:00Z,2027-03-04T11:00:00Z,confirmed,,
        Open,Ann Lee,9999-12-31T23:50:00Z,9999-12-31T23:59:00Z,confirmed,,
        Open,\(Self.zalgo),2027-03-04T12:00:00Z,2027-03-04T13:00:00Z,confirmed,,
        Open,Ann Lee,2027-03-04T13:00:00Z,2027-03-04T14:00:00Z,confirmed,key\u{7},
        Open,Ann Lee,2027-03-04T14:00:00Z,2027-03-04T15:00:00Z,confirmed,,

        """
        let file = h.data + "-import.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try h.run(["import", file, "--chunk", "100"])
        #expect(r.code == 8, "\(r.err)")   // some rows were not stored (issue #20 item 20)
        let lines = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.map { $0["row"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(lines.map { $0["outcome"] as? String } == ["created", "created", "invalid", "invalid", "invalid", "created"])
        let message = { (i: Int) in ((lines[i]["error"] as? [String: Any])?["message"] as? String) ?? "" }
        #expect(message(2).contains("start") && message(2).contains("supported range"), "\(message(2))")
        #expect(message(3).contains("customer"), "\(message(3).prefix(200))")
        #expect(message(4).contains("idempotency_key"), "\(message(4))")
        #expect(try h.run(["check"]).code == 0)
        let list = try h.run(["list", "--from", "2027-03-04", "--to", "2027-03-05", "--json"])
        #expect(list.array.count == 3, "\(list.out)")
        #expect(try h.run(["compact"]).code == 0)
        #expect(try h.run(["book", "--block", "test", "--resource", "Open", "--start", "2027-03-04T16:00:00Z", "--duration", "1h"]).code == 0)
    }
}
