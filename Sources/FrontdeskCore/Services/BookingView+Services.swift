extension BookingView {
    /// Whether `resource` can take `service` from `start`, as this view sees the bookings (a
    /// plan's own changes included): what ``BookingState/serviceFits(_:on:at:now:policies:)``
    /// answers for the stored state.
    ///
    /// - Complexity: O(d + r·(log n + k)): d days of hours, r related resources, k bookings
    ///   near the time.
    func serviceFits(_ service: Service, on resource: ResourceID, at start: Instant, policies: Bool = true) -> Bool {
        guard let r = state.resources[resource], !r.archived else { return false }
        let booked = service.range(startingAt: start), buffered = service.footprint(startingAt: start)
        if policies {
            let rules = state.availability(for: r)
            if !rules.blackouts(overlapping: buffered).isEmpty || !rules.isOpen(for: buffered) { return false }
            let p = state.policy(for: resource)
            if p.minimumNotice.seconds > 0 {
                if booked.start < now + p.minimumNotice { return false }
            } else if booked.end <= now {
                return false
            }
            if let adv = p.maximumAdvance, booked.start > now + adv { return false }
        }
        // The booked time widened by the larger of the resource's and the service's buffers,
        // as the booking will keep it once made.
        return blockers(on: resource, range: booked, bufferBefore: service.bufferBefore, bufferAfter: service.bufferAfter).isEmpty
    }

    /// The resources a whole `service` would take from `start` (``ResourceChooser`` over
    /// `pool`, in the order given), or nil when no combination is free.
    func serviceCombination(_ service: Service, among pool: [Resource], at start: Instant) -> [[ResourceID]]? {
        if case .success(let chosen) = ResourceChooser.choose(service.requirements, among: pool, isFree: { serviceFits(service, on: $0, at: start) }) {
            return chosen
        }
        return nil
    }
}
