import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

@Suite struct BatchAndRefreshTests {
    @Test func batchJudgesSequentiallyAndCommitsInChunks() throws {
        let dir = Support.tempDir("batch")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let before = store.lastSequence
        // 25 items, the 10th repeats the 3rd's slot: it must be refused because it sees the 3rd.
        var ranges = (0..<25).map { Support.slot(Int64($0)) }
        ranges[9] = ranges[2]
        let results = try store.writeBatch("import", .bookMany(ranges.map { BookingRequest(resource: r, range: $0) }),
                                           items: ranges, chunkSize: 10) { range, s, e throws(CoreError) in
            try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
        }
        #expect(results.count == 25)
        for (i, res) in results.enumerated() {
            switch res {
            case .success: #expect(i != 9)
            case .failure(let e):
                #expect(i == 9)
                if case .conflict = e {} else { Issue.record("item \(i): \(e)") }
            }
        }
        // 24 accepted plans in chunks of 10 accepted: 3 records, one fdatasync each.
        #expect(store.lastSequence == before + 3)
        let again = try Support.reopen(dir)
        #expect(again.state.bookings.count == 24)
        #expect(again.state.bookings == store.state.bookings)
    }

    @Test func readerFollowsRotationAndCompactionByAnotherStore() throws {
        let dir = Support.tempDir("follow")
        defer { Support.remove(dir) }
        let (writer, r) = try Support.newStore(dir, options: Support.options(rotate: 2000))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var expected: [BookingID: Booking] = [:]
        for round in 0..<4 {
            for h in 0..<5 {
                let b = try Support.book(writer, r, Support.slot(Int64(round * 10 + h)))
                expected[b.id] = b
            }
            if round % 2 == 1 { try writer.compact() }
            #expect(try reader.refresh())
            #expect(reader.lastSequence == writer.lastSequence)
            for (id, b) in expected { #expect(reader.state.bookings[id] == b, "round \(round)") }
        }
        // Two compactions in a row while the reader sleeps: it continues through events/.
        try Support.book(writer, r, Support.slot(90))
        try writer.compact()
        try Support.book(writer, r, Support.slot(91))
        try writer.compact()
        let last = try Support.book(writer, r, Support.slot(92))
        #expect(try reader.refresh())
        #expect(reader.state.bookings[last.id] == last)
        #expect(!reader.isReadOnly)
        // The reader can write after all this, at the right sequence number.
        let mine = try Support.book(reader, r, Support.slot(93))
        #expect(try writer.refresh())
        #expect(writer.state.bookings[mine.id] == mine)
        #expect(try Support.reopen(dir).check().ok)
    }
}

@Suite struct BatchFailureTests {
    @Test func aFailedChunkSaysHowManyItemsAreDurable() throws {
        let dir = Support.tempDir("batch-fail")
        defer { Support.remove(dir) }
        let (setup, r) = try Support.newStore(dir)
        _ = setup
        let fs = FaultyFileSystem()
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let ranges = (0..<30).map { Support.slot(Int64($0)) }
        // Fail the second chunk's fdatasync: a probe run on a copy tells which operation that is.
        var syncs = 0
        let probe = FaultyFileSystem()
        Support.copy(dir, dir + "-probe")
        defer { Support.remove(dir + "-probe") }
        let p = try Store.open(at: dir + "-probe", clock: FixedClock(Support.now), options: Support.options(probe))
        let start = probe.operations
        _ = try p.writeBatch("import", .bookMany(ranges.map { BookingRequest(resource: r, range: $0) }), items: ranges, chunkSize: 10) { range, s, e throws(CoreError) in
            try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
        }
        let second = probe.log[start...].firstIndex { l in
            guard l.contains(" fdatasync ") else { return false }
            syncs += 1
            return syncs == 2
        }!
        fs.failAt = (fs.operations + (second - start) + 1, .eio)
        do {
            _ = try store.writeBatch("import", .bookMany(ranges.map { BookingRequest(resource: r, range: $0) }), items: ranges, chunkSize: 10) { range, s, e throws(CoreError) in
                try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
            }
            Issue.record("the batch did not fail")
        } catch {
            if case .batchInterrupted(let committed, _) = error { #expect(committed == 10) } else { Issue.record("\(error)") }
        }
        #expect(store.isReadOnly)
        let after = try Support.reopen(dir)
        // The first chunk is durable; the failed chunk's record may be on disk (in flight) but not the third.
        #expect(after.state.bookings.count == 10 || after.state.bookings.count == 20)
    }
}

@Suite struct SubscriptionTests {
    @Test func pollingFallbackNoticesWritesAndRotation() throws {
        let dir = Support.tempDir("poll")
        defer { Support.remove(dir) }
        let (writer, r) = try Support.newStore(dir)
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let signals = ProcessTests.Counter()
        let sub = reader.subscribePolling { signals.bump() }
        defer { sub.cancel() }
        #expect(sub.isPolling)
        for round in 0..<2 {
            let before = signals.value
            let b = try Support.book(writer, r, Support.slot(Int64(round)))
            if round == 1 { try writer.compact() }   // the segment rotates and the old one moves to events/
            #expect(Support.eventually { signals.value > before }, "round \(round): polling did not notice")
            #expect(try reader.refresh())
            #expect(reader.state.bookings[b.id] == b)
        }
    }
}

/// A large compaction (a bulk import's) encodes and writes its partitions and directory shards
/// on every core: the generation must be byte for byte the one a single thread writes.
@Suite struct ParallelSnapshotTests {
    @Test func aLargeGenerationIsTheSameWrittenOnOneThreadOrOnAll() throws {
        let dir = Support.tempDir("parallel-gen")
        defer { Support.remove(dir) }
        let (store, first) = try Support.newStore(dir)
        var resources = [first]
        for i in 1..<40 { resources.append(try Support.addResource(store, "Room \(i + 1)")) }
        // 12,000 bookings, 300 per resource over two years: 960 resource-months.
        let n = 12_000
        let items = (0..<n).map { i in BookingRequest(resource: resources[i % 40], range: Support.slot(Int64(i / 40) * 58)) }
        let results = try store.writeBatch("import", .bookMany(items), items: items) { item, s, e throws(CoreError) in
            try e.book(item, in: s, by: Support.actor)
        }
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        let changed = Set(store.state.bookings.keys)
        #expect(changed.count == n)

        func write(_ fs: any FileSystem, _ name: String) throws -> (SnapshotWriter, Manifest) {
            var writer = SnapshotWriter(fs: fs, target: dir + "/tmp/" + name, base: nil, state: store.state, changed: changed)
            let manifest = try writer.write(generation: 7, lastSequence: store.lastSequence)
            return (writer, manifest)
        }
        let (parallel, pm) = try write(RealFileSystem(), "on-all-cores")
        let (serial, sm) = try write(FaultyFileSystem(), "on-one-thread")
        #expect(parallel.wroteInParallel)
        #expect(!serial.wroteInParallel)
        let partitionCount = try pm.partitions().count
        #expect(partitionCount >= 900, "\(partitionCount) partitions")
        #expect(try pm.allFiles() == sm.allFiles() && pm.lists == sm.lists)
        for rel in try pm.allFiles().keys.sorted() + pm.listFiles.keys.sorted() + ["manifest.json"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/tmp/on-all-cores/" + rel))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/tmp/on-one-thread/" + rel))
            #expect(a == b, "\(rel) differs")
        }
        // And it is the store: every booking comes back from the parallel generation.
        let gen = Generation(path: dir + "/tmp/on-all-cores", manifest: pm)
        var read = 0
        for key in try pm.partitions() {
            for b in try gen.partition(key, fs: RealFileSystem()) {
                #expect(store.state.bookings[b.id] == b)
                read += 1
            }
        }
        #expect(read == n)

        // A second generation over the first with only the 10,000 bookings that moved a month
        // on as its changes: the directory shards are read from the base and updated on
        // several tasks (`SnapshotWriter.group`), and the partitions they left — the first
        // month's, which nothing moved into — must be rewritten without them.
        let moved = store.state.bookings.values.sorted { $0.id < $1.id }.prefix(10_000).map(\.id)
        func monthLater(_ b: Booking) -> TimeRange { TimeRange(start: b.start + .days(31), end: b.end + .days(31)) }
        let moves = ChangeRequest.batch(moved.map { .reschedule($0, to: monthLater(store.state.bookings[$0]!), resource: nil, scope: .this) })
        let moveResults = try store.writeBatch("move", moves, items: moved) { id, s, e throws(CoreError) in
            try e.reschedule(id, to: monthLater(s.bookings[id]!), in: s, by: Support.actor)
        }
        #expect(moveResults.allSatisfy { if case .success = $0 { true } else { false } })
        func writeOver(_ fs: any FileSystem, _ name: String) throws -> Manifest {
            var writer = SnapshotWriter(fs: fs, target: dir + "/tmp/" + name, base: gen, state: store.state, changed: Set(moved))
            return try writer.write(generation: 8, lastSequence: store.lastSequence)
        }
        let pm2 = try writeOver(RealFileSystem(), "second-on-all-cores")
        let sm2 = try writeOver(FaultyFileSystem(), "second-on-one-thread")
        #expect(try pm2.allFiles() == sm2.allFiles() && pm2.lists == sm2.lists)
        #expect(try pm2.allFiles() != pm.allFiles(), "the moves changed partitions")
        let gen2 = Generation(path: dir + "/tmp/second-on-all-cores", manifest: pm2)
        var where_: [BookingID: String] = [:]
        for key in try pm2.partitions() {
            for b in try gen2.partition(key, fs: RealFileSystem()) {
                #expect(where_.updateValue(key, forKey: b.id) == nil, "\(b.id) in two partitions")
                #expect(store.state.bookings[b.id] == b)
            }
        }
        #expect(where_.count == n)
    }
}
