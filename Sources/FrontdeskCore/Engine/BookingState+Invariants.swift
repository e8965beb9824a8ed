/// Re-checks stored bookings by the engine's own rules, for the store's `check`: a record
/// with a valid checksum may still have been forged or hand-edited.
extension BookingState {
    /// The blocking bookings that `booking` conflicts with at `now`, by exactly the rule the
    /// engine applies when booking (buffers, parent and child resources, the conflict index);
    /// empty when `booking` does not block.
    package func conflicts(of booking: Booking, at now: Instant) -> [Booking] {
        guard booking.blocks(at: now) else { return [] }
        return BookingView(state: self, now: now).blockers(on: booking.resource, range: booking.range, excluding: [booking.id])
    }
}
