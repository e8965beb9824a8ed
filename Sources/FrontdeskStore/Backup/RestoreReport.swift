import FrontdeskCore

/// Which point of a backup's history `StoreRestore.restore` rebuilds.
public enum RestoreTarget: Sendable, Equatable {
    /// Everything the backup (with its chain) holds.
    case latest
    /// The state just after journal record `n`.
    case sequence(UInt64)
    /// The state just before the first record committed after this time (records carry the
    /// time they were committed at, whole seconds, from the writer's clock).
    case time(Instant)
}

/// What `StoreRestore.restore` rebuilt.
public struct RestoreReport: Sendable {
    /// The new store's directory.
    public var path: String
    /// The last journal record the restored store holds.
    public var lastSequence: UInt64
    /// When that record was committed; nil when the store ends at a generation whose last
    /// record the backup does not hold.
    public var lastTime: Instant?
    /// The generation it starts from and how many records were replayed on top of it.
    public var generation: UInt64
    public var replayed: Int
    /// What the restored store holds (bookings of every status).
    public var bookings: Int
    public var customers: Int
    public var resources: Int
    /// The earliest record the backup chain can be restored to, and its time when known.
    public var earliestSequence: UInt64
    public var earliestTime: Instant?
    /// `check()` of the restored store (passed).
    public var check: CheckReport
}
