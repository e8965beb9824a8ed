extension Booking {
    /// The catalog service a report files the booking under; nil: "no service".
    var reportService: ServiceID? { nil }

    /// The time the booking keeps `resource` from others: its range widened by that
    /// resource's buffers (`policy`), as the conflict index holds it.
    func occupiedRange(with policy: EffectivePolicy) -> TimeRange {
        range.widened(before: policy.bufferBefore, after: policy.bufferAfter)
    }
}
