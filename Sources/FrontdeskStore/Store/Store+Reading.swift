import FrontdeskSystem
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Applies records other processes appended since our offset; true if anything changed.
    /// Takes no lock. Accepts only complete, valid, consecutive records; follows segment
    /// rotation and compaction.
    public func refresh() throws(StoreError) -> Bool {
        try catchUp(holdingLock: false)
    }

    /// Reads new records from the current segment and any later ones.
    ///
    /// `followRotation: false` reads only the current segment's tail and skips the two stats
    /// that look for a rotation: a writer's reads before it holds the lock are only a head
    /// start (the catch-up under the lock follows rotations), and those stats were half of a
    /// one-process commit's catch-up time.
    func catchUp(holdingLock: Bool, followRotation: Bool = true) throws(StoreError) -> Bool {
        settleCompaction(waiting: false)
        var changed = false
        var attempts = 0
        while true {
            guard let segment else { return changed }
            // Windowed unless the last look found junk: a torn tail is judged on all of it.
            let scan = try scanTail(segment, from: offset, expect: lastSequence + 1, whole: tornLength > 0)
            tornLength = 0
            for rec in scan.records { applyRecord(rec) }
            if !scan.records.isEmpty { changed = true }
            offset = scan.validEnd
            switch scan.tail {
            case .clean: break
            case .torn(let n): tornLength = n
            case .corrupt(let at, let detail):
                // A writer may be mid-write: look again shortly before calling it damage.
                if !holdingLock && attempts < 5 { attempts += 1; usleep(2000); continue }
                markDamaged("\(segment.path) at offset \(at): \(detail)")
                throw .damaged(path: segment.path, detail: "offset \(at): \(detail)")
            }
            if !followRotation { break }
            // Cheap common case: our segment is still in journal/ and no segment starts right
            // after what we have read, so nothing rotated (two stats instead of a listing).
            if fs.stat(journalDir + "/" + Journal.segmentName(lastSequence + 1)) == nil,
               fs.stat(journalDir + "/" + Journal.segmentName(segmentFirst)) != nil {
                break
            }
            let segments = try Journal.segments(in: journalDir, fs: fs)
            if let later = segments.first(where: { $0.first > segmentFirst }) {
                // Our segment was superseded; it must end exactly where a later one begins.
                // The one we need may already have been folded into a snapshot and moved to events/.
                var next = segments.first { $0.first == lastSequence + 1 && $0.first > segmentFirst }
                var live = true
                if next == nil && tornLength == 0 && later.first > lastSequence + 1 {
                    next = try Journal.segments(in: eventsDir, fs: fs).first { $0.first == lastSequence + 1 }
                    live = false
                }
                guard let next, tornLength == 0 else {
                    // Re-read first: a writer may have appended or repaired the tail meanwhile.
                    if attempts < 5 { attempts += 1; usleep(2000); continue }
                    if later.first > lastSequence + 1 {
                        // What we need is gone (pruned event segments): start over from the snapshot.
                        try reloadKeepingPartitions()
                        return true
                    }
                    markDamaged("\(segment.path) ends at record \(lastSequence) with \(tornLength) stray bytes, but the next segment starts at \(later.first)")
                    throw .damaged(path: segment.path, detail: "segment does not continue into \(later.path)")
                }
                let f = try fs.open(next.path, flags: live ? O_RDWR : O_RDONLY, mode: 0)
                do { try settleFlushes() } catch { fs.close(f); throw error }
                fs.close(segment)
                self.segment = f
                segmentFirst = next.first
                offset = 0
                try? adoptNewestGeneration()
                changed = true
                continue
            }
            break
        }
        if holdingLock && tornLength > 0 { try repairTornTail() }
        return changed
    }

    /// Scans a journal segment from `start` (a record boundary) for new records.
    ///
    /// Preallocated segments end in up to a megabyte of zeros, and writers catch up on every
    /// write (and every millisecond while waiting for the lock), so this reads a window (8 KiB,
    /// then 4× larger) and stops at the first window in which zeros follow the last record: a
    /// writer only ever writes at the valid end, so the zeros beyond belong to the same
    /// padding. A torn or cut-off line reads on (a window may have cut a record). `whole`
    /// reads to the end of the file, as recovery does: that also finds zeros followed by a
    /// record (corruption) and a torn write whose first blocks are zeros, which only a power
    /// loss leaves, so only a fresh open (or a tail already known to be junk) needs it.
    func scanTail(_ file: OpenFile, from start: Int64, expect: UInt64, whole: Bool) throws(StoreError) -> SegmentScan {
        let size = try fs.size(file)
        var out = SegmentScan(empty: start)
        var at = start
        var window: Int64 = whole ? max(0, size - start) : 8 << 10
        while at < size {
            let end = size - at <= window ? size : at + window
            let bytes = try fs.readRange(file, from: at, to: end)
            let scan = SegmentScan(bytes: bytes, offset: at, expect: expect + UInt64(out.records.count))
            out.records += scan.records
            out.validEnd = scan.validEnd
            out.tail = scan.tail
            out.padding = scan.padding
            if end >= size || bytes.count < end - at { break }
            switch scan.tail {
            case .clean where scan.padding > 0, .corrupt: return out
            case .clean, .torn: break
            }
            at = scan.validEnd
            window *= 4
        }
        return out
    }

    /// Switches partition loading to a newer generation another process wrote, if our state
    /// already includes everything folded into it.
    func adoptNewestGeneration() throws(StoreError) {
        for g in try Generation.list(snapshotsDir, fs: fs) {
            if g <= generation.manifest.generation { return }
            guard let gen = try? Generation.open(snapshotsDir + "/" + Manifest.name(g), fs: fs) else { continue }
            if gen.manifest.lastSequence <= lastSequence {
                generation = gen
                seriesMap = nil
            }
            return
        }
    }

    /// Rebuilds from the newest snapshot, then loads back every partition that held a booking
    /// we had in memory, so a reload never shrinks what callers could see.
    func reloadKeepingPartitions() throws(StoreError) {
        var keys = loadedPartitions
        for b in state.bookings.values { keys.insert(Partition.key(b)) }
        try recover()
        try loadPartitions(keys)
    }

    /// Makes sure the partitions of `resources` (nil: all) overlapping `range` are in memory.
    ///
    /// - Complexity: O(log partitions + partitions in the months) to choose, plus the size of the files read.
    /// The customers of the bookings in memory there are loaded too (what shows them reads
    /// `state.customers`), and those of waitlist entries.
    public func load(resources: [ResourceID]?, range: TimeRange) throws(StoreError) {
        // The months before the range's are read for the bookings that reach into it only:
        // those are decoded, the rest of those partitions stays on disk. So is every partition
        // of a short range (the desk's day or week): decoding a resource's month to show one
        // day of it costs some thirty times what that day's bookings do.
        let first = Partition.month(range.start)
        let short = range.end - range.start <= Self.partialLoadAtMost
        var whole: Set<String> = [], part: Set<String> = []
        for key in try partitionKeys(resources: resources, range: range) {
            if short || key.utf8.prefix(7).lexicographicallyPrecedes(first.utf8) { part.insert(key) } else { whole.insert(key) }
        }
        try loadPartitions(whole)
        try loadCustomers(listedFor: try loadBookings(ofPartitions: part, overlapping: [range]))
        try loadCustomers(ofBookingsOn: resources, in: range)
        try loadTailCustomers()
    }

    /// The longest range ``load(resources:range:)`` decodes only the bookings of, in each
    /// partition it reads: a week (the desk's week view). Longer ranges decode whole
    /// partitions and keep them loaded.
    static let partialLoadAtMost = TimeSpan.days(7)

    /// The partitions not loaded yet that `load(resources:range:)` reads: those of `resources`
    /// and, through the occupancy files, those holding bookings that also hold one of them.
    func partitionKeys(resources: [ResourceID]?, range: TimeRange) throws(StoreError) -> Set<String> {
        var keys = try ownPartitionKeys(resources: resources, range: range)
        if let resources, generation.manifest.hasOccupancies {
            keys.formUnion(try occupiedPartitionKeys(resources: resources, range: range))
        }
        return keys
    }

    /// The partitions not loaded yet that hold bookings of another resource that also hold
    /// one of `resources` in the months of `range` (their occupancy files, read once per
    /// generation).
    /// - Complexity: O(log o + k) to choose, plus the occupancy files read.
    func occupiedPartitionKeys(resources: [ResourceID], range: TimeRange) throws(StoreError) -> Set<String> {
        let from = Partition.month(range.start - TimeSpan(seconds: generation.manifest.maxBookingSeconds + 86400))
        let to = Partition.lastMonth(of: range)
        let wanted = Set(resources.map { Partition.safe($0.rawValue) })
        let manifest = generation.manifest
        var keys: Set<String> = []
        for key in try manifest.occupancies(fromMonth: from, toMonth: to) {
            guard let slash = key.firstIndex(of: "/"), wanted.contains(String(key[key.index(after: slash)...])) else { continue }
            let cacheKey = "\(manifest.generation):\(key)"
            var homes = occupancyHomes[cacheKey]
            if homes == nil {
                do { homes = Array(Set(try generation.occupancy(key, fs: fs).map(\.home))) } catch { throw noteDamage(error) }
                occupancyHomes[cacheKey] = homes
            }
            // Only partitions the generation has: the file is not trusted to name others.
            for home in homes ?? [] where !loadedPartitions.contains(home) {
                if try manifest.contains(Generation.partitionPath(home)) { keys.insert(home) }
            }
        }
        return keys
    }

    /// The most resources whose partitions a range load looks up one by one in the months'
    /// lists (``Manifest/partitions(fromMonth:toMonth:resources:)``); more list the months.
    static let partitionLookupsAtMost = 8

    /// The partitions of `resources` (nil: all) not loaded yet.
    ///
    /// - Throws: `StoreError.damaged` naming a manifest section list that cannot be read.
    func ownPartitionKeys(resources: [ResourceID]?, range: TimeRange) throws(StoreError) -> Set<String> {
        let from = Partition.month(range.start - TimeSpan(seconds: generation.manifest.maxBookingSeconds + 86400))
        let to = Partition.lastMonth(of: range)
        let wanted = resources.map { Set($0.map { Partition.safe($0.rawValue) }) }
        var keys: Set<String> = []
        // A few resources look their partitions up one by one; more list the months.
        let candidates: [String]
        if let wanted, wanted.count <= Self.partitionLookupsAtMost {
            candidates = try generation.manifest.partitions(fromMonth: from, toMonth: to, resources: wanted)
        } else {
            candidates = try generation.manifest.partitions(fromMonth: from, toMonth: to)
        }
        for key in candidates where !loadedPartitions.contains(key) {
            if let wanted, let slash = key.firstIndex(of: "/"), !wanted.contains(String(key[key.index(after: slash)...])) { continue }
            keys.insert(key)
        }
        return keys
    }

    /// Like `load(resources:range:)`, but a partition that fails verification is skipped instead
    /// of failing the load (for `export --allow-partial`): returns one line per skipped
    /// partition saying whose bookings of which month are missing and why.
    public func loadReadable(resources: [ResourceID]?, range: TimeRange) throws(StoreError) -> [String] {
        var missing: [String] = []
        var keys = try ownPartitionKeys(resources: resources, range: range)
        if let resources {
            do { keys.formUnion(try occupiedPartitionKeys(resources: resources, range: range)) } catch .damaged(let path, let detail) {
                missing.append("\(Store.whatIsMissing(damagedPath: path)) (\(path): \(detail))")
            }
        }
        for key in keys.sorted() {
            do { try loadPartitions([key]) } catch .damaged(let path, let detail) {
                missing.append("\(Store.whatIsMissing(damagedPath: path)) (\(path): \(detail))")
            }
        }
        try loadCustomers(ofBookingsOn: resources, in: range)
        try loadTailCustomers()
        return missing
    }

    /// Fails with `.incomplete` when the journal could not be replayed to its end (unreadable
    /// records, or records after a fallback generation that are no longer kept): then every
    /// booking, customer and resource read may lack changes, so no read passes for complete.
    public func requireComplete() throws(StoreError) {
        if let missing = missingRecords { throw .incomplete(missing: missing) }
    }

    /// What `requireComplete()` reports: nil when the journal was replayed to its end.
    public var missingRecords: String? {
        guard !damage.isEmpty else { return nil }
        return "the journal records after record \(lastSequence) cannot be read (\(damage.joined(separator: "; "))): bookings, customers and resources they changed are missing"
    }

    /// `error` as a read reports it: a file that failed verification (`.damaged`) becomes
    /// `.incomplete`, naming what that file holds; anything else is returned unchanged.
    public static func asIncomplete(_ error: StoreError) -> StoreError {
        guard case .damaged(let path, let detail) = error else { return error }
        return .incomplete(missing: "\(whatIsMissing(damagedPath: path)) (\(path): \(detail))")
    }

    /// Runs a read after `requireComplete()`, turning a file that fails verification on the way
    /// (`.damaged`) into `.incomplete` naming what that file holds: so a damaged partition fails
    /// only the reads of its resource and month, and a damaged directory shard only the lookups
    /// that land in it.
    public func completeRead<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try requireComplete()
        do { return try body() } catch { throw Store.asIncomplete(error) }
    }

    /// What a store file that failed verification holds, for messages: "the bookings of
    /// resource res_x starting in 2027-03", "booking directory shard 07 (lookups by id or
    /// reference that land in it)", …
    public static func whatIsMissing(damagedPath path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        func stem(_ name: String) -> String { name.hasSuffix(".json") ? String(name.dropLast(5)) : name }
        if let i = parts.lastIndex(of: "partition-customers"), i + 2 < parts.count {
            return "the customers of resource \(stem(parts[i + 2]))'s bookings starting in \(parts[i + 1])"
        }
        if parts.contains("search") {
            return "the search index (searches for words of bookings' notes and references)"
        }
        if let i = parts.lastIndex(of: "by-customer"), i + 1 < parts.count {
            return "customer index shard \(stem(parts[i + 1])) (the bookings of the customers in it)"
        }
        if let i = parts.lastIndex(of: "bookings"), i + 2 < parts.count {
            let month = parts[i + 1]
            return "the bookings of resource \(stem(parts[i + 2])) starting in \(month)"
        }
        if let i = parts.lastIndex(of: "occupancy"), i + 2 < parts.count {
            return "the bookings of other resources that also hold resource \(stem(parts[i + 2])) starting in \(parts[i + 1])"
        }
        if let i = parts.lastIndex(of: "directory"), i + 1 < parts.count {
            return "booking directory shard \(stem(parts[i + 1])) (lookups by id or reference that land in it)"
        }
        if let i = parts.lastIndex(of: "idempotency"), i + 1 < parts.count {
            return "idempotency key shard \(stem(parts[i + 1])) (keyed requests whose key lands in it)"
        }
        if let i = parts.lastIndex(of: AuditLayout.directory), i + 2 < parts.count {
            return "the audit log of \(parts[i + 1]) (chunk \(stem(parts[i + 2])))"
        }
        if path.hasSuffix("/idempotency.json") { return "the idempotency keys (keyed requests)" }
        if path.hasSuffix("/series.json") { return "the series index (which partitions hold a series' bookings)" }
        if let i = parts.lastIndex(of: CustomerLayout.shardDirectory), i + 1 < parts.count {
            return "customer shard \(stem(parts[i + 1])) (the customers whose id hashes there)"
        }
        if parts.contains(CustomerLayout.keyDirectory) || parts.contains(CustomerLayout.nameDirectory) || path.hasSuffix("/" + CustomerLayout.nameTable) {
            return "the customer index (lookups by reference, name, phone or e-mail that land in it)"
        }
        if path.contains("/journal/") || path.contains("/events/") { return "journal records" }
        return "the data in \(path)"
    }

    /// Reads partitions `keys` (skipping loaded ones) and puts their bookings in memory.
    ///
    /// Files are read and verified one after the other through the file-system seam; decoding,
    /// the expensive part, runs on all cores, one partition per task; the
    /// results are applied in key order.
    ///
    /// - Complexity: O(total bytes); wall time about that divided by the number of cores.
    /// With `withCustomers`, the customers of the loaded bookings are loaded too (`loadCustomers(for:)`).
    func loadPartitions(_ keys: Set<String>, withCustomers: Bool = true) throws(StoreError) {
        let files = try wholePartitionFiles(keys)
        guard !files.isEmpty else { return }
        let gen = generation
        let work = files
        let decoded: [[Booking]]
        do {
            decoded = try ParallelWork.map(count: work.count) { (i: Int) throws(StoreError) -> [Booking] in
                work[i].bytes.isEmpty ? [] : try gen.decodePartition(work[i].key, bytes: work[i].bytes)
            }
        } catch { throw noteDamage(error) }
        state.reserveCapacity(forAdditionalBookings: decoded.reduce(0) { $0 + $1.count })
        var lackCustomers: [String] = []
        for (f, bookings) in zip(files, decoded) {
            state.load(bookings.filter { !self.touched.contains($0.id) })
            loadedPartitions.insert(f.key)
            if bookings.contains(where: { $0.customer.map { self.state.customers[$0] == nil } ?? false }) { lackCustomers.append(f.key) }
        }
        if withCustomers && !lackCustomers.isEmpty {
            // The partitions' customer lists first (one small file a partition), then the
            // shards of any customer they lack (a generation written before the lists).
            try loadCustomers(forPartitions: lackCustomers)
            try loadCustomers(for: decoded.joined())
        }
    }

    /// The verified bytes of partitions `keys` not loaded yet, in key order: from
    /// ``partitionCache`` when it holds the generation's file (a short range or a write's
    /// check read it), else read and verified (``readPartitionFiles(_:)``), each read counted
    /// in ``partitionFilesRead``.
    ///
    /// - Complexity: O(1) per file held; O(bytes) per file read.
    func wholePartitionFiles(_ keys: Set<String>) throws(StoreError) -> [(key: String, bytes: [UInt8])] {
        var files: [(key: String, bytes: [UInt8])] = []
        var missing: Set<String> = []
        for key in keys where !loadedPartitions.contains(key) {
            let rel = Generation.partitionPath(key)
            // A manifest section that cannot be read is reported by the read below.
            if let entry = (try? generation.manifest.entry(rel)) ?? nil,
               let held = partitionCache.file(generation: generation.path, path: rel, entry: entry) {
                files.append((key, held.bytes))
            } else {
                missing.insert(key)
            }
        }
        let before = generation.path
        var read = try readPartitionFiles(missing)
        if generation.path != before && !files.isEmpty {
            // The reads followed a compaction to a newer generation: what the cache held is
            // the older one's, so every file comes from the newer one.
            files = []
            read = try readPartitionFiles(keys)
        }
        partitionFilesRead += read.count
        return (files + read).sorted { $0.key < $1.key }
    }

    /// The verified bytes of partitions `keys` not loaded yet, in key order (empty bytes for a
    /// partition the generation has no file for). A generation compacted away under us is
    /// followed to the newer one.
    ///
    /// - Throws: `StoreError.damaged` naming a file that fails verification.
    func readPartitionFiles(_ keys: Set<String>) throws(StoreError) -> [(key: String, bytes: [UInt8])] {
        var files: [(key: String, bytes: [UInt8])] = []
        for key in keys.sorted() where !loadedPartitions.contains(key) {
            let rel = Generation.partitionPath(key)
            do {
                files.append((key, try generation.bytes(rel, fs: fs) ?? []))
            } catch .io(_, _, ENOENT) {
                // Compacted away under us: catch up and read the newer generation.
                _ = try catchUp(holdingLock: lock.held)
                try adoptNewestGeneration()
                do { files.append((key, try generation.bytes(rel, fs: fs) ?? [])) } catch { throw noteDamage(error) }
            } catch {
                throw noteDamage(error)
            }
        }
        return files
    }

    /// Puts in memory the bookings of partitions `keys` (those not loaded yet) that `wanted`
    /// keeps, decoding only the objects `mayBeWanted` picks from each file's scan
    /// (``PartitionScan``): what a write's conflict check and one customer's bookings read,
    /// where a partition holds a month of a resource and the command needs a few days of it.
    ///
    /// The partitions are not marked loaded: a later whole load reads them again (a booking
    /// read twice is the same snapshot booking, and those the journal changed are never put).
    /// Every file is verified whole, as a whole load does; an object the full reader cannot
    /// decode is damage of the file.
    ///
    /// Returns the bookings it put in memory, by partition (for their customers).
    ///
    /// - Throws: `StoreError.damaged` naming a file that fails verification or decoding.
    /// - Complexity: O(bytes of the files read) to scan, plus decoding the objects picked.
    @discardableResult
    func loadBookings(ofPartitions keys: Set<String>, mayBeWanted: (PartitionScan.Item, [UInt8]) -> Bool,
                      wanted: (Booking) -> Bool) throws(StoreError) -> [(key: String, bookings: [Booking])] {
        var kept: [Booking] = []
        var byPartition: [(key: String, bookings: [Booking])] = []
        for (key, f) in try scannedPartitionFiles(keys) where !f.bytes.isEmpty {
            let bookings: [Booking]
            if let scan = f.scan {
                // A booking in memory holds the file's version or a later one the journal made:
                // decoding it again would put back the same booking (a writer's check reads its
                // day's neighbours again and again).
                let picked = scan.items.filter { mayBeWanted($0, f.bytes) && !inMemory($0, in: f.bytes) }
                guard !picked.isEmpty else { continue }
                do { bookings = try generation.decodePartition(key, bytes: PartitionScan.array(of: picked, in: f.bytes)) } catch {
                    // The whole file names the problem where it is.
                    do { bookings = try generation.decodePartition(key, bytes: f.bytes) } catch { throw noteDamage(error) }
                }
            } else {
                do { bookings = try generation.decodePartition(key, bytes: f.bytes) } catch { throw noteDamage(error) }
            }
            let mine = bookings.filter { !self.touched.contains($0.id) && wanted($0) }
            if !mine.isEmpty { byPartition.append((key, mine)) }
            kept += mine
        }
        state.load(kept)
        return byPartition
    }

    /// Whether the booking of a scanned object is in memory (by its id read plainly).
    func inMemory(_ item: PartitionScan.Item, in bytes: [UInt8]) -> Bool {
        guard let id = item.id else { return false }
        return state.bookings[BookingID(String(decoding: bytes[id], as: UTF8.self))] != nil
    }

    /// The verified bytes and scans of partitions `keys` not loaded yet, in key order, from
    /// ``partitionCache`` when it holds the generation's file, else read and verified
    /// (``readPartitionFiles(_:)``) and kept there. A partition the generation has no file for
    /// has empty bytes.
    ///
    /// - Complexity: O(1) per file held; O(bytes) per file read.
    func scannedPartitionFiles(_ keys: Set<String>) throws(StoreError) -> [(key: String, file: PartitionFileCache.File)] {
        var out: [(key: String, file: PartitionFileCache.File)] = []
        for key in keys.sorted() where !loadedPartitions.contains(key) {
            let rel = Generation.partitionPath(key)
            // A manifest section that cannot be read is reported by the read below.
            if let entry = (try? generation.manifest.entry(rel)) ?? nil,
               let held = partitionCache.file(generation: generation.path, path: rel, entry: entry) {
                out.append((key, held))
                continue
            }
            // One key at a time: a read that follows a compaction to a newer generation
            // (`readPartitionFiles`) returns that generation's file, verified against its entry.
            for f in try readPartitionFiles([key]) {
                let file = PartitionFileCache.File(bytes: f.bytes, scan: f.bytes.isEmpty ? nil : PartitionScan(f.bytes))
                if !f.bytes.isEmpty {
                    partitionFilesRead += 1
                    if let entry = (try? generation.manifest.entry(rel)) ?? nil { partitionCache.insert(file, generation: generation.path, path: rel, entry: entry) }
                }
                out.append((f.key, file))
            }
        }
        return out
    }

    /// Puts in memory the bookings of partitions `keys` (not loaded yet) overlapping one of
    /// `ranges` (``loadBookings(ofPartitions:mayBeWanted:wanted:)``).
    ///
    /// - Complexity: O(bytes of the files read + objects × ranges), plus decoding those picked.
    @discardableResult
    func loadBookings(ofPartitions keys: Set<String>, overlapping ranges: [TimeRange]) throws(StoreError) -> [(key: String, bookings: [Booking])] {
        try loadBookings(ofPartitions: keys, mayBeWanted: { item, _ in ranges.contains { PartitionScan.mayOverlap(item, $0) } },
                         wanted: { b in ranges.contains { b.range.overlaps($0) } })
    }

    /// Puts in memory the bookings `ids` from partitions `keys` (those not loaded yet)
    /// (``loadBookings(ofPartitions:mayBeWanted:wanted:)``).
    @discardableResult
    func loadBookings(ofPartitions keys: Set<String>, ids: Set<BookingID>) throws(StoreError) -> [(key: String, bookings: [Booking])] {
        let raw = Set(ids.map { Array($0.rawValue.utf8) })
        return try loadBookings(ofPartitions: keys, mayBeWanted: { item, bytes in PartitionScan.mayBe(item, in: raw, bytes: bytes) },
                         wanted: { ids.contains($0.id) })
    }

    /// A compaction that refused to carry a damaged file of this process's generation forward
    /// (`SnapshotWriter.linkFromBase`) makes the store read-only, naming the file: every later
    /// compaction would refuse it too, and only `repair` can take it out. Returns the error.
    func noteBaseDamage(_ error: StoreError) -> StoreError {
        if case .damaged(let path, _) = error, path.hasPrefix(generation.path + "/") {
            readOnlyReason = readOnlyReason ?? "compaction refused: \(error); run `frontdesk repair`"
        }
        return error
    }

    /// A damaged snapshot file makes the store read-only; returns the error for rethrowing.
    func noteDamage(_ error: StoreError) -> StoreError {
        if case .damaged = error { readOnlyReason = readOnlyReason ?? "\(error)" }
        return error
    }


    /// Finds a booking by id (`bk_…`) or reference (`B-7K2`), loading its partition and its
    /// whole series if they are not in memory.
    public func booking(idOrRef: String) throws(StoreError) -> Booking? {
        let text = idOrRef.trimming(.whitespaces)
        var found = state.bookings[BookingID(text)] ?? state.booking(ref: text)
        if found == nil {
            var id = text
            var key = try shard(for: text).ids[text]
            if key == nil, let bid = try shard(for: text.uppercased()).refs[text.uppercased()] {
                id = bid
                key = try shard(for: bid).ids[bid]
            }
            if let key { try loadPartitions([key]) }
            found = state.bookings[BookingID(id)]
        }
        guard let b = found else { return nil }
        if let s = b.series, !loadedSeries.contains(s) {
            if seriesMap?.generation != generation.manifest.generation {
                seriesMap = (generation.manifest.generation, try generation.series(fs: fs) ?? [:])
            }
            try loadPartitions(Set(seriesMap?.map[s.rawValue] ?? []))
            loadedSeries.insert(s)
        }
        try loadCustomers(for: CollectionOfOne(b))
        return state.bookings[b.id]
    }

    func shard(for key: String) throws(StoreError) -> DirectoryShard {
        try generation.shard(Partition.shard(key), fs: fs) ?? DirectoryShard()
    }

    /// Domain events of records after `sequence`, oldest first, from the kept event segments
    /// (`events/`, journal segments folded into snapshots) and the live journal. With
    /// `changes`, each record's stored events are followed by the events of its changes to
    /// other entities (`resource.updated`, …: ``DomainEvent/change(_:sequence:index:)``).
    public func events(after sequence: UInt64, changes: Bool = false) throws(StoreError) -> [(sequence: UInt64, event: DomainEvent)] {
        // The journal is listed first: a compaction may move a segment from journal/ to events/
        // meanwhile, and then it is in the later listing of events/ (or read there, below).
        // Listing events/ first could miss a segment moved between the two listings.
        let live = try Journal.segments(in: journalDir, fs: fs)
        var byFirst: [UInt64: String] = [:]
        for seg in try Journal.segments(in: eventsDir, fs: fs) + live { byFirst[seg.first] = seg.path }
        let segs = byFirst.sorted { $0.key < $1.key }.map { (first: $0.key, path: $0.value) }
        var out: [(sequence: UInt64, event: DomainEvent)] = []
        for (i, seg) in segs.enumerated() {
            if i + 1 < segs.count, segs[i + 1].first <= sequence + 1 { continue }
            let bytes: [UInt8]
            do { bytes = try fs.readFile(seg.path) } catch .io(_, _, ENOENT) {
                // Moved to events/ since we listed it (or pruned from there: nothing to return).
                do { bytes = try fs.readFile(eventsDir + "/" + Journal.segmentName(seg.first)) } catch .io(_, _, ENOENT) { continue }
            }
            var scan = SegmentScan(bytes: bytes, offset: 0, expect: seg.first, events: true)
            let isLast = i == segs.count - 1
            if isLast, case .corrupt = scan.tail {
                // A writer may be mid-write (no lock here): read again before calling it damage.
                let path = seg.path, fs = self.fs
                scan = (try? SegmentScan.settled { () throws(StoreError) in
                    SegmentScan(bytes: try fs.readFile(path), offset: 0, expect: seg.first, events: true)
                }) ?? scan
            }
            for rec in scan.records where rec.seq > sequence && rec.seq <= lastSequence {
                for e in rec.tx.events { out.append((rec.seq, e)) }
                guard changes else { continue }
                for (i, entry) in rec.tx.auditEntries.enumerated() {
                    if let e = DomainEvent.change(entry, sequence: rec.seq, index: i) { out.append((rec.seq, e)) }
                }
            }
            // Events of records that cannot be read would be silently skipped: refuse instead.
            let end = seg.first + UInt64(scan.records.count)
            switch scan.tail {
            case .clean: break
            case .torn where isLast: break
            case .torn(let n):
                throw .incomplete(missing: "the events of records from \(end) on: \(seg.path) has \(n) unreadable bytes at the end of a segment that is not the last")
            case .corrupt(let at, let detail) where end <= lastSequence || !isLast:
                throw .incomplete(missing: "the events of records from \(end) on: \(seg.path) at offset \(at): \(detail)")
            case .corrupt: break
            }
        }
        return out
    }
}
