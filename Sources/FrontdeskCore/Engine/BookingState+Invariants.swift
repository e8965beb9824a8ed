/// Re-checks stored bookings by the engine's own rules, for the store's `check`: a record
/// with a valid checksum may still have been forged or hand-edited.
extension BookingState {
    /// The blocking bookings that `booking` conflicts with at `now`, by exactly the rule the
    /// engine applies when booking (buffers, parent and child resources, the conflict index);
    /// empty when `booking` does not block. A booking holding several resources is checked on each.
    package func conflicts(of booking: Booking, at now: Instant) -> [Booking] {
        guard booking.blocks(at: now) else { return [] }
        let view = BookingView(state: self, now: now)
        func blockers(on r: ResourceID) -> [Booking] {
            view.blockers(on: r, range: booking.range, excluding: [booking.id], bufferBefore: booking.bufferBefore, bufferAfter: booking.bufferAfter)
        }
        if booking.otherResources.isEmpty { return blockers(on: booking.resource) }
        var found: [BookingID: Booking] = [:]
        for r in booking.resources {
            for b in blockers(on: r) { found[b.id] = b }
        }
        return found.values.sorted(by: Booking.startOrder)
    }
}
