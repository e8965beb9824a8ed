import Foundation
import FrontdeskOSTestSupport
import Testing

/// Issue #24 "done when", in tmux on the demo store: a receptionist books "Cut & blow-dry" (a
/// stylist and a chair) for a customer from the booking form without choosing resources, sees
/// it in both columns of the grid, takes the £10 deposit with `$`, sees the £28 balance, books
/// a service of a studio and a stylist the same way, and `frontdesk show --json` agrees.
@Suite(.serialized) struct TmuxServiceBookingTests {
    @Test func bookACutByServiceAndTakeTheDeposit() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let tmux = TmuxEndToEndTests.Tmux()
        defer { tmux.keys("Escape"); tmux.keys("Escape"); tmux.keys("q"); tmux.keys("y") }
        let now = "2026-12-07T08:00:00Z"  // a Monday; the demo's bookings run to 13 days ahead
        cli.now = now
        let command = "FRONTDESK_NOW='\(now)' TZ='\(cli.zone)' '\(CLIHarness.binary)' --data '\(cli.data)' --demo; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "130", "-y", "45", command])
        _ = tmux.wait(30) { $0.contains("Mon 2026-12-07") && $0.contains("Ana Silva") }

        // Three weeks on, where the demo has no bookings; 09:00 in Ana Silva's column.
        tmux.keys("g")
        _ = tmux.wait { $0.contains("Go to date") }
        tmux.type("2026-12-28")
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("Mon 2026-12-28") }
        for _ in 0..<4 { tmux.keys("j") }
        tmux.keys("Enter")
        var s = tmux.wait { $0.contains("New booking") && $0.contains("type to find a service") }
        #expect(s.contains("none: Ana Silva for the time below"), "screen:\n\(s)")

        tmux.type("Cut")
        s = tmux.wait { $0.contains("› Cut & blow-dry  45m  £38.00") }
        tmux.keys("Tab")
        s = tmux.wait { $0.contains("‹ Ana Silva ›  stylist") && $0.contains("‹ Chair 1 ›  chair") && $0.contains("deposit £10.00") }
        #expect(s.contains("45m · £38.00, deposit £10.00 · needs stylist, chair"), "screen:\n\(s)")
        tmux.keys("Tab")  // the chosen resources accepted
        tmux.type("Ann")
        _ = tmux.wait { $0.contains("› Ann Lee") }
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booked B-") && $0.contains("(£38.00, deposit £10.00 due).") }
        let booked = try #require(s.range(of: #"Booked (B-[0-9A-Z]+) for Ann Lee: Cut & blow-dry, Ana Silva \+ Chair 1 Mon 2026-12-28 09:00–09:45"#,
                                          options: .regularExpression), "screen:\n\(s)")
        let ref = String(s[booked].split(separator: " ")[1])
        // The grid shows the one booking in the stylist's column and the chair's, each naming
        // its partner on the rows after.
        let rows = s.components(separatedBy: "\n")
        let first = rows.first { $0.hasPrefix("09:00") } ?? ""
        #expect(first.components(separatedBy: "┃ Ann Lee ⧉").count == 3, "in two columns, linked: \(first)\nscreen:\n\(s)")
        let third = rows.first { $0.hasPrefix("09:30") } ?? ""
        #expect(third.contains("+ Chair 1") && third.contains("+ Ana"), "\(third)\nscreen:\n\(s)")

        // `$`: the deposit is prefilled; Enter records it.
        tmux.keys("$")
        s = tmux.wait { $0.contains("Take a payment — \(ref)") && $0.contains("Enter record") }
        #expect(s.contains("10.00"), "screen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Recorded payment £10.00 by cash on \(ref): paid £10.00, balance £28.00.") }
        // The detail shows the same.
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booking \(ref)") && $0.contains("Balance") }
        #expect(s.contains("Balance       £28.00") && s.contains("Paid          £10.00"), "screen:\n\(s)")
        tmux.keys("Escape")

        // Another service of two resources: the photo shoot takes a studio (the cursor's,
        // Studio A, after the stylists and chairs) and a stylist, chosen without asking.
        for _ in 0..<6 { tmux.keys("l") }
        for _ in 0..<8 { tmux.keys("j") }
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("New booking") && $0.contains("none: Studio A for the time below") }
        tmux.type("photo")
        _ = tmux.wait { $0.contains("› Photo shoot with styling") }
        tmux.keys("Tab")
        s = tmux.wait { $0.contains("‹ Studio A ›  studio") && $0.contains("‹ Ana Silva ›  stylist") }
        tmux.keys("Tab")
        tmux.type("Bob")
        _ = tmux.wait { $0.contains("› Bob Smith") }
        tmux.keys("Enter")
        // The stylist is Bob Smith's usual one where the demo gave him one, else Ana Silva.
        s = tmux.wait { $0.contains("Booked B-") && $0.contains("for Bob Smith: Photo shoot with styling, Studio A + ") }
        #expect(s.contains("Mon 2026-12-28 11:00–13:00 (£240.00"), "screen:\n\(s)")

        let shown = try cli.run(["show", ref, "--json"])
        #expect(shown.code == 0, "\(shown.err)")
        let money = shown.object["money"] as? [String: Any]
        #expect(money?["price"] as? Int == 3800 && money?["paid"] as? Int == 1000 && money?["balance"] as? Int == 2800, "\(shown.out)")
        #expect(shown.object["resource_names"] as? [String] == ["Ana Silva", "Chair 1"], "\(shown.out)")
        #expect(shown.object["status"] as? String == "confirmed", "\(shown.out)")
        let day = try cli.run(["list", "--from", "2026-12-28", "--to", "2026-12-29", "--json"]).array
        let shoot = day.first { $0["customer_name"] as? String == "Bob Smith" }
        let names = shoot?["resource_names"] as? [String] ?? []
        #expect(names.count == 2 && names.first == "Studio A" && ["Ana Silva", "Ben Okafor", "Chloé Martin"].contains(names.last ?? ""), "\(day)")
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
