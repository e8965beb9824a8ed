import FrontdeskCore

/// What `Store.backup(to:incremental:)` wrote.
public struct BackupReport: Sendable {
    /// The backup's directory.
    public var path: String
    /// Its name inside the destination (`<last sequence, 20 digits>-<NNN>`).
    public var name: String
    /// Whether it continues a previous backup (and which); nil for a full backup.
    public var previous: String?
    /// The last journal record it contains: every change acknowledged up to it is in it.
    public var lastSequence: UInt64
    /// The records it holds itself (`firstSequence...lastSequence`; empty when first > last).
    public var firstSequence: UInt64
    /// The generations it holds itself.
    public var generations: [UInt64]
    /// Files written and files hard-linked from earlier backups, and the bytes written.
    public var filesWritten: Int
    public var filesLinked: Int
    public var bytesWritten: Int64
    /// When it was taken.
    public var createdAt: Instant
    /// The lines of the check run on a store restored from it (all passed).
    public var check: CheckReport
}
