import Foundation
import Testing

/// `customer show` (upcoming bookings and history) and `list --customer`, through the customer
/// index of a compacted store and through the journal tail after it.
@Suite struct CustomerBookingsTests {
    @Test func upcomingAndHistory() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        _ = try cli.seeded()
        cli.now = "2027-02-01T08:00:00Z"
        let past = try cli.run(["book", "--resource", "chair 1", "--start", "2027-02-10 10:00", "--duration", "45m", "--customer", "ann lee", "--json"])
        #expect(past.code == 0, "\(past.err)")
        cli.now = "2027-03-01T08:00:00Z"
        var refs: [String] = []
        for day in ["2027-03-05", "2027-03-03"] {
            let b = try cli.run(["book", "--resource", "chair 1", "--start", "\(day) 10:00", "--duration", "45m", "--customer", "ann lee", "--json"])
            #expect(b.code == 0, "\(b.err)")
            refs.append(b.object["ref"] as? String ?? "?")
        }
        let blocked = try cli.run(["book", "--block", "lunch", "--resource", "chair 1", "--start", "2027-03-04 12:00", "--duration", "1h"])
        #expect(blocked.code == 0)
        #expect(try cli.run(["compact"]).code == 0)
        // After the snapshot: a fourth booking, in the journal tail only.
        let tail = try cli.run(["book", "--resource", "chair 1", "--start", "2027-03-08 11:00", "--duration", "45m", "--customer", "ann lee", "--json"])
        #expect(tail.code == 0, "\(tail.err)")

        let show = try cli.run(["customer", "show", "ann lee", "--json"])
        #expect(show.code == 0, "\(show.err)")
        let upcoming = (show.object["upcoming"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String }
        let history = (show.object["history"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String }
        #expect(upcoming == [refs[1], refs[0], tail.object["ref"] as? String ?? "?"])
        #expect(history == [past.object["ref"] as? String ?? "?"])
        #expect((show.object["customer"] as? [String: Any])?["name"] as? String == "Ann Lee")

        let text = try cli.run(["customer", "show", "C-001", "--history", "0"])
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("Upcoming:") && text.out.contains(refs[0]) && text.out.contains("History: not shown"))
        #expect(!text.out.contains(past.object["ref"] as? String ?? "?"))

        let list = try cli.run(["list", "--customer", "ann lee", "--from", "2027-01-01", "--to", "2027-12-31", "--json"])
        #expect(list.code == 0, "\(list.err)")
        #expect(list.array.count == 4)
        #expect(list.array.allSatisfy { $0["customer_name"] as? String == "Ann Lee" })
        let check = try cli.run(["check"])
        #expect(check.code == 0, "\(check.out)")
        #expect(check.out.contains("customer index"))
    }
}
