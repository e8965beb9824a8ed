import FrontdeskSystem
import FrontdeskCore
import FrontdeskJSON
#if canImport(Glibc)
import Glibc
#endif

/// Writes a new snapshot generation into a temporary directory, reusing unchanged files of the
/// previous generation by hard link, so compaction never holds every booking in memory.
///
/// Inputs: the previous generation (if any) and a `SnapshotContent`: what changed since that
/// generation, taken from memory. Partitions and directory shards that none of the changed
/// bookings touch are linked; the others are rewritten by merging the old file with the
/// in-memory versions.
package struct SnapshotWriter {
    let fs: any FileSystem
    let target: String
    let base: Generation?
    let content: SnapshotContent
    var files: [String: Manifest.FileEntry] = [:]
    var madeDirs: [String] = []
    /// Make the generation durable with one `syncFileSystem` at the end instead of an fsync per
    /// file and directory: a bulk import's generation has thousands of small files (200
    /// resources × 24 months), and an fsync each writes the inode block once per file; syncfs
    /// writes each block once (docs/BENCHMARKS.md, `python3 Benchmarks/fsync_strategies.py`).
    let syncAtEnd: Bool
    /// Whether any files were written on several threads (`putAll`), for tests.
    private(set) var wroteInParallel = false

    /// `fsyncEachFile` makes the generation durable with an fsync of each file and directory
    /// even where `fs` offers `syncFileSystem` (``StoreOptions/compactionFsyncsEachFile``).
    package init(fs: any FileSystem, target: String, base: Generation?, content: SnapshotContent, fsyncEachFile: Bool = false) {
        self.fs = fs; self.target = target; self.base = base; self.content = content
        syncAtEnd = !fsyncEachFile && fs.syncsWholeFileSystem
    }

    /// `changedReferenceFiles` nil means "rewrite every reference file"; `minimumShards` is
    /// `StoreOptions.minimumShards`.
    package init(fs: any FileSystem, target: String, base: Generation?, state: BookingState, changed: Set<BookingID>,
                 changedReferenceFiles: Set<String>? = nil, changedCustomers: Set<CustomerID>? = nil,
                 minimumShards: Int = IdempotencyLayout.minimumShards) {
        var content = SnapshotContent(state, changed: changed, changedReferenceFiles: changedReferenceFiles,
                                      changedCustomers: changedCustomers)
        content.minimumShards = minimumShards
        self.init(fs: fs, target: target, base: base, content: content)
    }

    /// Writes a reference file, each item written by `write`, or links it from the base when
    /// nothing changed it (`value` nil; a base without the file, from an older program, had
    /// nothing in it: an empty list).
    mutating func putReference<E>(_ rel: String, _ value: [E]?, _ write: (E, inout JSONWriter) throws -> Void) throws(StoreError) {
        if let value {
            try put(rel, bytes: Self.encode(target + "/" + rel) { try SchemaFile.list(value, write) })
        } else if let base, try base.manifest.contains(rel) {
            try linkFromBase(rel)
        } else {
            try put(rel, bytes: [0x5B, 0x5D])
        }
    }

    /// Writes a file of the generation with `bytes`, and records it.
    mutating func put(_ rel: String, bytes: [UInt8]) throws(StoreError) {
        try ensureDir(rel)
        files[rel] = try Self.writeFile(fs, target + "/" + rel, bytes, sync: !syncAtEnd)
    }

    /// A new file with `bytes` (fsynced when `sync`), and its manifest entry.
    static func writeFile(_ fs: any FileSystem, _ path: String, _ bytes: [UInt8], sync: Bool) throws(StoreError) -> Manifest.FileEntry {
        try fs.writeNewFile(path, bytes, sync: sync)
        return .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
    }

    /// The bytes `write` gives for the file at `path`; its failure is the file's damage.
    static func encode(_ path: String, _ write: () throws -> [UInt8]) throws(StoreError) -> [UInt8] {
        do { return try write() } catch {
            throw .damaged(path: path, detail: "cannot encode: \(error)")
        }
    }

    /// Writes up to `count` files, file `i` holding what `make(i)` returns (nil: no file), and
    /// records them. Their directories must exist. With `parallel` (much to write: a bulk
    /// import's generation has thousands of partitions and large directory shards) they are
    /// encoded and written on all cores, unless the file system numbers its calls
    /// (`allowsConcurrentUse`, the fault-injecting double); an ordinary compaction (a few
    /// partitions, small shard changes) stays on its one background thread at nice +10.
    mutating func putAll(_ count: Int, parallel: Bool, _ make: @escaping @Sendable (Int) throws(StoreError) -> (rel: String, bytes: [UInt8])?) throws(StoreError) {
        _ = try putAllCollecting(count, parallel: parallel) { i throws(StoreError) in (try make(i), ()) }
    }

    /// ``putAll(_:parallel:_:)`` where each item also gives a value to keep (`extra`), returned
    /// in item order: what the index and the partitions' customer lists need from a rewritten
    /// partition, gathered while it is in memory.
    mutating func putAllCollecting<Extra: Sendable>(_ count: Int, parallel: Bool,
                                                    _ make: @escaping @Sendable (Int) throws(StoreError) -> (file: (rel: String, bytes: [UInt8])?, extra: Extra)) throws(StoreError) -> [Extra] {
        let fs = self.fs, target = self.target, sync = !syncAtEnd
        @Sendable func one(_ i: Int) throws(StoreError) -> ((String, Manifest.FileEntry)?, Extra) {
            let (file, extra) = try make(i)
            guard let (rel, bytes) = file else { return (nil, extra) }
            return ((rel, try Self.writeFile(fs, target + "/" + rel, bytes, sync: sync)), extra)
        }
        var extras: [Extra] = []
        extras.reserveCapacity(count)
        if parallel && fs.allowsConcurrentUse {
            wroteInParallel = true
            for (written, extra) in try ParallelWork.map(count: count, one) {
                if let (rel, entry) = written { files[rel] = entry }
                extras.append(extra)
            }
        } else {
            for i in 0..<count {
                let (written, extra) = try one(i)
                if let (rel, entry) = written { files[rel] = entry }
                extras.append(extra)
            }
        }
        return extras
    }

    /// The changed bookings grouped by partition, and the directory shards they touch with
    /// their new entries (`SnapshotWriter.write`).
    struct Grouping {
        var partitions: [String: [SnapshotContent.Slot]] = [:]
        var maxLength: Int64 = 0
        var anySeries = false
        /// Updated directory shards, by index.
        var shards: [Int: DirectoryShard] = [:]
        /// Partition keys that changed bookings moved out of.
        var oldKeys: Set<String> = []
    }

    /// Groups `content`'s changed bookings by partition on one task while `tasks - 1` others
    /// update the directory shards, each owning the shards `s` with `s % (tasks - 1) == task`;
    /// with `tasks` 1 one task does both. The bookings are read out of the table once, on all
    /// the tasks (`SnapshotContent.changedEntries`); every task then reads every entry and
    /// keeps its own key cache.
    /// - Complexity: O(changed bookings × tasks) reads, O(changed bookings) updates in all.
    static func group(_ content: SnapshotContent, base: Generation?, fs: any FileSystem, tasks: Int) throws(StoreError) -> Grouping {
        let shardTasks = max(1, tasks - 1)
        let perShard = content.changed.count / 64 + content.changed.count / 256 + 16
        let entries = content.changedEntries(tasks: tasks > 1 ? 2 : 1)

        @Sendable func partitions(into g: inout Grouping) {
            var keys = PartitionKeyCache()
            for e in entries {
                g.partitions[keys.key(resource: e.resource, start: e.start), default: []].append(e.slot)
                g.maxLength = max(g.maxLength, e.seconds)
                if e.inSeries { g.anySeries = true }
            }
        }

        @Sendable func shards(_ task: Int, into g: inout Grouping) throws(StoreError) {
            var keys = PartitionKeyCache()
            func load(_ s: Int) throws(StoreError) {
                guard g.shards[s] == nil else { return }
                var shard = try base?.shard(s, fs: fs) ?? DirectoryShard()
                shard.ids.reserveCapacity(shard.ids.count + perShard)
                shard.refs.reserveCapacity(shard.refs.count + perShard)
                g.shards[s] = shard
            }
            for e in entries {
                let idShard = Partition.shard(e.id.rawValue), refShard = Partition.shard(e.ref)
                if idShard % shardTasks == task {
                    try load(idShard)
                    let key = keys.key(resource: e.resource, start: e.start)
                    if let old = g.shards[idShard]!.ids.updateValue(key, forKey: e.id.rawValue), old != key { g.oldKeys.insert(old) }
                }
                if refShard % shardTasks == task {
                    try load(refShard)
                    g.shards[refShard]!.refs[e.ref] = e.id.rawValue
                }
            }
        }

        var g = Grouping()
        guard tasks > 1 else {
            partitions(into: &g)
            try shards(0, into: &g)
            return g
        }
        let parts = try ParallelWork.map(count: tasks) { (i: Int) throws(StoreError) -> Grouping in
            var mine = Grouping()
            if i == 0 { partitions(into: &mine) } else { try shards(i - 1, into: &mine) }
            return mine
        }
        g = parts[0]
        for part in parts.dropFirst() {
            g.shards.merge(part.shards) { a, _ in a }
            g.oldKeys.formUnion(part.oldKeys)
        }
        return g
    }

    /// `bookings` in `Booking.startOrder`, found by sorting (start, position) pairs: sorting
    /// the bookings themselves would copy (retain and release) one per move, a visible part
    /// of writing a bulk import's partitions. Ids are read only to break ties; sorted input
    /// comes back as is.
    /// - Complexity: O(n log n), O(n) when already in order.
    static func inStartOrder(_ bookings: [Booking]) -> [Booking] {
        var order: [(start: Int64, at: Int)] = []
        order.reserveCapacity(bookings.count)
        for i in bookings.indices { order.append((bookings[i].start.seconds, i)) }
        func before(_ a: (start: Int64, at: Int), _ b: (start: Int64, at: Int)) -> Bool {
            a.start != b.start ? a.start < b.start : bookings[a.at].id < bookings[b.at].id
        }
        if zip(order, order.dropFirst()).allSatisfy({ before($0, $1) }) { return bookings }
        order.sort(by: before)
        return order.map { bookings[$0.at] }
    }

    /// Changed bookings from which a compaction writes on every core (`putAll`).
    static let parallelBookings = 10_000

    /// Hard-links an unchanged file of the base generation into the new one, after verifying
    /// it (size and CRC32C against the base manifest): a damaged file is never carried
    /// forward into a generation that would then pass for a good copy of it; the compaction
    /// fails naming it instead.
    mutating func linkFromBase(_ rel: String) throws(StoreError) {
        guard let base, let entry = try base.manifest.entry(rel) else { return }
        do { _ = try base.bytes(rel, fs: fs) } catch .damaged(let path, let detail) {
            throw .damaged(path: path, detail: "\(detail); not carried into the next generation")
        }
        try ensureDir(rel)
        try fs.link(base.path + "/" + rel, to: target + "/" + rel)
        files[rel] = entry
    }

    /// Writes one list file per section of the files written so far (``ManifestSections``) and
    /// returns their entries for the manifest. Lists are small and rewritten at every
    /// compaction, so no list is ever shared between generations.
    ///
    /// - Complexity: O(files log files).
    mutating func putSectionLists() throws(StoreError) -> [String: Manifest.ListEntry] {
        var sections: [String: [String: Manifest.FileEntry]] = [:]
        for (rel, entry) in files {
            if let section = ManifestSections.section(of: rel) { sections[section, default: [:]][rel] = entry }
        }
        guard !sections.isEmpty else { return [:] }
        try ensureDir(ManifestSections.listPath(""))
        var lists: [String: Manifest.ListEntry] = [:]
        for (section, members) in sections {
            let written = try Self.writeFile(fs, target + "/" + ManifestSections.listPath(section), ManifestSchema.listBytes(members), sync: !syncAtEnd)
            lists[section] = Manifest.ListEntry(crc: written.crc, size: written.size, count: members.count)
        }
        return lists
    }

    mutating func ensureDir(_ rel: String) throws(StoreError) {
        var parts = rel.split(separator: "/").dropLast()
        var path = target
        var built: [String] = []
        while !parts.isEmpty {
            path += "/" + parts.removeFirst()
            built.append(path)
        }
        for p in built where !madeDirs.contains(p) {
            if fs.stat(p) == nil { try fs.makeDirectory(p) }
            madeDirs.append(p)
        }
    }

    /// Writes every file and the manifest and makes them and their directories durable (not the
    /// rename): one `syncFileSystem` when the file system offers it and `fsyncEachFile` was not
    /// asked for, else an fsync each.
    ///
    /// - Complexity: O(changed bookings + bookings in the partitions they touch + number of
    ///   files); unchanged partitions cost one hard link each.
    package mutating func write(generation: UInt64, lastSequence: UInt64, format: Int = StoreFormat.current) throws(StoreError) -> Manifest {
        // Opened before anything is written: syncfs reports write-back errors since this open.
        let anchor = syncAtEnd ? try fs.open(Path.parent(of: target), flags: O_RDONLY | O_DIRECTORY | O_CLOEXEC, mode: 0) : nil
        defer { if let anchor { fs.close(anchor) } }
        try fs.makeDirectory(target)
        madeDirs.append(target)
        let content = self.content
        try putReference("resources.json", content.resources?.values.sorted { $0.id < $1.id }) { ResourceSchema.write($0, to: &$1) }
        try putReference("schedules.json", content.schedules?.values.sorted { $0.id < $1.id }) { try ScheduleSchema.write($0, to: &$1) }
        try CustomerTableWriter.write(into: &self)
        try putReference("waitlist.json", content.waitlist?.values.sorted { $0.id < $1.id }) { try WaitlistSchema.write($0, to: &$1) }
        try putReference(StaffSchema.file, content.staff?.values.sorted { $0.subject < $1.subject }) { try StaffSchema.write($0, to: &$1) }
        try putReference(SettingSchema.file, content.settings?.values.sorted { $0.name < $1.name }) { try SettingSchema.write($0, to: &$1) }
        try putReference(ServiceSchema.file, content.services?.values.sorted { $0.id < $1.id }) { ServiceSchema.write($0, to: &$1) }
        try putIdempotencyShards(generation: generation)
        try putAuditLog()

        // Where changed bookings were and are (`group`): with many changed bookings, one task
        // groups them by partition while two more update half the directory shards each, so a
        // bulk import's grouping does not keep one core busy while the other idles. Small
        // compactions do it all in one task, on their one thread.
        let changed = content.changed
        let base = self.base, fs = self.fs
        let grouping = try Self.group(content, base: base, fs: fs,
                                      tasks: changed.count >= Self.parallelBookings && fs.allowsConcurrentUse ? 3 : 1)
        var shards = [DirectoryShard?](repeating: nil, count: 64)
        for (s, shard) in grouping.shards { shards[s] = shard }
        let oldKeys = grouping.oldKeys
        var dirtyPartitions = grouping.partitions
        let maxLength = max(base?.manifest.maxBookingSeconds ?? 0, grouping.maxLength)
        let anySeries = grouping.anySeries
        var keys = PartitionKeyCache()
        for k in oldKeys where dirtyPartitions[k] == nil { dirtyPartitions[k] = [] }

        // Partitions: unchanged ones linked, changed ones merged one at a time.
        for key in try base?.manifest.partitions() ?? [] where dirtyPartitions[key] == nil {
            try linkFromBase("bookings/\(key).json")
        }
        let work = dirtyPartitions.sorted(by: { $0.key < $1.key })
        for (key, _) in work { try ensureDir("bookings/\(key).json") }
        let target = self.target
        let parallel = changed.count >= Self.parallelBookings
        let everyPosting = rebuildsSearchIndex
        let collected = try putAllCollecting(work.count, parallel: parallel) { i throws(StoreError) in
            let (key, fresh) = work[i]
            let old = try base?.partition(key, fs: fs) ?? []
            var merged = old.filter { !changed.contains($0.id) }
            merged.reserveCapacity(merged.count + fresh.count)
            for slot in fresh { merged.append(content[slot]) }
            let summary = (RewrittenPartition(key: key, old: old, merged: merged, changed: changed),
                           SearchDelta(key: key, old: old, merged: merged, changed: changed, everything: everyPosting),
                           OccupancyDelta(key: key, old: old, merged: merged))
            if merged.isEmpty { return (nil, summary) }
            merged = Self.inStartOrder(merged)
            let rel = "bookings/\(key).json"
            return ((rel, try Self.encode(target + "/" + rel) { try BookingSchema.partitionBytes(merged) }), summary)
        }
        try ensureDir(Partition.shardPath(0))
        let rewritten = shards
        try putAll(64, parallel: parallel) { s throws(StoreError) in
            guard let shard = rewritten[s] else { return nil }
            return (Partition.shardPath(s), try Self.encode(target + "/" + Partition.shardPath(s)) { try DirectoryShardSchema.bytes(shard) })
        }
        for s in 0..<64 where shards[s] == nil { try linkFromBase(Partition.shardPath(s)) }

        try writeCustomerIndex(rewritten: collected.map(\.0), parallel: parallel)
        try writeSearchIndex(deltas: collected.map(\.1), rewritten: Set(work.map(\.key)))
        try writeOccupancy(deltas: collected.map(\.2))

        // Series → partitions that may hold their members (a superset is harmless).
        let baseHasSeries = try base?.manifest.contains(SeriesSchema.path) == true
        if anySeries || !baseHasSeries {
            var series = try base?.series(fs: fs) ?? [:]
            content.forEachChangedBooking { _, b in
                guard let s = b.series else { return }
                let key = keys.key(b)
                if !(series[s.rawValue] ?? []).contains(key) { series[s.rawValue, default: []].append(key) }
            }
            try put(SeriesSchema.path, bytes: SeriesSchema.bytes(series))
        } else {
            try linkFromBase(SeriesSchema.path)
        }

        let lists = try putSectionLists()
        // Whatever the journal's format, this layout is format 5's (see `StoreFormat`).
        let manifest = Manifest(format: max(format, StoreFormat.businessDay), generation: generation, lastSequence: lastSequence,
                                counters: content.counters, maxBookingSeconds: maxLength, files: files, lists: lists)
        try fs.writeNewFile(target + "/manifest.json", Frame.encode(ManifestSchema.bytes(manifest)), sync: !syncAtEnd)
        if let anchor {
            try fs.syncFileSystem(anchor)
        } else {
            for d in madeDirs.reversed() { try fs.fsyncDirectory(d) }
        }
        return manifest
    }
}
