/// Money: the store's currency, a booking's price, payments, refunds and fees.
///
/// Amounts arrive as minor units (the front end reads text with ``Money/parse(_:in:)``) and are
/// added with overflow checks. Each change is one plan: the ledger entry, the booking's new
/// version (a `pending_payment` booking confirmed by its deposit included) and its events are
/// stored together or not at all.
extension BookingEngine {
    /// The advice every money command gives on a store with no currency.
    public static let noCurrencyAdvice = "no currency: frontdesk settings currency GBP (an admin sets it once)"

    /// Plans setting the store's currency. Setting the same one again plans nothing; changing
    /// it is refused, because stored amounts would be read in the new currency's decimals.
    public func setCurrency(_ code: String, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Currency> {
        let text = code.trimmingSpaces
        guard let currency = Currency(code: text) else {
            throw .invalidInput(field: "currency", message: MoneyError.unknownCurrency(code: text).description)
        }
        let old = state.settings[StoreSetting.currency]
        if let old {
            guard old.value != currency.code else {
                return Planned(transaction: Transaction(at: clock.now(), actor: actor), value: currency)
            }
            throw .invalidInput(field: "currency", message: "the store's currency is \(old.value) already; amounts stored in it cannot be read as \(currency.code)")
        }
        var plan = newPlan(state, actor)
        let setting = StoreSetting(name: StoreSetting.currency, value: currency.code, version: 1, at: plan.now, by: actor)
        plan.record(.setting(setting))
        plan.recordAudit(AuditEntry(at: plan.now, actor: actor, entity: .settings, id: StoreSetting.currency, ref: StoreSetting.currency,
                                    version: 1, action: "updated", changes: ["currency none → \(currency.code)"]))
        return Planned(transaction: plan.finish(), value: currency)
    }

    /// The store's currency, or the refusal every money change gives without one.
    func storeCurrency(_ state: BookingState) throws(CoreError) -> Currency {
        guard let c = state.currency else { throw .invalidInput(field: "currency", message: Self.noCurrencyAdvice) }
        return c
    }

    /// The checked charges a draft sets (the ledger kept from `old`).
    func charges(_ draft: PriceDraft, old: Charges?, in state: BookingState) throws(CoreError) -> Charges {
        let currency = try storeCurrency(state)
        if let old, old.currency != currency {
            throw .invalidInput(field: "price", message: "the booking is priced in \(old.currency.code) but the store's currency is \(currency.code)")
        }
        for (field, v) in [("price", draft.price), ("deposit", draft.deposit), ("late-cancel-fee", draft.lateCancelFee), ("no-show-fee", draft.noShowFee)] {
            guard v >= 0 else { throw .invalidInput(field: field, message: "must not be negative") }
        }
        guard draft.deposit <= draft.price else {
            throw .invalidInput(field: "deposit", message: "\(Money(minorUnits: draft.deposit, currency: currency)) is more than the price \(Money(minorUnits: draft.price, currency: currency))")
        }
        var reason: String?
        if !draft.fromService {
            guard let r = try TextRules.optional(draft.reason, field: "reason", maxLength: 500) else {
                throw .invalidInput(field: "reason", message: "setting a price by hand is a manager override; give the reason with --reason")
            }
            reason = r
        }
        return Charges(currency: currency, price: draft.price, deposit: draft.deposit, lateCancelFee: draft.lateCancelFee,
                       noShowFee: draft.noShowFee, priceReason: reason, ledger: old?.ledger ?? [])
    }

    /// The history line of a price: `price 38.00 GBP, deposit 10.00 GBP (reason: …)`.
    static func priceChange(_ c: Charges) -> String {
        var parts = ["price \(c.money(c.price))", "deposit \(c.money(c.deposit))"]
        if c.lateCancelFee > 0 { parts.append("late-cancel fee \(c.money(c.lateCancelFee))") }
        if c.noShowFee > 0 { parts.append("no-show fee \(c.money(c.noShowFee))") }
        return parts.joined(separator: ", ") + (c.priceReason.map { " (price override: \($0))" } ?? " (from the service)")
    }

    /// Plans setting or changing a booking's price, deposit and fees (a manager override with a
    /// reason). Payments already taken stay in the ledger.
    public func setPrice(_ id: BookingID, _ draft: PriceDraft, expectVersion: Int? = nil,
                         in state: BookingState, by actor: Author) throws(CoreError) -> Planned<Booking> {
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: expectVersion)
        let c = try charges(draft, old: b.charges, in: state)
        guard c != b.charges else { throw .invalidInput(field: "price", message: "\(b.ref) has that price already") }
        b.charges = c
        var changes = [Self.priceChange(c)]
        if b.status == .pendingPayment, try Self.checked(c.depositCovered()) {
            confirmByDeposit(&b, changes: &changes)
        }
        touch(&b, action: "priced", changes: changes, plan: plan, actor: actor)
        plan.put(b)
        plan.emit(.bookingUpdated, booking: b)
        if b.status == .confirmed && changes.count > 1 { plan.emit(.bookingConfirmed, booking: b) }
        return Planned(transaction: plan.finish(), value: b)
    }

    /// Plans recording a payment against a booking.
    ///
    /// Refused: no store currency, a booking with no price, a non-positive amount, more than
    /// the balance, a reference that looks like card data, an idempotency key this booking's
    /// ledger holds for another entry. The same key with the same payment returns the entry
    /// recorded before and plans nothing (keys are scoped to the booking). A `pending_payment`
    /// booking whose deposit the payment covers becomes `confirmed` in the same change.
    public func pay(_ id: BookingID, amount: Int64, method: PaymentMethod, reference: String? = nil, idempotencyKey: String? = nil,
                    expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<PaymentOutcome> {
        try entry(.payment, id, amount: amount, method: method, reference: reference, idempotencyKey: idempotencyKey,
                  expectVersion: expectVersion, in: state, by: actor)
    }

    /// Plans recording a refund owed back to the customer (`refund.due`; a gateway hook or the
    /// desk pays it out). `method` nil: the method of the latest payment. Refused beyond what
    /// is paid, and as ``pay(_:amount:method:reference:idempotencyKey:expectVersion:in:by:)`` is.
    public func refund(_ id: BookingID, amount: Int64, method: PaymentMethod? = nil, reason: String? = nil, idempotencyKey: String? = nil,
                       expectVersion: Int? = nil, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<PaymentOutcome> {
        try entry(.refund, id, amount: amount, method: method, reference: reason, idempotencyKey: idempotencyKey,
                  expectVersion: expectVersion, in: state, by: actor)
    }

    private func entry(_ kind: LedgerEntry.Kind, _ id: BookingID, amount: Int64, method: PaymentMethod?, reference: String?,
                       idempotencyKey: String?, expectVersion: Int?, in state: BookingState, by actor: Author) throws(CoreError) -> Planned<PaymentOutcome> {
        let currency = try storeCurrency(state)
        let field = kind == .refund ? "reason" : "reference"
        let text = try TextRules.paymentReference(reference, field: field)
        if let key = idempotencyKey { try TextRules.idempotencyKey(key) }
        guard amount > 0 else { throw .invalidInput(field: "amount", message: "must be more than zero") }
        var plan = newPlan(state, actor)
        var b = try existingBooking(id, in: plan, expectVersion: nil)
        guard var c = b.charges else {
            throw .invalidInput(field: "booking", message: "\(b.ref) has no price; a manager sets one with: frontdesk price \(b.ref) --price AMOUNT --reason TEXT")
        }
        guard c.currency == currency else {
            throw .invalidInput(field: "booking", message: "\(b.ref) is priced in \(c.currency.code) but the store's currency is \(currency.code)")
        }
        let chosenMethod = method ?? (kind == .refund ? c.ledger.last(where: { $0.kind == .payment })?.method : nil)
        if let key = idempotencyKey, let earlier = c.ledger.first(where: { $0.idempotencyKey == key }) {
            guard earlier.kind == kind, earlier.amount == amount, earlier.method == chosenMethod, earlier.reference == text else {
                throw .idempotencyKeyReused(key: key, existing: [b.id])
            }
            return Planned(transaction: Transaction(at: plan.now, actor: actor), value: PaymentOutcome(booking: b, entry: earlier, replayed: true))
        }
        if let v = expectVersion, v != b.version { throw .staleVersion(id: b.ref, expected: v, current: b.version) }
        let money = c.money(amount)
        switch kind {
        case .payment:
            let balance = try Self.checked(c.balance(status: b.status))
            guard balance > 0 else {
                let why = b.status == .cancelled ? " (it is cancelled\(b.cancellation.map { ": \($0.reason)" } ?? ""))" : ""
                throw .invalidInput(field: "amount", message: "\(b.ref) owes nothing\(why)")
            }
            guard amount <= balance else {
                throw .invalidInput(field: "amount", message: "\(money) is more than the \(c.money(balance)) \(b.ref) owes")
            }
        case .refund:
            let paid = try Self.checked(c.paid())
            guard amount <= paid else {
                throw .invalidInput(field: "amount", message: "\(money) is more than the \(c.money(paid)) paid on \(b.ref)")
            }
        case .fee:
            throw .invalidInput(field: "kind", message: "fees are charged by cancellation and no-show, not by hand")
        case .feeReversal:
            throw .invalidInput(field: "kind", message: "fees are reversed by a status correction (correct), not by hand")
        }
        let entry = LedgerEntry(id: "pay_" + plan.ids.next(), kind: kind, amount: amount, method: chosenMethod, reference: text,
                                at: plan.now, actor: actor, idempotencyKey: idempotencyKey)
        c.ledger.append(entry)
        b.charges = c
        var changes = [kind == .payment ? "paid \(money)\(chosenMethod.map { " by \($0.rawValue)" } ?? "")" : "refund due \(money)\(chosenMethod.map { " by \($0.rawValue)" } ?? "")"]
        if !text.isEmpty { changes.append("\(field): \(text)") }
        var confirmed = false
        if kind == .payment, b.status == .pendingPayment, try Self.checked(c.depositCovered()) {
            confirmByDeposit(&b, changes: &changes)
            confirmed = true
        }
        touch(&b, action: kind == .payment ? "paid" : "refunded", changes: changes, plan: plan, actor: actor)
        plan.put(b)
        plan.emit(kind == .payment ? .paymentRecorded : .refundDue, booking: b, ledgerEntry: entry)
        if confirmed { plan.emit(.bookingConfirmed, booking: b) }
        return Planned(transaction: plan.finish(), value: PaymentOutcome(booking: b, entry: entry, replayed: false))
    }

    /// `pending_payment` → `confirmed`, the hold dropped, said in `changes`.
    private func confirmByDeposit(_ b: inout Booking, changes: inout [String]) {
        b.status = .confirmed
        b.holdExpiresAt = nil
        changes.append("status pending_payment → confirmed (deposit covered)")
    }

    /// Charges `b` its fee for `kind` (late cancellation or no-show) when it has one: the fee
    /// entry is added to the booking being changed, so it is stored in the same version, and
    /// returned for the `fee.charged` event.
    func chargeFee(_ b: inout Booking, lateCancellation: Bool, plan: inout ChangePlan, changes: inout [String]) -> LedgerEntry? {
        guard var c = b.charges else { return nil }
        let amount = lateCancellation ? c.lateCancelFee : c.noShowFee
        guard amount > 0 else { return nil }
        let why = Self.feeReference(lateCancellation: lateCancellation)
        let entry = LedgerEntry(id: "pay_" + plan.ids.next(), kind: .fee, amount: amount, method: nil, reference: why,
                                at: plan.now, actor: plan.actor, idempotencyKey: nil)
        c.ledger.append(entry)
        b.charges = c
        changes.append("fee \(c.money(amount)) charged (\(why))")
        return entry
    }

    /// Reverses what `b`'s fee for `kind` (late cancellation or no-show) still charges, when
    /// anything: a `fee_reversal` entry of that amount and reference is added to the booking
    /// being changed (stored in the same version) and returned for the `fee.reversed` event.
    func reverseFee(_ b: inout Booking, lateCancellation: Bool, reason: String, plan: inout ChangePlan, changes: inout [String]) -> LedgerEntry? {
        guard var c = b.charges else { return nil }
        let why = Self.feeReference(lateCancellation: lateCancellation)
        // Amounts the engine accepted always add up; a forged ledger reverses nothing.
        guard let owed = try? c.fees(reference: why), owed > 0 else { return nil }
        let entry = LedgerEntry(id: "pay_" + plan.ids.next(), kind: .feeReversal, amount: owed, method: nil, reference: why,
                                at: plan.now, actor: plan.actor, idempotencyKey: nil)
        c.ledger.append(entry)
        b.charges = c
        changes.append("fee \(c.money(owed)) reversed (\(why); correction: \(reason))")
        return entry
    }

    /// The reference a fee for `kind` carries (and its reversal).
    static func feeReference(lateCancellation: Bool) -> String { lateCancellation ? "late cancellation" : "no-show" }

    /// A derived total, or the refusal for amounts too large to add up (never reached by
    /// amounts this engine accepted).
    static func checked<T>(_ value: @autoclosure () throws(MoneyError) -> T) throws(CoreError) -> T {
        do { return try value() } catch { throw .invalidInput(field: "amount", message: error.description) }
    }
}
