/// Re-checks stored bookings by the engine's own rules, for the store's `check`: a record
/// with a valid checksum may still have been forged or hand-edited.
extension BookingState {
    /// The blocking bookings that `booking` conflicts with at `now`, by exactly the rule the
    /// engine applies when booking (buffers, parent and child resources, the conflict index);
    /// empty when `booking` does not block. A booking holding several resources is checked on each.
    package func conflicts(of booking: Booking, at now: Instant) -> [Booking] {
        guard booking.blocks(at: now) else { return [] }
        let view = BookingView(state: self, now: now)
        if booking.otherResources.isEmpty { return view.blockers(on: booking.resource, range: booking.range, excluding: [booking.id]) }
        var found: [BookingID: Booking] = [:]
        for r in booking.resources {
            for b in view.blockers(on: r, range: booking.range, excluding: [booking.id]) { found[b.id] = b }
        }
        return found.values.sorted(by: Booking.startOrder)
    }
}
