import FrontdeskCore

/// Partition keys (`Partition.key`) built once per resource and month.
///
/// A compaction of many bookings asks for a key per booking; building it (the month's digits,
/// the resource id made file-name safe, the concatenation) costs several allocations each
/// time, and every directory-shard entry would keep its own copy of the string. From the cache the
/// key is one hash lookup, and the entries share one string.
struct PartitionKeyCache {
    private struct Slot: Hashable {
        var resource: ResourceID
        var month: Int
    }

    private var keys: [Slot: String] = [:]

    /// The key of the partition `b` belongs in: the same string as `Partition.key(b)`.
    /// - Complexity: O(1) expected after the first booking of its resource and month.
    mutating func key(_ b: Booking) -> String { key(resource: b.resource, start: b.start) }

    /// The key of the partition a booking on `resource` starting at `start` belongs in.
    mutating func key(resource: ResourceID, start: Instant) -> String {
        let s = start.seconds
        let date = LocalDate(daysSinceEpoch: s >= 0 ? s / 86400 : (s - 86399) / 86400)
        let slot = Slot(resource: resource, month: date.year * 12 + date.month)
        if let key = keys[slot] { return key }
        let key = Partition.key(month: Partition.month(start), resource: resource)
        keys[slot] = key
        return key
    }
}
