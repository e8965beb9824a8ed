import Foundation
import Testing
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk agenda`: the day's run sheet per resource as aligned text, HTML that prints one
/// resource per page with every stored text escaped, and JSON; the phone only for roles that
/// may read contact details; bad input refused with the field named.
@Suite struct AgendaCLITests {
    /// A GBP store: Chair 1 (Ann Lee 10:00 with notes and a price, partly paid; a hostile name
    /// at 11:00; a cancelled booking at 12:00), Chair 2 (李小龍 at 09:30, a two-resource
    /// booking with Chair 1 at 14:00, "Cut & blow-dry" at 16:00 on Chair 2, the one stylist),
    /// all on Tue 2027-03-02.
    static func salon(_ cli: CLIHarness) throws {
        #expect(try cli.run(["init", "--currency", "gbp"]).code == 0)
        _ = try cli.seededAfterInit()
        #expect(try cli.run(["resource", "add", "--name", "Chair 2", "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00",
                                 "--tag", "stylist"]).code == 0)
        #expect(try cli.run(["service", "add", "Cut & blow-dry", "--duration", "45m", "--needs", "stylist"]).code == 0)
        func book(_ args: [String]) throws -> String {
            let r = try cli.run(["book", "--json"] + args)
            #expect(r.code == 0, "\(args) \(r.err)")
            return r.object["ref"] as? String ?? ""
        }
        let ann = try book(["--resource", "Chair 1", "--customer", "Ann Lee", "--start", "2027-03-02 10:00", "--duration", "45m",
                            "--notes", "cut and colour\nallergic to ammonia", "--price", "38.00", "--deposit", "10", "--reason", "price list"])
        #expect(try cli.run(["pay", ann, "--amount", "10.00", "--method", "card"]).code == 0)
        _ = try book(["--resource", "Chair 1", "--new-customer", "<script>alert('x')</script> & Co", "--phone", "+44 7700 900999",
                      "--start", "2027-03-02 11:00", "--duration", "30m", "--notes", "<b>bold</b>"])
        let gone = try book(["--resource", "Chair 1", "--customer", "Ann Lee", "--start", "2027-03-02 12:00", "--duration", "30m"])
        #expect(try cli.run(["cancel", gone, "--reason", "ill"]).code == 0)
        _ = try book(["--resource", "Chair 2", "--new-customer", "李小龍", "--start", "2027-03-02 09:30", "--duration", "1h"])
        _ = try book(["--resource", "Chair 1", "--resource", "Chair 2", "--customer", "Ann Lee", "--start", "2027-03-02 14:00", "--duration", "1h"])
        _ = try book(["--service", "Cut & blow-dry", "--customer", "Ann Lee", "--start", "2027-03-02 16:00"])
    }

    @Test func theTextSheetListsEachResourcesDayInColumns() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        try Self.salon(cli)
        let r = try cli.run(["agenda", "--date", "2027-03-02"])
        #expect(r.code == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Agenda · Tue 2027-03-02", "\(r.out)")
        let chair1 = try #require(lines.firstIndex(of: "Chair 1 (R-001) · Europe/London"), "\(r.out)")
        let chair2 = try #require(lines.firstIndex(of: "Chair 2 (R-002) · Europe/London"), "\(r.out)")
        #expect(chair1 < chair2)
        let header = lines[chair1 + 1]
        #expect(header.hasPrefix("  TIME") && header.contains("CUSTOMER") && header.contains("PHONE") && header.contains("DUE") && header.contains("NOTES"), "\(header)")
        let annRow = try #require(lines.first { $0.contains("10:00–10:45") }, "\(r.out)")
        #expect(annRow.contains("Ann Lee") && annRow.contains("+44 7700 900123") && annRow.contains("28.00 GBP")
            && annRow.contains("cut and colour / allergic to ammonia"), "\(annRow)")
        // Cancelled bookings are not on the sheet; the shared booking is on both, naming the other.
        #expect(!r.out.contains("12:00–12:30"), "\(r.out)")
        let shared = lines.filter { $0.contains("14:00–15:00") }
        #expect(shared.count == 2 && shared[0].contains("with Chair 2") && shared[1].contains("with Chair 1"), "\(r.out)")
        // Columns line up under the header in terminal columns, a wide name included.
        let li = try #require(lines.first { $0.contains("李小龍") })
        func column(_ line: String, _ text: String) -> Int? {
            guard let range = line.range(of: text) else { return nil }
            return String(line[..<range.lowerBound]).unicodeScalars.reduce(0) { $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1) }
        }
        let header2 = lines[chair2 + 1]
        #expect(column(li, "李小龍") == column(header2, "CUSTOMER"), "\(header2)\n\(li)")
        #expect(column(annRow, "+44") == column(header, "PHONE"), "\(header)\n\(annRow)")
        // The service a booking was made for.
        #expect(header2.contains("SERVICE"), "\(header2)")
        let cut = try #require(lines.first { $0.contains("16:00–16:45") }, "\(r.out)")
        #expect(cut.contains("Cut & blow-dry") && column(cut, "Cut") == column(header2, "SERVICE"), "\(header2)\n\(cut)")
    }

    @Test func htmlEscapesEveryStoredTextAndPrintsOneResourcePerPage() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        try Self.salon(cli)
        let r = try cli.run(["agenda", "--date", "2027-03-02", "--format", "html"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.out.hasPrefix("<!DOCTYPE html>") && r.out.contains("<meta charset=\"utf-8\">"))
        #expect(r.out.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"), "\(r.out)")
        #expect(r.out.contains("&lt;b&gt;bold&lt;/b&gt;"))
        #expect(!r.out.contains("<script") && !r.out.contains("<b>"), "no stored text becomes markup")
        #expect(r.out.components(separatedBy: "<section>").count - 1 == 2)
        #expect(r.out.contains("break-after: page") && r.out.contains("page-break-after: always"))
        #expect(r.out.contains("<h2>Chair 1 (R-001) · Europe/London</h2>") && r.out.contains("<td>李小龍</td>"))
        #expect(r.out.contains("<td>Cut &amp; blow-dry</td>"), "\(r.out)")
    }

    @Test func jsonAndAFileCarryTheSameSheet() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        try Self.salon(cli)
        let r = try cli.run(["agenda", "--date", "2027-03-02", "--resource", "Chair 1", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let resources = try #require(r.object["resources"] as? [[String: Any]])
        #expect(resources.count == 1 && resources[0]["name"] as? String == "Chair 1")
        let bookings = try #require(resources[0]["bookings"] as? [[String: Any]])
        #expect(bookings.map { $0["local_start"] as? String } == ["10:00", "11:00", "14:00"])
        #expect((bookings[0]["due"] as? NSNumber)?.intValue == 2800 && bookings[0]["currency"] as? String == "GBP")
        #expect(bookings[0]["phone"] as? String == "+44 7700 900123")
        let file = cli.data + "-agenda.html"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let w = try cli.run(["agenda", "--date", "2027-03-02", "--format", "html", "--output", file])
        #expect(w.code == 0 && w.out.isEmpty && w.err.contains("wrote the agenda for 2027-03-02 (2 resources)"), "\(w.err)")
        let attrs = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("&lt;script&gt;"))
    }

    @Test func aNamedResourceWithNothingBookedSaysSoAndAnEmptyDayToo() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        try Self.salon(cli)
        let named = try cli.run(["agenda", "--date", "2027-03-03", "--resource", "Chair 2"])
        #expect(named.code == 0 && named.out.contains("Chair 2 (R-002)") && named.out.contains("  nothing booked"), "\(named.out)")
        let all = try cli.run(["agenda", "--date", "2027-03-03"])
        #expect(all.code == 0 && all.out == "Agenda · Wed 2027-03-03\n\nNothing booked.\n", "\(all.out)")
        // Without --date: today in the first resource's zone (the pinned clock's Monday).
        let today = try cli.run(["agenda"])
        #expect(today.code == 0 && today.out.hasPrefix("Agenda · Mon 2027-03-01\n"), "\(today.out)")
    }

    @Test func badInputIsRefusedNamingTheField() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        try Self.salon(cli)
        let date = try cli.run(["agenda", "--date", "2027-02-30"])
        #expect(date.code == 65 && date.err.contains("date: \"2027-02-30\" is not a date; use YYYY-MM-DD"), "\(date.err)")
        let format = try cli.run(["agenda", "--date", "2027-03-02", "--format", "pdf"])
        #expect(format.code == 65 && format.err.contains("format: \"pdf\" is not text or html"), "\(format.err)")
        let resource = try cli.run(["agenda", "--date", "2027-03-02", "--resource", "Chair 9"])
        #expect(resource.code == 6 && resource.err.contains("Chair 9"), "\(resource.code) \(resource.err)")
        let both = try cli.run(["agenda", "--date", "2027-03-02", "--format", "html", "--json"])
        #expect(both.code == 64, "\(both.err)")
    }

    /// A viewer (without the contact flag) gets the sheet without phone numbers; a desk gets them.
    @Test func aViewerSeesNoPhoneNumbers() throws {
        let os = try OSAccounts()
        defer { os.remove() }
        let viewer = try os.addWithOwnGroup("v", inGroup: true), desk = try os.addWithOwnGroup("d", inGroup: true)
        let base = NSTemporaryDirectory() + "frontdesk-agenda-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let data = base + "/data"
        func run(_ user: String, _ args: [String]) throws -> ChildProcess.Result { try RolesCLITests.run(as: user, data: data, args) }
        #expect(try run("root", ["init", "--group", os.group]).code == 0)
        #expect(try run("root", ["resource", "add", "--name", "Chair 1", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"]).code == 0)
        #expect(try run("root", ["staff", "remove", "--group", os.group]).code == 0)
        #expect(try run("root", ["staff", "add", viewer, "--role", "viewer"]).code == 0)
        #expect(try run("root", ["staff", "add", desk, "--role", "desk"]).code == 0)
        #expect(try run("root", ["book", "--resource", "Chair 1", "--start", "2027-03-02 10:00", "--duration", "30m",
                                 "--new-customer", "Ann Lee", "--phone", "+44 7700 900123"]).code == 0)
        let seen = try run(viewer, ["agenda", "--date", "2027-03-02"])
        #expect(seen.code == 0 && seen.out.contains("Ann Lee") && !seen.out.contains("900123") && !seen.out.contains("PHONE"), "\(seen.out)\(seen.err)")
        let json = try run(viewer, ["agenda", "--date", "2027-03-02", "--json"])
        #expect(json.code == 0 && json.out.contains("Ann Lee") && !json.out.contains("900123"), "\(json.out)")
        let html = try run(viewer, ["agenda", "--date", "2027-03-02", "--format", "html"])
        #expect(html.code == 0 && !html.out.contains("900123") && !html.out.contains("<th>Phone</th>"), "\(html.out)")
        let deskSees = try run(desk, ["agenda", "--date", "2027-03-02"])
        #expect(deskSees.code == 0 && deskSees.out.contains("+44 7700 900123"), "\(deskSees.out)\(deskSees.err)")
    }
}
