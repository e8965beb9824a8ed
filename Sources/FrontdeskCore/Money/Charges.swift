/// What a booking costs and what has been paid against it: its price, the deposit that
/// confirms it, the fees its policy charges, and the ledger of payments, refunds and fees.
///
/// Stored with the booking (one record, one atomic write), so a payment and the status change
/// it causes can never be split, and a booking's money is read only when the booking is.
/// Totals are derived from the ledger, never stored.
public struct Charges: Hashable, Sendable {
    public var currency: Currency
    /// The price in minor units.
    public var price: Int64
    /// The part of the price that must be paid to confirm a `pending_payment` booking.
    public var deposit: Int64
    /// Charged when the booking is cancelled inside its cancellation notice.
    public var lateCancelFee: Int64
    /// Charged when the booking is marked `no_show`.
    public var noShowFee: Int64
    /// A manager's reason for setting the price by hand (nil: the price came with the booking's
    /// service, or there is none).
    public var priceReason: String?
    /// Payments, refunds and fees, oldest first.
    public var ledger: [LedgerEntry]

    public init(currency: Currency, price: Int64, deposit: Int64, lateCancelFee: Int64 = 0, noShowFee: Int64 = 0,
                priceReason: String? = nil, ledger: [LedgerEntry] = []) {
        self.currency = currency; self.price = price; self.deposit = deposit
        self.lateCancelFee = lateCancelFee; self.noShowFee = noShowFee; self.priceReason = priceReason; self.ledger = ledger
    }

    /// The sum of the ledger's entries of `kind`, in minor units.
    ///
    /// - Throws: ``MoneyError/overflow`` (never for amounts the engine accepted).
    /// - Complexity: O(ledger entries).
    public func total(_ kind: LedgerEntry.Kind) throws(MoneyError) -> Int64 {
        try Money.sum(ledger.lazy.filter { $0.kind == kind }.map(\.amount))
    }

    /// Payments less refunds: what the business holds of the customer's money.
    public func paid() throws(MoneyError) -> Int64 {
        try Money.checked(try total(.payment).subtractingReportingOverflow(try total(.refund)))
    }

    /// Fees charged, less fees reversed.
    public func fees() throws(MoneyError) -> Int64 {
        try Money.checked(try total(.fee).subtractingReportingOverflow(try total(.feeReversal)))
    }

    /// What fees whose reference is `reference` (`no-show`, `late cancellation`) still
    /// charge: those charged less those reversed.
    ///
    /// - Throws: ``MoneyError/overflow`` (never for amounts the engine accepted).
    /// - Complexity: O(ledger entries).
    public func fees(reference: String) throws(MoneyError) -> Int64 {
        let charged = try Money.sum(ledger.lazy.filter { $0.kind == .fee && $0.reference == reference }.map(\.amount))
        let reversed = try Money.sum(ledger.lazy.filter { $0.kind == .feeReversal && $0.reference == reference }.map(\.amount))
        return try Money.checked(charged.subtractingReportingOverflow(reversed))
    }

    /// What the customer owes for a booking in `status`: the price while the booking stands
    /// (a cancelled or no-show booking owes its fees instead), plus fees charged.
    public func owed(status: BookingStatus) throws(MoneyError) -> Int64 {
        let base: Int64 = (status == .cancelled || status == .noShow) ? 0 : price
        return try Money.checked(base.addingReportingOverflow(try fees()))
    }

    /// Owed less paid: positive when the customer still owes, negative when money is due back.
    public func balance(status: BookingStatus) throws(MoneyError) -> Int64 {
        try Money.checked(try owed(status: status).subtractingReportingOverflow(try paid()))
    }

    /// Whether what is paid covers the deposit.
    public func depositCovered() throws(MoneyError) -> Bool { try paid() >= deposit }

    /// `amount` minor units as money of this booking's currency.
    public func money(_ amount: Int64) -> Money { Money(minorUnits: amount, currency: currency) }
}
