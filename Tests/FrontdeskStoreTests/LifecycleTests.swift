import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Creating (crash-safe), opening without the lock, and what compaction prunes: idempotency
/// keys past their retention and old `events/` segments no consumer needs.
@Suite struct LifecycleTests {
    /// After a crash (or a failed operation) anywhere in `create`, the directory is no store
    /// (open says not found, and a new `create` succeeds without manual cleanup) or a complete one.
    @Test(arguments: [false, true])
    func createSurvivesACrashAtEveryStep(_ preexisting: Bool) throws {
        let dir = Support.tempDir("create-crash")
        defer { Support.remove(dir) }
        let probe = FaultyFileSystem()
        if preexisting { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        _ = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options(probe))
        let n = probe.operations
        #expect(n > 20)
        var complete = 0, absent = 0
        for k in 0...n {
            var runs: [(String, FaultyFileSystem, FaultyFileSystem.PowerLoss?)] = []
            for mode in FaultyFileSystem.PowerLoss.allCases {
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                runs.append(("crash after op \(k)/\(n) (\(mode))", fs, mode))
            }
            if k >= 1 {
                let fs = FaultyFileSystem()
                fs.failAt = (k, .eio)
                runs.append(("EIO at op \(k)/\(n)", fs, nil))
            }
            for (label, fs, mode) in runs {
                Support.remove(dir)
                if preexisting { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                let created = try? Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
                if let mode { fs.powerLoss(mode) }
                let where_ = "\(label) [\(fs.log.last ?? "")]"
                if created != nil && mode == nil {
                    #expect(!fs.crashed)
                }
                do {
                    let s = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
                    #expect(!s.isReadOnly, "\(where_): \(s.readOnlyReason ?? "")")
                    #expect(s.check().ok, "\(where_): check failed")
                    #expect(s.state.bookings.isEmpty && s.lastSequence == 0)
                    #expect((try? Support.addResource(s, "Room")) != nil, "\(where_): complete store not writable")
                    complete += 1
                } catch .notFound {
                    #expect(created == nil || mode != nil, "\(where_): create returned but there is no store")
                    // No manual cleanup: create again over whatever is left.
                    do {
                        let s = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
                        #expect((try? Support.addResource(s, "Room")) != nil, "\(where_): recreated store not writable")
                    } catch {
                        Issue.record("\(where_): create after the crash failed: \(error)")
                    }
                    absent += 1
                } catch {
                    Issue.record("\(where_): open after the crash failed: \(error)")
                }
            }
        }
        #expect(complete > 0 && absent > 0)
    }

    @Test func createRefusesADirectoryWithForeignFilesEvenIfMarked() throws {
        let dir = Support.tempDir("create-foreign")
        defer { Support.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "creating\n".write(toFile: dir + "/FORMAT", atomically: false, encoding: .utf8)
        _ = FileManager.default.createFile(atPath: dir + "/thesis.tex", contents: Data("x".utf8))
        #expect(throws: StoreError.notEmpty(path: dir)) { try Store.create(at: dir, clock: FixedClock(Support.now)) }
        #expect(FileManager.default.fileExists(atPath: dir + "/thesis.tex"))
        #expect(throws: StoreError.notFound(path: dir)) { try Store.open(at: dir, clock: FixedClock(Support.now)) }
    }

    /// Opening takes no lock, even with work to do: tmp/ leftovers and a torn tail stay until
    /// the next writer, which cleans and repairs them under the lock.
    @Test func openTakesNoLockAndTheNextWriterRepairs() throws {
        let dir = Support.tempDir("open-nolock")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(1))
        // Leftovers of an interrupted compaction, and a torn record.
        try FileManager.default.createDirectory(atPath: dir + "/tmp/00000000000000000009", withIntermediateDirectories: true)
        let seg = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasSuffix(".jsonl") }.sorted().last!
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/journal/" + seg))
        try h.seekToEnd()
        try h.write(contentsOf: Data("0badc0de {\"seq\":99,\"tx\"".utf8))
        try h.close()

        let holder = try LockFile(path: dir + "/LOCK", fs: RealFileSystem())
        #expect(try holder.tryAcquire(operation: "test", user: "t"))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(reader.notices.contains { $0.contains("torn") })
        #expect(FileManager.default.fileExists(atPath: dir + "/tmp/00000000000000000009"))
        holder.release()
        // Even with the lock free, opening changes nothing on disk.
        let idle = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(idle.state.bookings.count == 1)
        #expect(FileManager.default.fileExists(atPath: dir + "/tmp/00000000000000000009"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasPrefix("torn-") }.isEmpty)

        try Support.book(reader, r, Support.slot(2))
        #expect(!FileManager.default.fileExists(atPath: dir + "/tmp/00000000000000000009"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasPrefix("torn-") }.count == 1)
        let again = try Support.reopen(dir)
        #expect(again.state.bookings.count == 2 && again.notices.isEmpty && !again.isReadOnly)
    }

    @Test func compactionForgetsIdempotencyKeysPastTheRetention() throws {
        let dir = Support.tempDir("idem-prune")
        defer { Support.remove(dir) }
        let clock = FixedClock(Support.now)
        var opts = Support.options()
        opts.idempotencyRetention = .days(30)
        let store = try Store.create(at: dir, clock: clock, options: opts)
        let r = try Support.addResource(store, "Room")
        func book(_ key: String, _ hour: Int64) throws {
            var req = BookingRequest(resource: r, range: Support.slot(hour))
            req.idempotencyKey = key
            _ = try store.write("book", .book(req)) { s, e throws(CoreError) in
                try e.book(req, in: s, by: Support.actor)
            }
        }
        try book("old", 1)
        clock.advance(by: .days(20))
        try book("recent", 2)
        clock.advance(by: .days(11))   // "old" is 31 days old, "recent" 11
        let other = try Store.open(at: dir, clock: clock, options: opts)
        #expect(Set(other.state.idempotencyKeys.keys) == ["old", "recent"])
        try store.compact()
        #expect(Set(store.state.idempotencyKeys.keys) == ["recent"])
        // Journaled, so a process that was already open forgets it too.
        _ = try other.refresh()
        #expect(Set(other.state.idempotencyKeys.keys) == ["recent"])
        let reopened = try Store.open(at: dir, clock: clock, options: opts)
        // Keys are read lazily from their shards: look both up.
        #expect(try reopened.idempotencyRecord(forKey: "recent") != nil)
        #expect(try reopened.idempotencyRecord(forKey: "old") == nil)
        #expect(Set(reopened.state.idempotencyKeys.keys) == ["recent"])
        // The bookings stay; only the keys go.
        try reopened.load(resources: nil, range: Support.everything)
        #expect(reopened.state.bookings.count == 2)
    }

    /// A store whose events/ holds `compactions` segments, one booking each.
    static func storeWithEventSegments(_ dir: String, _ opts: StoreOptions, compactions: Int) throws -> Store {
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: opts)
        let r = try Support.addResource(store, "Room")
        for i in 0..<compactions {
            try Support.book(store, r, Support.slot(Int64(i)))
            try store.compact()
        }
        return store
    }

    static func eventSegments(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/events")) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()
    }

    static func age(_ dir: String, days: Double) throws {
        for name in eventSegments(dir) {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-days * 86400)], ofItemAtPath: dir + "/events/" + name)
        }
    }

    @Test func compactionPrunesOldEventSegmentsButKeepsWhatConsumersNeed() throws {
        let dir = Support.tempDir("events-prune")
        defer { Support.remove(dir) }
        var opts = Support.options()
        opts.keepEventSegments = 2
        let store = try Self.storeWithEventSegments(dir, opts, compactions: 6)
        // Fresh segments are kept whatever their number.
        #expect(Self.eventSegments(dir).count == 6)
        let allEvents = try store.events(after: 0)

        // Old, but the deliverer has read only up to record 3: segments holding 4+ stay.
        try Self.age(dir, days: 31)
        try #"{"version":1,"cursor":3,"queue":[],"deadLetters":[]}"#.write(toFile: dir + "/delivery-state.json", atomically: true, encoding: .utf8)
        try store.compact()
        let afterCursor = Self.eventSegments(dir)
        #expect(afterCursor.count < 7)
        for name in afterCursor.dropFirst() { #expect(UInt64(name.prefix(20))! > 3) }
        #expect(UInt64(afterCursor.first!.prefix(20))! <= 4, "a segment the deliverer still needs was deleted")
        #expect(try store.events(after: 3).map(\.sequence) == allEvents.filter { $0.sequence > 3 }.map(\.sequence))

        // A consumer file that does not decode stops pruning.
        try "garbage".write(toFile: dir + "/delivery-state.json", atomically: true, encoding: .utf8)
        try Self.age(dir, days: 31)
        let before = Self.eventSegments(dir)
        try store.compact()
        #expect(Array(Self.eventSegments(dir).prefix(before.count)) == before)
        #expect(store.notices.contains { $0.contains("not pruned") })

        // No consumer: everything past the retention goes, except the newest two.
        try FileManager.default.removeItem(atPath: dir + "/delivery-state.json")
        try Self.age(dir, days: 31)
        try store.compact()
        #expect(Self.eventSegments(dir).count == 2)
        // A reader that was behind still gets a consistent state (it reloads from the snapshot).
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings.count == 6 && !reopened.isReadOnly)
    }

    @Test func eventSegmentsWithinTheRetentionAreKept() throws {
        let dir = Support.tempDir("events-keep")
        defer { Support.remove(dir) }
        var opts = Support.options()
        opts.keepEventSegments = 1
        let store = try Self.storeWithEventSegments(dir, opts, compactions: 4)
        try Self.age(dir, days: 29)
        try store.compact()
        #expect(Self.eventSegments(dir).count == 4)
        #expect(try store.events(after: 0).filter { $0.event.type == .bookingCreated }.count == 4)
    }
}

extension LifecycleTests {
    /// A real store whose FORMAT was damaged (emptied) is never mistaken for a half-created one.
    @Test func createNeverClearsAStoreWithRecords() throws {
        let dir = Support.tempDir("create-damaged-format")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(1))
        try "".write(toFile: dir + "/FORMAT", atomically: false, encoding: .utf8)
        #expect(throws: StoreError.notEmpty(path: dir)) { try Store.create(at: dir, clock: FixedClock(Support.now)) }
        try "\(StoreFormat.current)\n".write(toFile: dir + "/FORMAT", atomically: false, encoding: .utf8)
        #expect(try Support.reopen(dir).state.bookings.count == 1)
    }
}
