import FrontdeskCore

/// Taking a payment (`$`): the amount, prefilled with the deposit still due or else the
/// balance, the method, and an optional reference (never card data: the engine refuses
/// anything that passes the Luhn check). A manager may switch it to a refund, prefilled with
/// what is paid. One idempotency key per dialog, so a save retried after a lost answer
/// records once.
struct PaymentDialog {
    enum Field: CaseIterable { case kind, amount, method, reference }
    enum Outcome: Equatable { case none, abort, submit }

    let booking: Booking
    let charges: Charges
    /// Who it is for and when, as the first line shows it.
    let title: String
    /// Whether the account may record refunds (the Kind field shows then).
    let mayRefund: Bool
    /// Sent with the entry: a second save of this dialog records nothing new.
    let idempotencyKey: String
    var refund = false
    var amount: TextField
    var method: PaymentMethod = .cash
    var reference = TextField(maxLength: 200)
    var focus: Field = .amount
    var error: String?
    /// The detail it was opened from: shown again when the dialog closes.
    var resume: DetailView.State?

    init(booking: Booking, charges: Charges, title: String, mayRefund: Bool, idempotencyKey: String) {
        self.booking = booking; self.charges = charges; self.title = title; self.mayRefund = mayRefund
        self.idempotencyKey = idempotencyKey
        amount = TextField(Self.suggested(booking: booking, charges: charges, refund: false).map { charges.money($0).plain } ?? "", maxLength: 20)
    }

    /// What the amount starts at: for a payment the deposit still due, else the balance; for
    /// a refund what is paid. Nil when nothing is due (or paid).
    static func suggested(booking: Booking, charges c: Charges, refund: Bool) -> Int64? {
        guard let paid = try? c.paid(), let balance = try? c.balance(status: booking.status) else { return nil }
        if refund { return paid > 0 ? paid : nil }
        let depositDue = c.deposit - paid
        if depositDue > 0, !booking.status.isFinal { return min(depositDue, balance) }
        return balance > 0 ? balance : nil
    }

    /// The fields Tab visits: Kind only for an account that may refund.
    var fields: [Field] { Field.allCases.filter { $0 != .kind || mayRefund } }

    /// The amount in minor units of the booking's currency.
    ///
    /// - Throws: ``MoneyError`` for text that is not an amount.
    func minorUnits() throws(MoneyError) -> Int64 {
        try Money.parse(amount.text.trimming(.whitespaces), in: charges.currency).minorUnits
    }

    var hasInput: Bool { !reference.text.isEmpty }

    mutating func handle(_ key: KeyEvent) -> Outcome {
        let list = fields
        let here = list.firstIndex(of: focus) ?? 0
        switch key {
        case .escape: return .abort
        case .enter: return .submit
        case .tab, .down: focus = list[(here + 1) % list.count]; return .none
        case .backTab, .up: focus = list[(here + list.count - 1) % list.count]; return .none
        default: break
        }
        switch focus {
        case .kind:
            if [.left, .right, .char(" "), .char("h"), .char("l")].contains(key) {
                refund.toggle()
                let s = Self.suggested(booking: booking, charges: charges, refund: refund)
                amount = TextField(s.map { charges.money($0).plain } ?? "", maxLength: 20)
                error = nil
            }
        case .method:
            let all = PaymentMethod.allCases
            let i = all.firstIndex(of: method) ?? 0
            switch key {
            case .right, .char(" "), .char("l"): method = all[(i + 1) % all.count]
            case .left, .char("h"): method = all[(i + all.count - 1) % all.count]
            default: break
            }
        case .amount: if amount.handle(key) { error = nil }
        case .reference: if reference.handle(key) { error = nil }
        }
        return .none
    }

    static let labelWidth = 11

    func draw(into grid: inout CellGrid) {
        let c = charges
        let paid = (try? c.paid()) ?? 0, balance = (try? c.balance(status: booking.status)) ?? 0
        let height = 12 + (mayRefund ? 1 : 0)
        let box = Box.centred(in: grid, height: height, width: 76)
        box.draw(into: &grid, title: (refund ? "Record a refund" : "Take a payment") + " — \(booking.ref)")
        let fieldWidth = box.innerWidth - Self.labelWidth
        var line = 0
        func text(_ t: String, _ role: StyleRole = .dialog) { box.line(line, t, into: &grid, role: role); line += 1 }
        func label(_ t: String, _ f: Field) {
            grid.putPadded(t, row: box.row + 1 + line, col: box.col + 2, width: Self.labelWidth, role: focus == f ? .dialogTitle : .dialog)
        }
        func choice(_ t: String, _ f: Field) {
            label(f == .kind ? "Kind" : "Method", f)
            grid.putPadded("‹ \(t) ›", row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: fieldWidth, role: focus == f ? .fieldFocus : .field)
            line += 1
        }
        func input(_ t: String, _ f: Field, _ value: TextField, width: Int) {
            label(t, f)
            value.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + Self.labelWidth, width: width, focused: focus == f)
            line += 1
        }
        text(title)
        text("Price \(Format.money(c.price, c.currency)) · deposit \(Format.money(c.deposit, c.currency)) · paid \(Format.money(paid, c.currency)) · balance \(Format.money(balance, c.currency))")
        line += 1
        if mayRefund { choice(refund ? "refund" : "payment", .kind) }
        input("Amount", .amount, amount, width: 14)
        grid.putPadded(c.currency.code, row: box.row + line, col: box.col + 3 + Self.labelWidth + 14, width: 4, role: .dim)
        choice(method.rawValue, .method)
        input(refund ? "Reason" : "Reference", .reference, reference, width: fieldWidth)
        line += 1
        if let error { text(error, .error) } else { line += 1 }
        text(hint, .dim)
    }

    /// The keys the focused field takes, then the dialog's own.
    var hint: String {
        let own = "Enter record · Esc cancel · Tab next"
        switch focus {
        case .kind: return "←→ payment or refund · " + own
        case .method: return "←→ cash, card, transfer, external · " + own
        case .amount: return "Type the amount · " + own
        case .reference: return (refund ? "Why the refund · " : "A receipt number, never card data · ") + own
        }
    }
}
