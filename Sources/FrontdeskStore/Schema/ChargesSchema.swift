import FrontdeskCore
import FrontdeskJSON

/// The schema of a booking's `charges` (see docs/STORAGE.md, "Money"): its price, deposit,
/// fees and payments ledger, written inside the booking (``BookingSchema``), so a payment is
/// stored in the same record as the booking change it belongs to.
///
/// `{"currency":CODE,"price":N,"deposit":N,"lateCancelFee":N,"noShowFee":N,"priceReason"?:S,"ledger":[E…]}`,
/// an entry `{"id":S,"kind":"payment"|"refund"|"fee"|"fee_reversal","amount":N,"method"?:M,"reference":S,"at":T,"actor":A,"idempotencyKey"?:S}`,
/// in that order, amounts in integer minor units of `currency` (never a fraction).
package enum ChargesSchema {
    /// Appends `c` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ c: Charges, to out: inout JSONWriter) throws {
        out.raw(#"{"currency":"#); out.string(c.currency.code)
        out.raw(#","price":"#); out.signed(c.price)
        out.raw(#","deposit":"#); out.signed(c.deposit)
        out.raw(#","lateCancelFee":"#); out.signed(c.lateCancelFee)
        out.raw(#","noShowFee":"#); out.signed(c.noShowFee)
        if let r = c.priceReason { out.raw(#","priceReason":"#); out.string(r) }
        out.raw(#","ledger":["#)
        for (i, e) in c.ledger.enumerated() {
            if i > 0 { out.byte(0x2C) }
            try write(e, to: &out)
        }
        out.raw("]}")
    }

    /// Appends one ledger entry as JSON (an event's `ledgerEntry`).
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ e: LedgerEntry, to out: inout JSONWriter) throws {
        out.raw(#"{"id":"#); out.string(e.id)
        out.raw(#","kind":"#); out.string(e.kind.rawValue)
        out.raw(#","amount":"#); out.signed(e.amount)
        if let m = e.method { out.raw(#","method":"#); out.string(m.rawValue) }
        out.raw(#","reference":"#); out.string(e.reference)
        out.raw(#","at":"#); try BookingSchema.instant(e.at, to: &out)
        out.raw(#","actor":"#); BookingSchema.actor(e.actor, to: &out)
        if let k = e.idempotencyKey { out.raw(#","idempotencyKey":"#); out.string(k) }
        out.byte(0x7D)
    }

    /// The charges at `v`, checked: a known currency, no negative amount, a deposit within the
    /// price, ledger amounts above zero, a method on payments and refunds only.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> Charges {
        let o = try v.object()
        let codeValue = try o.value("currency")
        let code = try codeValue.string()
        guard let currency = Currency(code: code), currency.code == code else {
            throw codeValue.error("\"\(code)\" is not a currency code this build knows")
        }
        func amount(_ key: String) throws(SchemaError) -> Int64 {
            let a = try o.value(key)
            let n = try a.integer(Int64.self)
            guard n >= 0 else { throw a.error("an amount is never negative") }
            return n
        }
        let price = try amount("price"), deposit = try amount("deposit")
        guard deposit <= price else { throw v.error("the deposit \(deposit) is more than the price \(price)") }
        let ledger = try o.value("ledger").array { e throws(SchemaError) in try entry(e) }
        return Charges(currency: currency, price: price, deposit: deposit, lateCancelFee: try amount("lateCancelFee"),
                       noShowFee: try amount("noShowFee"), priceReason: try o.optional("priceReason")?.string(), ledger: ledger)
    }

    /// A ledger entry at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func entry(_ v: SchemaValue) throws(SchemaError) -> LedgerEntry {
        let o = try v.object()
        let kindValue = try o.value("kind")
        let kindText = try kindValue.string()
        guard let kind = LedgerEntry.Kind(rawValue: kindText) else {
            throw kindValue.error("\"\(kindText)\" is not a ledger entry kind (payment, refund, fee, fee_reversal)")
        }
        let amountValue = try o.value("amount")
        let amount = try amountValue.integer(Int64.self)
        guard amount > 0 else { throw amountValue.error("a ledger amount is above zero") }
        var method: PaymentMethod?
        if let m = o.optional("method") {
            let text = try m.string()
            guard let pm = PaymentMethod(rawValue: text) else { throw m.error("\"\(text)\" is not a payment method (cash, card, transfer, external)") }
            method = pm
        }
        if kind == .fee && method != nil { throw v.error("a fee has no payment method") }
        if kind == .feeReversal && method != nil { throw v.error("a fee reversal has no payment method") }
        if kind == .payment && method == nil { throw v.error("a payment names its method") }
        return LedgerEntry(id: try o.value("id").string(), kind: kind, amount: amount, method: method,
                           reference: try o.value("reference").string(), at: try o.value("at").instant(),
                           actor: try o.value("actor").actor(), idempotencyKey: try o.optional("idempotencyKey")?.string())
    }

    static let chargesKeys = ["currency", "price", "deposit", "lateCancelFee", "noShowFee", "priceReason", "ledger"].map { Array($0.utf8) }
    static let entryKeys = ["id", "kind", "amount", "method", "reference", "at", "actor", "idempotencyKey"].map { Array($0.utf8) }
}

extension BookingSchema.Reader {
    /// An integer that fits `Int64`, or nil.
    func int64(_ index: Int) -> Int64? {
        let t = doc.tokens[index]
        guard t.kind == .number else { return nil }
        return JSONNumber.int64(doc.raw(t), plain: t.flags == 0)
    }

    /// The charges at `index` in the shape ``ChargesSchema/write(_:to:)`` gives, or nil for
    /// anything else (the general reader then names the fault).
    func charges(_ index: Int) -> Charges? {
        var code: String?, amounts: [Int64?] = [nil, nil, nil, nil], reason: String??, ledger: [LedgerEntry]?
        let ok = members(of: index, ChargesSchema.chargesKeys) { k, v in
            switch k {
            case 0: code = string(v); return code != nil
            case 1, 2, 3, 4: amounts[k - 1] = int64(v); return (amounts[k - 1] ?? -1) >= 0
            case 5: reason = optional(v, string); return reason != nil
            default: ledger = elements(of: v, ledgerEntry); return ledger != nil
            }
        }
        guard ok, let code, let currency = Currency(code: code), currency.code == code,
              let price = amounts[0], let deposit = amounts[1], let late = amounts[2], let noShow = amounts[3],
              deposit <= price, let ledger else { return nil }
        return Charges(currency: currency, price: price, deposit: deposit, lateCancelFee: late, noShowFee: noShow,
                       priceReason: reason ?? nil, ledger: ledger)
    }

    /// A ledger entry at `index` in the written shape, or nil.
    func ledgerEntry(_ index: Int) -> LedgerEntry? {
        var id: String?, kind: LedgerEntry.Kind?, amount: Int64?, method: PaymentMethod??, reference: String?
        var at: Instant?, actor: Author?, key: String??
        let ok = members(of: index, ChargesSchema.entryKeys) { k, v in
            switch k {
            case 0: id = string(v); return id != nil
            case 1: kind = string(v).flatMap(LedgerEntry.Kind.init(rawValue:)); return kind != nil
            case 2: amount = int64(v); return (amount ?? 0) > 0
            case 3: method = optional(v) { string($0).flatMap(PaymentMethod.init(rawValue:)) }; return method != nil
            case 4: reference = string(v); return reference != nil
            case 5: at = instant(v); return at != nil
            case 6: actor = self.actor(v); return actor != nil
            default: key = optional(v, string); return key != nil
            }
        }
        guard ok, let id, let kind, let amount, let reference, let at, let actor else { return nil }
        let m = method ?? nil
        if (kind == .fee || kind == .feeReversal) && m != nil || kind == .payment && m == nil { return nil }
        return LedgerEntry(id: id, kind: kind, amount: amount, method: m, reference: reference, at: at, actor: actor, idempotencyKey: key ?? nil)
    }
}
