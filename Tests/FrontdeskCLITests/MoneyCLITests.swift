import Foundation
import Testing
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Money on the command line: `init --currency`, `settings currency`, `book --price`, `pay`,
/// `refund`, `price`, `show` and `--json` with amounts as minor units; exit codes; a random
/// sequence whose totals are recomputed from `list --json` and `show --json`; roles.
@Suite struct MoneyCLITests {
    static func money(_ o: [String: Any]) -> [String: Any] { o["money"] as? [String: Any] ?? [:] }
    static func int(_ v: Any?) -> Int64 { (v as? NSNumber)?.int64Value ?? -1 }

    @Test func aDepositConfirmsAHoldAndShowPrintsTheTotals() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "gbp"]).out.contains("in GBP"))
        let (r, c) = try cli.seededAfterInit()
        let booked = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-03 10:00", "--duration", "45m",
                                  "--status", "pending_payment", "--hold", "2d", "--price", "38.00", "--deposit", "10", "--reason", "price list",
                                  "--late-cancel-fee", "15.00", "--no-show-fee", "20", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        let m = Self.money(booked.object)
        #expect(m["currency"] as? String == "GBP" && Self.int(m["minor_unit_digits"]) == 2)
        #expect(Self.int(m["price"]) == 3800 && Self.int(m["deposit"]) == 1000 && Self.int(m["late_cancel_fee"]) == 1500 && Self.int(m["no_show_fee"]) == 2000)
        #expect(Self.int(m["balance"]) == 3800 && Self.int(m["paid"]) == 0)
        let ref = try #require(booked.object["ref"] as? String)
        let part = try cli.run(["pay", ref, "--amount", "4.00", "--method", "card", "--reference", "T-1"])
        #expect(part.code == 0 && part.out.contains("Recorded payment 4.00 GBP by card on \(ref): paid 4.00 GBP, balance 34.00 GBP, pending_payment"), "\(part.out) \(part.err)")
        let rest = try cli.run(["pay", ref, "--amount", "6", "--method", "cash", "--json"])
        #expect(rest.object["status"] as? String == "confirmed", "\(rest.out)")
        #expect(Self.int((rest.object["entry"] as? [String: Any])?["amount"]) == 600)
        let shown = try cli.run(["show", ref])
        for line in ["Price           38.00 GBP (set by hand: price list)", "Deposit         10.00 GBP", "Paid            10.00 GBP",
                     "Balance         28.00 GBP", "Payments", "payment 4.00 GBP by card  T-1", "status pending_payment → confirmed (deposit covered)"] {
            #expect(shown.out.contains(line), "\(line)\n\(shown.out)")
        }
        let refund = try cli.run(["refund", ref, "--amount", "2.50", "--reason", "goodwill", "--json"])
        #expect(refund.code == 0 && Self.int(Self.money(refund.object)["paid"]) == 750, "\(refund.out) \(refund.err)")
        #expect((refund.object["entry"] as? [String: Any])?["method"] as? String == "cash", "the latest payment's method")
        let history = try cli.run(["history", "--json"])
        #expect(history.out.contains("refund due 2.50 GBP") && history.out.contains("currency none → GBP"), "\(history.out)")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func badAmountsAndMethodsAreNamedAndNothingIsStored() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "JPY"]).code == 0)
        let (r, c) = try cli.seededAfterInit()
        let booked = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-03 10:00", "--duration", "45m",
                                  "--price", "4500", "--reason", "list", "--json"])
        #expect(booked.code == 0 && Self.int(Self.money(booked.object)["price"]) == 4500, "\(booked.err)")
        let ref = try #require(booked.object["ref"] as? String)
        for (args, code, words) in [
            (["--amount", "10.50", "--method", "cash"], 65, "JPY has no minor unit"),
            (["--amount=-5", "--method", "cash"], 65, "is not an amount"),
            (["--amount", "¥100", "--method", "cash"], 65, "is not an amount"),
            (["--amount", "100", "--method", "cheque"], 65, "not a payment method"),
            (["--amount", "100", "--method", "card", "--reference", "4111-1111-1111-1111"], 65, "card number"),
            (["--amount", "5000", "--method", "cash"], 65, "more than the 4500 JPY"),
            (["--amount", "0", "--method", "cash"], 65, "more than zero"),
        ] as [([String], Int32, String)] {
            let r = try cli.run(["pay", ref] + args)
            #expect(r.code == code && r.err.contains(words), "\(args): \(r.code) \(r.err)")
        }
        #expect(Self.int(Self.money(try cli.run(["show", ref, "--json"]).object)["paid"]) == 0)
        #expect(try cli.run(["pay", ref, "--amount", "1000", "--method", "cash", "--idempotency-key", "k"]).code == 0)
        let replay = try cli.run(["pay", ref, "--amount", "1000", "--method", "cash", "--idempotency-key", "k", "--json"])
        #expect(replay.code == 0 && replay.object["replayed"] as? Bool == true)
        let reused = try cli.run(["pay", ref, "--amount", "900", "--method", "cash", "--idempotency-key", "k"])
        #expect(reused.code == 7, "\(reused.err)")
        #expect(try cli.run(["refund", ref, "--amount", "1001"]).code == 65)
        #expect(try cli.run(["pay", "B-999", "--amount", "1", "--method", "cash"]).code == 6)
        #expect(Self.int(Self.money(try cli.run(["show", ref, "--json"]).object)["paid"]) == 1000)
    }

    @Test func aStoreWithoutACurrencySaysHowToSetOne() throws {
        let cli = CLIHarness(); defer { cli.cleanup() }
        let (r, c) = try cli.seeded()
        let plain = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-03 10:00", "--duration", "45m", "--json"])
        let ref = try #require(plain.object["ref"] as? String)
        #expect(plain.object["money"] == nil)
        let refused = try cli.run(["pay", ref, "--amount", "10", "--method", "cash"])
        #expect(refused.code == 65 && refused.err.contains("no currency: frontdesk settings currency GBP"), "\(refused.err)")
        let priced = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-04 10:00", "--duration", "45m", "--price", "10", "--reason", "x"])
        #expect(priced.code == 65 && priced.err.contains("no currency"), "\(priced.err)")
        #expect(try cli.run(["settings", "show"]).out.contains("not set"))
        #expect(try cli.run(["settings", "currency", "EUR"]).code == 0)
        #expect(try cli.run(["settings", "currency", "EUR"]).code == 0, "setting the same currency again changes nothing")
        let changed = try cli.run(["settings", "currency", "USD"])
        #expect(changed.code == 65 && changed.err.contains("EUR already"), "\(changed.err)")
        #expect(try cli.run(["settings", "show", "--json"]).object["currency"] as? String == "EUR")
        let unpriced = try cli.run(["pay", ref, "--amount", "10", "--method", "cash"])
        #expect(unpriced.code == 65 && unpriced.err.contains("has no price; a manager sets one with: frontdesk price \(ref)"), "\(unpriced.err)")
        let set = try cli.run(["price", ref, "--price", "25.00", "--deposit", "5", "--reason", "walk-in", "--json"])
        #expect(set.code == 0 && Self.int(Self.money(set.object)["price"]) == 2500, "\(set.err)")
        #expect(try cli.run(["pay", ref, "--amount", "25", "--method", "transfer"]).code == 0)
        // An unknown currency at init leaves no store behind.
        let other = CLIHarness(); defer { other.cleanup() }
        let bad = try other.run(["init", "--currency", "XYZ"])
        #expect(bad.code == 65 && bad.err.contains("not a currency") && !FileManager.default.fileExists(atPath: other.data + "/FORMAT"), "\(bad.err)")
    }

    @Test func lateCancellationAndNoShowRecordTheirFees() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, c) = try cli.seededAfterInit()
        func book(_ start: String) throws -> String {
            let b = try cli.run(["book", "--resource", r, "--customer", c, "--start", start, "--duration", "45m", "--price", "38", "--deposit", "10",
                                 "--late-cancel-fee", "15", "--no-show-fee", "20", "--reason", "list", "--json"])
            #expect(b.code == 0, "\(b.err)")
            return b.object["ref"] as? String ?? ""
        }
        let soon = try book("2027-03-01 14:00"), missed = try book("2027-03-01 10:00")
        #expect(try cli.run(["pay", soon, "--amount", "10", "--method", "card"]).code == 0)
        let cancelled = try cli.run(["cancel", soon, "--reason", "ill", "--override", "manager ok", "--json"])
        #expect(cancelled.code == 0, "\(cancelled.err)")
        let m = Self.money(try cli.run(["show", soon, "--json"]).object)
        #expect(Self.int(m["fees"]) == 1500 && Self.int(m["balance"]) == 500, "\(m)")
        cli.now = "2027-03-01T11:00:00Z"
        #expect(try cli.run(["no-show", missed]).code == 0)
        let n = Self.money(try cli.run(["show", missed, "--json"]).object)
        #expect(Self.int(n["fees"]) == 2000 && Self.int(n["balance"]) == 2000, "\(n)")
        let events = try cli.run(["events", "--json"])
        let fees = events.out.split(separator: "\n").filter { $0.contains("\"type\":\"fee.charged\"") }
        #expect(fees.count == 2 && fees.allSatisfy { $0.contains("\"ledger_entry\"") }, "\(events.out)")
    }

    @Test func aCorrectionReversesTheFee() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, c) = try cli.seededAfterInit()
        let b = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-01 10:00", "--duration", "45m", "--price", "38",
                             "--no-show-fee", "20", "--reason", "list", "--json"])
        let ref = b.object["ref"] as? String ?? ""
        cli.now = "2027-03-01T11:00:00Z"
        #expect(try cli.run(["no-show", ref]).code == 0)
        let fixed = try cli.run(["correct", ref, "--status", "completed", "--reason", "she came, marked wrongly", "--json"])
        #expect(fixed.code == 0, "\(fixed.err)")
        let m = Self.money(fixed.object)
        #expect(Self.int(m["fees"]) == 0 && Self.int(m["balance"]) == 3800, "\(m)")
        let ledger = m["ledger"] as? [[String: Any]] ?? []
        #expect(ledger.map { $0["kind"] as? String ?? "" } == ["fee", "fee_reversal"], "\(ledger)")
        #expect(Self.int(ledger.last?["amount"]) == 2000 && ledger.last?["reference"] as? String == "no-show")
        let shown = try cli.run(["show", ref]).out
        #expect(shown.contains("fee_reversal") && shown.contains("fee 20.00 GBP reversed (no-show; correction: she came, marked wrongly)"), "\(shown)")
        let events = try cli.run(["events", "--json"]).out.split(separator: "\n")
        #expect(events.filter { $0.contains("\"type\":\"fee.reversed\"") && $0.contains("\"ledger_entry\"") }.count == 1, "\(events)")
        // Back to a no-show: charged again.
        let again = Self.money(try cli.run(["correct", ref, "--status", "no_show", "--reason", "it was her sister", "--json"]).object)
        #expect(Self.int(again["fees"]) == 2000, "\(again)")
        #expect(try cli.run(["check"]).code == 0)
    }

    /// Random bookings, payments, refunds, cancellations and no-shows through the command line:
    /// every total `list --json` and `show --json` print equals the sum recomputed from their
    /// ledgers, and the ledgers add up to what the test paid and refunded.
    @Test func totalsEqualTheSumsRecomputedFromTheJSON() throws {
        var cli = CLIHarness(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        let (r, c) = try cli.seededAfterInit()
        var rng = SeededRandom(seed: 2024)
        var refs: [String] = []
        var paidIn: Int64 = 0, refunded: Int64 = 0
        for i in 0..<8 {
            let b = try cli.run(["book", "--resource", r, "--customer", c, "--start", "2027-03-0\(2 + i / 4) \(10 + 2 * (i % 4)):00", "--duration", "45m",
                                 "--price", "\(20 + i).50", "--deposit", "5", "--late-cancel-fee", "7.25", "--no-show-fee", "9", "--reason", "list", "--json"])
            #expect(b.code == 0, "\(b.err)")
            refs.append(b.object["ref"] as? String ?? "")
        }
        for _ in 0..<30 {
            let ref = refs[Int(rng.next() % UInt64(refs.count))]
            let pence = Int64(rng.next() % 1500) + 1
            let amount = "\(pence / 100).\(String(format: "%02d", Int(pence % 100)))"
            switch rng.next() % 5 {
            case 0:
                if try cli.run(["refund", ref, "--amount", amount]).code == 0 { refunded += pence }
            case 1:
                _ = try cli.run(["cancel", ref, "--reason", "r", "--override", "ok"])
            default:
                if try cli.run(["pay", ref, "--amount", amount, "--method", "cash"]).code == 0 { paidIn += pence }
            }
        }
        cli.now = "2027-03-04T12:00:00Z"
        for ref in refs.prefix(3) { _ = try cli.run(["no-show", ref]) }
        let list = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-10", "--json"]).array
        #expect(list.count == refs.count)
        var ledgerPaid: Int64 = 0, ledgerRefunded: Int64 = 0
        for b in list {
            let m = Self.money(b)
            let ledger = m["ledger"] as? [[String: Any]] ?? []
            func sum(_ kind: String) -> Int64 { ledger.filter { $0["kind"] as? String == kind }.map { Self.int($0["amount"]) }.reduce(0, +) }
            let status = b["status"] as? String ?? ""
            let owed = (status == "cancelled" || status == "no_show" ? 0 : Self.int(m["price"])) + sum("fee")
            #expect(Self.int(m["payments"]) == sum("payment") && Self.int(m["refunds"]) == sum("refund") && Self.int(m["fees"]) == sum("fee"))
            #expect(Self.int(m["paid"]) == sum("payment") - sum("refund") && Self.int(m["paid"]) >= 0)
            #expect(Self.int(m["balance"]) == owed - Self.int(m["paid"]), "\(b["ref"] ?? "")")
            #expect(ledger.allSatisfy { $0["currency"] as? String == "GBP" && Self.int($0["amount"]) > 0 })
            let shown = Self.money(try cli.run(["show", b["ref"] as? String ?? "", "--json"]).object)
            #expect(NSDictionary(dictionary: shown).isEqual(to: m), "show --json and list --json agree")
            ledgerPaid += sum("payment"); ledgerRefunded += sum("refund")
        }
        #expect(ledgerPaid == paidIn && ledgerRefunded == refunded)
        #expect(paidIn > 0)
        #expect(try cli.run(["check"]).code == 0)
    }

    /// Desk takes payments; refunds, prices and the currency need a manager or an admin.
    @Test func deskPaysButCannotRefundOrOverride() throws {
        let os = try OSAccounts()
        defer { os.remove() }
        let desk = try os.addWithOwnGroup("d", inGroup: true), manager = try os.addWithOwnGroup("m", inGroup: true)
        let base = NSTemporaryDirectory() + "frontdesk-money-roles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let data = base + "/data"
        func run(_ user: String, _ args: [String]) throws -> ChildProcess.Result { try RolesCLITests.run(as: user, data: data, args) }
        #expect(try run("root", ["init", "--group", os.group, "--currency", "GBP"]).code == 0)
        #expect(try run("root", ["resource", "add", "--name", "Chair 1", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"]).code == 0)
        #expect(try run("root", ["staff", "add", manager, "--role", "manager"]).code == 0)
        let priced = try run(desk, ["book", "--resource", "Chair 1", "--start", "2027-03-02 10:00", "--duration", "30m", "--new-customer", "Ann Lee",
                                    "--price", "38", "--reason", "mine"])
        #expect(priced.code == 77 && priced.err.contains("set a booking's price"), "\(priced.err)")
        let booked = try run(manager, ["book", "--resource", "Chair 1", "--start", "2027-03-02 10:00", "--duration", "30m", "--new-customer", "Ann Lee",
                                       "--price", "38", "--reason", "price list", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        let ref = try #require((try? JSONSerialization.jsonObject(with: Data(booked.out.utf8)) as? [String: Any])?["ref"] as? String)
        #expect(try run(desk, ["pay", ref, "--amount", "10", "--method", "card"]).code == 0)
        let refund = try run(desk, ["refund", ref, "--amount", "5"])
        #expect(refund.code == 77 && refund.err.contains("record refunds") && refund.err.contains("manager"), "\(refund.err)")
        #expect(try run(desk, ["price", ref, "--price", "1", "--reason", "friend"]).code == 77)
        #expect(try run(desk, ["settings", "currency", "EUR"]).code == 77)
        #expect(try run(manager, ["refund", ref, "--amount", "5"]).code == 0)
        let shown = try run(desk, ["show", ref, "--json"])
        let m = ((try? JSONSerialization.jsonObject(with: Data(shown.out.utf8)) as? [String: Any])?["money"] as? [String: Any]) ?? [:]
        #expect(Self.int(m["paid"]) == 500 && Self.int(m["price"]) == 3800, "\(shown.out)")
    }
}

extension CLIHarness {
    /// ``seeded()`` on a store `init` already made (with a currency): the salon resource and a customer.
    func seededAfterInit() throws -> (resource: String, customer: String) {
        let r = try run(["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London",
                         "--hours", "mon-fri 09:00-17:00", "--cancel-notice", "24h", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let c = try run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123", "--json"])
        #expect(c.code == 0, "\(c.err)")
        return (r.object["id"] as? String ?? "", c.object["id"] as? String ?? "")
    }
}
