import Foundation
import FrontdeskOSTestSupport
import Testing

/// Issue #20 items 10 and 11, second pass, in a real terminal: the demo opened on a Sunday
/// (9 of 11 columns closed, the two vehicles open) says which are open and offers the day the desk
/// opens on one key (read whole at 80 columns, over the legend's line), and at 80 columns the
/// legend keeps every entry.
@Suite(.serialized) struct TmuxDemoSundayTests {
    @Test func theDemoOnASundayNamesTheOpenColumnsAndTheLegendFitsAt80Columns() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let tmux = TmuxEndToEndTests.Tmux()
        defer { tmux.keys("Escape"); tmux.keys("Escape"); tmux.keys("q"); tmux.keys("y") }
        let now = "2026-12-06T10:00:00Z"  // a Sunday
        let command = "FRONTDESK_NOW='\(now)' TZ='\(cli.zone)' '\(CLIHarness.binary)' --data '\(cli.data)' --demo; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])

        var s = tmux.wait(20) { $0.contains("Closed today") }
        #expect(s.contains("Closed today: 9 of 11 (only Van 1, Car 2 open). Enter: next day the desk opens (Mon 2026-12-07)."),
                "screen:\n\(s)")
        _ = tmux.run(["resize-window", "-t", "fd", "-x", "80", "-y", "30"])
        // At 80 columns the offer takes the legend's line too, so it reads whole.
        s = tmux.wait { $0.contains("Closed today: 9 of 11") && $0.contains("(Mon 2026-12-07).") }
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Mon 2026-12-07: the next open day") && $0.contains("! no-show") }
        #expect(s.contains("Mon 2026-12-07: the next open day."), "screen:\n\(s)")
        let legend = s.components(separatedBy: "\n").first { $0.contains("░ closed") } ?? ""
        for entry in ["░ closed", "▒ blackout", "╌ buffer", "┃ conf", "┆ tent", "$ unpaid", "✓ done", "✗ cancel", "! no-show"] {
            #expect(legend.contains(entry), "legend at 80 columns: \(legend)")
        }
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
