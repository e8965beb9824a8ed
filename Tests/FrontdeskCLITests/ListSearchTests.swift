import Foundation
import Testing

/// `list --search TEXT`: bookings by the words of their customer's name, reference or notes,
/// across every date, on a compacted store (issue #22).
@Suite struct ListSearchTests {
    @Test func listSearchFindsWhatListCustomerShowsAcrossAllDates() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        // 400 bookings on weekdays from 2027-03-01 (a Monday), 8 a day, for twenty customers.
        var rows = ["resource,customer,start,end,status,idempotency_key,notes"]
        var day = 0, made = 0
        while made < 400 {
            defer { day += 1 }
            if day % 7 >= 5 { continue }
            for hour in 9..<17 where made < 400 {
                let date = Calendar(identifier: .gregorian).date(byAdding: .day, value: day, to: ISO8601DateFormatter().date(from: "2027-03-01T00:00:00Z")!)!
                let f = DateFormatter()
                f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = "yyyy-MM-dd"
                let d = f.string(from: date)
                let n = made % 20 + 1
                let notes = made == 333 ? "Crème rinse" : ""
                rows.append("Chair 1,Customer \(n < 10 ? "000" : "00")\(n),\(d) \(hour < 10 ? "0" : "")\(hour):00,\(d) \(hour < 10 ? "0" : "")\(hour):45,,,\(notes)")
                made += 1
            }
        }
        let file = cli.data + "-in.csv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let imported = try cli.run(["import", file])
        #expect(imported.code == 0, "\(imported.err)")
        #expect(try cli.run(["compact"]).code == 0)

        let byCustomer = try cli.run(["list", "--customer", "Customer 0001", "--from", "2027-01-01", "--to", "2028-01-01", "--json"])
        #expect(byCustomer.code == 0, "\(byCustomer.err)")
        #expect(byCustomer.array.count == 20)
        let searched = try cli.run(["list", "--search", "Customer 0001", "--json"])
        #expect(searched.code == 0, "\(searched.err)")
        #expect(searched.array.compactMap { $0["id"] as? String } == byCustomer.array.compactMap { $0["id"] as? String })
        // Any case and accents; words from their start; --from/--to narrow it.
        let creme = try cli.run(["list", "--search", "CREME rin"])
        #expect(creme.code == 0 && creme.out.contains("Crème rinse"), "\(creme.out)\(creme.err)")
        #expect(creme.out.split(separator: "\n").count == 2, "a header and one booking: \(creme.out)")
        let march = try cli.run(["list", "--search", "customer 0001", "--from", "2027-03-01", "--to", "2027-04-01", "--json"])
        #expect(march.array.count > 0 && march.array.count < 20)
        #expect(try cli.run(["list", "--search", "ustomer"]).out.contains("No bookings."))
    }
}
