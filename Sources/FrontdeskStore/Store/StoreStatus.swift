/// What `Store.status()` found: the store's own facts for `frontdesk status`, gathered without
/// reading every file (manifests, directory listings, sizes and the pin; nothing a full `check`
/// reads).
public struct StoreStatus: Sendable {
    /// The store's format (its `FORMAT` file).
    public var format: Int
    /// The last journal record applied.
    public var lastSequence: UInt64
    /// The generation in use: its number and the last record folded into it.
    public var generation: UInt64
    public var generationLastSequence: UInt64
    /// When the generation in use was written (its manifest's modification time, Unix seconds).
    public var generationWrittenAt: Double?
    /// Bytes of the generation in use: the sizes its manifest lists, plus the manifest.
    public var generationBytes: Int64
    /// The newest generation in `snapshots/`, and how many there are.
    public var newestGenerationOnDisk: UInt64?
    public var generationsOnDisk: Int
    /// Generations newer than the one in use whose manifest or reference files do not verify
    /// (the store fell back from them), one line each; one that verifies was written by
    /// another process since this one opened, and is not listed.
    public var unusableGenerations: [String]
    /// Records and bytes of the journal since the generation in use (`journal/`, valid ends).
    public var journalRecords: UInt64
    public var journalBytes: Int64
    public var journalSegments: Int
    /// Segments and bytes in `events/`, and the oldest one's first record and modification time.
    public var eventSegments: Int
    public var eventBytes: Int64
    public var oldestEventSequence: UInt64?
    public var oldestEventWrittenAt: Double?
    /// Idempotency shards of the generation in use and their bytes (keys in them are not
    /// counted: that would read every shard), and keys the journal since then set or forgot.
    public var idempotencyShards: Int
    public var idempotencyBytes: Int64
    public var idempotencyKeysInJournal: Int
    /// Keys on disk, estimated from the largest shard (read and verified) scaled by bytes: nil
    /// when no shard could be read.
    public var idempotencyKeysEstimate: Int?
    /// Files this status read that failed verification (size, checksum, decoding): damage.
    public var unreadable: [String]
    /// The retention pin's `retain_from` (nil: no pin), or why it could not be read.
    public var retentionPin: UInt64?
    public var retentionPinProblem: String?
    /// Journal damage (reads are incomplete), why the store refuses writes, and what recovery
    /// tolerated; as ``Store/damage``, ``Store/readOnlyReason`` and ``Store/notices``.
    public var damage: [String]
    /// What every booking read would refuse with while `damage` is not empty (``Store/missingRecords``).
    public var missingRecords: String?
    public var readOnlyReason: String?
    public var notices: [String]
}
