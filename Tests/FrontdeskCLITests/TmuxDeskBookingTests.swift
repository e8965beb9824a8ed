import Foundation
import FrontdeskOSTestSupport
import Testing

/// Issue #20 "done when", in tmux on the test host: a new receptionist books a 45-minute
/// appointment with the Duration field, rebooks a cancelled slot with Enter, and late-cancels
/// with a manager's reason, the reason and the override stored apart.
@Suite(.serialized) struct TmuxDeskBookingTests {
    @Test func book45MinutesRebookACancelledSlotAndLateCancel() throws {
        let cli = CLIHarness()  // now: Mon 2027-03-01 08:00 UTC
        defer { cli.cleanup() }
        _ = try cli.seeded()  // Chair 1, Mon-Fri 09:00-17:00 Europe/London, 24 h cancel notice; Ann Lee
        let tmux = TmuxEndToEndTests.Tmux()
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_NOW='\(cli.now ?? "")' TZ='\(cli.zone)' '\(CLIHarness.binary)' --date 2027-03-03; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "40", command])
        var s = tmux.wait { $0.contains("Wed 2027-03-03") && $0.contains("Chair 1") }

        // A 45-minute appointment: Enter, the customer, Tab to Duration, 45m, Enter.
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("New booking") && $0.contains("Duration") }
        #expect(s.contains("Chair 1 · Wed 2027-03-03 09:00–09:15"), "screen:\n\(s)")
        tmux.type("Ann")
        _ = tmux.wait { $0.contains("› Ann Lee") }
        tmux.keys("Tab", "C-u")
        tmux.type("45m")
        s = tmux.wait { $0.contains("09:00–09:45") }
        #expect(s.contains("until 09:45"), "screen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:45") }
        #expect(s.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:45"), "screen:\n\(s)")

        // Cancel it, then Enter on the same slot offers a new booking.
        tmux.keys("c")
        _ = tmux.wait { $0.contains("Cancel B-001") }
        tmux.type("moved away")
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("y yes") }
        tmux.keys("y")
        _ = tmux.wait { $0.contains("Cancelled B-001") }
        tmux.keys("Enter")
        // Waits for the form's body, not its title: a capture can fall between the frame's
        // border and its lines.
        s = tmux.wait { $0.contains("New booking") && $0.contains("Ctrl-O shows it") }
        #expect(s.contains("A cancelled booking, B-001, held this slot: Ctrl-O shows it."), "screen:\n\(s)")
        tmux.type("Ann")
        _ = tmux.wait { $0.contains("› Ann Lee") }
        tmux.keys("Enter")
        // Waits for the whole message: a capture can fall while the status line is being drawn.
        s = tmux.wait { $0.contains("Booked B-002 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:15") }
        #expect(s.contains("Booked B-002 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:15"), "screen:\n\(s)")

        // Late cancellation: a booking today at 15:00 is inside the 24 h notice.
        let soon = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-01 15:00", "--duration", "30m", "--customer", "Ann Lee"])
        #expect(soon.code == 0, "\(soon.err)")
        tmux.keys("g")
        tmux.type("2027-03-01")
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("Mon 2027-03-01") }
        for _ in 0..<24 { tmux.keys("j") }               // 09:00 → 15:00
        tmux.keys("c")
        // The dialog and its hint line: a capture can fall between the two.
        s = tmux.wait { $0.contains("Cancel B-003") && $0.contains("Typing goes to Reason") }
        #expect(s.contains("Typing goes to Reason"), "screen:\n\(s)")
        tmux.type("client called")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Typing goes to Override") }
        #expect(s.contains("Tab back to Reason"), "screen:\n\(s)")
        tmux.type("manager ok - booked in error")
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("with override? y yes") }
        tmux.keys("y")
        s = tmux.wait { $0.contains("Cancelled B-003") }
        let stored = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-04", "--json"]).array
        let b1 = stored.first { $0["ref"] as? String == "B-001" }, b2 = stored.first { $0["ref"] as? String == "B-002" }
        let b3 = stored.first { $0["ref"] as? String == "B-003" }
        #expect(b1?["end"] as? String == "2027-03-03T09:45:00Z" && b1?["status"] as? String == "cancelled")
        #expect(b2?["status"] as? String == "confirmed" && b2?["start"] as? String == "2027-03-03T09:00:00Z")
        let c = b3?["cancellation"] as? [String: Any]
        #expect(c?["reason"] as? String == "client called" && c?["late"] as? Bool == true, "screen:\n\(s)")
        #expect(b3?["override_reason"] as? String == "manager ok - booked in error")
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
