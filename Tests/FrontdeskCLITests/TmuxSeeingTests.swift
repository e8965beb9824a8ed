import Foundation
import FrontdeskOSTestSupport
import Testing

/// Issue #20 items 11 and 13 in a real terminal: a first screen on a closed day offers the next
/// open day on one key, and keys pressed while "Terminal too small" is shown do nothing.
@Suite(.serialized) struct TmuxSeeingTests {
    @Test func closedTodayOffersTheNextOpenDayAndATooSmallScreenIgnoresKeys() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()  // Chair 1, Mon-Fri 09:00-17:00 Europe/London
        cli.now = "2027-03-07T10:00:00Z"  // a Sunday
        let tmux = TmuxEndToEndTests.Tmux()
        // If an expectation fails midway, still quit the program so the tmux server can end.
        defer { tmux.keys("Escape"); tmux.keys("Escape"); tmux.keys("q"); tmux.keys("y") }
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_NOW='\(cli.now ?? "")' TZ='\(cli.zone)' '\(CLIHarness.binary)'; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])

        var s = tmux.wait { $0.contains("The desk is closed today") }
        #expect(s.contains("The desk is closed today (Sun 2027-03-07). Enter goes to the next open day, Mon 2027-03-08."), "screen:\n\(s)")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Mon 2027-03-08: the next open day.") }
        #expect(s.contains("Mon 2027-03-08: the next open day.") && !s.contains("New booking"), "screen:\n\(s)")

        // Shrink: only quit and redraw act; j, Enter and / pressed blind leave no trace.
        _ = tmux.run(["resize-window", "-t", "fd", "-x", "40", "-y", "10"])
        s = tmux.wait { $0.contains("Terminal too small") }
        #expect(s.contains("Terminal too small"), "screen:\n\(s)")
        tmux.keys("j"); tmux.keys("Enter"); tmux.type("/")
        _ = tmux.run(["resize-window", "-t", "fd", "-x", "120", "-y", "36"])
        s = tmux.wait { !$0.contains("Terminal too small") && $0.contains("Chair 1") }
        #expect(!s.contains("New booking") && !s.contains("Search"), "screen:\n\(s)")
        #expect(s.contains("Mon 2027-03-08: the next open day."), "a key acted while too small:\n\(s)")

        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
