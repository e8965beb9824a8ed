import FrontdeskCore
import FrontdeskSystem
import Glibc

extension Store {
    /// Folds every booking of `resources` (nil: all) that may overlap `range` into a value,
    /// each booking once, without loading the partitions into memory: what is in memory (the
    /// journal's changes and loaded partitions) first, then the generation's other partitions
    /// of the range, a month at a time, read, verified and decoded on all cores and dropped
    /// after `body` saw them. With `resources`, the partitions of other resources' bookings
    /// that also hold one of them (the occupancy files) are read too. Bookings outside `range`
    /// may be passed; callers filter.
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
        try scan(Booking.self, resources: resources, range: range, into: initial, body)
    }

    /// ``scanBookings(resources:range:into:_:)`` handing over only each booking's report
    /// fields (``ReportedBooking``): the partitions' bookings are decoded to those fields
    /// (``BookingSchema/readReportedPartition(_:)``) instead of whole, which is what a report
    /// over a long period spends its time on. Same bookings, same order, same failures.
    ///
    /// - Complexity: as ``scanBookings(resources:range:into:_:)``, with less decoding per booking.
    public func scanReportedBookings<T>(resources: [ResourceID]?, range: TimeRange, into initial: () -> T,
                                        _ body: (inout T, ReportedBooking) -> Void) throws(StoreError) -> T {
        try scan(ReportedBooking.self, resources: resources, range: range, into: initial, body)
    }

    /// The scan behind both: `Row` is what each booking is decoded to.
    private func scan<Row: ScannedBooking, T>(_ row: Row.Type, resources: [ResourceID]?, range: TimeRange, into initial: () -> T,
                                              _ body: (inout T, Row) -> Void) throws(StoreError) -> T {
        try requireComplete()
        for _ in 0..<3 {
            do {
                if let value = try scanOnce(Row.self, resources: resources, range: range, initial(), body) { return value }
            } catch {
                throw Store.asIncomplete(error)
            }
            _ = try catchUp(holdingLock: lock.held)
            try adoptNewestGeneration()
        }
        throw .incomplete(missing: "the store was compacted three times while it was read; try again")
    }

    /// One pass of `scan`; nil when a partition file vanished under it (compacted away).
    private func scanOnce<Row: ScannedBooking, T>(_ row: Row.Type, resources: [ResourceID]?, range: TimeRange, _ start: T,
                                                  _ body: (inout T, Row) -> Void) throws(StoreError) -> T? {
        var value = start
        let wanted = resources.map(Set.init)
        let margin = TimeSpan(seconds: generation.manifest.maxBookingSeconds + 86400)
        let reach = TimeRange(start: range.start - margin, end: range.end + .days(1))
        for b in state.bookings.values where b.range.overlaps(reach) {
            if let wanted, !b.resources.contains(where: wanted.contains) { continue }
            body(&value, Row(inMemory: b))
        }
        var keys = try ownPartitionKeys(resources: resources, range: range)
        if let resources, generation.manifest.hasOccupancies {
            keys.formUnion(try occupiedPartitionKeys(resources: resources, range: range))
        }
        var months: [String: [String]] = [:]
        for k in keys { months[String(k.prefix(7)), default: []].append(k) }
        let gen = generation, fs = self.fs
        // Reading on the worker threads too, unless the file system numbers its calls (the
        // fault-injecting double), whose crash points must not depend on thread timing.
        let readInParallel = fs.allowsConcurrentUse
        for month in months.keys.sorted() {
            let files = months[month]!.sorted()
            var bytes: [[UInt8]] = []
            if !readInParallel {
                bytes.reserveCapacity(files.count)
                for key in files {
                    guard let b = try Self.partitionBytes(key, of: gen, fs: fs) else { return nil }
                    bytes.append(b)
                }
            }
            let read = bytes
            let decoded = try ParallelWork.map(count: files.count) { (i: Int) throws(StoreError) -> [Row]? in
                let b: [UInt8]
                if readInParallel {
                    guard let fresh = try Self.partitionBytes(files[i], of: gen, fs: fs) else { return nil }
                    b = fresh
                } else {
                    b = read[i]
                }
                return b.isEmpty ? [] : try Row.decodePartition(files[i], bytes: b, in: gen)
            }
            partitionFilesRead += files.count
            for list in decoded {
                guard let list else { return nil }
                for b in list where state.bookings[b.id] == nil && !touched.contains(b.id) {
                    if let wanted, !b.holds(anyOf: wanted) { continue }
                    body(&value, b)
                }
            }
        }
        return value
    }

    /// The verified bytes of partition `key` of `gen` (empty when the manifest lists none), or
    /// nil when the file is gone (a compaction removed it). Safe on any thread when `fs` is.
    private static func partitionBytes(_ key: String, of gen: Generation, fs: any FileSystem) throws(StoreError) -> [UInt8]? {
        do { return try gen.bytes(Generation.partitionPath(key), fs: fs) ?? [] } catch .io(_, _, ENOENT) { return nil }
    }
}
