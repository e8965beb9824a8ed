extension Booking {
    /// The time the booking keeps a resource from others: its range widened by that
    /// resource's buffers (`policy`), as the conflict index holds it.
    func occupiedRange(with policy: EffectivePolicy) -> TimeRange {
        range.widened(before: policy.bufferBefore, after: policy.bufferAfter)
    }

    /// Whether it holds any of `set`. - Complexity: O(resources held).
    func holds(anyOf set: Set<ResourceID>) -> Bool {
        set.contains(resource) || (!otherResources.isEmpty && otherResources.contains(where: set.contains))
    }
}
