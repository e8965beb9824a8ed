import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `Store.writeGroup`: several changes under one lock hold with one fdatasync (the server's
/// group commit), each planned on the ones before it, each its own record.
@Suite struct WriteGroupTests {
    static func booking(_ resource: ResourceID, _ range: TimeRange, access: Access? = nil, key: String? = nil) -> GroupedWrite<Booking> {
        let request = BookingRequest(resource: resource, range: range, idempotencyKey: key)
        return GroupedWrite(change: .book(request), access: access) { s, e throws(CoreError) in
            let p = try e.book(request, in: s, by: Support.actor)
            return Planned(transaction: p.transaction, value: p.value.bookings[0])
        }
    }

    /// Two changes of one group for the same slot: the first books it, the second is refused
    /// as a conflict; a change its role does not allow is refused alone; the others commit.
    @Test func eachChangeIsPlannedOnTheOnesBeforeIt() throws {
        let dir = Support.tempDir("writegroup")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        let before = store.lastSequence
        let viewer = Access(user: "kiosk", role: .viewer)
        let results = store.writeGroup("test group", [
            Self.booking(room, Support.slot(1)),
            Self.booking(room, Support.slot(1)),
            Self.booking(room, Support.slot(2), access: viewer),
            Self.booking(room, Support.slot(3)),
        ])
        #expect(results.count == 4)
        let first = try results[0].get()
        if case .failure(.core(.conflict)) = results[1] {} else { Issue.record("\(results[1])") }
        if case .failure(.core(.notPermitted)) = results[2] {} else { Issue.record("\(results[2])") }
        let last = try results[3].get()
        // One record per committed change.
        #expect(store.lastSequence == before + 2)
        #expect(store.access == nil, "the group left an item's access on the store")
        let after = try Support.reopen(dir)
        #expect(Set(after.state.bookings.keys) == [first.id, last.id])
        #expect(after.check().ok)
    }

    /// The group reads the journal once, when it takes the lock: a record another handle
    /// appended before it is seen by every change of the group, the later ones included, so a
    /// slot that handle booked is refused wherever it comes in the group.
    @Test func everyChangeSeesWhatAnotherHandleWroteBefore() throws {
        let dir = Support.tempDir("writegroup-catchup")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        _ = try Support.book(store, room, Support.slot(9))   // this handle's first write sweeps tmp/
        let other = try Support.reopen(dir)
        let theirs = try Support.book(other, room, Support.slot(2))
        let results = store.writeGroup("test group", [
            Self.booking(room, Support.slot(1)),
            Self.booking(room, Support.slot(2)),
            Self.booking(room, Support.slot(3)),
            Self.booking(room, Support.slot(2)),
        ])
        _ = try results[0].get()
        if case .failure(.core(.conflict)) = results[1] {} else { Issue.record("\(results[1])") }
        _ = try results[2].get()
        if case .failure(.core(.conflict)) = results[3] {} else { Issue.record("\(results[3])") }
        let after = try Support.reopen(dir)
        #expect(after.state.bookings[theirs.id] != nil)
        #expect(after.state.bookings.count == 4)
        #expect(after.check().ok)
    }

    /// The whole group is made durable by one fdatasync, after the lock is released.
    @Test func oneFlushForTheGroup() throws {
        let dir = Support.tempDir("writegroup-flush")
        defer { Support.remove(dir) }
        let (_, room) = try Support.newStore(dir)
        let fs = FaultyFileSystem()
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        _ = try Support.book(store, room, Support.slot(20))   // the first write sweeps tmp/ and so on
        let start = fs.log.count
        var syncedWhileLocked = false
        fs.beforeOperation = { _, line in
            if line.contains(" fdatasync ") && !GroupCommitTests.lockIsFree(dir) { syncedWhileLocked = true }
        }
        let results = store.writeGroup("test group", (1...8).map { Self.booking(room, Support.slot(Int64($0))) })
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let syncs = fs.log[start...].filter { $0.contains(" fdatasync ") && $0.contains("/journal/") }
        #expect(syncs.count == 1, "\(fs.log[start...])")
        #expect(!syncedWhileLocked)
        #expect(try Support.reopen(dir).state.bookings.count == 9)
    }

    /// A failed flush fails every change the group journaled (none is acknowledged) and turns
    /// the store read-only; a change that was refused keeps its own refusal.
    @Test func aFailedFlushFailsEveryJournaledChange() throws {
        let dir = Support.tempDir("writegroup-eio")
        defer { Support.remove(dir) }
        let (_, room) = try Support.newStore(dir)
        let fs = FaultyFileSystem()
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        _ = try Support.book(store, room, Support.slot(20))
        fs.failAt = (fs.operations + Self.flushOffset(dir, room), .eio)
        let results = store.writeGroup("test group", [
            Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(2)),
        ])
        if case .failure(.core(.conflict)) = results[1] {} else { Issue.record("\(results[1])") }
        #expect((try? results[0].get()) == nil && (try? results[2].get()) == nil, "\(results)")
        #expect(store.isReadOnly)
    }

    /// The index, counted from the operations done before it, of the journal flush of the
    /// three-booking group above, measured on a copy of the store.
    static func flushOffset(_ dir: String, _ room: ResourceID) -> Int {
        let copy = dir + "-count"
        Support.copy(dir, copy)
        defer { Support.remove(copy) }
        let fs = FaultyFileSystem()
        guard let s = try? Store.open(at: copy, clock: FixedClock(Support.now), options: Support.options(fs)) else { return 0 }
        _ = try? Support.book(s, room, Support.slot(21))
        let start = fs.operations
        var flushAt: Int?
        fs.beforeOperation = { index, line in
            if flushAt == nil && line.contains(" fdatasync ") && line.contains("/journal/") { flushAt = index }
        }
        _ = s.writeGroup("test group", [
            Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(2)),
        ])
        return (flushAt ?? start) - start
    }

    /// Random groups against a model of the slots, with a crash after every file operation in
    /// turn, then power loss and reopen: every acknowledged booking is there, nothing overlaps,
    /// and nothing is there that no group planned.
    @Test(arguments: FaultyFileSystem.PowerLoss.allCases)
    func crashesKeepEveryAcknowledgedBooking(_ mode: FaultyFileSystem.PowerLoss) throws {
        var rng = SplitMixRNG(seed: 22)
        for crashPoint in stride(from: 1, through: 60, by: 3) {
            let dir = Support.tempDir("writegroup-crash")
            defer { Support.remove(dir) }
            let (_, room) = try Support.newStore(dir, options: Support.options(rotate: 8192, compactAfter: 6))
            let fs = FaultyFileSystem()
            var options = Support.options(fs, rotate: 8192, compactAfter: 6)
            options.compactInBackground = false
            let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
            fs.crashAfter = fs.operations + crashPoint
            var taken: Set<Int64> = []
            var acknowledged: [BookingID: Int64] = [:]
            for _ in 0..<6 {
                let hours = (0..<Int.random(in: 1...5, using: &rng)).map { _ in Int64.random(in: 1...12, using: &rng) }
                let results = store.writeGroup("test group", hours.map { Self.booking(room, Support.slot($0)) })
                var inGroup: Set<Int64> = []
                // A group whose flush (or a write) failed answers nothing but refusals: its
                // journaled changes were planned, so a later one of the group may conflict
                // with one that was never acknowledged.
                let flushed = !results.contains { if case .failure(let e) = $0, case .core = e { false } else if case .failure = $0 { true } else { false } }
                for (h, r) in zip(hours, results) {
                    switch r {
                    case .success(let b):
                        #expect(!taken.contains(h) && !inGroup.contains(h), "slot \(h) booked twice")
                        inGroup.insert(h)
                        acknowledged[b.id] = h
                    case .failure(.core(.conflict)):
                        #expect(!flushed || taken.contains(h) || inGroup.contains(h), "slot \(h) refused while free")
                    case .failure:
                        break
                    }
                }
                taken.formUnion(inGroup)
            }
            fs.crash()
            fs.powerLoss(mode)
            let after = try Support.reopenModelled(dir)
            for (id, h) in acknowledged {
                #expect(after.state.bookings[id]?.range == Support.slot(h), "crash after \(crashPoint): acknowledged \(id) lost")
            }
            let live = after.state.bookings.values.sorted { $0.range.start < $1.range.start }
            for (a, b) in zip(live, live.dropFirst()) { #expect(a.range.end <= b.range.start, "overlap after crash \(crashPoint)") }
            #expect(after.check().ok)
        }
    }
}

/// Pipelined group commits (`Store.beginGroup` / `finishGroup`): the next group is planned and
/// journaled while the last one's flush runs on the flusher thread; nothing is answered before
/// its flush returned, and a failed flush fails its group and every group journaled after it.
extension WriteGroupTests {
    /// A store on a `FaultyFileSystem` the flusher may call from its own thread.
    static func pipelined(_ dir: String) throws -> (Store, FaultyFileSystem, ResourceID) {
        let (_, room) = try Support.newStore(dir)
        let fs = FaultyFileSystem()
        fs.concurrentUse = true
        var options = Support.options(fs)
        options.compactInBackground = false
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        _ = try Support.book(store, room, Support.slot(20))
        return (store, fs, room)
    }

    /// The second group is planned on the first before the first is finished: its change for
    /// the first's slot is a conflict; both groups' bookings are durable once finished, each
    /// group flushed once, on the flusher thread.
    @Test func theNextGroupIsPlannedOnTheOneStillFlushing() throws {
        let dir = Support.tempDir("writegroup-pipeline")
        defer { Support.remove(dir) }
        let (store, fs, room) = try Self.pipelined(dir)
        let start = fs.log.count
        let first = store.beginGroup("test group", [Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(2))])
        let second = store.beginGroup("test group", [Self.booking(room, Support.slot(2)), Self.booking(room, Support.slot(3))])
        let a = store.finishGroup(first), b = store.finishGroup(second)
        #expect(a.allSatisfy { (try? $0.get()) != nil }, "\(a)")
        if case .failure(.core(.conflict)) = b[0] {} else { Issue.record("\(b[0])") }
        _ = try b[1].get()
        let syncs = fs.log[start...].filter { $0.contains(" fdatasync ") && $0.contains("/journal/") }
        #expect(syncs.count == 2, "\(fs.log[start...])")
        #expect(!store.isReadOnly)
        fs.crash()
        fs.powerLoss(.drop)
        let after = try Support.reopenModelled(dir)
        for r in a + [b[1]] { #expect(after.state.bookings[try r.get().id] != nil) }
    }

    /// The first group's flush fails (EIO) or the machine stops at it, after the second group
    /// was journaled on top of it: neither group's booking is acknowledged, though the second
    /// flush may succeed, and the store is read-only; after power loss nothing overlaps.
    @Test(arguments: ["eio", "crash"])
    func aFailedFlushFailsTheGroupsJournaledAfterIt(_ fault: String) throws {
        let dir = Support.tempDir("writegroup-pipeline-\(fault)")
        defer { Support.remove(dir) }
        let (store, fs, room) = try Self.pipelined(dir)
        if fault == "eio" {
            fs.failNextFdatasyncs = 1
        } else {
            fs.beforeOperation = { _, line in
                if line.contains(" fdatasync ") && line.contains("/journal/") { fs.crash() }
            }
        }
        let first = store.beginGroup("test group", [Self.booking(room, Support.slot(1)), Self.booking(room, Support.slot(1))])
        let second = store.beginGroup("test group", [Self.booking(room, Support.slot(2))])
        let a = store.finishGroup(first), b = store.finishGroup(second)
        fs.beforeOperation = nil
        if case .failure(.core(.conflict)) = a[1] {} else { Issue.record("\(a[1])") }
        #expect((try? a[0].get()) == nil, "\(a)")
        #expect((try? b[0].get()) == nil, "\(b)")
        #expect(store.isReadOnly)
        // Nothing new is journaled on a read-only store.
        let third = store.writeGroup("test group", [Self.booking(room, Support.slot(4))])
        if case .failure(.readOnly) = third[0] {} else { Issue.record("\(third[0])") }
        fs.crash()
        fs.powerLoss(.drop)
        let after = try Support.reopenModelled(dir)
        let live = after.state.bookings.values.sorted { $0.range.start < $1.range.start }
        for (x, y) in zip(live, live.dropFirst()) { #expect(x.range.end <= y.range.start) }
        #expect(after.check().ok)
    }
}
