import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Reading a few bookings of a partition (``PartitionScan``, `Store.loadBookings`): the
/// scan agrees with the full reader on every file the writer makes and on damaged ones; a
/// write's conflict check and a customer's bookings, read that way, agree with an in-memory
/// model through compaction, reopening and crashes; damage is an error naming the file.
@Suite struct PartialPartitionTests {
    /// Notes that look like the members the scan reads, inside strings.
    static let trickyNotes = [
        "", "plain", #"{"id":"bk_fake","range":{"start":"2000-01-01T00:00:00Z","end":"2000-01-01T01:00:00Z"}}"#,
        #"quote \" and backslash \\ and "range":"#, "brace { [ ] } , : tab\tnew\nline", "émoji 🧖‍♀️ ünïcode",
        #"\"#, #""id":"x""#,
    ]

    /// A store with bookings on two resources over a few months, notes from ``trickyNotes``,
    /// a cancelled one and one with a customer; compacted, so every booking lives in a partition.
    static func tricky(_ dir: String) throws -> (Store, [ResourceID]) {
        let (store, r1) = try Support.newStore(dir)
        let r2 = try Support.addResource(store, "Room 2")
        let c = try store.write("customer add", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Ann \"the\" Customer", in: s, by: Support.actor)
        }
        for i in 0..<40 {
            let start = Support.now + .days(Int64(i * 3)) + .hours(Int64(i % 7))
            let request = BookingRequest(resource: i % 2 == 0 ? r1 : r2, customer: i % 3 == 0 ? .existing(c.id) : nil,
                                         range: TimeRange(start: start, end: start + .minutes(30 + Int64(i % 4) * 15)),
                                         notes: trickyNotes[i % trickyNotes.count])
            let b = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0]
            if i % 5 == 4 {
                _ = try store.write("cancel", .cancel(b.id)) { s, e throws(CoreError) in try e.cancel(b.id, reason: "x \"y\"", in: s, by: Support.actor) }
            }
        }
        try store.compact()
        return (store, [r1, r2])
    }

    /// Every partition file the writer makes: the scan finds each object the full reader
    /// decodes, in order, with its id and range read plainly.
    @Test func scanAgreesWithTheFullReader() throws {
        let dir = Support.tempDir("partial-scan")
        defer { Support.remove(dir) }
        let (store, _) = try Self.tricky(dir)
        let gen = store.generation
        let keys = try gen.manifest.partitions()
        #expect(keys.count >= 6)
        for key in keys {
            let bytes = try #require(try gen.bytes(Generation.partitionPath(key), fs: RealFileSystem()))
            let decoded = try gen.decodePartition(key, bytes: bytes)
            let scan = try #require(PartitionScan(bytes), "\(key)")
            #expect(scan.items.count == decoded.count, "\(key)")
            for (item, b) in zip(scan.items, decoded) {
                #expect(item.id.map { String(decoding: bytes[$0], as: UTF8.self) } == b.id.rawValue, "\(key)")
                #expect(item.range == b.range, "\(key)")
                // Each object alone decodes to its booking.
                #expect(try gen.decodePartition(key, bytes: PartitionScan.array(of: [item], in: bytes)) == [b])
            }
        }
        #expect(PartitionScan(Array("[]".utf8))?.items == [])
        #expect(PartitionScan(Array(" [ ] \n".utf8))?.items == [])
    }

    /// Cut-off and altered files: the scan never crashes, refuses every cut, and whenever the
    /// full reader accepts the bytes, finds exactly its objects.
    @Test func damagedBytesNeverFoolTheScan() throws {
        let dir = Support.tempDir("partial-damage-scan")
        defer { Support.remove(dir) }
        let (store, _) = try Self.tricky(dir)
        let gen = store.generation
        let key = try #require(try gen.manifest.partitions().first)
        let bytes = try #require(try gen.bytes(Generation.partitionPath(key), fs: RealFileSystem()))
        for cut in 0..<bytes.count where cut % 7 == 0 || cut > bytes.count - 40 {
            #expect(PartitionScan(Array(bytes[..<cut])) == nil, "cut at \(cut)")
        }
        var rng = ModelGen.Seeded(state: 99)
        let alphabet = Array(#"{}[]",:\ a0"#.utf8)
        for _ in 0..<600 {
            var b = bytes
            b[Int.random(in: 0..<b.count, using: &rng)] = alphabet.randomElement(using: &rng)!
            let scan = PartitionScan(b)
            if let decoded = try? BookingSchema.readPartition(b) {
                let s = try #require(scan, "the scan refused bytes the reader accepts")
                #expect(s.items.count == decoded.count)
                for (item, booking) in zip(s.items, decoded) {
                    if let id = item.id { #expect(String(decoding: b[id], as: UTF8.self) == booking.id.rawValue) }
                    if let r = item.range { #expect(r == booking.range) }
                }
            }
        }
    }

    /// One entry of a section list read on its bytes: the same entries as the full reader for
    /// a list as written; absent paths absent; any list the full reader would refuse, or
    /// another spelling, left to the full reader (nil).
    @Test func oneListEntryAgreesWithTheFullReader() throws {
        var files: [String: Manifest.FileEntry] = [:]
        for (i, r) in ["res_a", "res_B", "res_%C3%A9", "res-z_9"].enumerated() {
            files["bookings/2027-03/\(r).json"] = .init(crc: String(format: "%08x", i * 7919), size: Int64(100 + i))
        }
        let section = "bookings/2027-03"
        let bytes = ManifestSchema.listBytes(files)
        #expect(try ManifestSchema.readList(bytes) == files)
        for (path, entry) in files {
            #expect(ManifestSchema.listEntry(path, in: bytes, section: section, count: files.count) == .some(entry), "\(path)")
        }
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_x.json", in: bytes, section: section, count: files.count) == .some(nil))
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: ManifestSchema.listBytes([:]), section: section, count: 0) == .some(nil))
        // Refused or respelled: the full reader decides.
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: bytes, section: section, count: files.count + 1) == nil)
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: bytes, section: "bookings/2027-04", count: files.count) == nil)
        var stray = files
        stray["bookings/1999-01/stray.json"] = .init(crc: "00000000", size: 1)
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: ManifestSchema.listBytes(stray), section: section, count: stray.count) == nil)
        let spaced = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: spaced, section: section, count: files.count) == nil)
        let text = String(decoding: bytes, as: UTF8.self)
        let a = #""bookings/2027-03/res_B.json""#, b = #""bookings/2027-03/res_a.json""#
        let swapped = Array(text.replacingOccurrences(of: a, with: "@").replacingOccurrences(of: b, with: a).replacingOccurrences(of: "@", with: b).utf8)
        #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: swapped, section: section, count: files.count) == nil, "out of order")
        for cut in 0..<bytes.count {
            #expect(ManifestSchema.listEntry("bookings/2027-03/res_a.json", in: Array(bytes[..<cut]), section: section, count: files.count) == nil)
        }
    }

    /// What the store should hold: each live booking's range and resource.
    struct Model {
        var bookings: [BookingID: (range: TimeRange, resource: ResourceID, active: Bool)] = [:]

        /// Whether `range` on `resource` collides with an active booking other than `except`.
        func collides(_ range: TimeRange, on resource: ResourceID, except: BookingID? = nil) -> Bool {
            bookings.contains { $0.key != except && $0.value.active && $0.value.resource == resource && $0.value.range.overlaps(range) }
        }
    }

    /// Random books, moves and cancellations on few slots (many conflicts), compactions and
    /// reopenings: every write is accepted exactly when the model has no collision, and the
    /// long-lived store, whose writes read only parts of partitions, shows every booking
    /// once its months are loaded.
    @Test(arguments: [UInt64(5), 6, 7])
    func conflictChecksFollowTheModel(_ seed: UInt64) throws {
        let dir = Support.tempDir("partial-model-\(seed)")
        defer { Support.remove(dir) }
        var options = Support.options(compactAfter: 9)
        options.compactInBackground = seed == 6
        var store = try Store.create(at: dir, clock: FixedClock(Support.now), options: options)
        let resources = [try Support.addResource(store, "Room 1"), try Support.addResource(store, "Room 2")]
        var model = Model()
        var rng = ModelGen.Seeded(state: seed)
        func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        // Slots over three months, some across a month's end, so ranges reach into the previous partition.
        func randomRange() -> TimeRange {
            let start = Instant(seconds: 1_801_353_600) + .days(Int64(int(0...2)) * 30 + Int64(int(-1...1))) + .hours(Int64(int(20...27)))
            return TimeRange(start: start, end: start + .minutes(Int64(int(1...6)) * 30))
        }
        func refused<T>(_ body: () throws -> T) throws -> T? {
            do { return try body() } catch StoreError.core(.conflict(_)) { return nil } catch CoreError.conflict(_) { return nil }
        }
        var accepted = 0, conflicts = 0
        for step in 0..<220 {
            switch int(0...99) {
            case 0..<50:
                let request = BookingRequest(resource: resources.randomElement(using: &rng)!, range: randomRange())
                let expectConflict = model.collides(request.range, on: request.resource)
                let out = try refused { try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) } }
                #expect((out == nil) == expectConflict, "seed \(seed) step \(step): book \(request.range) conflict \(out == nil), model \(expectConflict)")
                if let b = out?.bookings.first { model.bookings[b.id] = (request.range, request.resource, true); accepted += 1 } else { conflicts += 1 }
            case 50..<70:
                guard let id = model.bookings.keys.sorted().randomElement(using: &rng), model.bookings[id]!.active else { continue }
                let range = randomRange(), resource = resources.randomElement(using: &rng)!
                let expectConflict = model.collides(range, on: resource, except: id)
                let out = try refused {
                    try store.write("move", .reschedule(id, to: range, resource: resource, scope: .this)) { s, e throws(CoreError) in
                        try e.reschedule(id, to: range, resource: resource, in: s, by: Support.actor)
                    }
                }
                #expect((out == nil) == expectConflict, "seed \(seed) step \(step): move \(id) conflict \(out == nil), model \(expectConflict)")
                if out != nil { model.bookings[id]!.range = range; model.bookings[id]!.resource = resource }
            case 70..<80:
                guard let id = model.bookings.keys.sorted().randomElement(using: &rng), model.bookings[id]!.active else { continue }
                _ = try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "model", in: s, by: Support.actor) }
                model.bookings[id]!.active = false
            case 80..<90:
                try store.compact()
            default:
                store.waitForBackgroundWork()
                store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
            }
            if step % 40 == 39 || step == 219 {
                // The writer's own state, once loaded whole, and a fresh store agree with the model.
                store.waitForBackgroundWork()
                try store.load(resources: nil, range: Support.everything)
                let fresh = try Support.reopen(dir)
                for (who, s) in [("writer", store), ("fresh", fresh)] {
                    #expect(Set(s.state.bookings.keys) == Set(model.bookings.keys), "seed \(seed) step \(step) \(who)")
                    for (id, m) in model.bookings {
                        let b = s.state.bookings[id]
                        #expect(b?.range == m.range && b?.resource == m.resource && (b?.status != .cancelled) == m.active, "seed \(seed) step \(step) \(who) \(id)")
                    }
                }
            }
        }
        #expect(accepted >= 20 && conflicts >= 20, "accepted \(accepted), conflicts \(conflicts): the run tested too little")
        store.waitForBackgroundWork()
        #expect(try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check().ok)
    }

    /// A write reads the bookings of its day, not its partition's month: a fresh store that
    /// books once holds the neighbours in reach and none of the month's others.
    @Test func aWriteDecodesOnlyWhatItsCheckReads() throws {
        let dir = Support.tempDir("partial-reach")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let base = Instant(seconds: 1_801_353_600) // 2027-01-30T00:00Z
        var days: [Int64: BookingID] = [:]
        for d in Int64(-25)...Int64(-1) { days[d] = try Support.book(store, r, TimeRange(start: base + .days(d), end: base + .days(d) + .hours(1))).id }
        try store.compact()
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let slot = TimeRange(start: base - .days(10) + .hours(3), end: base - .days(10) + .hours(4))
        let mine = try Support.book(fresh, r, slot)
        let held = Set(fresh.state.bookings.keys)
        #expect(held.contains(mine.id))
        #expect(held.contains(days[-10]!), "the same day's booking is not in memory")
        #expect(!held.contains(days[-20]!) && !held.contains(days[-2]!), "the write decoded far days: \(held.count) bookings in memory")
        #expect(fresh.partitionFilesRead == 1)
        // A conflict with a booking in memory only through that partial read is still found.
        #expect(throws: StoreError.self) { try Support.book(fresh, r, TimeRange(start: base - .days(10), end: base - .days(10) + .minutes(30))) }
        // Loading the month afterwards shows all of it.
        try fresh.load(resources: [r], range: TimeRange(start: base - .days(26), end: base))
        #expect(fresh.state.bookings.count == 26)
    }

    /// A partition whose checksum holds but whose picked object does not decode, and one whose
    /// bytes fail their checksum: the write and the customer query fail with the file named,
    /// nothing is written.
    @Test func damagedPartitionsAreNamed() throws {
        let dir = Support.tempDir("partial-damaged")
        defer { Support.remove(dir) }
        let (store, resources) = try Self.tricky(dir)
        let gen = store.generation
        let key = try #require(try gen.manifest.partitions().first { $0.hasSuffix(Partition.safe(resources[0].rawValue)) })
        let rel = Generation.partitionPath(key)
        let bytes = try #require(try gen.bytes(rel, fs: RealFileSystem()))
        let decoded = try gen.decodePartition(key, bytes: bytes)
        let victim = decoded[0]
        // The first booking's status spelled as no status is: valid JSON, a booking that does not decode.
        let text = String(decoding: bytes, as: UTF8.self)
        let broken = Array(text.replacingOccurrences(of: #""status":"\#(victim.status.rawValue)""#, with: #""status":"melted""#).utf8)
        #expect(broken != bytes)
        try CustomerIndexTests.replace(gen, [rel: broken])
        let lastSequence = store.lastSequence
        let s = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let request = BookingRequest(resource: resources[0], range: TimeRange(start: victim.start, end: victim.end))
        #expect {
            _ = try s.write("book", .book(request)) { st, e throws(CoreError) in try e.book(request, in: st, by: Support.actor) }
        } throws: { error in
            guard case StoreError.damaged(let path, let detail) = error else { return false }
            return path.hasSuffix(rel) && detail.contains("melted")
        }
        #expect(s.lastSequence == lastSequence)
        // Bytes that fail their checksum.
        let s2 = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var flipped = broken
        flipped[flipped.count / 2] ^= 0x01
        try Data(flipped).write(to: URL(fileURLWithPath: gen.path + "/" + rel))
        #expect {
            _ = try s2.write("book", .book(request)) { st, e throws(CoreError) in try e.book(request, in: st, by: Support.actor) }
        } throws: { error in
            guard case StoreError.damaged(let path, let detail) = error else { return false }
            return path.hasSuffix(rel) && detail.contains("checksum")
        }
        if let c = victim.customer {
            let s3 = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            #expect(throws: StoreError.self) { _ = try s3.bookings(ofCustomer: c, range: Support.everything) }
        }
    }

    /// Crashes at every file operation of a `book` whose check reads part of a partition:
    /// after reopening the booking is there or not, its slot is taken exactly when it is, and
    /// every other booking is as before.
    @Test func crashDuringAPartialWrite() throws {
        let base = Support.tempDir("partial-crash-base")
        let work = Support.tempDir("partial-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        let (store, r) = try Support.newStore(base)
        let day = Instant(seconds: 1_801_353_600)
        var before: Set<BookingID> = []
        for d in Int64(-12)...Int64(-1) { before.insert(try Support.book(store, r, TimeRange(start: day + .days(d), end: day + .days(d) + .hours(1))).id) }
        try store.compact()
        store.waitForBackgroundWork()
        let slot = TimeRange(start: day - .days(5) + .hours(2), end: day - .days(5) + .hours(3))
        func run(_ fs: FaultyFileSystem) {
            guard let s = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)) else { return }
            _ = try? Support.book(s, r, slot)
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        run(probe)
        let n = probe.operations
        #expect(probe.reads.contains { $0.contains("/bookings/") }, "the write read no partition")
        for k in 0...n {
            Support.copy(base, work)
            let fs = FaultyFileSystem()
            fs.crashAfter = k
            run(fs)
            fs.powerLoss(k % 2 == 0 ? .drop : .garbage)
            let s = try Support.reopenModelled(work)
            let label = "crash after \(k)/\(n)"
            let added = Set(s.state.bookings.keys).subtracting(before)
            #expect(Set(s.state.bookings.keys).isSuperset(of: before), "\(label)")
            #expect(added.count <= 1, "\(label)")
            let again = try? Support.book(s, r, slot)
            #expect((again == nil) == (added.count == 1), "\(label): slot taken \(again == nil), booking kept \(added.count)")
        }
    }
}
