/// What a booking's history says about earlier changes, for the engine's policies and undo.
extension Booking {
    /// The history note that marks a move out of a cancellation notice (with its override).
    static let lateRescheduleMark = "late reschedule inside the cancellation notice"

    /// True once it was moved out of a slot inside its cancellation notice (by override), as
    /// `cancellation.late` is for a cancellation. Kept in the history, so files need no new field.
    public var lateReschedule: Bool {
        history.contains { $0.action == "rescheduled" && $0.changes.contains { $0.hasPrefix(Self.lateRescheduleMark) } }
    }

    /// The status it had when it was last cancelled (from its history); `confirmed` when the
    /// history does not say.
    public var statusBeforeCancellation: BookingStatus {
        for h in history.reversed() where h.action == "cancelled" {
            for c in h.changes where c.hasPrefix("status ") && c.hasSuffix(" → cancelled") {
                let raw = c.dropFirst("status ".count).dropLast(" → cancelled".count)
                if let s = BookingStatus(rawValue: String(raw)) { return s }
            }
        }
        return .confirmed
    }
}
