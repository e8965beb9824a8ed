import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskCore

/// Import rows naming a service (#24): the booking takes the service's price, deposit and fees,
/// and its duration when the row gives no end; a row's `price` column is a manager's override,
/// recorded with its `reason` column or the reason "import" (import itself needs a manager,
/// the role a price set by hand needs).
@Suite struct ImportServicePriceTests {
    static let header = "resource,customer,start,end,status,idempotency_key,notes,service,price,reason"

    static func salon(_ cli: CLIHarness) throws {
        try MultiResourceExchangeTests.salon(cli)
        let priced = try cli.run(["service", "add", "Cut & blow-dry", "--duration", "45m", "--needs", "stylist", "--price", "38.00", "--deposit", "10.00",
                                  "--no-show-fee", "19.00"])
        #expect(priced.code == 0, "\(priced.err)")
    }

    static func money(_ cli: CLIHarness, row: [String: Any]) throws -> [String: Any] {
        let shown = try cli.run(["show", row["id"] as? String ?? "?", "--json"])
        return shown.object["money"] as? [String: Any] ?? [:]
    }

    @Test func aServiceRowTakesItsPriceDepositAndDurationAndAPriceColumnOverridesIt() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let csv = """
        \(Self.header)
        Ana,Zoë Müller,2027-03-02 09:00,,,k1,,Cut & blow-dry,,
        Ben,Zoë Müller,2027-03-02 09:00,2027-03-02 10:00,,k2,,Cut & blow-dry,30.00,Loyalty discount
        Ana,Zoë Müller,2027-03-02 11:00,,,k3,,cut & blow-dry,5.00,
        Ben,Zoë Müller,2027-03-02 11:00,2027-03-02 11:30,,k4,,,20.00,

        """
        let r = try cli.run(["import", "-"], stdin: csv)
        #expect(r.code == 0, "\(r.out)\(r.err)")
        let rows = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == 4 && rows.allSatisfy { $0["outcome"] as? String == "created" }, "\(r.out)")

        // Row 1: the service's price, deposit and fees, and its 45 minutes.
        let first = try cli.run(["show", rows[0]["id"] as? String ?? "?", "--json"]).object
        #expect((first["end"] as? String)?.hasSuffix("09:45:00Z") == true, "\(first)")
        var m = try Self.money(cli, row: rows[0])
        #expect(m["price"] as? Int == 3800 && m["deposit"] as? Int == 1000 && m["no_show_fee"] as? Int == 1900, "\(m)")
        #expect(m["price_reason"] == nil || m["price_reason"] is NSNull, "\(m)")
        // Row 2: the row's price, its reason, the service's deposit; the row's end stands.
        let second = try cli.run(["show", rows[1]["id"] as? String ?? "?", "--json"]).object
        #expect((second["end"] as? String)?.hasSuffix("10:00:00Z") == true, "\(second)")
        m = try Self.money(cli, row: rows[1])
        #expect(m["price"] as? Int == 3000 && m["deposit"] as? Int == 1000 && m["price_reason"] as? String == "Loyalty discount", "\(m)")
        // Row 3: a price below the deposit lowers the deposit to it; the reason defaults to "import".
        m = try Self.money(cli, row: rows[2])
        #expect(m["price"] as? Int == 500 && m["deposit"] as? Int == 500 && m["price_reason"] as? String == "import", "\(m)")
        // Row 4: a price without a service.
        m = try Self.money(cli, row: rows[3])
        #expect(m["price"] as? Int == 2000 && m["deposit"] as? Int == 0 && m["price_reason"] as? String == "import", "\(m)")

        // The same file again: every row is a replay.
        let again = try cli.run(["import", "-"], stdin: csv)
        #expect(again.code == 0 && again.out.components(separatedBy: #""outcome":"duplicate""#).count == 5, "\(again.out)\(again.err)")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func badPriceRowsNameTheColumnAndStoreNothing() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        try Self.salon(cli)
        let csv = """
        \(Self.header)
        Ana,Zoë Müller,2027-03-02 09:00,,,,,Cut & blow-dry,38.001,
        Ana,Zoë Müller,2027-03-02 09:00,,,,,Cut & blow-dry,,Because
        Ana,Zoë Müller,2027-03-02 09:00,,,,,,,
        Ana,Zoë Müller,2027-03-02 09:00,,,,,Cut & blow-dry,-1.00,

        """
        let before = try cli.run(["list", "--json"]).array.count
        let r = try cli.run(["import", "-"], stdin: csv)
        #expect(r.code == 8, "\(r.out)\(r.err)")
        let outcomes = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(outcomes.count == 4 && outcomes.allSatisfy { $0["outcome"] as? String == "invalid" }, "\(r.out)")
        let messages = outcomes.map { ($0["error"] as? [String: Any])?["message"] as? String ?? "" }
        #expect(messages[0].hasPrefix("price:"), "\(messages)")
        #expect(messages[1].hasPrefix("reason:") && messages[1].contains("goes with a price"), "\(messages)")
        #expect(messages[2].hasPrefix("end:") && messages[2].contains("service"), "\(messages)")
        #expect(messages[3].hasPrefix("price:"), "\(messages)")
        #expect(try cli.run(["list", "--json"]).array.count == before)
    }

    @Test func aPriceInAStoreWithoutACurrencyIsRefused() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        #expect(try cli.run(["resource", "add", "--name", "Ana", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"]).code == 0)
        let csv = "\(Self.header)\nAna,Zoë Müller,2027-03-02 09:00,2027-03-02 09:30,,,,,20.00,\n"
        let r = try cli.run(["import", "-"], stdin: csv)
        #expect(r.code == 8 && r.out.contains("price") && r.out.contains("currency"), "\(r.out)\(r.err)")
        #expect(try cli.run(["list", "--json"]).array.isEmpty)
    }
}
