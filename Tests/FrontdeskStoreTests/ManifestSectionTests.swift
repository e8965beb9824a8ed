import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The format-5 manifest: files listed per section in `lists/`, read when first needed; format 4
/// generations opened as they are and converted by the next compaction; damaged lists refused.
@Suite struct ManifestSectionTests {
    @Test func sectionsFollowFromThePath() {
        #expect(ManifestSections.section(of: "resources.json") == nil)
        #expect(ManifestSections.section(of: "search/terms.json") == nil)
        #expect(ManifestSections.section(of: "bookings/2027-03/res_a.json") == "bookings/2027-03")
        #expect(ManifestSections.section(of: "bookings/2027-03/123.json") == "bookings/2027-03", "a resource id of digits is a partition")
        #expect(ManifestSections.section(of: "partition-customers/2027-03/res_a.json") == "partition-customers/2027-03")
        #expect(ManifestSections.section(of: "customers/0000.json") == "customers/g0")
        #expect(ManifestSections.section(of: "customers/0063.json") == "customers/g0")
        #expect(ManifestSections.section(of: "customers/0064.json") == "customers/g1")
        #expect(ManifestSections.section(of: "idempotency/1023.json") == "idempotency/g15")
        #expect(ManifestSections.section(of: "directory/07.json") == "directory/g0")
        #expect(ManifestSections.section(of: "search/pages/000130.json") == "search/pages/g2")
        #expect(ManifestSections.section(of: "audit/2027-03/000001.json") == "audit/2027-03/g0")
        #expect(ManifestSections.listPath("customers/g1") == "lists/customers.g1.json")
        #expect(ManifestSections.listPath("bookings/2027-03") == "lists/bookings.2027-03.json")
        #expect(ManifestSections.directory(of: "customers/g1") == "customers")
        #expect(ManifestSections.directory(of: "bookings/2027-03") == "bookings/2027-03")
        #expect(ManifestSections.directory(of: "audit/2027-03/g0") == "audit/2027-03")
    }

    /// The section rules as first written, over Swift strings: the model the byte-level
    /// `ManifestSections.section(of:)` must agree with.
    static func modelSection(of rel: String) -> String? {
        guard let slash = rel.utf8.lastIndex(of: 0x2F) else { return nil }
        let dir = String(rel[..<slash])
        let name = rel[rel.index(after: slash)...]
        let top = dir.prefix { $0 != "/" }
        if top == "bookings" || top + "/" == "partition-customers/" || top + "/" == "occupancy/" {
            return dir.contains("/") ? dir : nil
        }
        if name.hasSuffix(".json") {
            let stem = name.dropLast(5)
            if !stem.isEmpty, stem.utf8.count <= 9, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(stem) {
                return dir + "/g" + String(n / ManifestSections.groupSize)
            }
        }
        return dir.contains("/") ? dir : nil
    }

    /// Random paths from the pieces a generation's paths are made of, and edge cases (no
    /// stem, ten digits, a bare `.json`, empty components): the same section as the model.
    @Test func sectionsAgreeWithTheStringModel() {
        var rng = ModelGen.Seeded(state: 22)
        let tops = ["bookings", "partition-customers", "occupancy", "customers", "customer-keys", "by-customer", "idempotency",
                    "search", "audit", "directory", "lists", "bookingsx", "occupancy2", ""]
        let middles = ["", "2027-03", "pages", "terms", "a/b"]
        let names = ["0000.json", "0063.json", "0064.json", "8191.json", "123456789.json", "1234567890.json", ".json", "json",
                     "res_a.json", "12a.json", "007.jsonx", "resources.json", "x", "", "00000000000000000001.json", "٣.json"]
        var paths = ["", "/", "//", "a", "/0001.json", "bookings/", "bookings//x.json", "customers//0001.json"]
        for _ in 0..<3_000 {
            var parts = [tops.randomElement(using: &rng)!]
            let middle = middles.randomElement(using: &rng)!
            if !middle.isEmpty { parts.append(middle) }
            parts.append(names.randomElement(using: &rng)!)
            paths.append(parts.joined(separator: "/"))
        }
        for p in paths {
            #expect(ManifestSections.section(of: p) == Self.modelSection(of: p), "\(p)")
        }
    }

    /// A store with bookings over fourteen months and keys in 256 shards (four groups).
    static func spreadStore(_ dir: String) throws -> (Store, [ResourceID]) {
        var o = Support.options()
        o.idempotencyKeysPerShard = 1
        o.compactInBackground = false
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: o)
        var resources: [ResourceID] = []
        for name in ["Room 1", "Room 2", "Room 3"] { resources.append(try Support.addResource(store, name)) }
        for i in 0..<150 {
            let start = Support.now + .days(Int64(1 + (i * 3) % 420)) + .hours(Int64(i % 8))
            var req = BookingRequest(resource: resources[i % 3], range: TimeRange(start: start, end: start + .minutes(30)))
            req.idempotencyKey = "key-\(i)"
            _ = try store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) }
        }
        try store.compact()
        return (store, resources)
    }

    static func newest(_ dir: String) throws -> Generation {
        let g = try #require(try Generation.list(dir + "/snapshots", fs: RealFileSystem()).first)
        return try Generation.open(dir + "/snapshots/" + Manifest.name(g), fs: RealFileSystem())
    }

    static func writeManifest(_ gen: Generation, _ m: Manifest) throws {
        try FileManager.default.removeItem(atPath: gen.path + "/manifest.json")
        try Data(Frame.encode(ManifestSchema.bytes(m))).write(to: URL(fileURLWithPath: gen.path + "/manifest.json"))
    }

    @Test func aGenerationListsItsFilesBySection() throws {
        let dir = Support.tempDir("sections-written")
        defer { Support.remove(dir) }
        let (store, _) = try Self.spreadStore(dir)
        try store.load(resources: nil, range: Support.everything)
        let before = store.state.bookings
        let gen = try Self.newest(dir)
        #expect(gen.manifest.format == StoreFormat.businessDay)
        #expect(!gen.manifest.isComplete)
        #expect(gen.manifest.direct.keys.allSatisfy { ManifestSections.section(of: $0) == nil }, "\(gen.manifest.direct.keys.sorted())")
        #expect(gen.manifest.lists.keys.filter { $0.hasPrefix("bookings/") }.count >= 12)
        #expect(gen.manifest.lists.keys.filter { $0.hasPrefix("idempotency/") }.count == 4)
        #expect(gen.manifest.idempotencyShardCount == 256)
        // Every file on disk is listed once, by its own section, and nothing else is.
        let listed = try gen.manifest.allFiles()
        let onDisk = Set(FileManager.default.enumerator(atPath: gen.path)!.compactMap { $0 as? String }.filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: gen.path + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
        })
        #expect(Set(listed.keys).union(["manifest.json"]) == onDisk)
        #expect(try gen.manifest.partitions().count == store.generation.manifest.partitions().count)
        #expect(store.check().ok, "\(store.check().lines.filter { $0.hasPrefix("FAIL") })")
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings == before)
        for i in [0, 77, 149] { #expect(try reopened.idempotencyRecord(forKey: "key-\(i)") != nil) }
    }

    /// Opening reads the manifest and no list; one resource's month reads the lists of the
    /// months it reaches, not those of the customers, keys or other tables.
    @Test func listsAreReadOnlyWhenNeeded() throws {
        let dir = Support.tempDir("sections-lazy")
        defer { Support.remove(dir) }
        let (store, resources) = try Self.spreadStore(dir)
        let some = try #require(store.state.bookings.values.first { $0.start > Support.now + .days(200) })
        let fs = FaultyFileSystem()
        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(!fs.reads.contains { $0.contains("/lists/") }, "\(fs.reads)")
        let month = Partition.month(some.start)
        try opened.load(resources: [some.resource], range: TimeRange(start: some.start, end: some.start + .minutes(1)))
        #expect(opened.state.bookings[some.id] == some)
        let lists = Set(fs.reads.filter { $0.contains("/lists/") }.map { String($0.split(separator: "/").last!) })
        #expect(lists.contains("bookings.\(month).json"), "\(lists)")
        #expect(lists.allSatisfy { $0.hasPrefix("bookings.") || $0.hasPrefix("partition-customers.") }, "\(lists)")
        #expect(lists.count <= 4, "\(lists)")
        _ = resources
        // One key reads one idempotency list of the four.
        _ = try opened.idempotencyRecord(forKey: "key-3")
        #expect(fs.reads.filter { $0.contains("/lists/idempotency.") }.count == 1)
    }

    /// A format-4 generation (every file in the manifest, no lists) opens and reads as it is;
    /// the next compaction writes format 5 with lists, and the store reads the same.
    @Test func aFormat4GenerationOpensAndIsConvertedAtTheNextCompaction() throws {
        let dir = Support.tempDir("sections-format4")
        defer { Support.remove(dir) }
        let (store, resources) = try Self.spreadStore(dir)
        try store.load(resources: nil, range: Support.everything)
        let before = store.state.bookings
        let gen = try Self.newest(dir)
        let m = gen.manifest
        let files = try m.allFiles().filter { !$0.key.hasPrefix(ManifestSections.listDirectory + "/") }
        try Self.writeManifest(gen, Manifest(format: StoreFormat.auditLog, generation: m.generation, lastSequence: m.lastSequence,
                                             counters: m.counters, maxBookingSeconds: m.maxBookingSeconds, files: files))
        try FileManager.default.removeItem(atPath: gen.path + "/" + ManifestSections.listDirectory)

        let old = try Support.reopen(dir)
        #expect(old.generation.manifest.isComplete && old.generation.manifest.format == StoreFormat.auditLog)
        #expect(old.state.bookings == before)
        #expect(try old.idempotencyRecord(forKey: "key-42") != nil)
        #expect(old.check().ok, "\(old.check().lines.filter { $0.hasPrefix("FAIL") })")
        let added = try Support.book(old, resources[0], TimeRange(start: Support.now + .days(500), end: Support.now + .days(500) + .minutes(30)))
        try old.compact()
        let converted = try Self.newest(dir)
        #expect(converted.manifest.format == StoreFormat.businessDay && !converted.manifest.isComplete)
        let after = try Support.reopen(dir)
        var expected = before
        expected[added.id] = added
        #expect(after.state.bookings == expected)
        #expect(try after.idempotencyRecord(forKey: "key-42") != nil)
        #expect(after.check().ok, "\(after.check().lines.filter { $0.hasPrefix("FAIL") })")
    }

    /// A list whose bytes differ from the manifest's checksum, or that names a file of another
    /// section, is damage naming the list: the read that needs it fails, `check` reports it.
    @Test func aDamagedListIsRefusedByName() throws {
        let dir = Support.tempDir("sections-damaged")
        defer { Support.remove(dir) }
        let (store, _) = try Self.spreadStore(dir)
        let some = try #require(store.state.bookings.values.first { $0.start > Support.now + .days(100) })
        let month = Partition.month(some.start)
        let gen = try Self.newest(dir)
        let list = gen.path + "/" + ManifestSections.listPath("bookings/" + month)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: list)))
        let original = bytes
        bytes[bytes.count / 2] ^= 0x01
        try FileManager.default.removeItem(atPath: list)
        try Data(bytes).write(to: URL(fileURLWithPath: list))

        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let range = TimeRange(start: some.start, end: some.start + .minutes(1))
        var thrown: StoreError?
        do { try opened.load(resources: [some.resource], range: range) } catch { thrown = error }
        guard case .damaged(let path, _)? = thrown else {
            Issue.record("expected damage, got \(String(describing: thrown))")
            return
        }
        #expect(path == list)
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(!report.ok && report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("lists/bookings.\(month).json") }, "\(report.lines.filter { $0.hasPrefix("FAIL") })")

        // The right checksum for a list naming another section's file: still refused.
        var files = try ManifestSchema.readList(original)
        files["bookings/1999-01/stray.json"] = .init(crc: "00000000", size: 1)
        let stray = ManifestSchema.listBytes(files)
        try FileManager.default.removeItem(atPath: list)
        try Data(stray).write(to: URL(fileURLWithPath: list))
        var lists = gen.manifest.lists
        lists["bookings/" + month] = .init(crc: CRC32C.hex(CRC32C.checksum(stray)), size: Int64(stray.count), count: files.count)
        let m = gen.manifest
        try Self.writeManifest(gen, Manifest(format: m.format, generation: m.generation, lastSequence: m.lastSequence, counters: m.counters,
                                             maxBookingSeconds: m.maxBookingSeconds, direct: m.direct, partitionsInOrder: [],
                                             lists: lists, complete: false))
        let again = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        thrown = nil
        do { try again.load(resources: [some.resource], range: range) } catch { thrown = error }
        guard case .damaged(let p2, let detail)? = thrown else {
            Issue.record("expected damage, got \(String(describing: thrown))")
            return
        }
        #expect(p2 == list && detail.contains("another section"), "\(detail)")
    }
}
