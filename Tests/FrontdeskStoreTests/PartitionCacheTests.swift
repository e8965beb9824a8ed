import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The partition file cache (``PartitionFileCache``): a writer's conflict checks read a
/// partition file once per generation instead of once per write, and decide exactly what the
/// model of every booking says, with another handle writing and compacting beside it, through
/// compactions, reopenings, and a generation adopted after the journal between was pruned.
@Suite struct PartitionCacheTests {
    static func options(cache: Bool, compactAfter: Int = 10_000) -> StoreOptions {
        var o = Support.options(compactAfter: compactAfter)
        o.partitionCacheBytes = cache ? 16 << 20 : 0
        return o
    }

    /// A file is found under its generation, path and manifest entry only; the least recently
    /// used go first beyond the capacity, and a file larger than it is not held.
    @Test func keysAndEviction() {
        var cache = PartitionFileCache(capacity: 10)
        let entry = Manifest.FileEntry(crc: "00000001", size: 4)
        func file(_ b: [UInt8]) -> PartitionFileCache.File { .init(bytes: b, scan: nil) }
        cache.insert(file([1, 2, 3, 4]), generation: "g1", path: "bookings/a.json", entry: entry)
        #expect(cache.file(generation: "g1", path: "bookings/a.json", entry: entry)?.bytes == [1, 2, 3, 4])
        #expect(cache.file(generation: "g2", path: "bookings/a.json", entry: entry) == nil)
        #expect(cache.file(generation: "g1", path: "bookings/b.json", entry: entry) == nil)
        #expect(cache.file(generation: "g1", path: "bookings/a.json", entry: .init(crc: "00000002", size: 4)) == nil)
        #expect(cache.file(generation: "g1", path: "bookings/a.json", entry: .init(crc: "00000001", size: 5)) == nil)
        cache.insert(file([5, 6, 7, 8]), generation: "g1", path: "bookings/b.json", entry: entry)
        // a used after b: adding c (12 bytes > 10) drops b.
        _ = cache.file(generation: "g1", path: "bookings/a.json", entry: entry)
        cache.insert(file([9, 9, 9, 9]), generation: "g1", path: "bookings/c.json", entry: entry)
        #expect(cache.file(generation: "g1", path: "bookings/b.json", entry: entry) == nil)
        #expect(cache.file(generation: "g1", path: "bookings/a.json", entry: entry)?.bytes == [1, 2, 3, 4])
        #expect(cache.file(generation: "g1", path: "bookings/c.json", entry: entry)?.bytes == [9, 9, 9, 9])
        #expect(cache.size == 8)
        cache.insert(file(Array(repeating: 0, count: 11)), generation: "g1", path: "bookings/d.json", entry: entry)
        #expect(cache.file(generation: "g1", path: "bookings/d.json", entry: entry) == nil)
        #expect(cache.size == 8)
        var off = PartitionFileCache(capacity: 0)
        off.insert(file([1]), generation: "g1", path: "bookings/a.json", entry: entry)
        #expect(off.file(generation: "g1", path: "bookings/a.json", entry: entry) == nil)
    }

    /// Repeated writes to one month read its file once per generation.
    @Test func aWriterReadsItsMonthOncePerGeneration() throws {
        let dir = Support.tempDir("cache-once")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir, options: Self.options(cache: true))
        for h in 0..<4 { try Support.book(store, r, Support.slot(Int64(h))) }
        try store.compact()
        let before = store.partitionFilesRead
        for h in 4..<12 { try Support.book(store, r, Support.slot(Int64(h))) }
        #expect(store.partitionFilesRead == before + 1)
        #expect(store.partitionCache.hits >= 7)
        // Still a conflict with a booking known only from the file.
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.options(cache: true))
        try Support.book(fresh, r, Support.slot(20))
        #expect(throws: StoreError.self) { try Support.book(fresh, r, Support.slot(2)) }
        #expect(fresh.partitionCache.hits >= 1)
    }

    /// Random books, cancellations and compactions by two handles on few slots (many
    /// conflicts), the cached one reopened now and then: each handle's write is accepted
    /// exactly when the model has no collision, whatever the other wrote or compacted between
    /// two of its writes; both end with the model's bookings.
    @Test(arguments: [UInt64(21), 22, 23])
    func twoHandlesFollowTheModel(_ seed: UInt64) throws {
        let dir = Support.tempDir("cache-model-\(seed)")
        defer { Support.remove(dir) }
        var cachedOptions = Self.options(cache: true, compactAfter: 7)
        cachedOptions.compactInBackground = seed == 22
        let plainOptions = Self.options(cache: false, compactAfter: 11)
        var cached = try Store.create(at: dir, clock: FixedClock(Support.now), options: cachedOptions)
        let resources = [try Support.addResource(cached, "Room 1"), try Support.addResource(cached, "Room 2")]
        let plain = try Store.open(at: dir, clock: FixedClock(Support.now), options: plainOptions)
        var model = PartialPartitionTests.Model()
        var rng = ModelGen.Seeded(state: seed)
        func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        func randomRange() -> TimeRange {
            let start = Instant(seconds: 1_801_353_600) + .days(Int64(int(0...2)) * 30 + Int64(int(-1...1))) + .hours(Int64(int(20...27)))
            return TimeRange(start: start, end: start + .minutes(Int64(int(1...6)) * 30))
        }
        func refused<T>(_ body: () throws -> T) throws -> T? {
            do { return try body() } catch StoreError.core(.conflict(_)) { return nil } catch CoreError.conflict(_) { return nil }
        }
        var accepted = 0, conflicts = 0, hits = 0
        for step in 0..<240 {
            let store = int(0...1) == 0 ? cached : plain
            let who = store === cached ? "cached" : "plain"
            switch int(0...99) {
            case 0..<60:
                let request = BookingRequest(resource: resources.randomElement(using: &rng)!, range: randomRange())
                let expectConflict = model.collides(request.range, on: request.resource)
                let out = try refused { try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) } }
                #expect((out == nil) == expectConflict, "seed \(seed) step \(step) \(who): book \(request.range) conflict \(out == nil), model \(expectConflict)")
                if let b = out?.bookings.first { model.bookings[b.id] = (request.range, request.resource, true); accepted += 1 } else { conflicts += 1 }
            case 60..<75:
                guard let id = model.bookings.keys.sorted().randomElement(using: &rng), model.bookings[id]!.active else { continue }
                _ = try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "model", in: s, by: Support.actor) }
                model.bookings[id]!.active = false
            case 75..<88:
                try store.compact()
            default:
                cached.waitForBackgroundWork()
                hits += cached.partitionCache.hits
                cached = try Store.open(at: dir, clock: FixedClock(Support.now), options: cachedOptions)
            }
        }
        #expect(accepted >= 20 && conflicts >= 20, "accepted \(accepted), conflicts \(conflicts): the run tested too little")
        hits += cached.partitionCache.hits
        #expect(hits > 0, "the cached handle never used its cache")
        for s in [cached, plain] {
            s.waitForBackgroundWork()
            _ = try s.refresh()
            try s.load(resources: nil, range: Support.everything)
            for (id, m) in model.bookings {
                let b = s.state.bookings[id]
                #expect(b?.range == m.range && b?.resource == m.resource && (b?.status != .cancelled) == m.active, "seed \(seed) \(id)")
            }
        }
    }

    /// A month's file read before another handle compacted twice and the journal records
    /// between were pruned (so this handle starts over from the newest snapshot, where a new
    /// booking is known only from that month's new file): the write reads the newer
    /// generation's file and finds the conflict.
    @Test func aNewerGenerationsFileIsReadAgain() throws {
        let dir = Support.tempDir("cache-newer-generation")
        defer { Support.remove(dir) }
        var otherOptions = Self.options(cache: false)
        otherOptions.keepEventSegments = 0
        let (other, r) = try Support.newStore(dir, options: otherOptions)
        let day = Support.now + .days(40)
        try Support.book(other, r, TimeRange(start: day, end: day + .hours(1)))
        try other.compact()

        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.options(cache: true))
        let slot = TimeRange(start: day + .days(2), end: day + .days(2) + .hours(1))
        // Checked against the month's file, then refused by its plan: the file is held, no
        // booking of the month is in memory.
        #expect(throws: StoreError.self) {
            try store.write("book", .book(BookingRequest(resource: r, range: slot))) { _, _ throws(CoreError) -> Planned<Int> in
                throw CoreError.notFound(kind: "test", id: "refused after the check")
            }
        }
        #expect(store.partitionFilesRead == 1)
        #expect(store.state.bookings.isEmpty)

        // The other handle starts a new segment, books the slot there, folds it into a new
        // generation and prunes the segment.
        try other.compact()
        try Support.book(other, r, slot)
        try other.compact()
        try LifecycleTests.age(dir, days: 31)
        try other.compact()
        #expect(LifecycleTests.eventSegments(dir).isEmpty, "\(LifecycleTests.eventSegments(dir))")

        #expect(throws: StoreError.self) { try Support.book(store, r, slot) }
        #expect(store.partitionFilesRead == 2)
        #expect(try Support.reopen(dir).state.bookings.values.filter { $0.range.overlaps(slot) }.count == 1)
    }
}
