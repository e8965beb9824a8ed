/// Where a booking is in its life. The allowed moves are in `BookingStatus+Transitions.swift`.
public enum BookingStatus: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Holds the slot until `holdExpiresAt`; then it no longer blocks and is cancelled.
    case pendingPayment = "pending_payment"
    case tentative
    case confirmed
    case completed
    case cancelled
    case noShow = "no_show"

    public var description: String { rawValue }

    /// Accepts `pending_payment`, `pending-payment`, `no-show`, any case.
    public init?(text: String) {
        self.init(rawValue: String(text.lowercased().map { $0 == "-" ? "_" : $0 }))
    }
}
