/// What a payment or refund request produced.
public struct PaymentOutcome: Hashable, Sendable {
    /// The booking after the entry (for a replay, as it is now).
    public var booking: Booking
    /// The entry recorded, or for a replayed idempotency key the one recorded before.
    public var entry: LedgerEntry
    /// True when the idempotency key had recorded this very entry before: nothing is written.
    public var replayed: Bool
}
