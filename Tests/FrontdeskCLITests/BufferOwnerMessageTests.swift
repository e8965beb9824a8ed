import Foundation
import Testing

/// Issue #20 second pass, on the command line: when only the new booking's own buffer runs
/// into the next booking, the message says the new booking needs that time, not that the next
/// booking keeps a buffer before it (Ana keeps 0 min before and 10 min after).
@Suite struct BufferOwnerMessageTests {
    @Test func theNewBookingsOwnAfterBufferIsNamedAsItsOwn() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Ana Silva", "--kind", "staff", "--tz", "Europe/London",
                             "--hours", "mon-fri 09:00-17:00", "--buffer-after", "10m"])
        #expect(r.code == 0, "\(r.err)")
        #expect(try cli.run(["customer", "add", "--name", "Ann Lee"]).code == 0)
        let held = try cli.run(["book", "--resource", "Ana Silva", "--start", "2027-03-08 14:00", "--duration", "45m", "--customer", "Ann Lee", "--json"])
        #expect(held.code == 0, "\(held.err)")
        let ref = held.object["ref"] as? String ?? "?"
        let clash = try cli.run(["book", "--resource", "Ana Silva", "--start", "2027-03-08 13:40", "--duration", "15m", "--customer", "Ann Lee"])
        #expect(clash.code == 3, "\(clash.err)")
        #expect(clash.err.contains("conflicts with \(ref) (") && clash.err.contains("the new booking needs 10 min after it, until 14:05"), "\(clash.err)")
        #expect(!clash.err.contains("buffer before"), "\(clash.err)")
    }
}
