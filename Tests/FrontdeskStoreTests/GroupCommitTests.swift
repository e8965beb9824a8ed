import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// A write releases the lock before its fdatasync (group commit). What another writer does in
/// that window must not depend on a record that a power cut can still take away.
@Suite struct GroupCommitTests {
    /// Writer A has appended and let go of the lock but not yet synced; writer B then starts a
    /// new segment (no padding to cut, so nothing else would sync A's segment) and has its own
    /// booking acknowledged there. The power fails before A's fdatasync. B's booking was planned
    /// on top of A's record: the store must still open clean, with B's booking in it.
    @Test(arguments: FaultyFileSystem.PowerLoss.allCases)
    func aRotationMakesTheUnsyncedRecordsBeforeItDurable(_ mode: FaultyFileSystem.PowerLoss) throws {
        let dir = Support.tempDir("groupcommit")
        defer { Support.remove(dir) }
        let (setup, room) = try Support.newStore(dir, options: Support.options(preallocate: 0))
        try Support.book(setup, room, Support.slot(1))
        let fs = FaultyFileSystem()
        // Every write after the first one starts a segment.
        let a = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs, rotate: 1, preallocate: 0))
        let b = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs, rotate: 1, preallocate: 0))
        var bBooked: Booking?
        var bError: (any Error)?
        Self.atDeferredSync(fs, of: dir) {
            do {
                bBooked = try Support.book(b, room, Support.slot(3))
            } catch { bError = error }
            fs.crash()   // the power fails before A's fdatasync
        }
        #expect(throws: StoreError.self) { try Support.book(a, room, Support.slot(2)) }
        #expect(bError == nil, "\(bError.map { "\($0)" } ?? "")")
        let acknowledged = try #require(bBooked)
        #expect(fs.log.contains { $0.contains(" rename ") && $0.contains("/journal/") }, "B did not start a segment")
        fs.powerLoss(mode)
        let after = try Support.reopen(dir)
        #expect(!after.isReadOnly, "\(after.readOnlyReason ?? "")")
        #expect(after.state.bookings[acknowledged.id] != nil, "B's acknowledged booking is gone")
        #expect(after.check().ok)
    }

    /// A's fdatasync comes after it released the lock: B can commit in between, and A's write
    /// is acknowledged only after its own fdatasync.
    @Test func anotherWriterCommitsWhileAWaitsForTheDisk() throws {
        let dir = Support.tempDir("groupcommit-order")
        defer { Support.remove(dir) }
        let (_, room) = try Support.newStore(dir)
        let fs = FaultyFileSystem()
        let a = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let b = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        var opsBeforeB = 0
        Self.atDeferredSync(fs, of: dir) {
            opsBeforeB = fs.operations
            // B takes the lock A just let go of, sees A's record and books the next slot.
            _ = try? Support.book(b, room, Support.slot(3))
        }
        let booked = try Support.book(a, room, Support.slot(2))
        #expect(opsBeforeB > 0, "A did not defer its fdatasync")
        // A's own fdatasync came after B's whole write.
        let syncs = fs.log.enumerated().filter { $0.element.contains(" fdatasync ") }.map(\.offset)
        #expect(syncs.last.map { $0 >= opsBeforeB } == true, "\(fs.log)")
        #expect(b.state.bookings[booked.id] != nil, "B planned without A's record")
        let after = try Support.reopen(dir)
        #expect(after.state.bookings.count == 2)
    }

    /// The commit observer hears once per write that journaled a record (not for a refusal),
    /// with every part measured, and is told which write began a compaction.
    @Test func eachJournaledWriteReportsWhereItsTimeWent() throws {
        let dir = Support.tempDir("groupcommit-timings")
        defer { Support.remove(dir) }
        let (_, room) = try Support.newStore(dir)
        var options = Support.options(compactAfter: 4)
        options.compactInBackground = false
        let observer = TimingRecorder()
        options.commitObserver = observer
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        for hour in 1...6 { try Support.book(store, room, Support.slot(Int64(hour))) }
        #expect(throws: StoreError.self) { try Support.book(store, room, Support.slot(1)) }   // taken
        let timings = observer.timings
        #expect(timings.count == 6)
        #expect(timings.allSatisfy { $0.beforeLock >= 0 && $0.holdingLock > 0 && $0.syncing >= 0 })
        let boundaries = timings.filter(\.beganCompaction)
        #expect(boundaries.count == 1, "\(timings.map(\.beganCompaction))")
        // At a boundary the fdatasync happened under the lock, before the new segment.
        #expect(boundaries.allSatisfy { $0.syncing == 0 })
        #expect(timings.filter { !$0.beganCompaction }.allSatisfy { $0.syncing > 0 })
    }

    /// Runs `body` once, before the first journal fdatasync `fs` sees while the store's write
    /// lock is free: a writer's deferred fdatasync (group commit), after it let go of the lock
    /// and before its record is durable.
    static func atDeferredSync(_ fs: FaultyFileSystem, of dir: String, _ body: @escaping () -> Void) {
        var fired = false
        fs.beforeOperation = { _, line in
            guard !fired, line.contains(" fdatasync "), line.contains("/journal/"), lockIsFree(dir) else { return }
            fired = true
            body()
        }
    }

    /// Whether nobody holds the store's write lock (a `flock` on its directory).
    static func lockIsFree(_ dir: String) -> Bool {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        flock(fd, LOCK_UN)
        return true
    }
}

/// Keeps every commit timing the store reports.
private final class TimingRecorder: CommitObserver, @unchecked Sendable {
    // @unchecked: the test writes from one thread and reads after the writes.
    var timings: [CommitTiming] = []
    func committed(_ timing: CommitTiming) { timings.append(timing) }
}
