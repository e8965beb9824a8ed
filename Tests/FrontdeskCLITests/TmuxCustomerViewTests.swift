import Foundation
import FrontdeskOSTestSupport
import Testing

/// The customer view (#24) in a real terminal on the demo store: `C` with no booking under the
/// cursor asks for a customer, and the view shows the totals `customer show` prints for them.
@Suite(.serialized) struct TmuxCustomerViewTests {
    @Test func theDemoCustomersTotalsMatchCustomerShow() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let tmux = TmuxEndToEndTests.Tmux()
        defer { tmux.keys("Escape"); tmux.keys("Escape"); tmux.keys("q"); tmux.keys("y") }
        let now = "2026-12-07T07:00:00Z"  // a Monday, before opening: the cursor is on free time
        cli.now = now
        let command = "FRONTDESK_NOW='\(now)' TZ='\(cli.zone)' '\(CLIHarness.binary)' --data '\(cli.data)' --demo; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "40", command])
        var s = tmux.wait(30) { $0.contains("! no-show") }

        // A demo customer who has paid something, and the lines `customer show` prints.
        let list = try cli.run(["customer", "list", "--json"])
        #expect(list.code == 0, "\(list.err)")
        var chosen: (ref: String, paid: String, counts: String)?
        for c in list.array {
            guard let ref = c["ref"] as? String else { continue }
            let shown = try cli.run(["customer", "show", ref])
            let lines = shown.out.components(separatedBy: "\n")
            if let paid = lines.first(where: { $0.hasPrefix("Paid: ") && !$0.hasPrefix("Paid: 0.00") }),
               let counts = lines.first(where: { $0.hasPrefix("Bookings: ") }) {
                chosen = (ref, paid, counts)
                break
            }
        }
        let c = try #require(chosen, "no demo customer has paid anything")

        tmux.keys("C")
        s = tmux.wait { $0.contains("Customer (name, reference, phone or e-mail):") }
        tmux.type(c.ref)
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Customer \(c.ref)") && $0.contains(c.paid) && $0.contains("Esc back") }
        #expect(s.contains(c.paid) && s.contains(c.counts), "expected \(c.paid) / \(c.counts), screen:\n\(s)")
        tmux.keys("Escape")
        s = tmux.wait { !$0.contains("Customer \(c.ref)") }
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
    }
}
