extension BookingStorage {
    /// The resources of `customer`'s bookings in the year before `start`, most recent first,
    /// each once (cancelled ones left out): the stylist they saw last is tried first when a
    /// service's resources are chosen (`book --service`, the desk's booking form).
    ///
    /// - Complexity: that of ``bookings(ofCustomer:range:)`` over a year, then O(b · r) for b
    ///   bookings and r resources found.
    public func recentResources(of customer: CustomerID, before start: Instant) throws -> [ResourceID] {
        let past = try bookings(ofCustomer: customer, range: TimeRange(start: start - .days(365), end: start))
        var out: [ResourceID] = []
        for b in past.reversed() where b.status != .cancelled && !out.contains(b.resource) { out.append(b.resource) }
        return out
    }
}
