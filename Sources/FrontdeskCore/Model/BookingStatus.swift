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

    /// Whether a booking in this status, with its hold (if any) lapsing at `holdExpiresAt`,
    /// still keeps others out of its slot at `now` (``Booking/blocks(at:)``).
    public func blocks(holdExpiresAt: Instant?, at now: Instant) -> Bool {
        guard occupiesSlot else { return false }
        if self == .pendingPayment, let expiry = holdExpiresAt, expiry <= now { return false }
        return true
    }

    /// Accepts `pending_payment`, `pending-payment`, `no-show`, any case.
    public init?(text: String) {
        self.init(rawValue: String(text.lowercased().map { $0 == "-" ? "_" : $0 }))
    }
}
