/// One line of a booking's payments ledger: a payment taken, a refund owed back, or a fee
/// charged. Entries are only ever added; a mistake is put right by another entry.
public struct LedgerEntry: Hashable, Sendable {
    /// What the entry does to the booking's account.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Money received from the customer.
        case payment
        /// Money to go back to the customer (`refund.due`: a gateway or the desk pays it out).
        case refund
        /// A late-cancellation or no-show fee now owed.
        case fee
        /// A fee taken back: a status correction found the late cancellation or no-show that
        /// charged it did not happen. Its `reference` is the fee's (`no-show`, `late
        /// cancellation`), and it never exceeds what fees of that reference still charge.
        case feeReversal = "fee_reversal"
    }

    /// `pay_…`, unique in the store.
    public var id: String
    public var kind: Kind
    /// Always positive, in the booking's currency's minor units; `kind` says which way it goes.
    public var amount: Int64
    /// How it was paid or is to be refunded; nil for a fee and a fee's reversal.
    public var method: PaymentMethod?
    /// The desk's reference (a receipt number, a gateway's id) or a refund's or fee's reason;
    /// empty when none. Never card data (``TextRules/paymentReference(_:)``).
    public var reference: String
    public var at: Instant
    public var actor: Author
    /// The key a caller sent so that a retry records the payment once; nil when none.
    public var idempotencyKey: String?

    public init(id: String, kind: Kind, amount: Int64, method: PaymentMethod?, reference: String, at: Instant,
                actor: Author, idempotencyKey: String?) {
        self.id = id; self.kind = kind; self.amount = amount; self.method = method; self.reference = reference
        self.at = at; self.actor = actor; self.idempotencyKey = idempotencyKey
    }
}
