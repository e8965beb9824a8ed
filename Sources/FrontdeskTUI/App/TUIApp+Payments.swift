import FrontdeskCore

/// Money at the desk: `$` takes a payment (or, for a manager, records a refund) through the
/// engine, as `frontdesk pay` and `frontdesk refund` do.
extension TUIApp {
    /// Opens the payment dialog on the booking under the cursor (or the one whose detail is open).
    func startPayment() {
        guard let b = targetBooking() else { show("No booking here to take a payment on.", error: true); return }
        guard state.currency != nil else { show("No payments yet: \(BookingEngine.noCurrencyAdvice).", error: true); return }
        guard let c = b.charges else {
            show("\(b.ref) has no price; a manager sets one with: frontdesk price \(b.ref) --price AMOUNT --reason TEXT", error: true)
            return
        }
        var resume: DetailView.State?
        if case .detail(let d) = overlay { resume = d }
        let z = state.resources[b.resource]?.zone ?? zone
        let title = "\(Format.customer(b, state)) · \(state.resourceNames(b.resources)) \(Format.range(b.range, z)) · \(Format.status(b.status))"
        var dialog = PaymentDialog(booking: b, charges: c, title: title, mayRefund: connection.allows(.refund), idempotencyKey: Self.newPaymentKey())
        dialog.resume = resume
        overlay = .payment(dialog)
    }

    /// A fresh idempotency key for one payment dialog.
    static func newPaymentKey() -> String {
        var g = SystemRandomNumberGenerator()
        return "tui-pay-" + String(g.next() as UInt64, radix: 16) + String(g.next() as UInt64, radix: 16)
    }

    /// Records the dialog's payment or refund; a refusal keeps the dialog open with the reason
    /// and the cursor in the field it is about.
    func commitPayment(_ dialog: PaymentDialog) {
        var dialog = dialog
        let amount: Int64
        do { amount = try dialog.minorUnits() } catch {
            refusePayment(&dialog, "Amount: \(error.description).", field: .amount)
            return
        }
        let b = dialog.booking, key = dialog.idempotencyKey, method = dialog.method, text = dialog.reference.text
        let refund = dialog.refund, actor = connection.actor
        let result = write(refund ? "refund" : "pay", .edit(b.id)) { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<PaymentOutcome> in
            refund ? try e.refund(b.id, amount: amount, method: method, reason: text, idempotencyKey: key, in: s, by: actor)
                : try e.pay(b.id, amount: amount, method: method, reference: text, idempotencyKey: key, in: s, by: actor)
        }
        switch result {
        case .done(let outcome):
            overlay = dialog.resume.map(Overlay.detail)
            show(Self.paymentMessage(outcome, before: b))
        case .refused(let core, let text):
            var field: PaymentDialog.Field?
            if case .invalidInput(let f, _)? = core { field = f == "amount" ? .amount : (f == "reference" || f == "reason") ? .reference : nil }
            refusePayment(&dialog, text, field: field)
        }
    }

    private func refusePayment(_ dialog: inout PaymentDialog, _ text: String, field: PaymentDialog.Field?) {
        dialog.error = text
        if let field { dialog.focus = field }
        overlay = .payment(dialog)
        show(text, error: true)
    }

    /// The status line after a payment or refund: what was recorded, the booking's totals,
    /// and a confirmation the deposit brought.
    static func paymentMessage(_ o: PaymentOutcome, before: Booking) -> String {
        guard let c = o.booking.charges else { return "Recorded on \(o.booking.ref)." }
        let what = o.entry.kind == .refund ? "refund due" : "payment"
        var text = (o.replayed ? "Already recorded " : "Recorded ") + "\(what) \(Format.money(o.entry.amount, c.currency))"
        if let m = o.entry.method { text += " by \(m.rawValue)" }
        text += " on \(o.booking.ref)"
        if let paid = try? c.paid(), let balance = try? c.balance(status: o.booking.status) {
            text += ": paid \(Format.money(paid, c.currency)), balance \(Format.money(balance, c.currency))"
        }
        text += "."
        if before.status == .pendingPayment, o.booking.status == .confirmed { text += " Deposit covered: \(o.booking.ref) is now confirmed." }
        return text
    }
}
