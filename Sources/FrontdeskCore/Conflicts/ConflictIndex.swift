// TEMPORARY brute-force stand-in; replaced by the interval-tree index from branch `index`.
struct ConflictIndex {
    private var entries: [BookingID: (ResourceID, TimeRange)] = [:]
    mutating func insert(_ id: BookingID, resource: ResourceID, range: TimeRange) { entries[id] = (resource, range) }
    mutating func remove(_ id: BookingID) { entries[id] = nil }
    func overlapping(_ range: TimeRange, on resource: ResourceID) -> [BookingID] {
        entries.filter { $0.value.0 == resource && $0.value.1.overlaps(range) }.map(\.key)
    }
    func contains(_ id: BookingID) -> Bool { entries[id] != nil }
    var count: Int { entries.count }
}
