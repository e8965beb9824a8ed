import Foundation
import Testing

/// `book --service … --price P --reason R`: a manager's price in place of the service's, the
/// same override the desk's booking form offers.
@Suite struct ServicePriceCLITests {
    @Test func aServiceBookingTakesAHandSetPriceOnlyWithAReason() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try ServiceCLITests.salon(cli)
        #expect(try cli.run(["service", "add", "Cut", "--duration", "45m", "--needs", "stylist", "--price", "38", "--deposit", "10"]).code == 0)
        let base = ["book", "--service", "Cut", "--start", "2027-03-02 10:00", "--customer", "Zoë Müller", "--json"]
        let noReason = try cli.run(base + ["--price", "30"])
        #expect(noReason.code == 65 && noReason.err.contains("reason"), "\(noReason.err)")
        let bad = try cli.run(base + ["--price", "30.001", "--reason", "loyal"])
        #expect(bad.code == 65 && bad.err.contains("--price"), "\(bad.err)")
        #expect(try cli.run(["list", "--json"]).array.isEmpty, "nothing stored by a refusal")
        let done = try cli.run(base + ["--price", "30", "--deposit", "5", "--reason", "loyal customer"])
        #expect(done.code == 0, "\(done.err)")
        let money = done.object["money"] as? [String: Any]
        #expect(money?["price"] as? Int == 3000 && money?["deposit"] as? Int == 500, "\(done.out)")
        // Without --price the service's price stands.
        let plain = try cli.run(["book", "--service", "Cut", "--start", "2027-03-02 11:00", "--customer", "Zoë Müller", "--json"])
        #expect((plain.object["money"] as? [String: Any])?["price"] as? Int == 3800, "\(plain.out)")
    }
}
