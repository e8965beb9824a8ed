import Foundation
import FrontdeskOSTestSupport
import Testing

/// Issue #20 second pass on the booking form, in tmux on the test host: Enter, Enter books
/// nothing (no customer is pre-chosen), and typing into the pre-filled Duration replaces it
/// ("15m" then "45m" is 45 minutes, not "15m45m"), the hint naming the focused field's keys.
@Suite(.serialized) struct TmuxFormSecondPassTests {
    @Test func enterEnterBooksNothingAndTypingReplacesTheDuration() throws {
        let cli = CLIHarness()  // now: Mon 2027-03-01 08:00 UTC
        defer { cli.cleanup() }
        _ = try cli.seeded()  // Chair 1, Mon-Fri 09:00-17:00 Europe/London; Ann Lee
        let tmux = TmuxEndToEndTests.Tmux()
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_NOW='\(cli.now ?? "")' TZ='\(cli.zone)' '\(CLIHarness.binary)' --date 2027-03-03; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "40", command])
        var s = tmux.wait { $0.contains("Wed 2027-03-03") && $0.contains("Chair 1") }

        tmux.keys("Enter")
        s = tmux.wait { $0.contains("New booking") && $0.contains("Duration") }
        #expect(!s.contains("› no customer"), "nothing pre-chosen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("or ↓ to choose blocked time") }
        #expect(s.contains("New booking") && !s.contains("Booked B-"), "screen:\n\(s)")

        tmux.type("Ann")
        _ = tmux.wait { $0.contains("› Ann Lee") }
        tmux.keys("Tab")
        s = tmux.wait { $0.contains("Type to replace") }
        tmux.type("45m")
        s = tmux.wait { $0.contains("09:00–09:45") || $0.contains("15m45m") }
        #expect(s.contains("until 09:45") && !s.contains("15m45m"), "screen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:45") }
        #expect(s.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:45"), "screen:\n\(s)")
        tmux.keys("q")
        _ = tmux.wait { $0.contains("EXITED=") }
    }
}
