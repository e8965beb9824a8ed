import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI

/// How the command line reads and prints money: amounts as text in the store's currency, and
/// in `--json` as integer minor units beside the currency code.
enum MoneyOutput {
    /// The store's currency, or the refusal every money command gives without one.
    static func currency(_ state: BookingState) throws -> Currency {
        guard let c = state.currency else { throw CoreError.invalidInput(field: "currency", message: BookingEngine.noCurrencyAdvice) }
        return c
    }

    /// `text` read as an amount of the store's currency, in minor units.
    static func amount(_ text: String, field: String, state: BookingState) throws -> Int64 {
        let c = try currency(state)
        do { return try Money.parse(text.trimming(.whitespaces), in: c).minorUnits } catch {
            throw CLIError.invalidInput(field: field, message: error.description)
        }
    }

    /// A booking's money for `--json`: every amount in minor units, totals derived from the
    /// ledger, and the ledger itself.
    static func tree(_ b: Booking) -> JSONTree? {
        guard let c = b.charges else { return nil }
        var o: [String: JSONTree] = [:]
        o["currency"] = .string(c.currency.code)
        o["minor_unit_digits"] = .integer(c.currency.exponent)
        o["price"] = .integer(c.price)
        o["deposit"] = .integer(c.deposit)
        o["late_cancel_fee"] = .integer(c.lateCancelFee)
        o["no_show_fee"] = .integer(c.noShowFee)
        o["price_reason"] = .optional(c.priceReason)
        // Totals that cannot be added up (only a forged record could hold them) are left out.
        if let paid = try? c.total(.payment), let refunded = try? c.total(.refund), let fees = try? c.fees(),
           let net = try? c.paid(), let balance = try? c.balance(status: b.status) {
            o["payments"] = .integer(paid)
            o["refunds"] = .integer(refunded)
            o["paid"] = .integer(net)
            o["fees"] = .integer(fees)
            o["balance"] = .integer(balance)
        }
        o["ledger"] = .array(c.ledger.map { entry($0, booking: b) })
        return .object(o)
    }

    /// One ledger entry for `--json`.
    static func entry(_ e: LedgerEntry, booking b: Booking) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(e.id)
        o["booking"] = .string(b.id.rawValue)
        o["booking_ref"] = .string(b.ref)
        o["kind"] = .string(e.kind.rawValue)
        o["amount"] = .integer(e.amount)
        o["currency"] = .string(b.charges?.currency.code ?? "")
        o["method"] = .optional(e.method?.rawValue)
        o["reference"] = .string(e.reference)
        o["at"] = .string(e.at.iso8601)
        o["user"] = .string(e.actor.user)
        o["idempotency_key"] = .optional(e.idempotencyKey)
        return .object(o)
    }

    /// `show`'s money lines: price, deposit, fees, paid and balance.
    static func lines(_ b: Booking) -> [(String, String)] {
        guard let c = b.charges else { return [] }
        var out: [(String, String)] = [("Price", c.money(c.price).description + (c.priceReason.map { " (set by hand: \($0))" } ?? ""))]
        out.append(("Deposit", c.money(c.deposit).description + (b.status == .pendingPayment ? " (confirms the booking when paid)" : "")))
        if c.lateCancelFee > 0 { out.append(("Late-cancel fee", c.money(c.lateCancelFee).description)) }
        if c.noShowFee > 0 { out.append(("No-show fee", c.money(c.noShowFee).description)) }
        guard let paid = try? c.paid(), let fees = try? c.fees(), let balance = try? c.balance(status: b.status) else {
            out.append(("Paid", "(the ledger's totals do not add up; run frontdesk check)"))
            return out
        }
        if fees > 0 { out.append(("Fees charged", c.money(fees).description)) }
        out.append(("Paid", c.money(paid).description))
        out.append(("Balance", c.money(balance).description + (balance < 0 ? " (due back to the customer)" : balance == 0 ? " (settled)" : "")))
        return out
    }

    /// `show`'s ledger lines, oldest first.
    static func ledgerLines(_ b: Booking, zone: Zone) -> [String] {
        guard let c = b.charges else { return [] }
        return c.ledger.map { e in
            // The column fits the short kinds; a fee's reversal is spelled out in full.
            let kind = e.kind == .feeReversal ? e.kind.rawValue : e.kind.rawValue.padded(toLength: 7)
            var line = "  \(Format.local(e.at, zone))  \(kind) \(c.money(e.amount))"
            if let m = e.method { line += " by \(m.rawValue)" }
            if !e.reference.isEmpty { line += "  \(e.reference)" }
            line += "  (\(e.actor.user), \(e.id))"
            return line
        }
    }
}
