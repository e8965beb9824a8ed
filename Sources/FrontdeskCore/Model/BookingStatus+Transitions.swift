/// The booking state machine: the one table of allowed status changes.
extension BookingStatus {
    /// Every allowed move. Anything not listed is refused with `CoreError.invalidTransition`.
    public static let transitions: [BookingStatus: Set<BookingStatus>] = [
        .pendingPayment: [.tentative, .confirmed, .cancelled],
        .tentative: [.confirmed, .cancelled, .completed, .noShow],
        .confirmed: [.tentative, .cancelled, .completed, .noShow],
        .completed: [],
        .cancelled: [],
        .noShow: [],
    ]

    /// Statuses that may only be entered once the booking has started.
    static let requiresStarted: Set<BookingStatus> = [.completed, .noShow]

    public func canMove(to target: BookingStatus) -> Bool {
        BookingStatus.transitions[self, default: []].contains(target)
    }

    /// Statuses that still occupy their slot (holds also need an unexpired `holdExpiresAt`).
    public var occupiesSlot: Bool {
        switch self {
        case .cancelled, .noShow: false
        default: true
        }
    }

    /// Final statuses: no further change is possible.
    public var isFinal: Bool { BookingStatus.transitions[self, default: []].isEmpty }
}
