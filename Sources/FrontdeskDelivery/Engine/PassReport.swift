/// What one delivery pass did, for the command's output and for tests.
public struct PassReport: Sendable, Equatable {
    /// Events written by the time-driven sweep (`reminder.due`, `booking.hold_expired`, ...).
    public var sweptEvents = 0
    /// Jobs queued from newly read journal records.
    public var queued = 0
    public var delivered = 0
    /// Failed attempts that will be retried.
    public var failed = 0
    public var deadLettered = 0
    public var dropped = 0
    public var requeued = 0
    /// Attempt log records older than the log's retention, deleted this pass.
    public var prunedLogRecords = 0
    /// Human-readable lines: one per attempt, plus anything tolerated (a busy store).
    public var lines: [String] = []

    public init() {}
}
