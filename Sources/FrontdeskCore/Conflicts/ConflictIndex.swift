/// Per-resource interval index of blocking bookings, for conflict checks without scanning.
///
/// Holds one `IntervalTree<BookingID>` per resource plus a `BookingID → ResourceID` map, so a
/// booking can be moved or removed knowing only its id. The ranges stored are the ones the
/// caller passes — already widened by the resource's buffers; the index applies no policy.
/// Ranges are half-open: touching ranges do not overlap and empty ranges overlap nothing.
package struct ConflictIndex: Sendable {
    /// One tree per resource ever indexed; `slots` maps a resource to its tree. Trees sit in
    /// an array (not dictionary values) so a query borrows its tree without copying it.
    private var trees: [IntervalTree<BookingID>] = []
    private var slots: [ResourceID: Int] = [:]
    private var resourceOf: [BookingID: ResourceID] = [:]

    package init() {}

    /// Number of bookings indexed, across all resources. - Complexity: O(1).
    package var count: Int { resourceOf.count }

    /// Whether `id` is indexed. - Complexity: O(1) expected.
    package func contains(_ id: BookingID) -> Bool { resourceOf[id] != nil }

    /// The resource `id` is indexed on, if any. - Complexity: O(1) expected.
    package func resource(of id: BookingID) -> ResourceID? { resourceOf[id] }

    /// The (buffer-widened) range indexed for `id`, if any. - Complexity: O(1) expected.
    package func range(of id: BookingID) -> TimeRange? {
        guard let r = resourceOf[id], let slot = slots[r] else { return nil }
        return trees[slot].range(of: id)
    }

    /// Makes room for `n` more bookings, so loading a batch does not rehash repeatedly.
    package mutating func reserveCapacity(forAdditional n: Int) {
        resourceOf.reserveCapacity(resourceOf.count + n)
    }

    /// Indexes `id` on `resource` over `range`; re-inserting an id moves it, even across resources.
    /// - Complexity: O(log n) expected, n the number of bookings on the resource(s) involved.
    package mutating func insert(_ id: BookingID, resource: ResourceID, range: TimeRange) {
        if let old = resourceOf.updateValue(resource, forKey: id), old != resource {
            removeFromTree(id, on: old)
        }
        trees[slot(for: resource)].insert(id, range)
    }

    /// Removes `id` from the index; does nothing if it is not indexed.
    /// - Complexity: O(log n) expected.
    package mutating func remove(_ id: BookingID) {
        guard let r = resourceOf.removeValue(forKey: id) else { return }
        removeFromTree(id, on: r)
    }

    /// Ids of the bookings on `resource` whose ranges overlap `range`, in start order.
    /// - Complexity: O(log n + k) for k results when the resource's bookings do not overlap
    ///   one another (the normal case); see `IntervalTree` for the worst case.
    package func overlapping(_ range: TimeRange, on resource: ResourceID) -> [BookingID] {
        guard let slot = slots[resource] else { return [] }
        // Borrow the tree in place through the buffer rather than risk a copy of the struct
        // (a retain and release per array) on every query.
        return trees.withUnsafeBufferPointer { $0[slot].overlapping(range) }
    }

    /// Whether any booking on `resource` other than `excluded` overlaps `range`; stops at the
    /// first one. - Complexity: as `overlapping`, but stops at the first match.
    package func hasOverlap(_ range: TimeRange, on resource: ResourceID, excluding excluded: BookingID? = nil) -> Bool {
        guard let slot = slots[resource] else { return false }
        return trees.withUnsafeBufferPointer { $0[slot].anyOverlap(range) { $0 != excluded } }
    }

    private mutating func removeFromTree(_ id: BookingID, on resource: ResourceID) {
        // Emptied trees are kept (with their capacity): resources are few and long-lived.
        if let slot = slots[resource] { trees[slot].remove(id) }
    }

    private mutating func slot(for resource: ResourceID) -> Int {
        if let slot = slots[resource] { return slot }
        trees.append(IntervalTree())
        slots[resource] = trees.count - 1
        return trees.count - 1
    }

    /// Describes the first broken invariant (in a tree, or between the trees and the id map),
    /// or returns nil. For tests. - Complexity: O(n).
    func validate() -> String? {
        var total = 0
        if slots.count != trees.count || Set(slots.values) != Set(trees.indices) { return "slots do not map one-to-one onto trees" }
        for (resource, slot) in slots {
            if let problem = trees[slot].validate() { return "resource \(resource): \(problem)" }
            total += trees[slot].count
        }
        if total != resourceOf.count { return "trees hold \(total) bookings, id map holds \(resourceOf.count)" }
        for (id, resource) in resourceOf where slots[resource].map({ trees[$0].contains(id) }) != true {
            return "\(id) mapped to \(resource) but not in its tree"
        }
        return nil
    }
}
