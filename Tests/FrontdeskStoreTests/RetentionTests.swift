import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Retention (docs/STORAGE.md, *Retention*): compaction prunes `events/` only past the
/// retention time, beyond the newest segments, past every consumer's cursor and before the
/// retention pin a backup writes; the pin is written atomically under the compaction lock.
@Suite(.serialized) struct RetentionTests {
    static func writeCursor(_ dir: String, _ cursor: UInt64) throws {
        try #"{"version":1,"cursor":\#(cursor),"queue":[],"deadLetters":[]}"#.write(toFile: dir + "/delivery-state.json", atomically: true, encoding: .utf8)
    }

    /// The first record each remaining `events/` segment holds, then the live journal's.
    static func firstRecords(_ dir: String) -> [UInt64] {
        LifecycleTests.eventSegments(dir).compactMap { UInt64($0.prefix(20)) }
    }

    /// The first record still kept in `events/` or, with none there, `journal/`.
    static func oldestKept(_ dir: String) -> UInt64 {
        let journal = ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/journal")) ?? [])
            .filter { $0.hasSuffix(".jsonl") && $0.count == 26 }.compactMap { UInt64($0.prefix(20)) }
        return max(1, firstRecords(dir).first ?? journal.min() ?? 1)
    }

    @Test func thePinKeepsWhatABackupNeeds() throws {
        let dir = Support.tempDir("retention-pin")
        defer { Support.remove(dir) }
        var opts = Support.options()
        opts.keepEventSegments = 1
        let store = try LifecycleTests.storeWithEventSegments(dir, opts, compactions: 6)
        let all = try store.events(after: 0).map(\.sequence)
        #expect(try store.retentionPin() == nil)
        try store.pinRetention(from: 4, by: "backup")
        #expect(try store.retentionPin() == 4)
        let text = try String(contentsOfFile: dir + "/retention-pin.json", encoding: .utf8)
        #expect(text.contains("\"retain_from\":4") && text.contains("\"by\":\"backup\"") && text.hasSuffix("\n"), "\(text)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")) ?? []).isEmpty, "the pin's temporary file is left")

        try LifecycleTests.age(dir, days: 31)
        try store.compact()
        let kept = Self.firstRecords(dir)
        #expect(kept.count < 7, "nothing was pruned: \(kept)")
        // The segment holding record 4 stays, and every record from 4 on is still readable.
        #expect(kept.first! <= 4, "a segment the pin holds was deleted: \(kept)")
        #expect(try store.events(after: 3).map(\.sequence) == all.filter { $0 > 3 })
        #expect(store.status().retentionPin == 4)

        // Moving the pin on lets the next compaction prune further; removing it, further still.
        try store.pinRetention(from: nil, by: "backup")
        #expect(try store.retentionPin() == nil)
        #expect(!FileManager.default.fileExists(atPath: dir + "/retention-pin.json"))
        try LifecycleTests.age(dir, days: 31)
        try store.compact()
        #expect(LifecycleTests.eventSegments(dir).count == 1)
    }

    @Test func anUnreadablePinStopsPruningAndIsReported() throws {
        let dir = Support.tempDir("retention-bad-pin")
        defer { Support.remove(dir) }
        var opts = Support.options()
        opts.keepEventSegments = 1
        let store = try LifecycleTests.storeWithEventSegments(dir, opts, compactions: 4)
        try #"{"retain_from":"soon"}"#.write(toFile: dir + "/retention-pin.json", atomically: true, encoding: .utf8)
        #expect(throws: StoreError.self) { try store.retentionPin() }
        try LifecycleTests.age(dir, days: 31)
        let before = LifecycleTests.eventSegments(dir)
        try store.compact()
        #expect(Array(LifecycleTests.eventSegments(dir).prefix(before.count)) == before)
        #expect(store.notices.contains { $0.contains("not pruned") && $0.contains("retention-pin.json") }, "\(store.notices)")
        let status = store.status()
        #expect(status.retentionPin == nil && status.retentionPinProblem?.contains("retention-pin.json") == true)
        // A pin of 0 keeps everything.
        try store.pinRetention(from: 0, by: "backup")
        try LifecycleTests.age(dir, days: 31)
        try store.compact()
        #expect(Array(LifecycleTests.eventSegments(dir).prefix(before.count)) == before)
    }

    /// Random bookings, compactions, ageing, deliverer cursors, pins and reopenings against a
    /// model of which records each reader still needs: after every step, every booking event
    /// at or after the oldest record the deliverer (cursor + 1) or the pin needs is still
    /// returned by `events(after:)`, and at least `keepEventSegments` segments stay.
    @Test(arguments: [1, 2, 3]) func nothingADelivererOrBackupNeedsIsPruned(seed: UInt64) throws {
        let dir = Support.tempDir("retention-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = ModelGen.Seeded(state: seed)
        var opts = Support.options()
        opts.keepEventSegments = 2
        var store = try Store.create(at: dir, clock: FixedClock(Support.now), options: opts)
        let r = try Support.addResource(store, "Room")
        var created: [UInt64] = []
        var cursor: UInt64?
        var pin: UInt64?
        var slot: Int64 = 0
        var mostKept = 0
        for step in 0..<60 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3:
                try Support.book(store, r, Support.slot(slot))
                slot += 1
                created.append(store.lastSequence)
            case 4, 5:
                try store.compact()
            case 6:
                try LifecycleTests.age(dir, days: Bool.random(using: &rng) ? 31 : 29)
            case 7:
                // The deliverer only moves forward, never past the journal's end; a first cursor
                // can only ask for what is still kept.
                let c = UInt64.random(in: (cursor ?? (Self.oldestKept(dir) - 1))...store.lastSequence, using: &rng)
                try Self.writeCursor(dir, c)
                cursor = c
            case 8:
                if Bool.random(using: &rng) {
                    // A pin holds what is still kept: a backup pins a record it has not copied yet.
                    let p = UInt64.random(in: Self.oldestKept(dir)...(store.lastSequence + 1), using: &rng)
                    try store.pinRetention(from: p, by: "backup")
                    pin = p
                } else {
                    try store.pinRetention(from: nil, by: "backup")
                    pin = nil
                }
            default:
                store = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
            }
            // The oldest record some reader still needs.
            var need = UInt64.max
            if let cursor { need = min(need, cursor + 1) }
            if let pin { need = min(need, max(pin, 1)) }
            let context = "seed \(seed) step \(step): need \(need), segments \(Self.firstRecords(dir))"
            if need != .max {
                let seen = try store.events(after: need - 1).filter { $0.event.type == .bookingCreated }.map(\.sequence)
                #expect(seen == created.filter { $0 >= need }, "\(context)")
            }
            // Pruning leaves at least the newest `keepEventSegments`.
            let kept = Self.firstRecords(dir)
            #expect(kept.count >= min(opts.keepEventSegments, mostKept), "\(context)")
            mostKept = max(mostKept, kept.count)
            #expect(!store.isReadOnly, "\(context): \(store.readOnlyReason ?? "")")
        }
    }

    /// A crash (each power-loss mode) or a failure at every operation of writing the pin leaves
    /// the old pin or the new one, never a file compaction cannot read.
    @Test func writingThePinIsAtomic() throws {
        let base = Support.tempDir("retention-pin-crash-base")
        let work = Support.tempDir("retention-pin-crash")
        defer { Support.remove(base); Support.remove(work) }
        let (store, r) = try Support.newStore(base)
        try Support.book(store, r, Support.slot(1))
        try store.pinRetention(from: 1, by: "backup")
        let counter = FaultyFileSystem()
        try Store.open(at: base, clock: FixedClock(Support.now), options: Support.options(counter)).pinRetention(from: 2, by: "backup")
        let n = counter.operations
        #expect(n > 2)
        for k in 0...n {
            for mode in FaultyFileSystem.PowerLoss.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                _ = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)).pinRetention(from: 2, by: "backup")
                fs.powerLoss(mode)
                let pin = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options()).retentionPin()
                #expect(pin == 1 || pin == 2, "crash after \(k) (\(mode)): \(String(describing: pin))")
            }
            Support.copy(base, work)
            let fs = FaultyFileSystem()
            fs.failAt = (max(k, 1), .eio)
            let wrote = (try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)).pinRetention(from: 2, by: "backup")) != nil
            let pin = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options()).retentionPin()
            #expect(wrote ? pin == 2 : (pin == 1 || pin == 2), "failure at \(k): \(String(describing: pin))")
        }
    }
}
