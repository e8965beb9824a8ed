import Foundation
import FrontdeskOSTestSupport
import Testing

/// Drives the `frontdesk` command line (its test host, for the pinned clock) inside tmux as a receptionist would: keys in, screen out,
/// and the store checked through the CLI after every step.
@Suite(.serialized) struct TmuxEndToEndTests {
    /// The tmux driver the front-desk tests share (FrontdeskOSTestSupport).
    typealias Tmux = TmuxSession

    @Test func bookByKeysSeeAnotherDeskCancelByKeysQuit() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()  // Chair 1, Mon-Fri 09:00-17:00 Europe/London, 24 h cancel notice; Ann Lee
        let tmux = Tmux()
        // The test host, which pins the clock to FRONTDESK_NOW (the shipped binary ignores it).
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_NOW='\(cli.now ?? "")' TZ='\(cli.zone)' '\(CLIHarness.binary)' --date 2027-03-03; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])

        // Opens on the day grid, cursor on the first resource at the start of its hours.
        var s = tmux.wait { $0.contains("Wed 2027-03-03") && $0.contains("Chair 1") }
        #expect(s.contains("Wed 2027-03-03"), "screen:\n\(s)")

        // Book 09:00 for Ann Lee by keys.
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("New booking") }
        #expect(s.contains("New booking"), "screen:\n\(s)")
        tmux.type("Ann")
        s = tmux.wait { $0.contains("› Ann Lee") }
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:15") }
        #expect(s.contains("Booked B-001 for Ann Lee: Chair 1 Wed 2027-03-03 09:00–09:15"), "screen:\n\(s)")
        var stored = try cli.run(["list", "--from", "2027-03-03", "--to", "2027-03-04", "--json"]).array
        #expect(stored.count == 1)
        #expect(stored.first?["customer_name"] as? String == "Ann Lee")
        #expect(stored.first?["source"] as? String == "tui")
        #expect(stored.first?["start"] as? String == "2027-03-03T09:00:00Z")

        // Another desk books 10:00 from the CLI; it appears without a keypress.
        let other = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-03 10:00", "--duration", "30m", "--new-customer", "Other Desk"])
        #expect(other.code == 0, "\(other.err)")
        s = tmux.wait(3) { $0.contains("Other Desk") }
        #expect(s.contains("Other Desk"), "the other desk's booking did not appear:\n\(s)")

        // Cancel the 09:00 booking by keys (the cursor is still on it).
        tmux.keys("c")
        s = tmux.wait { $0.contains("Cancel B-001") }
        #expect(s.contains("Cancel B-001"), "screen:\n\(s)")
        tmux.keys("Enter")
        _ = tmux.wait { $0.contains("reason") }
        tmux.type("customer phoned")
        tmux.keys("Enter")
        s = tmux.wait { $0.contains("y yes") }
        tmux.keys("y")
        s = tmux.wait { $0.contains("Cancelled") || $0.contains("cancelled") }
        stored = try cli.run(["list", "--from", "2027-03-03", "--to", "2027-03-04", "--json"]).array
        let cancelled = stored.first { $0["ref"] as? String == "B-001" }
        #expect(cancelled?["status"] as? String == "cancelled", "screen:\n\(s)")
        #expect((cancelled?["cancellation"] as? [String: Any])?["reason"] as? String == "customer phoned")
        #expect(stored.first { $0["ref"] as? String == "B-002" }?["status"] as? String == "confirmed")

        // Quit; the program exits cleanly and the store checks out.
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
        #expect(try cli.run(["check"]).code == 0)
    }

    /// The shipped `frontdesk` ignores `FRONTDESK_EXIT_AFTER_FIRST_FRAME` and `FRONTDESK_NOW`: the
    /// front desk stays up after its first frame (it answers a key), reports no first-frame
    /// figure, and opens on today's real date.
    @Test func theShippedFrontDeskIgnoresTheFirstFrameAndClockKnobs() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        let errFile = NSTemporaryDirectory() + "fdtui-err-\(UUID().uuidString)"
        defer { unlink(errFile) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: cli.zone)
        f.dateFormat = "yyyy-MM-dd"
        let today = f.string(from: Date())
        let tmux = Tmux()
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_NOW='2199-01-01T00:00:00Z' FRONTDESK_EXIT_AFTER_FIRST_FRAME=1 TZ='\(cli.zone)' "
            + "'\(CLIHarness.shippedBinary)' 2>'\(errFile)'; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])
        var s = tmux.wait { $0.contains("Chair 1") || $0.contains("EXITED=") }
        #expect(s.contains("Chair 1") && s.contains(today), "screen:\n\(s)")
        // Still running after the first frame: a key opens the help overlay.
        tmux.type("?")
        s = tmux.wait { $0.contains("Keys — Esc closes") || $0.contains("EXITED=") }
        #expect(s.contains("Keys — Esc closes") && !s.contains("EXITED="), "screen:\n\(s)")
        tmux.keys("Escape")
        _ = tmux.wait { !$0.contains("Keys — Esc closes") }
        tmux.keys("q")
        s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
        let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        #expect(!err.contains("first_frame_ms"), "\(err)")
    }

    /// The test host's first-frame exit (what `Benchmarks/tui-first-frame.sh` measures): the
    /// front desk draws its first frame, ends with status 0 without a key, and reports
    /// `first_frame_ms` on standard error after the terminal is restored.
    @Test func theTestHostEndsAfterTheFirstFrameAndReportsIt() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        let errFile = NSTemporaryDirectory() + "fdtui-err-\(UUID().uuidString)"
        defer { unlink(errFile) }
        let tmux = Tmux()
        let command = "FRONTDESK_DATA='\(cli.data)' FRONTDESK_EXIT_AFTER_FIRST_FRAME=1 TZ='\(cli.zone)' "
            + "'\(CLIHarness.binary)' 2>'\(errFile)'; echo EXITED=$?; sleep 5"
        _ = tmux.run(["new-session", "-d", "-s", "fd", "-x", "120", "-y", "36", command])
        let s = tmux.wait { $0.contains("EXITED=") }
        #expect(s.contains("EXITED=0"), "screen:\n\(s)")
        let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        #expect(err.split(separator: "\n").contains { $0.hasPrefix("first_frame_ms=") && Int($0.dropFirst(15)) != nil }, "\(err)")
    }
}
