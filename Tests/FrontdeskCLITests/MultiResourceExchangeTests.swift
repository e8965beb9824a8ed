import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskCore

/// CSV and iCalendar import and export of bookings that hold several resources and name their
/// service: `resources` and `service` columns, RFC 5545 `RESOURCES`, round trips into another
/// store, and bad rows named by row and column with nothing stored.
@Suite struct MultiResourceExchangeTests {
    /// A salon with a stylist and a chair whose name holds `;` and `,` (so the exchange
    /// formats must escape or avoid it), a two-resource service and a customer.
    static func salon(_ cli: CLIHarness) throws {
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        for (name, tag) in [("Ana", "stylist"), ("Chair; west, 2", "chair"), ("Ben", "stylist")] {
            let r = try cli.run(["resource", "add", "--name", name, "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00", "--tag", tag])
            #expect(r.code == 0, "\(r.err)")
        }
        let s = try cli.run(["service", "add", "Cut in a chair", "--duration", "30m", "--needs", "stylist", "--needs", "chair", "--buffer-after", "15m"])
        #expect(s.code == 0, "\(s.err)")
        #expect(try cli.run(["customer", "add", "--name", "Zoë Müller"]).code == 0)
    }

    /// Books the service (Ana and the chair, 09:00-09:30, clean-up to 09:45) and a plain booking.
    static func book(_ cli: CLIHarness) throws {
        let b = try cli.run(["book", "--service", "Cut in a chair", "--start", "2027-03-02 09:00", "--customer", "Zoë Müller",
                             "--idempotency-key", "web-1", "--notes", "fringe, short; \"neat\"", "--json"])
        #expect(b.code == 0, "\(b.err)")
        #expect(b.object["resource_names"] as? [String] == ["Ana", "Chair; west, 2"], "\(b.out)")
        #expect(try cli.run(["book", "--resource", "Ben", "--start", "2027-03-02 10:00", "--duration", "1h", "--customer", "Zoë Müller"]).code == 0)
    }

    static let compared = ["start", "end", "status", "notes", "customer_name", "resource_name", "resource_names", "service_name", "idempotency_key",
                           "buffer_after"]

    static func same(_ a: [[String: Any]], _ b: [[String: Any]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        for (x, y) in zip(a, b) {
            for f in compared {
                #expect(String(describing: x[f] ?? "nil") == String(describing: y[f] ?? "nil"), "field \(f)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func csvCarriesEveryResourceAndTheService() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        try Self.book(cli)
        let csv = try cli.run(["export", "--format", "csv"]).out
        let lines = csv.split(separator: "\n").map(String.init)
        #expect(lines.first == "resource,customer,start,end,status,idempotency_key,notes,resources,service,id,ref,version", "\(csv)")
        // By reference: a name may hold the separator.
        #expect(lines.contains { $0.hasPrefix("Ana,") && $0.contains(",R-001;R-002,Cut in a chair,") }, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("Ben,") && $0.contains("confirmed,,,,,") }, "\(csv)")
        let before = try cli.run(["export", "--format", "json"]).array

        let other = CLIHarness()
        defer { other.cleanup() }
        try Self.salon(other)
        let imported = try other.run(["import", "-"], stdin: csv)
        #expect(imported.code == 0, "\(imported.out)\(imported.err)")
        let after = try other.run(["export", "--format", "json"]).array
        Self.same(before, after)
        // The imported booking keeps the service's clean-up: the chair is not free at 09:30.
        let clash = try other.run(["book", "--resource", "R-002", "--start", "2027-03-02 09:30", "--duration", "15m", "--block", "cleaning"])
        #expect(clash.code == 3, "\(clash.out)\(clash.err)")
        // Run again: every keyed row is a replay.
        let again = try other.run(["import", "-"], stdin: csv)
        #expect(again.out.contains(#""outcome":"duplicate""#), "\(again.out)")
        #expect(try other.run(["check"]).code == 0)
    }

    @Test func icalendarCarriesEveryResourceAsRESOURCESAndImportsBack() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        try Self.book(cli)
        let ics = try cli.run(["export", "--format", "ics"]).out
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("RESOURCES:Ana,Chair\\; west\\, 2\r\n"), "\(ics)")
        #expect(unfolded.contains("RESOURCES:Ben\r\n"))
        #expect(unfolded.contains("X-FRONTDESK-SERVICE:Cut in a chair\r\n"))
        #expect(unfolded.contains("X-FRONTDESK-CUSTOMER:Zoë Müller\r\n"))
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "line over 75 octets: \(line)") }
        let before = try cli.run(["export", "--format", "json"]).array

        let other = CLIHarness()
        defer { other.cleanup() }
        try Self.salon(other)
        let file = other.data + "-in.ics"
        try ics.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let imported = try other.run(["import", file])
        #expect(imported.code == 0, "\(imported.out)\(imported.err)")
        Self.same(before, try other.run(["export", "--format", "json"]).array)
        #expect(try other.run(["check"]).code == 0)
    }

    @Test func icalendarResourcesAreReadByAnIndependentParser() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        try Self.book(cli)
        let file = cli.data + "-out.ics"
        try cli.run(["export", "--format", "ics"]).out.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        // icalendar reads the file; it unescapes RESOURCES into one text, so the list is split
        // here by RFC 5545's rule (values separated by unescaped commas, §3.8.1.10, §3.3.11).
        let script = """
        import sys, icalendar
        data = open(sys.argv[1], encoding='utf-8', newline='').read()
        cal = icalendar.Calendar.from_ical(data)
        assert len(cal.walk('VEVENT')) == 2
        for line in data.replace('\\r\\n ', '').split('\\r\\n'):
            if not line.startswith('RESOURCES:'): continue
            values, cur, esc = [], '', False
            for c in line[len('RESOURCES:'):]:
                if esc: cur += '\\n' if c in 'nN' else c; esc = False
                elif c == '\\\\': esc = True
                elif c == ',': values.append(cur); cur = ''
                else: cur += c
            values.append(cur)
            print('|'.join(values))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, file]
        let pipe = Pipe(), err = Pipe()
        p.standardOutput = pipe
        p.standardError = err
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python icalendar failed: \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(rows == ["Ana|Chair; west, 2", "Ben"], "\(rows)")
    }

    @Test func badRowsNameTheRowAndColumnAndStoreNothing() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let csv = """
        resource,customer,start,end,status,idempotency_key,notes,resources,service
        ,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,R-001;Nobody,
        Ben,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,R-001;R-002,
        ,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,R-001;;R-002,
        ,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,R-001;R-002,Perm
        ,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,R-001;R-001,

        """
        let r = try cli.run(["import", "-"], stdin: csv)
        #expect(r.code == 8, "\(r.out)\(r.err)")
        let outcomes = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(outcomes.map { $0["row"] as? Int ?? 0 } == [1, 2, 3, 4, 5])
        #expect(outcomes.allSatisfy { $0["outcome"] as? String == "invalid" }, "\(r.out)")
        let messages = outcomes.map { ($0["error"] as? [String: Any])?["message"] as? String ?? "" }
        #expect(messages[0].hasPrefix("resources: entry 2") && messages[0].contains("Nobody"), "\(messages)")
        #expect(messages[1].hasPrefix("resources:") && messages[1].contains("resource column names Ben"), "\(messages)")
        #expect(messages[2].hasPrefix("resources: entry 2 is empty"), "\(messages)")
        #expect(messages[3].hasPrefix("service:") && messages[3].contains("Perm"), "\(messages)")
        #expect(messages[4].contains("twice"), "\(messages)")
        let ics = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        BEGIN:VEVENT\r
        DTSTART:2027030209000Z\r
        DTEND:20270302T093000Z\r
        RESOURCES:Ana\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART:20270302T090000Z\r
        DTEND:20270302T093000Z\r
        RESOURCES:Ana,Nobody\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        DTSTART:20270302T090000Z\r
        DTEND:20270302T093000Z\r
        RESOURCES:Ana\\q\r
        END:VEVENT\r
        END:VCALENDAR\r

        """
        let file = cli.data + "-bad.ics"
        try ics.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let bad = try cli.run(["import", file])
        #expect(bad.code == 8, "\(bad.out)\(bad.err)")
        let icsMessages = bad.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .map { ($0["error"] as? [String: Any])?["message"] as? String ?? "" }
        #expect(icsMessages.count == 3, "\(bad.out)")
        #expect(icsMessages.first?.contains("event 1, DTSTART") == true, "\(icsMessages)")
        #expect(icsMessages.dropFirst().first?.hasPrefix("resources: entry 2") == true, "\(icsMessages)")
        #expect(icsMessages.last?.contains("event 3, RESOURCES") == true, "\(icsMessages)")
        // Nothing of either file was stored.
        #expect(try cli.run(["export", "--format", "json"]).array.isEmpty)
        #expect(try cli.run(["import", "-", "--format", "ics"], stdin: "not a calendar").code == 65)
    }
}
