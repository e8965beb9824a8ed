import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

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
        a.beforeDeferredSync = {
            do {
                bBooked = try Support.book(b, room, Support.slot(3))
            } catch { bError = error }
            fs.crashAfter = fs.operations   // the power fails before A's fdatasync
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
        a.beforeDeferredSync = {
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

    /// `commitTimings` reports once per write that journaled a record (not for a refusal),
    /// with every part measured, and says which write began a compaction.
    @Test func eachJournaledWriteReportsWhereItsTimeWent() throws {
        let dir = Support.tempDir("groupcommit-timings")
        defer { Support.remove(dir) }
        let (_, room) = try Support.newStore(dir)
        var options = Support.options(compactAfter: 4)
        options.compactInBackground = false
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        var timings: [CommitTiming] = []
        store.commitTimings = { timings.append($0) }
        for hour in 1...6 { try Support.book(store, room, Support.slot(Int64(hour))) }
        #expect(throws: StoreError.self) { try Support.book(store, room, Support.slot(1)) }   // taken
        #expect(timings.count == 6)
        #expect(timings.allSatisfy { $0.beforeLock >= 0 && $0.holdingLock > 0 && $0.syncing >= 0 })
        let boundaries = timings.filter(\.beganCompaction)
        #expect(boundaries.count == 1, "\(timings.map(\.beganCompaction))")
        // At a boundary the fdatasync happened under the lock, before the new segment.
        #expect(boundaries.allSatisfy { $0.syncing == 0 })
        #expect(timings.filter { !$0.beganCompaction }.allSatisfy { $0.syncing > 0 })
    }
}
