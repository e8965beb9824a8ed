/// Per-resource interval index of bookings, in two layers: the ranges that block (conflict
/// checks) and every booking's own range (what the day grid and lists draw).
///
/// Holds two `IntervalTree<BookingID>`s per resource, one per `Layer`, and one
/// `BookingID → (node in each layer)` map, so a booking can be moved or removed knowing only
/// its id. That map is the only table keyed by booking id: the trees address entries by node
/// handle, and both layers share it, so indexing a booking in both probes one large table once
/// (probing a million-entry table is the dominant cost of an insertion in a large import).
/// The ranges stored are the ones the caller passes — in the blocking layer, already widened
/// by the resource's buffers; the index applies no policy. Ranges are half-open: touching
/// ranges do not overlap and empty ranges overlap nothing.
package struct ConflictIndex: Sendable {
    /// Which ranges a tree holds.
    package enum Layer: Int, CaseIterable, Sendable {
        /// Bookings that occupy their slot, by their buffer-widened ranges: conflict checks.
        case blocking
        /// Every booking, any status, by its own range: the calendar.
        case calendar
    }

    /// Where an indexed booking sits in one layer: a tree (an index into `trees`) and a node;
    /// `tree` is -1 where the booking is not in that layer.
    private struct Location: Sendable {
        var tree: Int32
        var node: Int32
        static let none = Location(tree: -1, node: -1)
        var isNone: Bool { tree < 0 }
    }

    /// A booking's location in each layer.
    private struct Locations: Sendable {
        var blocking = Location.none
        var calendar = Location.none
        subscript(layer: Layer) -> Location {
            get { layer == .blocking ? blocking : calendar }
            set { if layer == .blocking { blocking = newValue } else { calendar = newValue } }
        }
        var isEmpty: Bool { blocking.isNone && calendar.isNone }
    }

    /// Two trees per resource ever indexed (resource slot `s` has tree `2s + layer`); `slots`
    /// maps a resource to its slot and `resources` back. Trees sit in an array (not dictionary
    /// values) so a query borrows its tree without copying it.
    private var trees: [IntervalTree<BookingID>] = []
    private var resources: [ResourceID] = []
    private var slots: [ResourceID: Int] = [:]
    private var locations: [BookingID: Locations] = [:]
    /// Where a booking that holds several resources sits on the others, one entry per other
    /// resource (in the order given): kept apart from `locations` so a booking of one resource,
    /// the normal case, costs nothing more. `overlapping` finds such a booking on every
    /// resource it holds, by its own id.
    private var others: [BookingID: [Locations]] = [:]
    private var counts = [0, 0]

    package init() {}

    /// Number of bookings indexed in `layer`, across all resources. - Complexity: O(1).
    package func count(in layer: Layer) -> Int { counts[layer.rawValue] }

    /// Whether `id` is indexed in `layer`. - Complexity: O(1) expected.
    package func contains(_ id: BookingID, in layer: Layer) -> Bool { locations[id].map { !$0[layer].isNone } ?? false }

    /// The resource `id` is indexed on in `layer`, if any. - Complexity: O(1) expected.
    package func resource(of id: BookingID, in layer: Layer) -> ResourceID? {
        guard let l = locations[id]?[layer], !l.isNone else { return nil }
        return resources[Int(l.tree) / 2]
    }

    /// The range indexed for `id` in `layer`, if any. - Complexity: O(1) expected.
    package func range(of id: BookingID, in layer: Layer) -> TimeRange? {
        guard let l = locations[id]?[layer], !l.isNone else { return nil }
        return trees[Int(l.tree)].range(at: l.node)
    }

    /// Makes room for `n` more bookings, so loading a batch does not rehash or regrow
    /// repeatedly. Each tree is given its even share of the `n`.
    package mutating func reserveCapacity(forAdditional n: Int) {
        locations.reserveCapacity(locations.count + n)
        guard !trees.isEmpty else { return }
        let share = n / (trees.count / 2)
        for i in trees.indices { trees[i].reserveCapacity(trees[i].count + share) }
    }

    /// Indexes `id` on `resource` over `range` in `layer`; re-inserting an id moves it, even
    /// across resources. The other layer is left as it is.
    /// - Complexity: O(log n) expected, n the number of bookings on the resource(s) involved.
    package mutating func insert(_ id: BookingID, resource: ResourceID, range: TimeRange, in layer: Layer) {
        let s = slot(for: resource)
        var entry = Locations()
        entry[layer] = Location(tree: Int32(2 * s + layer.rawValue), node: 0)
        // The new node first, detached, so that one probe of `locations` both finds the old
        // entry and records the new one; an old node is unlinked before the new one is linked,
        // so a tree never holds the same key twice.
        entry[layer].node = trees[2 * s + layer.rawValue].allocate(id, range)
        let old = Self.place(entry, only: layer, in: &locations[id, default: Locations()])
        finish(entry, replacing: old, only: layer)
    }

    /// Indexes `id` on `resource` in both layers with one probe of the id map: over `calendar`
    /// in the calendar layer and, if `blocking` is not nil, over it in the blocking layer
    /// (else `id` leaves that layer).
    /// - Complexity: O(log n) expected.
    package mutating func insert(_ id: BookingID, resource: ResourceID, calendar: TimeRange, blocking: TimeRange?) {
        let s = slot(for: resource)
        var entry = Locations()
        entry.calendar = Location(tree: Int32(2 * s + 1), node: trees[2 * s + 1].allocate(id, calendar))
        if let blocking { entry.blocking = Location(tree: Int32(2 * s), node: trees[2 * s].allocate(id, blocking)) }
        let old = Self.place(entry, only: nil, in: &locations[id, default: Locations()])
        // Its nodes on other resources go first: the new home may be one of them, and a tree
        // must never hold the same key twice.
        if !others.isEmpty { removeOthers(id, only: nil) }
        finish(entry, replacing: old, only: nil)
    }

    /// Indexes `id` as the combined `insert` does on `resource`, and also on each of `others`:
    /// over `calendar` in the calendar layer and over that resource's own `blocking` range
    /// (nil: not in the blocking layer), replacing wherever it was indexed before.
    /// - Complexity: O(r log n) expected for r resources.
    package mutating func insert(_ id: BookingID, resource: ResourceID, calendar: TimeRange, blocking: TimeRange?,
                                 others more: [(resource: ResourceID, blocking: TimeRange?)]) {
        insert(id, resource: resource, calendar: calendar, blocking: blocking)
        guard !more.isEmpty else { return }
        var entries: [Locations] = []
        entries.reserveCapacity(more.count)
        for (r, b) in more {
            let s = slot(for: r)
            var entry = Locations()
            entry.calendar = Location(tree: Int32(2 * s + 1), node: trees[2 * s + 1].allocate(id, calendar))
            trees[2 * s + 1].link(entry.calendar.node)
            if let b {
                entry.blocking = Location(tree: Int32(2 * s), node: trees[2 * s].allocate(id, b))
                trees[2 * s].link(entry.blocking.node)
            }
            entries.append(entry)
        }
        others[id] = entries
    }

    /// Unlinks `id`'s nodes on its other resources (in layer `only`, or both when nil).
    private mutating func removeOthers(_ id: BookingID, only: Layer?) {
        guard let i = others.index(forKey: id) else { return }
        var entries = others.values[i]
        for k in entries.indices {
            for l in Layer.allCases where (only == nil || only == l) && !entries[k][l].isNone {
                trees[Int(entries[k][l].tree)].remove(at: entries[k][l].node)
                entries[k][l] = .none
            }
        }
        entries.removeAll { $0.isEmpty }
        if entries.isEmpty { others.remove(at: i) } else { others.values[i] = entries }
    }

    /// The other resources `id` is indexed on in `layer`, in the order given. - Complexity: O(1) expected.
    package func otherResources(of id: BookingID, in layer: Layer) -> [ResourceID] {
        (others[id] ?? []).compactMap { $0[layer].isNone ? nil : resources[Int($0[layer].tree) / 2] }
    }

    /// Writes `entry` into a map entry (only layer `only`, or both when nil), returning what
    /// the entry held.
    private static func place(_ entry: Locations, only: Layer?, in slot: inout Locations) -> Locations {
        let old = slot
        if let only { slot[only] = entry[only] } else { slot = entry }
        return old
    }

    /// After `place`: unlinks the nodes that `entry` replaced, links its new ones, keeps the
    /// counts (in layer `only`, or both when nil). `entry` always holds at least one node,
    /// so the map entry `place` wrote is never left empty.
    private mutating func finish(_ entry: Locations, replacing old: Locations, only: Layer?) {
        for l in Layer.allCases where only == nil || only == l {
            if !old[l].isNone { trees[Int(old[l].tree)].remove(at: old[l].node); counts[l.rawValue] -= 1 }
            if !entry[l].isNone { trees[Int(entry[l].tree)].link(entry[l].node); counts[l.rawValue] += 1 }
        }
    }

    /// Removes `id` from `layer`; does nothing if it is not there.
    /// - Complexity: O(log n) expected.
    package mutating func remove(_ id: BookingID, from layer: Layer) {
        guard let i = locations.index(forKey: id) else { return }
        let l = locations.values[i][layer]
        guard !l.isNone else { return }
        trees[Int(l.tree)].remove(at: l.node)
        counts[layer.rawValue] -= 1
        locations.values[i][layer] = .none
        if locations.values[i].isEmpty { locations.remove(at: i) }
        if !others.isEmpty { removeOthers(id, only: layer) }
    }

    /// Removes `id` from both layers; does nothing if it is not indexed.
    /// - Complexity: O(log n) expected.
    package mutating func remove(_ id: BookingID) {
        // Emptied trees are kept (with their capacity): resources are few and long-lived.
        guard let old = locations.removeValue(forKey: id) else { return }
        for l in Layer.allCases where !old[l].isNone {
            trees[Int(old[l].tree)].remove(at: old[l].node)
            counts[l.rawValue] -= 1
        }
        if !others.isEmpty { removeOthers(id, only: nil) }
    }

    /// Ids of the bookings on `resource` whose ranges in `layer` overlap `range`, in start
    /// order. - Complexity: O(log n + k) for k results when the resource's bookings do not
    /// overlap one another (the normal case); see `IntervalTree` for the worst case.
    package func overlapping(_ range: TimeRange, on resource: ResourceID, in layer: Layer) -> [BookingID] {
        guard let slot = slots[resource] else { return [] }
        // Borrow the tree in place through the buffer rather than risk a copy of the struct
        // (a retain and release per array) on every query.
        return trees.withUnsafeBufferPointer { $0[2 * slot + layer.rawValue].overlapping(range) }
    }

    /// Whether any booking on `resource` other than `excluded` overlaps `range` in `layer`;
    /// stops at the first one. - Complexity: as `overlapping`, but stops at the first match.
    func hasOverlap(_ range: TimeRange, on resource: ResourceID, in layer: Layer, excluding excluded: BookingID? = nil) -> Bool {
        guard let slot = slots[resource] else { return false }
        return trees.withUnsafeBufferPointer { $0[2 * slot + layer.rawValue].anyOverlap(range) { $0 != excluded } }
    }

    private mutating func slot(for resource: ResourceID) -> Int {
        if let slot = slots[resource] { return slot }
        trees.append(IntervalTree())
        trees.append(IntervalTree())
        resources.append(resource)
        slots[resource] = resources.count - 1
        return resources.count - 1
    }

    /// Describes the first broken invariant (in a tree, between the trees and the id map, or
    /// in the counts), or returns nil. For tests. - Complexity: O(n).
    func validate() -> String? {
        if slots.count != resources.count || trees.count != 2 * resources.count || Set(slots.values) != Set(resources.indices) {
            return "slots do not map one-to-one onto resources and their two trees"
        }
        var inTrees = [0, 0]
        for (resource, slot) in slots {
            if resources[slot] != resource { return "slot \(slot) is \(resources[slot])'s, slots say \(resource)'s" }
            for l in Layer.allCases {
                if let problem = trees[2 * slot + l.rawValue].validate() { return "resource \(resource), \(l): \(problem)" }
                inTrees[l.rawValue] += trees[2 * slot + l.rawValue].count
            }
        }
        var inMap = [0, 0]
        for (id, locs) in locations {
            if locs.isEmpty { return "\(id) is in the id map with no node" }
            for l in Layer.allCases where !locs[l].isNone {
                let loc = locs[l]
                inMap[l.rawValue] += 1
                if Int(loc.tree) % 2 != l.rawValue { return "\(id)'s \(l) node is in a tree of the other layer" }
                if trees[Int(loc.tree)].key(at: loc.node) != id {
                    return "\(id) mapped to node \(loc.node) of \(resources[Int(loc.tree) / 2])'s \(l) tree, which holds \(String(describing: trees[Int(loc.tree)].key(at: loc.node)))"
                }
            }
        }
        var onOthers = [0, 0]
        for (id, entries) in others {
            if entries.isEmpty { return "\(id) is in the map of other resources with none" }
            guard let home = locations[id] else { return "\(id) is indexed on other resources but not on its own" }
            for (k, locs) in entries.enumerated() {
                if locs.isEmpty { return "\(id)'s other resource \(k) has no node" }
                for l in Layer.allCases where !locs[l].isNone {
                    if home[l].isNone { return "\(id) is in the \(l) layer on another resource but not on its own" }
                    onOthers[l.rawValue] += 1
                    if Int(locs[l].tree) % 2 != l.rawValue { return "\(id)'s \(l) node on another resource is in a tree of the other layer" }
                    if trees[Int(locs[l].tree)].key(at: locs[l].node) != id { return "\(id)'s node on another resource holds another key" }
                }
            }
        }
        for l in Layer.allCases { inTrees[l.rawValue] -= onOthers[l.rawValue] }
        for l in Layer.allCases where inTrees[l.rawValue] != inMap[l.rawValue] || inMap[l.rawValue] != counts[l.rawValue] {
            return "\(l): trees hold \(inTrees[l.rawValue]), id map \(inMap[l.rawValue]), count says \(counts[l.rawValue])"
        }
        return nil
    }
}
