import Foundation
import Testing

/// Issue #20 item 1 on the command line: a request that meets only a booking's buffer is told
/// about the buffer and when it ends, not the booking's own (non-overlapping) time.
@Suite struct BufferMessageTests {
    @Test func aClashWithTheBufferNamesItAndItsEnd() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Chloé", "--kind", "staff", "--tz", "Europe/London",
                             "--hours", "mon-fri 09:00-17:00", "--buffer-after", "10m", "--json"])
        #expect(r.code == 0, "\(r.err)")
        #expect(try cli.run(["customer", "add", "--name", "Ann Lee"]).code == 0)
        let first = try cli.run(["book", "--resource", "Chloé", "--start", "2027-03-02 09:00", "--duration", "30m", "--customer", "Ann Lee", "--json"])
        #expect(first.code == 0, "\(first.err)")
        let ref = first.object["ref"] as? String ?? "?"
        let clash = try cli.run(["book", "--resource", "Chloé", "--start", "2027-03-02 09:35", "--duration", "30m", "--customer", "Ann Lee"])
        #expect(clash.code == 3, "\(clash.err)")
        #expect(clash.err.contains("10 min buffer after \(ref) ("), "\(clash.err)")
        #expect(clash.err.contains("until 09:40"), "\(clash.err)")
    }
}
