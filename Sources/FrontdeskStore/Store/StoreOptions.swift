import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Tuning and seams for a `Store`.
public struct StoreOptions: Sendable {
    /// Seconds to keep retrying a busy write lock before failing with `.busy`.
    public var lockTimeout: Double
    /// Compact once the current journal segment (the records since the last compaction
    /// boundary) holds this many records (256).
    ///
    /// A trade-off (docs/STORAGE.md, "Choosing the threshold"; figures in docs/BENCHMARKS.md):
    /// every process that opens the store decodes each record since the snapshot, which argues
    /// for compacting often. Compaction does not hold the write lock (other writers do not
    /// wait), but the compacting process pays for rewriting the changed partitions and
    /// directory shards. A lower threshold cuts what a `frontdesk book` replays on a store
    /// with several busy resources, but costs one process's durable commit rate and raises the
    /// 8-writer p99; 256 keeps most of the first at a small cost in the others.
    public var compactAfterRecords: Int
    /// Compact once the current journal segment holds this many bytes (256 KB: about 256
    /// one-booking records, so large records do not make new processes replay more).
    public var compactAfterBytes: Int64
    /// Start a new journal segment once the current one is this large (without compacting).
    public var rotateAfterBytes: Int64
    /// Zero bytes a new journal segment is filled with before it is fsynced and renamed in, and
    /// the step by which a writer extends a segment whose preallocated space a record does not
    /// fit (320 KiB). Records then overwrite space that is already allocated and written, so
    /// their fdatasync has no file size to journal (on ext4 an overwrite's fdatasync is cheaper
    /// than an append's, which also writes the inode). 0 appends at the end of the file instead.
    /// 320 KiB because a segment rarely holds much more than `compactAfterBytes` (256 KB)
    /// before the compaction boundary starts the next one: more padding would be zeros written
    /// under the write lock and read back by every open for nothing.
    public var preallocateBytes: Int64
    /// Write a compaction's generation on a background thread (`CompactionJob`), so the write
    /// that reached the threshold returns at once and later writes do not wait for it; the
    /// process must call `Store.waitForBackgroundWork()` (or release the store) before it exits.
    /// Ignored, compacting on the writing thread, when the file system does not allow
    /// concurrent use (`FileSystem.allowsConcurrentUse`: the fault-injecting test double).
    public var compactInBackground: Bool
    /// The group of a store `create` makes shared: its directory is given this group and mode
    /// 02770, and everything the store creates in it 02770 (directories) or 0660 (files). nil
    /// (the default) makes a private store: 0700 and 0600, whatever the umask. `open` learns
    /// which from the directory's mode (group bits set: shared), so stores made before this
    /// option (02770) stay shared.
    public var group: UInt32?
    /// Every file operation goes through this (the fault-injection seam).
    public var fileSystem: any FileSystem
    /// Make a compaction's generation durable with an fsync of each file and directory it
    /// wrote, never one `syncfs`, even where the file system offers it (off by default).
    ///
    /// `syncfs` writes back every dirty page of the whole file system, other programs' too,
    /// and the journal's `fdatasync` queues behind that write-back on the same device: a
    /// process whose commits go on while its compaction runs beside them (the HTTP server)
    /// turns this on, so a compaction writes back its own files only. A compaction that runs
    /// alone (the command line, an import's thousands of files) is faster with one `syncfs`.
    package var compactionFsyncsEachFile = false
    /// Who this process acts for, shown to others when they find the lock busy: as set, else the
    /// account of the real user id, looked up when first asked for (only writers ask, so a
    /// reader never reads the password database).
    public var user: String {
        get { explicitUser ?? ProcessAccount.name }
        set { explicitUser = newValue }
    }
    private var explicitUser: String?

    /// Identifier source for the engine (random by default).
    public var identifiers: any IdentifierSource
    /// Refuse network file systems (NFS, CIFS, SMB2). Tests leave it on.
    public var refuseNetworkFileSystems: Bool
    /// How long idempotency keys are kept: compaction forgets older ones (30 days).
    public var idempotencyRetention: TimeSpan
    /// How long folded journal segments stay in `events/` for `events(after:)`: compaction
    /// deletes older ones (by file modification time, 30 days), but never one of the newest
    /// `keepEventSegments` and never one an event consumer has not read yet.
    public var eventRetention: TimeSpan
    /// How many of the newest `events/` segments compaction always keeps (8).
    public var keepEventSegments: Int
    /// Files (relative to the store directory) of event consumers, JSON objects with a
    /// `"cursor"`: the last sequence the consumer has read. Compaction never deletes an
    /// `events/` segment holding a record after a cursor; a file that exists but does not
    /// decode stops event pruning altogether. Default: the deliverer's `delivery-state.json`.
    public var eventConsumerFiles: [String]
    /// Told after each `Store.write` that journaled a record where its time went; nil (the
    /// default) takes no timestamps. For diagnosing commit latency.
    package var commitObserver: (any CommitObserver)?
    /// About how many idempotency keys a shard holds before compaction doubles the number of
    /// shards (``IdempotencyLayout``); tests lower it to see the count change with few keys.
    package var idempotencyKeysPerShard = IdempotencyLayout.entriesPerShard
    /// About how many customers a shard of the customer table holds (``CustomerLayout``); tests
    /// change it to see a generation written with another count open and be resharded.
    package var customersPerShard = CustomerLayout.entriesPerShard
    /// About how many bookings a shard of the customer index holds (``CustomerIndex``); tests
    /// change it as `customersPerShard`.
    package var customerIndexEntriesPerShard = CustomerIndex.entriesPerShard
    /// The fewest shards a compaction gives each sharded table it writes (idempotency keys,
    /// customers and their keys, the customer index), a power of two: 16 by default. A
    /// generation's counts are the shard files its manifest lists, so any store opens whatever
    /// minimum wrote it; a table whose count differs is resharded when next rewritten. The
    /// store's tests lower it to 2, so that a store of a few bookings has two files per table
    /// and the crash tests fault each kind of file twice rather than 16 times.
    package var minimumShards = IdempotencyLayout.minimumShards {
        willSet { precondition(newValue > 0 && newValue & (newValue - 1) == 0, "minimumShards must be a power of two") }
    }
    /// The most bytes of verified partition files a store keeps between reads of parts of
    /// them (``PartitionFileCache``: a write's conflict check, one customer's bookings), least
    /// recently used dropped first: 16 MiB. 0 reads and verifies each file every time; the
    /// tests compare the two.
    package var partitionCacheBytes = 16 << 20
    /// How compaction cuts the search index into chunks and pages (``SearchIndex/Sizes``);
    /// tests make them small to see pages and chunks split with few bookings.
    package var searchIndexSizes = SearchIndex.Sizes.standard
    /// When a search word counts as selective (``SearchIndex/Selectivity``); tests lower it to
    /// see the scan with few bookings.
    package var searchSelectivity = SearchIndex.Selectivity.standard

    public init(lockTimeout: Double = 5, compactAfterRecords: Int = 256, compactAfterBytes: Int64 = 256 << 10,
                rotateAfterBytes: Int64 = 64 << 20, preallocateBytes: Int64 = 320 << 10, compactInBackground: Bool = true, fileSystem: any FileSystem = RealFileSystem(),
                user: String? = nil,
                identifiers: any IdentifierSource = FastRandomIdentifiers(), refuseNetworkFileSystems: Bool = true,
                idempotencyRetention: TimeSpan = .days(30), eventRetention: TimeSpan = .days(30), keepEventSegments: Int = 8,
                eventConsumerFiles: [String] = ["delivery-state.json"]) {
        self.lockTimeout = lockTimeout; self.compactAfterRecords = compactAfterRecords; self.compactAfterBytes = compactAfterBytes
        self.rotateAfterBytes = rotateAfterBytes; self.preallocateBytes = preallocateBytes
        self.compactInBackground = compactInBackground; self.fileSystem = fileSystem; self.explicitUser = user; self.identifiers = identifiers
        self.refuseNetworkFileSystems = refuseNetworkFileSystems
        self.idempotencyRetention = idempotencyRetention; self.eventRetention = eventRetention
        self.keepEventSegments = keepEventSegments; self.eventConsumerFiles = eventConsumerFiles
    }
}

/// What `Store.check()` found: one human-readable line per check, and whether all passed.
public struct CheckReport: Sendable {
    public var ok: Bool
    /// Torn tails and fallbacks: not damage, but worth telling the operator.
    public var warnings: Int
    public var lines: [String]
}
