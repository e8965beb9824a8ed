import FrontdeskCore

/// One change made at this desk that `u` can take back — by a new, opposite change, so the
/// history shows both.
enum UndoEntry: Sendable {
    /// Bookings created: undo cancels them.
    case booked([BookingID])
    /// A booking moved (with its series scope): undo moves it back.
    case moved(BookingID, from: TimeRange, resource: ResourceID, scope: SeriesScope)
    /// A status change: undo sets the old status again (when the state machine allows).
    case status(BookingID, from: BookingStatus)
    /// Bookings cancelled (as they were before): undo books the same slots again.
    case cancelled([Booking])

    /// What the undo will do, for the message.
    var summary: String {
        switch self {
        case .booked(let ids): "cancel the \(ids.count == 1 ? "booking" : "\(ids.count) bookings") you made"
        case .moved: "move the booking back"
        case .status(_, let s): "set the status back to \(Format.status(s))"
        case .cancelled(let list): "re-book the \(list.count == 1 ? "booking" : "\(list.count) bookings") you cancelled"
        }
    }
}
