import FrontdeskCore
import FrontdeskSystem
import Glibc

extension Store {
    /// Folds every booking of `resources` (nil: all) that may overlap `range` into a value,
    /// each booking once, without loading the partitions into memory: what is in memory (the
    /// journal's changes and loaded partitions) first, then the generation's other partitions
    /// of the range, a month at a time, decoded on all cores and dropped after `body` saw them.
    /// With `resources`, the partitions of other resources' bookings that also hold one of them
    /// (the occupancy files) are read too. Bookings outside `range` may be passed; callers filter.
    ///
    /// For reports over long periods: memory holds one month's partitions, not the period's.
    /// Fails like ``completeRead(_:)``: `.incomplete` when the journal could not be replayed
    /// or a file of the range fails verification. When a compaction removes a partition file
    /// mid-scan, the scan catches up, adopts the newer generation and starts over from `initial()`.
    ///
    /// - Complexity: O(bytes of the range's partitions + bookings in memory); wall time about
    ///   the decoding divided by the number of cores.
    public func scanBookings<T>(resources: [ResourceID]?, range: TimeRange, into initial: () -> T,
                                _ body: (inout T, Booking) -> Void) throws(StoreError) -> T {
        try requireComplete()
        for _ in 0..<3 {
            do {
                if let value = try scanOnce(resources: resources, range: range, initial(), body) { return value }
            } catch {
                throw Store.asIncomplete(error)
            }
            _ = try catchUp(holdingLock: lock.held)
            try adoptNewestGeneration()
        }
        throw .incomplete(missing: "the store was compacted three times while it was read; try again")
    }

    /// One pass of `scanBookings`; nil when a partition file vanished under it (compacted away).
    private func scanOnce<T>(resources: [ResourceID]?, range: TimeRange, _ start: T,
                             _ body: (inout T, Booking) -> Void) throws(StoreError) -> T? {
        var value = start
        let wanted = resources.map(Set.init)
        let margin = TimeSpan(seconds: generation.manifest.maxBookingSeconds + 86400)
        let reach = TimeRange(start: range.start - margin, end: range.end + .days(1))
        for b in state.bookings.values where b.range.overlaps(reach) {
            if let wanted, !b.resources.contains(where: wanted.contains) { continue }
            body(&value, b)
        }
        var keys = try ownPartitionKeys(resources: resources, range: range)
        if let resources, generation.manifest.hasOccupancies {
            keys.formUnion(try occupiedPartitionKeys(resources: resources, range: range))
        }
        var months: [String: [String]] = [:]
        for k in keys { months[String(k.prefix(7)), default: []].append(k) }
        let gen = generation
        for month in months.keys.sorted() {
            let files = months[month]!.sorted()
            var bytes: [[UInt8]] = []
            bytes.reserveCapacity(files.count)
            for key in files {
                do { bytes.append(try gen.bytes(Generation.partitionPath(key), fs: fs) ?? []) } catch .io(_, _, ENOENT) {
                    return nil
                }
            }
            let work = bytes
            let decoded = try ParallelWork.map(count: files.count) { (i: Int) throws(StoreError) -> [Booking] in
                work[i].isEmpty ? [] : try gen.decodePartition(files[i], bytes: work[i])
            }
            partitionFilesRead += files.count
            for list in decoded {
                for b in list where state.bookings[b.id] == nil && !touched.contains(b.id) {
                    if let wanted, !b.resources.contains(where: wanted.contains) { continue }
                    body(&value, b)
                }
            }
        }
        return value
    }
}
