/// What a change is about, as far as storage is concerned: enough for
/// ``BookingEngine/footprint(of:in:)`` to say which bookings the plan reads.
///
/// A front end describes its change with one of these and passes it to
/// ``BookingStorage/write(_:_:_:)`` with the plan; it never predicts the time ranges or
/// resources itself.
public enum ChangeRequest: Hashable, Sendable {
    /// A new booking or series.
    case book(BookingRequest)
    /// Many bookings judged one after the other and stored together (an import): the same
    /// reads as a `.batch` of `.book`s, without a second copy of the requests.
    case bookMany([BookingRequest])
    /// Many changes planned one after the other and stored together (an import): reads what
    /// each of them reads.
    case batch([ChangeRequest])
    /// Cancelling a booking, or by `scope` more of its series.
    case cancel(BookingID, scope: SeriesScope = .this)
    /// A status change of a booking.
    case setStatus(BookingID)
    /// Editing a booking's notes or customer: reads the booking only, not its neighbours.
    case edit(BookingID)
    /// Bringing back a cancelled booking as it was.
    case restore(BookingID)
    /// Moving a booking (and, by `scope`, more of its series) to `range`, on `resource` if given.
    case reschedule(BookingID, to: TimeRange, resource: ResourceID?, scope: SeriesScope)
    /// Moving a booking (and, by `scope`, more of its series) to `range` onto a new set of
    /// resources (the first its home), replacing every resource it held.
    case rescheduleOnto(BookingID, to: TimeRange, resources: [ResourceID], scope: SeriesScope)
    /// Booking a waitlist entry's slot, somewhere in its window on one of its resources.
    case bookFromWaitlist(WaitlistEntryID)
    /// Sweeping every resource's bookings in a span (reminders due, holds that lapsed).
    case sweep(TimeRange)
    /// Resources, schedules, customers and waitlist entries: reference data, always in memory.
    case directory
}
