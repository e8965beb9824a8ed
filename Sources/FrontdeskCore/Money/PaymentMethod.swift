/// How money changed hands. No card data is kept for `card`: the terminal or gateway has it.
public enum PaymentMethod: String, Hashable, Sendable, CaseIterable {
    case cash, card, transfer
    /// Taken by a system outside Frontdesk (a payment gateway, a voucher platform).
    case external
}
