import Foundation
import FrontdeskOSTestSupport
import Testing

/// The Reports view in a real terminal on the demo store: `R` shows the week's utilisation with
/// a resource's bar and percentage, `l` the next report, `q` quits.
@Suite(.serialized) struct TmuxReportsTests {
    @Test func theDemoOpensTheWeeksUtilisationOnR() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let tmux = TmuxEndToEndTests.Tmux()
        defer { tmux.keys("Escape"); tmux.keys("Escape"); tmux.keys("q"); tmux.keys("y") }
        let now = "2026-12-08T10:00:00Z"  // a Tuesday
        let command = "FRONTDESK_NOW='\(now)' TZ='\(cli.zone)' NCURSES_NO_UTF8_ACS=1 '\(CLIHarness.binary)' --data '\(cli.data)' --demo; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "40", command])
        var s = tmux.wait(20) { $0.contains("Ana Silva") }
        tmux.keys("R")
        s = tmux.wait { $0.contains("Legend: · closed") && $0.contains("one column per") }
        #expect(s.contains("Utilisation · Mon 2026-12-07 to Sun 2026-12-13"), "screen:\n\(s)")
        let bar = s.components(separatedBy: "\n").first { $0.hasPrefix(" Ana Silva ") && $0.contains("%") } ?? ""
        #expect(bar.range(of: #"█*[▏▎▍▌▋▊▉]? ?[0-9]+\.[0-9]%$"#, options: .regularExpression) != nil, "bar: \(bar)\nscreen:\n\(s)")
        #expect(s.contains("All resources: "), "screen:\n\(s)")
        tmux.keys("l")
        s = tmux.wait { $0.contains("[No-shows]") && $0.contains("Week: ") }
        #expect(s.contains("no-shows of"), "screen:\n\(s)")
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
