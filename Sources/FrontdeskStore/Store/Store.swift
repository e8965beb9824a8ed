#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskSystem
#if canImport(Glibc)
import Glibc
#endif

/// A Frontdesk data directory opened by one process: a journal of transactions plus immutable
/// snapshot generations, shared safely with other processes through a file lock.
///
/// Layout and guarantees are described in `docs/STORAGE.md`. Writers take the lock, catch up
/// on other processes' records, plan against the up-to-date state, append one record,
/// fdatasync it, apply it, and only then return. Readers take no lock. Not thread-safe: use one
/// `Store` from one thread (or guard it with your own lock).
public final class Store {
    let directory: String
    let fs: any FileSystem
    let options: StoreOptions
    let lock: LockFile
    /// The store's format (its `FORMAT` file): which journal record encoding it writes.
    let format: Int

    /// What is loaded: all reference data; bookings of loaded partitions and every booking
    /// the journal since the snapshot touched; idempotency keys of loaded shards and every key
    /// the journal since the snapshot set or forgot.
    public internal(set) var state = BookingState()
    /// The planner, built from the store's clock.
    public let engine: BookingEngine
    /// The role of whoever this process writes for; when set, every planned change is checked
    /// against it (``Access/authorize(_:_:transaction:before:)``) before it is journaled, so a
    /// plan can do no more than the role allows. nil: no check (tools and tests that are not a
    /// member of staff's front end). The CLI and the TUI set it from ``processAccess()``.
    public var access: Access?
    /// Why the store refuses writes, if it does.
    public internal(set) var readOnlyReason: String?
    public var isReadOnly: Bool { readOnlyReason != nil }
    /// Who held the write lock when the last write gave up waiting for it; nil after a write that got it.
    public internal(set) var busyHolder: String?
    /// The sequence number of the last journal record applied.
    public internal(set) var lastSequence: UInt64 = 0
    /// What recovery and later reads noticed but tolerated (torn tails, fallbacks), one line each.
    public internal(set) var notices: [String] = []
    /// Journal damage that leaves every booking read incomplete (unreadable or missing records),
    /// one line each; empty when everything after the snapshot was replayed. See `requireComplete`.
    public internal(set) var damage: [String] = []

    /// The snapshot generation partitions and customers are loaded from.
    var generation: Generation {
        didSet { resetCustomerTable(for: generation) }
    }
    /// How `generation` keeps its customers.
    var customerLayout = CustomerLayout(Manifest(format: 1, generation: 0, lastSequence: 0, counters: Counters(), maxBookingSeconds: 0, files: [:]))
    /// Customer shards of `generation` in memory.
    var loadedCustomerShards: Set<Int> = []
    /// Customers the journal changed since `generation` (their versions in memory are newer
    /// than the generation's), for the next compaction.
    var touchedCustomers: Set<CustomerID> = []
    /// The index of the customers whose version in memory counts (see `CustomerMemoryIndex`).
    var customersInMemory = CustomerMemoryIndex()
    /// Index files of `generation` read so far.
    var customerCache = CustomerIndexCache()
    /// Search index files of `generation` read so far (`search(text:range:limit:backward:)`).
    var searchCache = SearchCache()
    /// Verified partition files and their scans, kept between partial reads (a write's conflict
    /// check reads the same month of a resource again and again).
    var partitionCache: PartitionFileCache
    /// Runs group commits' journal flushes beside the writer (``beginGroup(_:_:)``).
    let flusher = JournalFlusher()
    /// The last flush started on `flusher` and not yet waited for by ``settleFlushes()``.
    var lastFlush: (flush: Completion<Result<Void, StoreError>>, segment: OpenFile)?
    /// The first journal flush that failed: every record journaled after it is lost with it,
    /// so no group journaled since is acknowledged (``finishGroup(_:)``).
    var flushFailure: StoreError?
    /// How many search index files (table, chunks, pages) this process has read (tests check it).
    var searchFilesRead = 0
    /// Customers of waitlist entries that are not in memory yet (`loadTailCustomers`).
    var tailCustomersMissing: Set<CustomerID> = []
    /// How many customer shard files this process has read (lazy-loading tests check it).
    var customerShardsRead = 0
    var loadedPartitions: Set<String> = []
    var loadedSeries: Set<SeriesID> = []
    var seriesMap: (generation: UInt64, map: [String: [String]])?
    /// Occupancy files read (``OccupancyLayout``): generation and key → the partitions they name.
    var occupancyHomes: [String: [String]] = [:]
    /// Bookings applied from the journal (or written here) since `generation`: they are in
    /// memory and newer than any partition file, so partition loads skip them.
    var touched: Set<BookingID> = []
    /// Reference files (`resources.json`, …) whose content changed since `generation`; the
    /// others are hard-linked into the next generation instead of rewritten.
    var changedReferenceFiles: Set<String> = []
    /// Idempotency keys set or forgotten by records since `generation`: memory holds their
    /// current state (nil: forgotten), newer than any shard file, so shard loads skip them.
    var touchedKeys: Set<String> = []
    /// The idempotency shards of `keyShardsGeneration` already in memory (`loadIdempotencyKeys`).
    var loadedKeyShards: Set<Int> = []
    var keyShardsGeneration: UInt64 = 0
    /// How many idempotency shard files this process has read (tests check it).
    package internal(set) var keyShardFilesRead = 0
    /// The journal segment being read/appended, its first sequence, and the end of its valid records.
    /// The audit entries of the records after ``generation`` that this process has read or
    /// written, in log order: the next compaction writes them, `auditEntries(_:)` reads them
    /// after the generation's chunks.
    var auditTail: [LoggedAuditEntry] = []
    /// Audit chunks read by this process (`auditEntries(_:)`), for tests of what a query reads.
    package internal(set) var auditChunksRead = 0
    var segment: OpenFile?
    var segmentFirst: UInt64 = 0
    var offset: Int64 = 0
    /// Bytes after `offset` that look like a torn record.
    var tornLength = 0
    /// Whether this process has emptied `tmp/` under the lock yet.
    var tmpSwept = false
    /// This process's compaction running on another thread, if any (`startCompaction`).
    var backgroundCompaction: BackgroundCompaction?
    /// How many partition files this process has read (lazy-loading tests check it).
    var partitionFilesRead = 0
    /// How many partitions' customer lists this process has read (tests check it).
    var partitionCustomerListsRead = 0

    var journalDir: String { directory + "/journal" }
    var snapshotsDir: String { directory + "/snapshots" }
    var tmpDir: String { directory + "/tmp" }
    var eventsDir: String { directory + "/events" }

    private init(directory: String, clock: any WallClock, options: StoreOptions) throws(StoreError) {
        self.directory = directory
        self.options = options
        fs = options.fileSystem
        partitionCache = PartitionFileCache(capacity: options.partitionCacheBytes)
        engine = BookingEngine(clock: clock, ids: options.identifiers, idempotencyRetention: options.idempotencyRetention)
        // The root is opened once; below it nothing is followed (`FileSystem.confine`).
        do { try fs.confine(to: directory) } catch .io(_, _, let e) where e == ENOENT || e == ENOTDIR {
            throw .notFound(path: directory)
        }
        guard let text = try Store.readFormat(directory, fs: fs) else { throw .notFound(path: directory) }
        if Store.isCreatingMarker(text) { throw .notFound(path: directory) }
        guard let format = Int(text), format >= 1 else { throw .damaged(path: directory + "/FORMAT", detail: "expected a format number, found \"\(text)\"") }
        if format > StoreFormat.current { throw .newerFormat(found: format, supported: StoreFormat.current) }
        self.format = format
        try Store.checkFileSystem(directory, fs: fs, options: options)
        lock = try LockFile(storeDirectory: directory, fs: fs)
        generation = Generation(path: "", manifest: Manifest(format: 1, generation: 0, lastSequence: 0, counters: Counters(), maxBookingSeconds: 0, files: [:]))
    }

    deinit {
        // Not adopted (nothing will read this store again), but finished: a compaction cut off
        // by the process exiting would leave the journal longer for everyone.
        _ = backgroundCompaction?.job.wait()
        _ = lastFlush?.flush.wait()
        if let segment { fs.close(segment) }
    }

    static func checkFileSystem(_ path: String, fs: any FileSystem, options: StoreOptions) throws(StoreError) {
        guard options.refuseNetworkFileSystems else { return }
        switch try fs.fileSystemType(path) {
        case 0x6969: throw .unsupportedFileSystem(type: "NFS")
        case 0xFF53_4D42: throw .unsupportedFileSystem(type: "CIFS")
        case 0xFE53_4D42: throw .unsupportedFileSystem(type: "SMB2")
        default: return
        }
    }

    // MARK: Creating and opening

    /// What `FORMAT` holds while `create` is building the store: such a directory is not a
    /// store yet (`open` says `.notFound`) and the next `create` clears it and starts over.
    static let creatingMarker = "creating"
    /// The marker, or a prefix of it left by a failed or torn write of the marker (`create`
    /// never writes the real FORMAT in place, so an empty FORMAT is always a half-created store).
    static func isCreatingMarker(_ text: String) -> Bool { creatingMarker.hasPrefix(text) }
    /// The only names a half-created store may hold.
    static let layoutNames: Set<String> = ["FORMAT", "LOCK", "COMPACT", "journal", "snapshots", "tmp", "events"]

    /// Whether `directory` holds a store (complete: its `FORMAT` names a format, not the
    /// `creating` marker of an interrupted `create`).
    public static func exists(at directory: String, fileSystem fs: any FileSystem = RealFileSystem()) -> Bool {
        guard (try? fs.confine(to: directory)) != nil else { return false }
        return formatText(directory, fs: fs).flatMap { Int($0) } != nil
    }

    /// The trimmed text of `directory/FORMAT`, or nil if it cannot be read.
    static func formatText(_ directory: String, fs: any FileSystem) -> String? {
        (try? readFormat(directory, fs: fs)) ?? nil
    }

    /// The trimmed text of `directory/FORMAT` (its first 64 bytes: a format number or the
    /// `creating` marker), nil if there is none; throws if it cannot be read or is not a
    /// regular file of the store.
    static func readFormat(_ directory: String, fs: any FileSystem) throws(StoreError) -> String? {
        let f: OpenFile
        do { f = try fs.open(directory + "/FORMAT", flags: O_RDONLY | O_CLOEXEC, mode: 0) } catch .io(_, _, ENOENT) { return nil }
        defer { fs.close(f) }
        let b = try fs.readRange(f, from: 0, to: 64)
        return String(decoding: b, as: UTF8.self).trimming(.whitespacesAndNewlines)
    }

    /// Whether a directory's journal and events hold no record at all (true of a half-created
    /// store): a safety net so a real store whose FORMAT was damaged is never cleared. A file
    /// of zeros holds none (the first segment is preallocated).
    static func holdsNoRecords(_ directory: String, fs: any FileSystem) -> Bool {
        for sub in ["journal", "events"] where fs.stat(directory + "/" + sub) != nil {
            guard let names = try? fs.list(directory + "/" + sub) else { return false }
            for name in names {
                let path = directory + "/" + sub + "/" + name
                guard let st = fs.stat(path) else { continue }
                if st.size == 0 { continue }
                guard !st.isDirectory, let bytes = try? fs.readFile(path), Zeros.allZero(bytes, from: 0) else { return false }
            }
        }
        return true
    }

    /// Creates a new, empty store in `directory` (created if missing; refused if it holds anything
    /// but the remains of an interrupted `create`).
    ///
    /// Crash-safe: `FORMAT` is first written as `creating` (and made durable), then the layout,
    /// the first snapshot and the first journal segment are built and fsynced, and last the real
    /// `FORMAT` replaces the marker by rename. A crash leaves no store (a missing or empty
    /// directory, or one marked `creating` that `open` refuses as not found and the next
    /// `create` clears) or a complete one; never something that needs manual cleanup.
    ///
    /// The creator (`options.user`, the real user id's account unless set) is granted `admin`.
    public static func create(at directory: String, clock: any WallClock, options: StoreOptions = .init()) throws(StoreError) -> Store {
        let fs = options.fileSystem
        let parent = Path.parent(of: directory)
        // The root itself (and what is above it) is the administrator's or creator's choice;
        // its mode says shared or private, and the file system confines everything below it.
        let rootMode: UInt32 = options.group == nil ? 0o700 : 0o2770
        func setUpRoot() throws(StoreError) {
            if let group = options.group { try fs.chgrp(directory, group: group) }
            try fs.chmod(directory, mode: rootMode)
            try fs.confine(to: directory)
        }
        if let st = fs.stat(directory) {
            guard st.isDirectory else { throw .notEmpty(path: directory) }
            try fs.confine(to: directory)
            let names = try fs.list(directory)
            if !names.isEmpty {
                // The remains of an interrupted create: only layout names, FORMAT says "creating".
                let marker = formatText(directory, fs: fs)
                guard let marker, isCreatingMarker(marker), names.allSatisfy(layoutNames.contains),
                      holdsNoRecords(directory, fs: fs) else { throw .notEmpty(path: directory) }
            }
            try setUpRoot()
            if !names.isEmpty {
                for name in names where name != "FORMAT" { try fs.removeTree(directory + "/" + name) }
                try fs.unlink(directory + "/FORMAT")
                try fs.fsyncDirectory(directory)
            }
        } else {
            try fs.mkdir(directory, mode: 0o700)
            try setUpRoot()
            try fs.fsyncDirectory(parent.isEmpty ? "." : parent)
        }
        try checkFileSystem(directory, fs: fs, options: options)
        // The marker first: from here on, whatever a crash leaves is recognisable.
        try fs.writeNewFile(directory + "/FORMAT", Array("\(creatingMarker)\n".utf8))
        try fs.fsyncDirectory(directory)
        for d in ["journal", "snapshots", "tmp", "events"] { try fs.makeDirectory(directory + "/" + d) }
        let lockFile = try fs.open(directory + "/LOCK", flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
        fs.close(lockFile)
        try fs.chmod(directory + "/LOCK", mode: 0o660)

        // The creator is the store's first admin, in its first generation.
        var initial = BookingState()
        let creator = Author(user: options.user, source: .cli)
        initial.apply(Transaction(at: clock.now(), actor: creator,
                                  mutations: [.staff(StaffGrant(subject: .user(options.user), role: .admin, at: clock.now(), by: creator))]))
        var writer = SnapshotWriter(fs: fs, target: directory + "/tmp/" + Manifest.name(1), base: nil, state: initial, changed: [],
                                   minimumShards: options.minimumShards)
        _ = try writer.write(generation: 1, lastSequence: 0)
        try fs.rename(directory + "/tmp/" + Manifest.name(1), to: directory + "/snapshots/" + Manifest.name(1))
        try fs.fsyncDirectory(directory + "/snapshots")
        let seg = try fs.open(directory + "/journal/" + Journal.segmentName(1), flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o660)
        defer { fs.close(seg) }
        try fs.chmod(seg.path, mode: 0o660)
        try Store.preallocate(seg, options: options)
        try fs.fsync(seg)
        try fs.fsyncDirectory(directory + "/journal")
        try fs.fsyncDirectory(directory + "/tmp")
        // Everything above is durable (and the directory entries too): the real FORMAT replaces
        // the marker in one atomic rename, the commit point of create.
        try fs.writeNewFile(directory + "/tmp/FORMAT", Array("\(StoreFormat.current)\n".utf8))
        try fs.rename(directory + "/tmp/FORMAT", to: directory + "/FORMAT")
        try fs.fsyncDirectory(directory)
        return try open(at: directory, clock: clock, options: options)
    }

    /// Opens an existing store: picks the newest snapshot that verifies, replays the journal
    /// after it, and opens read-only (with `readOnlyReason`) if it finds damage.
    public static func open(at directory: String, clock: any WallClock, options: StoreOptions = .init()) throws(StoreError) -> Store {
        let s = try Store(directory: directory, clock: clock, options: options)
        try s.recover()
        return s
    }

    /// Rebuilds the in-memory state from disk (on open, or when a reader fell behind compaction).
    ///
    /// Takes no lock and changes nothing on disk: a torn tail is only noted (`tornLength`);
    /// the next writer repairs it and clears `tmp/` under the lock (`sweepLocked`).
    ///
    /// A compaction in another process may move journal segments to `events/` between our
    /// listing of `snapshots/` and our reading of `journal/` (it renames the new generation in
    /// first, then moves the segments it folded). So a journal that does not reach back to the
    /// chosen snapshot, or a segment that vanished, is damage only if no newer generation
    /// appeared meanwhile; otherwise recovery starts over from the newer one.
    func recover() throws(StoreError) {
        let noticesBefore = notices.count
        for attempt in 1...8 {
            if try recoverOnce(mayRetry: attempt < 8) { return }
            notices.removeSubrange(noticesBefore...)
            readOnlyReason = nil
        }
    }

    /// Whether a generation newer than `number` is in `snapshots/` now.
    func newerGenerationAppeared(than number: UInt64) -> Bool {
        ((try? Generation.list(snapshotsDir, fs: fs))?.first ?? 0) > number
    }

    /// One attempt of `recover`; false when a concurrent compaction raced it (start over).
    func recoverOnce(mayRetry: Bool) throws(StoreError) -> Bool {
        // Whatever our background compaction wrote, recovery finds on disk by itself.
        if let running = backgroundCompaction {
            backgroundCompaction = nil
            if case .failure(let error) = running.job.wait() { notices.append("compaction failed: \(error)") }
        }
        state = BookingState()
        damage = []
        touched = []
        auditTail = []
        changedReferenceFiles = []
        touchedKeys = []
        loadedKeyShards = []
        touchedCustomers = []
        customersInMemory = CustomerMemoryIndex()
        tailCustomersMissing = []
        loadedPartitions = []
        loadedSeries = []
        seriesMap = nil
        try settleFlushes()
        if let segment { fs.close(segment); self.segment = nil }

        // Newest generation whose manifest and reference files verify.
        var chosen: (Generation, [Mutation])?
        var unusable: [String] = []
        let listed = try Generation.list(snapshotsDir, fs: fs)
        for g in listed {
            do {
                let gen = try Generation.open(snapshotsDir + "/" + Manifest.name(g), fs: fs)
                chosen = (gen, try referenceData(gen))
                break
            } catch .newerFormat(let f, let s) {
                throw .newerFormat(found: f, supported: s)
            } catch {
                notices.append("snapshot generation \(g) is unusable (\(error)); trying the previous one")
                unusable.append("generation \(g): \(error)")
            }
        }
        guard let (gen, mutations) = chosen else {
            // Two compactions may have come and gone while we read (each deletes all but two).
            if mayRetry { return false }
            throw .damaged(path: snapshotsDir, detail: "no snapshot generation verifies" + (unusable.isEmpty ? "" : " (" + unusable.joined(separator: "; ") + ")"))
        }
        generation = gen
        state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: mutations))
        // A generation that keeps its customers whole has them all in memory, where they count.
        if !customerLayout.isSharded { for c in state.customers.values { customersInMemory.put(c) } }
        // Waitlist entries show their customer's name: loaded with the first bookings, not here.
        for e in state.waitlist.values where state.customers[e.customer] == nil { tailCustomersMissing.insert(e.customer) }
        lastSequence = gen.manifest.lastSequence
        // Newer than any generation listed: a damaged newest generation we fell back from is no race.
        let raced: () -> Bool = { [self] in mayRetry && newerGenerationAppeared(than: max(gen.manifest.generation, listed.first ?? 0)) }

        // Replay the journal after the snapshot.
        var segments = try Journal.segments(in: journalDir, fs: fs)
        if !segments.isEmpty, segments[0].first > lastSequence + 1 {
            if raced() { return false }
            // A fallback generation: what was folded since is in events/ while it is kept.
            segments = try Journal.segments(in: eventsDir, fs: fs).filter { $0.first < segments[0].first } + segments
            if segments.first.map({ $0.first <= lastSequence + 1 }) ?? false {
                notices.append("replaying records after \(lastSequence) from events/: generation \(gen.manifest.generation) is the newest that verifies")
            }
        }
        guard let startIndex = segments.lastIndex(where: { $0.first <= lastSequence + 1 }) else {
            if raced() { return false }
            let first = segments.first.map { String($0.first) } ?? "none"
            markDamaged("journal does not reach back to record \(lastSequence + 1) (first segment starts at \(first)): the records after generation \(gen.manifest.generation) cannot be replayed")
            return true
        }
        for i in startIndex..<segments.count {
            let seg = segments[i]
            let isLast = i == segments.count - 1
            let file: OpenFile
            do {
                if isLast {
                    if let f = try? fs.open(seg.path, flags: O_RDWR, mode: 0) { file = f } else {
                        file = try fs.open(seg.path, flags: O_RDONLY, mode: 0)
                        readOnlyReason = readOnlyReason ?? "no write permission on \(seg.path)"
                    }
                } else {
                    file = try fs.open(seg.path, flags: O_RDONLY, mode: 0)
                }
            } catch .io(_, _, ENOENT) where raced() {
                return false // moved to events/ by a compaction since we listed the journal
            } catch .io(_, _, ENOENT) where !isLast && seg.path.hasPrefix(eventsDir + "/") {
                markDamaged("\(seg.path) vanished while it was replayed (pruned): records from \(seg.first) cannot be replayed")
                return true
            }
            let bytes: [UInt8]
            do { bytes = try fs.readAllDroppingZeroTail(file) } catch { fs.close(file); throw error }
            if seg.first > lastSequence + 1 {
                fs.close(file)
                if raced() { return false }
                markDamaged("sequence gap: expected record \(lastSequence + 1), segment \(seg.path) starts at \(seg.first)")
                return true
            }
            var scan = SegmentScan(bytes: bytes, offset: 0, expect: seg.first)
            // A writer may be mid-write (opening takes no lock): look again before calling it damage.
            if isLast, case .corrupt = scan.tail {
                do {
                    scan = try SegmentScan.settled { () throws(StoreError) in
                        SegmentScan(bytes: try fs.readAllDroppingZeroTail(file), offset: 0, expect: seg.first)
                    }
                } catch { fs.close(file); throw error }
            }
            for rec in scan.records where rec.seq > lastSequence { applyRecord(rec) }
            if !isLast {
                fs.close(file)
                if scan.tail != .clean {
                    markDamaged("\(seg.path) at offset \(scan.validEnd): \(describe(scan.tail)) in a segment that is not the last")
                    return true
                }
                continue
            }
            segment = file
            segmentFirst = seg.first
            offset = scan.validEnd
            switch scan.tail {
            case .clean: tornLength = 0
            case .torn(let n):
                tornLength = n
                notices.append("\(seg.path): ignored a torn last record of \(n) bytes at offset \(scan.validEnd)")
            case .corrupt(let at, let detail):
                markDamaged("\(seg.path) at offset \(at): \(detail)")
                return true
            }
        }
        return true
    }

    /// Once per process, the first time it holds the lock: removes what interrupted writers
    /// left in `tmp/` (new segments; generations of older programs, which compacted under this
    /// lock). Names starting with `compact-` belong to compactions, which run outside this lock
    /// (holding the compaction lock): one may be in progress in another process right now, so
    /// they are left to the next compaction, which removes them while it holds that lock. A
    /// link is removed itself, never followed (`FileSystem.removeTree`). Also deletes
    /// all-zero torn-tail copies older programs left in `journal/` (`removeZeroTornCopies`).
    /// Lock held.
    func sweepLocked() {
        guard !tmpSwept else { return }
        tmpSwept = true
        for name in (try? fs.list(tmpDir)) ?? [] where !name.hasPrefix(Store.compactionPrefix) {
            try? fs.removeTree(tmpDir + "/" + name)
        }
        removeZeroTornCopies()
    }

    /// Deletes `journal/torn-*.bak` files that hold nothing but zeros. A program from before
    /// preallocation takes a segment's padding for a torn tail and saves it there (up to
    /// `preallocateBytes` per segment) before truncating it; such a copy carries no data. Write
    /// lock held: such a program writes its copies only while holding it, so none is half-written.
    func removeZeroTornCopies() {
        for name in (try? fs.list(journalDir)) ?? [] where name.hasPrefix("torn-") && name.hasSuffix(".bak") {
            let path = journalDir + "/" + name
            guard let bytes = try? fs.readFile(path), Zeros.allZero(bytes, from: 0) else { continue }
            try? fs.unlink(path)
        }
    }

    func describe(_ tail: SegmentScan.Tail) -> String {
        switch tail {
        case .clean: return "clean"
        case .torn(let n): return "a torn record of \(n) bytes"
        case .corrupt(_, let d): return d
        }
    }

    func markDamaged(_ detail: String) {
        readOnlyReason = readOnlyReason ?? "damaged journal: \(detail); acknowledged records may follow, so nothing was dropped — run `frontdesk repair`"
        notices.append(detail)
        damage.append(detail)
    }

    /// Resources, schedules, customers, waitlist, staff grants, services and counters of a generation. Idempotency
    /// keys are not among them: they are loaded shard by shard when a plan looks one up
    /// (`loadIdempotencyKeys`), but the layout is checked here so a bad manifest is found on open.
    func referenceData(_ gen: Generation) throws(StoreError) -> [Mutation] {
        var m: [Mutation] = []
        m += (try gen.readList("schedules.json", fs: fs, ScheduleSchema.read) ?? []).map(Mutation.schedule)
        m += (try gen.readList("resources.json", fs: fs, ResourceSchema.read) ?? []).map(Mutation.resource)
        // Sharded customers are loaded lazily (`Store+Customers`); a format 2 generation's
        // customers.json is read whole.
        if !CustomerLayout(gen.manifest).isSharded {
            m += (try gen.readList(CustomerLayout.wholeFile, fs: fs, CustomerSchema.read) ?? []).map(Mutation.customer)
        }
        m += (try gen.readList("waitlist.json", fs: fs, WaitlistSchema.read) ?? []).map(Mutation.waitlist)
        // A generation written before roles has no staff file: no grants.
        m += (try gen.readList(StaffSchema.file, fs: fs, StaffSchema.read) ?? []).map(Mutation.staff)
        // A generation written before money has no settings file: no currency.
        m += (try gen.readList(SettingSchema.file, fs: fs, SettingSchema.read) ?? []).map(Mutation.setting)
        // A generation written before format 5 has no service catalog.
        m += (try gen.readList(ServiceSchema.file, fs: fs, ServiceSchema.read) ?? []).map(Mutation.service)
        _ = try gen.idempotencyLayout()
        m.append(.counters(gen.manifest.counters))
        return m
    }

    func applyRecord(_ rec: JournalRecord) {
        state.apply(rec.tx)
        noteChanges(rec.tx, seq: rec.seq)
        lastSequence = rec.seq
    }

    /// Remembers what `tx` changed relative to `generation`, for the next compaction (and, while
    /// a background compaction runs, relative to its boundary, for when it is adopted).
    func noteChanges(_ tx: Transaction, seq: UInt64) {
        for m in tx.mutations {
            if case .audit(let e) = m {
                auditTail.append(LoggedAuditEntry(seq: seq, entry: e))
                continue
            }
            // A waitlist entry shows its customer's name: loaded with the next load of bookings.
            if case .waitlist(let w) = m, state.customers[w.customer] == nil { tailCustomersMissing.insert(w.customer) }
            if case .booking(let b) = m {
                touched.insert(b.id)
                backgroundCompaction?.changedSince.insert(b.id)
            } else if let key = Store.idempotencyKey(changedBy: m) {
                touchedKeys.insert(key)
                backgroundCompaction?.keysChangedSince.insert(key)
            } else if case .customer(let c) = m {
                noteCustomerChange(c)
                changedReferenceFiles.insert(CustomerLayout.wholeFile)
                backgroundCompaction?.referencesChangedSince.insert(CustomerLayout.wholeFile)
            } else if let file = Store.referenceFile(changedBy: m) {
                changedReferenceFiles.insert(file)
                backgroundCompaction?.referencesChangedSince.insert(file)
            }
        }
    }

    /// The idempotency key a mutation sets or forgets, nil for other mutations.
    static func idempotencyKey(changedBy m: Mutation) -> String? {
        switch m {
        case .idempotencyKey(let r): return r.key
        case .forgetIdempotencyKey(let k): return k
        default: return nil
        }
    }

    /// The snapshot's reference file a mutation changes; nil for bookings (partitions),
    /// idempotency keys (shards, `touchedKeys`) and the counters (kept in the manifest, which
    /// is always written).
    static func referenceFile(changedBy m: Mutation) -> String? {
        switch m {
        case .booking, .counters, .idempotencyKey, .forgetIdempotencyKey, .audit: return nil
        case .resource: return "resources.json"
        case .schedule: return "schedules.json"
        case .customer: return "customers.json"
        case .waitlist: return "waitlist.json"
        case .staff: return StaffSchema.file
        case .setting: return SettingSchema.file
        case .service: return ServiceSchema.file
        }
    }

    /// Copies a torn tail aside (`journal/torn-<seq>-<time>.bak`) and overwrites it with zeros.
    /// Lock held.
    ///
    /// Zeroing (rather than truncating) keeps the segment's preallocated space, and the
    /// fdatasync comes before any record is written there, so a later record, shorter than
    /// the torn one, is never followed by its stale bytes on disk. Only the bytes up to the last
    /// non-zero one are saved and zeroed (the rest is padding already). If the fdatasync fails
    /// the store turns read-only: the zeros may not be on disk although the page cache says so.
    func repairTornTail() throws(StoreError) {
        guard let segment, tornLength > 0 else { return }
        let bytes = try fs.readAll(segment, from: offset)
        let tail = Array(bytes[..<Zeros.endOfContent(bytes, from: 0)])
        guard !tail.isEmpty else { tornLength = 0; return }
        let bak = journalDir + "/torn-\(lastSequence + 1)-\(Int(Date().timeIntervalSince1970)).bak"
        if fs.stat(bak) == nil {
            try fs.writeNewFile(bak, tail)
            try fs.fsyncDirectory(journalDir)
        }
        try fs.writeAll(segment, [UInt8](repeating: 0, count: tail.count), at: offset)
        do { try fs.fdatasync(segment) } catch {
            readOnlyReason = readOnlyReason ?? "fdatasync of \(segment.path) failed (\(error)) while zeroing a torn tail: reopen required"
            throw error
        }
        notices.append("\(segment.path): saved a torn tail of \(tail.count) bytes to \(bak) and zeroed it")
        tornLength = 0
    }

    /// Fills a new, empty segment with `preallocateBytes` zeros (the caller fsyncs it), so that
    /// records overwrite allocated, written space: not `fallocate`, whose unwritten extents
    /// still need a metadata update at the first write.
    func preallocate(_ file: OpenFile) throws(StoreError) { try Store.preallocate(file, options: options) }

    static func preallocate(_ file: OpenFile, options: StoreOptions) throws(StoreError) {
        guard options.preallocateBytes > 0 else { return }
        try options.fileSystem.writeAll(file, [UInt8](repeating: 0, count: Int(options.preallocateBytes)), at: 0)
    }
}
