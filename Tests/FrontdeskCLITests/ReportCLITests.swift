import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskCore

/// `frontdesk report`: every report's totals against sums recomputed from `list --json`, the
/// table, JSON and CSV forms, the errors and their exit codes, and a damaged store refused.
@Suite struct ReportCLITests {
    static func int(_ v: Any?) -> Int64 { (v as? NSNumber)?.int64Value ?? -1 }
    static func seconds(_ iso: Any?) -> Int64 { Int64(ISO8601DateFormatter().date(from: iso as? String ?? "")?.timeIntervalSince1970 ?? -1) }

    /// Random bookings (one or two resources, 15-minute buffers after on Ben), payments,
    /// refunds, cancellations and no-shows through the command line over one week; then each
    /// report's totals equal what `list --json` adds up to, and the ledger balances.
    @Test func reportTotalsEqualTheSumsRecomputedFromListJSON() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (ana, c) = try cli.seededAfterInit()
        let ben = try cli.run(["resource", "add", "--name", "Ben", "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00",
                               "--buffer-after", "15m", "--cancel-notice", "24h", "--json"])
        #expect(ben.code == 0, "\(ben.err)")
        let benID = ben.object["id"] as? String ?? ""
        var rng = SeededRandom(seed: 2027)
        var refs: [String] = []
        for i in 0..<10 {
            let day = 1 + i / 3, hour = 9 + 2 * (i % 3)
            var args = ["book", "--customer", c, "--start", "2027-03-0\(day) \(hour < 10 ? "0" : "")\(hour):00", "--duration", "45m", "--json",
                        "--resource", i % 2 == 0 ? ana : benID]
            if i % 4 == 1 { args += ["--resource", ana] }
            if i % 5 != 4 { args += ["--price", "\(20 + i).50", "--deposit", "5", "--late-cancel-fee", "7.25", "--no-show-fee", "9", "--reason", "list"] }
            let b = try cli.run(args)
            #expect(b.code == 0, "\(args): \(b.err)")
            refs.append(b.object["ref"] as? String ?? "")
        }
        for _ in 0..<24 {
            let ref = refs[Int(rng.next() % UInt64(refs.count))]
            let pence = Int64(rng.next() % 1500) + 1
            let amount = "\(pence / 100).\(String(format: "%02d", Int(pence % 100)))"
            switch rng.next() % 6 {
            case 0: _ = try cli.run(["refund", ref, "--amount", amount])
            case 1: _ = try cli.run(["cancel", ref, "--reason", "r", "--override", "ok"])
            default: _ = try cli.run(["pay", ref, "--amount", amount, "--method", ["cash", "card", "transfer"][Int(rng.next() % 3)]])
            }
        }
        cli.now = "2027-03-05T18:00:00Z"
        for ref in refs.suffix(3) { _ = try cli.run(["no-show", ref]) }
        let list = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-08", "--json"]).array
        #expect(list.count == refs.count)
        func money(_ b: [String: Any]) -> [String: Any] { b["money"] as? [String: Any] ?? [:] }
        func ledger(_ b: [String: Any], _ kind: String) -> Int64 {
            (money(b)["ledger"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == kind }.map { Self.int($0["amount"]) }.reduce(0, +)
        }
        let week = ["--from", "2027-03-01", "--to", "2027-03-07"]

        let takings = try cli.run(["report", "takings"] + week + ["--json"])
        #expect(takings.code == 0, "\(takings.err)")
        let t = takings.object["total"] as? [String: Any] ?? [:]
        let paid = list.map { ledger($0, "payment") }.reduce(0, +), refunded = list.map { ledger($0, "refund") }.reduce(0, +)
        #expect(Self.int(t["payments"]) == paid && Self.int(t["refunds"]) == -refunded && Self.int(t["net"]) == paid - refunded, "\(takings.out)")
        #expect(Self.int(t["net"]) == list.map { Self.int(money($0)["paid"] ?? 0) }.reduce(0, +), "the ledger balances")
        #expect(Self.int(t["fees"]) == list.map { ledger($0, "fee") - ledger($0, "fee_reversal") }.reduce(0, +))
        #expect(paid > 0 && takings.object["currency"] as? String == "GBP")
        let methods = takings.object["method_totals"] as? [[String: Any]] ?? []
        #expect(methods.map { Self.int($0["net"]) }.reduce(0, +) == paid - refunded)

        let noShows = try cli.run(["report", "no-shows"] + week + ["--json"]).object["total"] as? [String: Any] ?? [:]
        let stood = list.filter { $0["status"] as? String != "cancelled" }
        #expect(Self.int(noShows["bookings"]) == Int64(stood.count))
        #expect(Self.int(noShows["no_shows"]) == Int64(list.filter { $0["status"] as? String == "no_show" }.count))
        #expect(Self.int(noShows["no_shows"]) > 0)

        let cancels = try cli.run(["report", "cancellations"] + week + ["--json"]).object["total"] as? [String: Any] ?? [:]
        let cancelled = list.filter { $0["status"] as? String == "cancelled" }
        #expect(Self.int(cancels["bookings"]) == Int64(list.count) && Self.int(cancels["cancelled"]) == Int64(cancelled.count))
        #expect(Self.int(cancels["late"]) == Int64(cancelled.filter { ($0["cancellation"] as? [String: Any])?["late"] as? Bool == true }.count))
        #expect(Self.int(cancels["late_fees"]) == cancelled.map { ledger($0, "fee") - ledger($0, "fee_reversal") }.reduce(0, +))

        let services = try cli.run(["report", "services"] + week + ["--json"]).object["total"] as? [String: Any] ?? [:]
        #expect(Self.int(services["bookings"]) == Int64(stood.count) && Self.int(services["booked_seconds"]) == Int64(stood.count) * 45 * 60)
        #expect(Self.int(services["takings"]) == paid - refunded)

        // Utilisation: the bookings never overlap on a resource, so booked time is their
        // lengths (plus Ben's 15 minutes after) for those that still stand.
        let util = try cli.run(["report", "utilisation"] + week + ["--json"])
        #expect(util.code == 0, "\(util.err)")
        let occupying = list.filter { !["cancelled", "no_show"].contains($0["status"] as? String ?? "") }
        for (id, buffer) in [(ana, Int64(0)), (benID, Int64(15 * 60))] {
            let mine = occupying.filter { (($0["resources"] as? [String]) ?? [$0["resource"] as? String ?? ""]).contains(id) }
            let booked = mine.map { Self.seconds($0["end"]) - Self.seconds($0["start"]) + buffer }.reduce(0, +)
            let row = (util.object["by_resource"] as? [[String: Any]] ?? []).first { $0["resource"] as? String == id } ?? [:]
            #expect(Self.int(row["booked_seconds"]) == booked, "\(id)")
            #expect(Self.int(row["open_seconds"]) == 5 * 8 * 3600, "Mon-Fri 09:00-17:00")
        }
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func tablesCSVAndGroups() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, c) = try cli.seededAfterInit()
        for start in ["2027-03-01 09:00", "2027-03-01 13:00", "2027-03-03 10:00"] {
            #expect(try cli.run(["book", "--resource", r, "--customer", c, "--start", start, "--duration", "2h"]).code == 0)
        }
        let text = try cli.run(["report", "utilisation", "--from", "2027-03-01", "--to", "2027-03-07", "--by", "day"])
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("Utilisation, 2027-03-01 00:00 to 2027-03-08 00:00 (Europe/London), by day"), "\(text.out)")
        #expect(text.out.contains("2027-03-01") && text.out.contains("50.0%") && text.out.contains("All resources") && text.out.contains("6:00"), "\(text.out)")
        let csv = try cli.run(["report", "utilisation", "--from", "2027-03-01", "--to", "2027-03-07", "--by", "day", "--csv"]).out
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "resource,resource_name,group,open_seconds,booked_seconds,utilisation_permille")
        #expect(lines.count == 6, "Mon-Fri, one line each: \(csv)")
        #expect(lines.contains { $0.hasSuffix(",2027-03-01,28800,14400,500") }, "\(csv)")
        let heat = try cli.run(["report", "utilisation", "--from", "2027-03-01", "--to", "2027-03-07", "--by", "weekday-hour", "--json"])
        let cells = heat.object["by_group"] as? [[String: Any]] ?? []
        #expect(cells.count == 5 * 8 && cells.first?["group"] as? String == "Mon 09:00" && Self.int(cells.first?["booked_seconds"]) == 3600, "\(heat.out)")
        let week = try cli.run(["report", "no-shows", "--from", "2027-03-01", "--to", "2027-03-14", "--by", "week"]).out
        #expect(week.contains("2027-W09") && week.contains("Total"), "\(week)")
        let month = try cli.run(["report", "cancellations", "--from", "2027-03-01", "--to", "2027-03-31", "--by", "month", "--csv"]).out
        #expect(month.split(separator: "\n").last == "2027-03,3,0,0,0,0,0", "\(month)")
        let one = try cli.run(["report", "utilisation", "--from", "2027-03-01", "--to", "2027-03-01", "--resource", "Chair 1", "--json"])
        #expect(Self.int((one.object["total"] as? [String: Any])?["booked_seconds"]) == 4 * 3600, "--to includes its day: \(one.out)")
        let times = try cli.run(["report", "utilisation", "--from", "2027-03-01 09:00", "--to", "2027-03-01 10:00", "--json"])
        #expect(Self.int((times.object["total"] as? [String: Any])?["open_seconds"]) == 3600, "a time for --to is exclusive: \(times.out)")
    }

    @Test func badInputIsNamedWithItsExitCode() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        _ = try cli.seeded()
        for (args, code, words) in [
            (["report", "utilisation", "--from", "2027-13-01", "--to", "2027-03-07"], Int32(65), "from"),
            (["report", "utilisation", "--from", "2027-03-08", "--to", "2027-03-01"], 65, "before --from"),
            (["report", "utilisation", "--from", "2027-03-01", "--to", "2027-03-07", "--resource", "Nobody"], 6, "Nobody"),
            (["report", "popularity", "--from", "2027-03-01", "--to", "2027-03-07"], 65, "not a report"),
            (["report", "takings", "--from", "2027-03-01", "--to", "2027-03-07", "--by", "year"], 65, "not a grouping"),
            (["report", "takings", "--from", "2027-03-01", "--to", "2027-03-07", "--csv", "--json"], 64, "--csv"),
            (["report", "takings", "--from", "2027-03-01", "--to", "2027-03-07", "--tz", "Mars/Base"], 65, "Mars/Base"),
        ] as [([String], Int32, String)] {
            let r = try cli.run(args)
            #expect(r.code == code && r.err.contains(words), "\(args): \(r.code) \(r.err)")
        }
    }

    /// A report never answers from a damaged store as if it were complete.
    @Test func aDamagedStoreIsRefused() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let refs = try DamagedStoreCommandTests.book(cli, res, days: ["2027-03-02", "2027-03-03"])
        let segment = DamagedStoreCommandTests.files(cli.data, under: "journal").last { $0.hasSuffix(".jsonl") }!
        try DamagedStoreCommandTests.flip(segment, inLineContaining: "\"ref\":\"\(refs[0])\"")
        for kind in ReportKind.allCases {
            let r = try cli.run(["report", kind.rawValue, "--from", "2027-03-01", "--to", "2027-03-07"])
            #expect(r.code == 74 && r.err.contains("incomplete"), "\(kind): \(r.code) \(r.err)")
        }
    }

    @Test func takingsNeedAManager() {
        #expect(ReportCommand.action(for: .takings) == .readTakings && AccessAction.readTakings.leastRole == .manager)
        #expect(ReportCommand.action(for: .services) == .readTakings)
        for k in [ReportKind.utilisation, .noShows, .cancellations] { #expect(ReportCommand.action(for: k) == .readReports) }
        #expect(AccessAction.readReports.leastRole == .viewer)
    }
}
