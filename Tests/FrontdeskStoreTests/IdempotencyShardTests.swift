import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Idempotency keys in hashed shards (`idempotency/<NNNN>.json`): read lazily, one shard per
/// key a plan checks; expired by their age at lookup and dropped by compaction; the whole
/// `idempotency.json` of a format-2 generation still read and sharded by the next compaction.
@Suite struct IdempotencyShardTests {
    /// A slot far enough ahead that advancing the clock never puts it in the past.
    static func slot(_ n: Int) -> TimeRange {
        let start = Support.now + .days(400) + .hours(Int64(n))
        return TimeRange(start: start, end: start + .minutes(30))
    }

    static func keyed(_ r: ResourceID, _ n: Int, key: String) -> BookingRequest {
        var req = BookingRequest(resource: r, range: slot(n))
        req.idempotencyKey = key
        return req
    }

    static func book(_ store: Store, _ req: BookingRequest) throws -> BookingOutcome {
        try store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) }
    }

    static func newest(_ dir: String) throws -> Generation {
        let g = try #require(try Generation.list(dir + "/snapshots", fs: RealFileSystem()).first)
        return try Generation.open(dir + "/snapshots/" + Manifest.name(g), fs: RealFileSystem())
    }

    /// The file a `.damaged` error names, nil for anything else.
    static func damagedPath(_ error: StoreError?) -> String? {
        guard case .damaged(let path, _)? = error else { return nil }
        return path
    }

    static func shardReads(_ fs: FaultyFileSystem) -> [String] {
        fs.reads.filter { $0.contains("/idempotency/") || $0.hasSuffix("/idempotency.json") }
    }

    @Test func openingAndBookingReadOnlyTheShardOfTheKey() throws {
        let dir = Support.tempDir("idem-lazy")
        defer { Support.remove(dir) }
        var options = Support.options()
        options.idempotencyKeysPerShard = 1000
        let (store, r) = try Support.newStore(dir, options: options)
        let seeded = (0..<20_000).map { IdempotencyRecord(key: "seed-\($0)", fingerprint: "f\($0)", bookings: [], createdAt: Support.now) }
        try store.seedForBenchmark(idempotencyKeys: seeded)
        let gen = try Self.newest(dir)
        let layout = try gen.idempotencyLayout()
        #expect(layout == IdempotencyLayout(count: 32, legacy: false), "20,000 keys at about 1,000 a shard")
        #expect(store.state.idempotencyKeys.isEmpty, "seeded keys stay on disk")

        let fs = FaultyFileSystem()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(Self.shardReads(fs).isEmpty, "open read key shards: \(Self.shardReads(fs))")
        #expect(lazy.state.idempotencyKeys.isEmpty)

        // A new key: the plan reads exactly the shard that would hold it.
        let first = try Self.book(lazy, Self.keyed(r, 1, key: "order-1"))
        #expect(!first.replayed)
        #expect(Self.shardReads(fs) == [gen.path + "/" + layout.path(layout.shard(of: "order-1"))])
        #expect(lazy.keyShardFilesRead == 1)
        #expect(lazy.state.idempotencyKeys.count <= 20_000 / 32 * 2, "one shard in memory, not the table")

        // A seeded key reused with another request is refused: found in its shard.
        let seededKey = (0..<20_000).map { "seed-\($0)" }.first { layout.shard(of: $0) != layout.shard(of: "order-1") }!
        #expect(throws: StoreError.core(.idempotencyKeyReused(key: seededKey, existing: []))) {
            try Self.book(lazy, Self.keyed(r, 2, key: seededKey))
        }
        #expect(lazy.keyShardFilesRead == 2)
        // The replay of the first reads nothing more.
        let again = try Self.book(lazy, Self.keyed(r, 1, key: "order-1"))
        #expect(again.replayed && again.bookings.map(\.id) == first.bookings.map(\.id))
        #expect(lazy.keyShardFilesRead == 2)
        #expect(Self.shardReads(fs).count == 2)

        // A second process sees the journal's key without reading a shard for it (the tail wins).
        let other = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try other.idempotencyRecord(forKey: "order-1")?.bookings == first.bookings.map(\.id))
        #expect(other.keyShardFilesRead == 0)
        #expect(try other.idempotencyRecord(forKey: "seed-123")?.fingerprint == "f123")
        #expect(other.keyShardFilesRead == 1)
    }

    @Test func shardFilesReadAlikeByTheTokenAndGeneralReaders() throws {
        var gen = ModelGen(rng: .init(state: 7))
        let records = (0..<200).map { i in
            IdempotencyRecord(key: gen.text() + "\(i)", fingerprint: gen.text(),
                              bookings: (0..<gen.int(0...3)).map { _ in BookingID("bk_" + gen.text()) },
                              createdAt: Support.now + TimeSpan(seconds: Int64(i)))
        }
        let bytes = SchemaFile.list(records) { r, out in try! IdempotencySchema.write(r, to: &out) }
        #expect(try IdempotencySchema.readList(bytes) == records)
        #expect(try SchemaFile.readList(bytes, IdempotencySchema.read) == records)
        // An escaped member name takes the general reader, which reads the same record.
        let at = try #require(Instant(iso8601: "2027-01-01T00:00:00Z"))
        let other = #"[{"createdAt":"2027-01-01T00:00:00Z","bookings":["bk_1"],"fingerprint":"f","k\u0065y":"k"}]"#
        #expect(try IdempotencySchema.readList(Array(other.utf8)) == [IdempotencyRecord(key: "k", fingerprint: "f", bookings: [BookingID("bk_1")], createdAt: at)])
        // A record without its time is damage, not a record.
        #expect(throws: SchemaError.self) { try IdempotencySchema.readList(Array(#"[{"key":"k","fingerprint":"f","bookings":[]}]"#.utf8)) }
    }

    /// Rewrites the newest generation as a format-2 build wrote it: every key in one
    /// `idempotency.json`, no shards.
    static func makeLegacy(_ dir: String) throws -> [IdempotencyRecord] {
        let gen = try newest(dir)
        let layout = try gen.idempotencyLayout()
        var all: [IdempotencyRecord] = []
        for n in 0..<layout.count { all += try gen.idempotencyShard(n, layout: layout, fs: RealFileSystem()) }
        all.sort { $0.key < $1.key }
        let bytes = SchemaFile.list(all) { r, out in try! IdempotencySchema.write(r, to: &out) }
        try FileManager.default.removeItem(atPath: gen.path + "/idempotency")
        try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + IdempotencyLayout.legacyPath))
        var files = try gen.manifest.allFiles().filter { !$0.key.hasPrefix(IdempotencyLayout.directory) }
        files[IdempotencyLayout.legacyPath] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        let m = Manifest(format: gen.manifest.format, generation: gen.manifest.generation, lastSequence: gen.manifest.lastSequence,
                         counters: gen.manifest.counters, maxBookingSeconds: gen.manifest.maxBookingSeconds, files: files)
        try FileManager.default.removeItem(atPath: gen.path + "/manifest.json")
        try Data(Frame.encode(ManifestSchema.bytes(m))).write(to: URL(fileURLWithPath: gen.path + "/manifest.json"))
        return all
    }

    @Test func aFormat2GenerationsKeyFileIsReadAndTheNextCompactionShardsIt() throws {
        let dir = Support.tempDir("idem-legacy")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        var booked: [String: [BookingID]] = [:]
        for i in 0..<40 { booked["k\(i)"] = try Self.book(store, Self.keyed(r, i, key: "k\(i)")).bookings.map(\.id) }
        try store.compact()
        let legacy = try Self.makeLegacy(dir)
        #expect(legacy.count == 40)
        #expect(try Self.newest(dir).idempotencyLayout() == IdempotencyLayout(count: 1, legacy: true))

        let fs = FaultyFileSystem()
        let old = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs, minimumShards: Support.productionShards))
        #expect(Self.shardReads(fs).isEmpty, "open read the key file")
        let replay = try Self.book(old, Self.keyed(r, 7, key: "k7"))
        #expect(replay.replayed && replay.bookings.map(\.id) == booked["k7"])
        #expect(throws: StoreError.core(.idempotencyKeyReused(key: "k8", existing: booked["k8"]!))) {
            try Self.book(old, Self.keyed(r, 99, key: "k8"))
        }
        #expect(Self.shardReads(fs).count == 1, "the whole file, read once: \(Self.shardReads(fs))")
        booked["k40"] = try Self.book(old, Self.keyed(r, 40, key: "k40")).bookings.map(\.id)
        #expect(old.check().ok, "\(old.check().lines)")

        try old.compact()
        let gen = try Self.newest(dir)
        #expect(try !gen.manifest.contains(IdempotencyLayout.legacyPath))
        #expect(try gen.idempotencyLayout() == IdempotencyLayout(count: IdempotencyLayout.minimumShards, legacy: false))
        let reopened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        for (k, ids) in booked { #expect(try reopened.idempotencyRecord(forKey: k)?.bookings == ids, "\(k)") }
        #expect(reopened.check().ok, "\(reopened.check().lines)")
    }

    @Test func aDamagedOrMisplacedShardIsAnErrorNamingIt() throws {
        let dir = Support.tempDir("idem-damage")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        _ = try Self.book(store, Self.keyed(r, 1, key: "alpha"))
        try store.compact()
        let gen = try Self.newest(dir)
        let layout = try gen.idempotencyLayout()
        let home = layout.shard(of: "alpha"), elsewhere = (home + 1) % layout.count
        let path = gen.path + "/" + layout.path(home)

        // The key moved to a shard it does not hash to, with a manifest that vouches for the bytes.
        let moved = try gen.idempotencyShard(home, layout: layout, fs: RealFileSystem())
        let bytes = SchemaFile.list(moved) { r, out in try! IdempotencySchema.write(r, to: &out) }
        var files = try gen.manifest.allFiles()
        try FileManager.default.removeItem(atPath: gen.path + "/" + layout.path(elsewhere))
        try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + layout.path(elsewhere)))
        files[layout.path(elsewhere)] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        let m = Manifest(format: gen.manifest.format, generation: gen.manifest.generation, lastSequence: gen.manifest.lastSequence,
                         counters: gen.manifest.counters, maxBookingSeconds: gen.manifest.maxBookingSeconds, files: files)
        try FileManager.default.removeItem(atPath: gen.path + "/manifest.json")
        try Data(Frame.encode(ManifestSchema.bytes(m))).write(to: URL(fileURLWithPath: gen.path + "/manifest.json"))
        let misplaced = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let report = misplaced.check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.hasPrefix("FAIL") && $0.contains(layout.path(elsewhere)) && $0.contains("belongs in shard \(home)") },
                "\(report.lines)")
        // A key that lands in the misplaced shard is refused, naming it, not taken for new.
        let victim = (0..<10_000).map { "v\($0)" }.first { layout.shard(of: $0) == elsewhere }!
        #expect(throws: StoreError.self) { try Self.book(misplaced, Self.keyed(r, 2, key: victim)) }
        #expect(misplaced.isReadOnly && misplaced.readOnlyReason!.contains(layout.path(elsewhere)))

        // A shard whose bytes do not match the manifest.
        var raw = try Data(contentsOf: URL(fileURLWithPath: path))
        raw[raw.startIndex + 1] ^= 0x20
        try FileManager.default.removeItem(atPath: path)
        try raw.write(to: URL(fileURLWithPath: path))
        let damaged = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var thrown: StoreError?
        do { _ = try damaged.idempotencyRecord(forKey: "alpha") } catch { thrown = error }
        #expect(Self.damagedPath(thrown) == path, "\(String(describing: thrown))")
        #expect(damaged.check().lines.contains { $0.hasPrefix("FAIL") && $0.contains(layout.path(home)) && $0.contains("idempotency key shard") })
    }

    /// Random keyed books, replays, reuse of keys with other requests, the clock passing the
    /// retention, compactions (with the shard count growing and shrinking: one key a shard),
    /// crashes (`FaultyFileSystem`, every power-loss mode) and reopening, against a dictionary.
    @Test(arguments: [1, 2, 3, 4] as [UInt64]) func modelBasedKeys(seed: UInt64) throws {
        let dir = Support.tempDir("idem-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = ModelGen.Seeded(state: seed)
        let clock = FixedClock(Support.now)
        func options(_ fs: any FileSystem = RealFileSystem()) -> StoreOptions {
            var o = Support.options(fs, compactAfter: 24)
            o.idempotencyKeysPerShard = 1
            o.compactInBackground = false
            return o
        }
        var store = try Store.create(at: dir, clock: clock, options: options())
        let r = try Support.addResource(store, "Room")
        let retention = store.options.idempotencyRetention

        struct Bound { var request: BookingRequest; var createdAt: Instant; var bookings: [BookingID] }
        var model: [String: Bound] = [:]
        var nextSlot = 0, nextKey = 0
        var counts: Set<Int> = []
        func live(_ b: Bound) -> Bool { b.createdAt >= clock.now() - retention }
        func freshRequest(_ key: String) -> BookingRequest {
            nextSlot += 1
            return Self.keyed(r, nextSlot, key: key)
        }
        func verify(_ s: Store, _ context: String) throws {
            for (k, b) in model.sorted(by: { $0.key < $1.key }) {
                let stored = try s.idempotencyRecord(forKey: k)
                if live(b) {
                    #expect(stored?.bookings == b.bookings && stored?.createdAt == b.createdAt, "\(context): \(k)")
                } else if let stored {
                    // Expired: forgotten, or still stored but taken for absent.
                    #expect(stored.createdAt == b.createdAt, "\(context): \(k)")
                    #expect(s.engine.liveIdempotencyRecord(k, in: s.state) == nil, "\(context): \(k)")
                }
            }
            for n in 0..<3 { #expect(try s.idempotencyRecord(forKey: "never-\(n)") == nil, "\(context)") }
        }

        for step in 0..<160 {
            let context = "seed \(seed) step \(step)"
            switch Int.random(in: 0..<20, using: &rng) {
            case 0..<7:
                let key = "key-\(nextKey)"
                nextKey += 1
                let req = freshRequest(key)
                let out = try Self.book(store, req)
                #expect(!out.replayed, "\(context)")
                model[key] = Bound(request: req, createdAt: clock.now(), bookings: out.bookings.map(\.id))
            case 7..<11:
                guard let key = model.keys.sorted().randomElement(using: &rng), let b = model[key] else { continue }
                if live(b) {
                    let out = try Self.book(store, b.request)
                    #expect(out.replayed && out.bookings.map(\.id) == b.bookings, "\(context): replay \(key)")
                } else {
                    // Past the retention the key is free again, for any request.
                    let req = freshRequest(key)
                    let out = try Self.book(store, req)
                    #expect(!out.replayed, "\(context): expired \(key) replayed")
                    model[key] = Bound(request: req, createdAt: clock.now(), bookings: out.bookings.map(\.id))
                }
            case 11..<13:
                guard let key = model.keys.sorted().randomElement(using: &rng), let b = model[key], live(b) else { continue }
                #expect(throws: StoreError.core(.idempotencyKeyReused(key: key, existing: b.bookings)), "\(context)") {
                    try Self.book(store, freshRequest(key))
                }
            case 13:
                clock.advance(by: .days(Int64.random(in: 1...12, using: &rng)))
            case 14, 15:
                try store.compact()
                counts.insert(try Self.newest(dir).idempotencyLayout().count)
            case 16, 17:
                store = try Store.open(at: dir, clock: clock, options: options())
                try verify(store, context + " reopened")
            default:
                // Crash part way through a keyed book or a compaction, then power loss.
                let fs = FaultyFileSystem()
                fs.crashAfter = Int.random(in: 0...30, using: &rng)
                let key = "key-\(nextKey)"
                nextKey += 1
                let req = freshRequest(key)
                var acknowledged: BookingOutcome?
                if let crashing = try? Store.open(at: dir, clock: clock, options: options(fs)) {
                    if Bool.random(using: &rng) {
                        acknowledged = try? Self.book(crashing, req)
                    } else {
                        try? crashing.compact()
                    }
                }
                fs.powerLoss(FaultyFileSystem.PowerLoss.allCases.randomElement(using: &rng)!)
                store = try Store.open(at: dir, clock: clock, options: options())
                #expect(!store.isReadOnly, "\(context): \(store.readOnlyReason ?? "")")
                if let stored = try store.idempotencyRecord(forKey: key) {
                    // In flight: it may have landed.
                    #expect(acknowledged == nil || stored.bookings == acknowledged!.bookings.map(\.id), "\(context)")
                    model[key] = Bound(request: req, createdAt: stored.createdAt, bookings: stored.bookings)
                } else {
                    #expect(acknowledged == nil, "\(context): an acknowledged key was lost")
                }
                try verify(store, context + " after a crash")
            }
        }
        try store.compact()
        counts.insert(try Self.newest(dir).idempotencyLayout().count)
        store = try Store.open(at: dir, clock: clock, options: options())
        try verify(store, "seed \(seed) at the end")
        let report = store.check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(counts.count >= 2, "the shard count never changed: \(counts)")
        // Every key that is live is in the shard it hashes to; nothing expired is left past a whole sweep.
        clock.advance(by: retention + .days(1))
        let layout = try Self.newest(dir).idempotencyLayout()
        for _ in 0..<(layout.count / IdempotencyLayout.sweptPerCompaction + 2) {
            _ = try Self.book(store, freshRequest("key-\(nextKey)"))
            nextKey += 1
            try store.compact()
        }
        let swept = try Self.newest(dir)
        let sweptLayout = try swept.idempotencyLayout()
        var left = 0
        for n in 0..<sweptLayout.count {
            left += try swept.idempotencyShard(n, layout: sweptLayout, fs: RealFileSystem()).filter { $0.createdAt < clock.now() - retention }.count
        }
        #expect(left == 0, "\(left) expired keys still on disk after a whole sweep")
    }
}
