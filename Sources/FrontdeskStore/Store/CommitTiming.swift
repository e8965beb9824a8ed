/// Where one `Store.write` spent its time, for diagnosing commit latency
/// (`FRONTDESK_COMMIT_PARTS=1 frontdesk-storetool bench latency`); see `CommitObserver`.
package struct CommitTiming: Sendable {
    /// Seconds from the call to holding the write lock: the catch-up before the lock and the
    /// wait for it (other writers' turns).
    package var beforeLock: Double
    /// Seconds holding the lock: catching up, planning, appending, and at a compaction boundary
    /// the fdatasync and the new segment.
    package var holdingLock: Double
    /// Seconds in the fdatasync after the lock (group commit); exactly 0 when it was done under
    /// the lock instead (at a compaction boundary).
    package var syncing: Double
    /// Whether this write set a compaction boundary.
    package var beganCompaction: Bool
}
