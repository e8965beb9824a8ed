import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting
#if canImport(Glibc)
import Glibc
#endif

/// Preallocated journal segments: records overwrite zeros that were written (and fsynced)
/// when the segment was created; readers take zeros at a record boundary for the end.
@Suite struct PreallocationTests {
    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    static func write(_ path: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
    static func segments(_ dir: String, _ sub: String = "journal") -> [String] {
        (((try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub)) ?? []).filter { $0.hasSuffix(".jsonl") }.sorted()).map { dir + "/" + sub + "/" + $0 }
    }
    static func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? -1 }

    /// A new segment is filled with zeros; a record that fits overwrites them without changing
    /// the file's size; zeros after the last record are clean for readers, `check` and events.
    @Test func recordsOverwritePreallocatedZeros() throws {
        let dir = Support.tempDir("prealloc")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir, options: Support.options(preallocate: 64 << 10))
        let seg = try #require(Self.segments(dir).last)
        #expect(Self.size(seg) == 64 << 10)
        let before = store.offset
        let b = try Support.book(store, r, Support.slot(1))
        #expect(Self.size(seg) == 64 << 10, "a record that fits must not grow the file")
        #expect(store.offset > before)
        let content = try Self.bytes(seg)
        #expect(content[Int(store.offset)...].allSatisfy { $0 == 0 })
        let reader = try Support.reopen(dir)
        #expect(!reader.isReadOnly && reader.notices.isEmpty, "\(reader.notices)")
        #expect(reader.state.bookings[b.id] == b && reader.offset == store.offset)
        let report = reader.check()
        #expect(report.ok && report.warnings == 0, "\(report.lines)")
        #expect(report.lines.contains { $0.contains("preallocated space") })
        #expect(try reader.events(after: 0).contains { $0.event.booking?.id == b.id })
    }

    /// A record larger than the space left extends the segment by whole chunks of zeros, in
    /// the same write; later records overwrite the new space.
    /// Opening reads the last segment without its final zeros; the scan must come out as a scan
    /// of the whole file does, for clean ends, padding of every length, zeros followed by a
    /// record anywhere (inside a chunk or chunks later) and files that are all zeros.
    @Test func openingReadsSegmentsWithoutTheirZeroTail() throws {
        let dir = Support.tempDir("zerotail")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { Support.remove(dir) }
        let record = try JournalRecord(seq: 1, tx: Transaction(at: Instant(seconds: 1_800_000_000), actor: .system)).encoded()
        let record2 = try JournalRecord(seq: 2, tx: Transaction(at: Instant(seconds: 1_800_000_001), actor: .system)).encoded()
        let chunk = 64 << 10
        let layouts: [[UInt8]] = [
            [], [UInt8](repeating: 0, count: 3 * chunk + 5), record, record + [UInt8](repeating: 0, count: chunk - record.count),
            record + [UInt8](repeating: 0, count: 1 << 20), record + [UInt8](repeating: 0, count: 2 * chunk + 17),
            record + [UInt8](repeating: 0, count: 100) + record2,                       // zeros then a record, one chunk
            record + [UInt8](repeating: 0, count: 3 * chunk) + record2 + [UInt8](repeating: 0, count: chunk),  // chunks later
            [UInt8](repeating: 0, count: chunk) + record + [UInt8](repeating: 0, count: 9),
            Array(record.prefix(40)) + [UInt8](repeating: 0, count: 2 * chunk),       // torn, then padding
        ]
        let fs = RealFileSystem()
        for (i, layout) in layouts.enumerated() {
            let path = dir + "/seg-\(i)"
            try Self.write(path, layout)
            let f = try fs.open(path, flags: O_RDONLY, mode: 0)
            defer { fs.close(f) }
            let trimmed = try fs.readAllDroppingZeroTail(f)
            #expect(trimmed.count <= layout.count && Array(layout.prefix(trimmed.count)) == trimmed, "layout \(i)")
            #expect(layout[trimmed.count...].allSatisfy { $0 == 0 }, "layout \(i)")
            let whole = SegmentScan(bytes: layout, offset: 0, expect: 1), part = SegmentScan(bytes: trimmed, offset: 0, expect: 1)
            #expect(whole.records.map(\.seq) == part.records.map(\.seq) && whole.validEnd == part.validEnd && whole.tail == part.tail,
                    "layout \(i): \(whole.tail) vs \(part.tail)")
        }
    }

    @Test func aRecordLargerThanThePaddingExtendsTheSegment() throws {
        let dir = Support.tempDir("prealloc-extend")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)   // 4 KiB chunks
        let seg = try #require(Self.segments(dir).last)
        #expect(Self.size(seg) == 4096)
        let ranges = (0..<20).map { Support.slot(Int64($0)) }
        let results = try store.writeBatch("import", .bookMany(ranges.map { BookingRequest(resource: r, range: $0) }), items: ranges, chunkSize: 100) { range, s, e throws(CoreError) in
            try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
        }
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        #expect(store.offset > 4096)
        let grown = Self.size(seg)
        #expect(grown % 4096 == 0 && grown > Int(store.offset), "extended to a multiple of the chunk, with room after the record")
        #expect(try Self.bytes(seg)[Int(store.offset)...].allSatisfy { $0 == 0 })
        let b = try Support.book(store, r, Support.slot(30))
        #expect(Self.size(seg) == grown || Int(store.offset) > grown - 1)
        let reader = try Support.reopen(dir)
        #expect(!reader.isReadOnly && reader.notices.isEmpty)
        #expect(reader.state.bookings.count == 21 && reader.state.bookings[b.id] == b)
        #expect(reader.check().ok)
    }

    /// Rotation cuts the retired segment's padding off before the new segment appears, so
    /// `events/` holds segments without padding; the new segment is preallocated.
    @Test func retiredSegmentsLoseTheirPadding() throws {
        let dir = Support.tempDir("prealloc-retire")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(1))
        try store.compact()
        try Support.book(store, r, Support.slot(2))
        try store.compact()
        let folded = Self.segments(dir, "events")
        #expect(folded.count == 2)
        for path in folded {
            let b = try Self.bytes(path)
            #expect(b.last == 0x0A, "\(path) does not end after its last record")
            #expect(!b.contains(0))
        }
        let live = try #require(Self.segments(dir).last)
        let fresh = try Self.bytes(live)
        #expect(fresh.count == 4096 && fresh.allSatisfy { $0 == 0 })
    }

    /// Zeros after the last record of a segment that is not the last (retired without its
    /// padding being cut, as a crash could leave it or another implementation might) are clean:
    /// for recovery, a reader following the rotation, `events(after:)` and `check`.
    @Test func zerosEndRetiredSegmentsCleanly() throws {
        let dir = Support.tempDir("prealloc-retired-zeros")
        defer { Support.remove(dir) }
        let (writer, r) = try Support.newStore(dir, options: Support.options(rotate: 1))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var expected: [Booking] = []
        for h in 0..<3 { expected.append(try Support.book(writer, r, Support.slot(Int64(h)))) }
        let segs = Self.segments(dir)
        #expect(segs.count >= 3)
        // Pad every segment but the last with zeros again.
        for path in segs.dropLast() {
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try h.seekToEnd()
            try h.write(contentsOf: Data(count: 3000))
            try h.close()
        }
        let reopened = try Support.reopen(dir)
        #expect(!reopened.isReadOnly && reopened.notices.isEmpty, "\(reopened.readOnlyReason ?? "") \(reopened.notices)")
        for b in expected { #expect(reopened.state.bookings[b.id] == b) }
        #expect(try reader.refresh())
        #expect(!reader.isReadOnly)
        for b in expected { #expect(reader.state.bookings[b.id] == b) }
        let created = try reopened.events(after: 0).filter { $0.event.type == .bookingCreated }
        #expect(created.count == 3)
        let report = reopened.check()
        #expect(report.ok && report.warnings == 0, "\(report.lines)")
        // And writing goes on after them.
        let more = try Support.book(reopened, r, Support.slot(10))
        #expect(try Support.reopen(dir).state.bookings[more.id] == more)
    }

    /// A partial record followed by the padding's zeros is a torn tail: readers ignore it, the
    /// next writer copies it aside, zeroes it (fdatasynced) and writes after the last good
    /// record; appends continue and a reopen sees everything.
    @Test func aPartialRecordBeforeZerosIsTornAndRepaired() throws {
        let dir = Support.tempDir("prealloc-torn")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let a = try Support.book(store, r, Support.slot(1))
        let end = Int(store.offset)
        let seg = try #require(Self.segments(dir).last)
        // A record's first 300 bytes, in the padding (as a crash part way through leaves it).
        var tx = Transaction(at: Support.now, actor: Support.actor)
        tx.mutations = [.booking(a)]
        let line = try JournalRecord(seq: store.lastSequence + 1, tx: tx).encoded()
        var content = try Self.bytes(seg)
        let partial = Array(line.prefix(300))
        content.replaceSubrange(end..<(end + 300), with: partial)
        try Self.write(seg, content)

        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(!reader.isReadOnly && reader.notices.contains { $0.contains("torn") && $0.contains("300 bytes") }, "\(reader.notices)")
        #expect(reader.offset == Int64(end))
        #expect(reader.check().warnings == 1)

        let writer = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let c = try Support.book(writer, r, Support.slot(2))
        let baks = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasPrefix("torn-") }
        #expect(baks.count == 1)
        if let bak = baks.first { #expect(try Self.bytes(dir + "/journal/" + bak) == partial) }
        #expect(writer.notices.contains { $0.contains("zeroed") })
        let after = try Self.bytes(seg)
        #expect(after[Int(writer.offset)...].allSatisfy { $0 == 0 }, "stale bytes after the new record")
        let d = try Support.book(writer, r, Support.slot(3))
        // The reader that saw the torn tail catches up over the repair.
        #expect(try reader.refresh())
        #expect(reader.state.bookings[d.id] == d && !reader.isReadOnly)
        let reopened = try Support.reopen(dir)
        #expect(!reopened.isReadOnly && reopened.notices.isEmpty, "\(reopened.notices)")
        #expect(Set(reopened.state.bookings.keys) == [a.id, c.id, d.id])
        let report = reopened.check()
        #expect(report.ok && report.warnings == 0, "\(report.lines)")
    }

    /// A record whose blocks landed out of order (some still zeros) is a torn tail too, however
    /// large the part that landed; the power-loss model of `FaultyFileSystem` loses whole writes,
    /// so sector patterns are checked here: every combination of the record's 512-byte sectors.
    @Test func aRecordWithSectorsMissingIsTorn() throws {
        let dir = Support.tempDir("prealloc-sectors")
        let work = Support.tempDir("prealloc-sectors-work")
        defer { Support.remove(dir); Support.remove(work) }
        let (store, r) = try Support.newStore(dir, options: Support.options(preallocate: 16 << 10))
        let a = try Support.book(store, r, Support.slot(1))
        let start = Int(store.offset)
        let lost = try Support.book(store, r, Support.slot(2))
        let end = Int(store.offset)
        let seg = try #require(Self.segments(dir).last)
        let full = try Self.bytes(seg)
        let sectors = Array(stride(from: start / 512 * 512, to: end, by: 512))
        #expect(sectors.count >= 2 && sectors.count <= 6)
        Support.copy(dir, work)
        let path = work + "/journal/" + (seg as NSString).lastPathComponent
        for pattern in 0..<((1 << sectors.count) - 1) {   // all but "every sector landed"
            var bytes = full
            for (i, s) in sectors.enumerated() where pattern & (1 << i) == 0 {
                for k in max(s, start)..<min(s + 512, end) { bytes[k] = 0 }
            }
            try Self.write(path, bytes)
            let reader = try Support.reopen(work)
            #expect(!reader.isReadOnly, "pattern \(pattern): \(reader.readOnlyReason ?? "")")
            #expect(reader.state.bookings[a.id] == a && reader.state.bookings[lost.id] == nil, "pattern \(pattern)")
            #expect(pattern == 0 || reader.notices.contains { $0.contains("torn") }, "pattern \(pattern): \(reader.notices)")
        }
        // The next writer repairs the worst case (only the last sector landed) and goes on.
        Support.copy(dir, work)
        var bytes = full
        for k in start..<sectors.last! { bytes[k] = 0 }
        try Self.write(path, bytes)
        let writer = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
        let again = try Support.book(writer, r, Support.slot(2))
        let reopened = try Support.reopen(work)
        #expect(Set(reopened.state.bookings.keys) == [a.id, again.id] && reopened.check().ok)
    }

    /// Zeros followed by a valid record are corruption (a record lost or zeroed in place):
    /// the store opens read-only and `check` fails, in the last segment and in a retired one.
    @Test func zerosFollowedByARecordAreCorruption() throws {
        let dir = Support.tempDir("prealloc-gap")
        let work = Support.tempDir("prealloc-gap-work")
        defer { Support.remove(dir); Support.remove(work) }
        let (store, r) = try Support.newStore(dir, options: Support.options(preallocate: 16 << 10))
        try Support.book(store, r, Support.slot(1))
        let start = Int(store.offset)
        try Support.book(store, r, Support.slot(2))
        let end = Int(store.offset)
        try Support.book(store, r, Support.slot(3))
        let seg = try #require(Self.segments(dir).last)
        let name = (seg as NSString).lastPathComponent
        let full = try Self.bytes(seg)
        // The middle record zeroed in place.
        Support.copy(dir, work)
        var zeroed = full
        for k in start..<end { zeroed[k] = 0 }
        try Self.write(work + "/journal/" + name, zeroed)
        let s = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
        #expect(s.isReadOnly && (s.readOnlyReason ?? "").contains("zeros followed by a valid record"), "\(s.readOnlyReason ?? "")")
        #expect(!s.check().ok)
        // A valid next record further on in the padding, after zeros.
        Support.copy(dir, work)
        var moved = full
        let last = Array(full[end..<Int(store.offset)])
        for k in end..<Int(store.offset) { moved[k] = 0 }
        moved.replaceSubrange((end + 1000)..<(end + 1000 + last.count), with: last)
        try Self.write(work + "/journal/" + name, moved)
        let t = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
        #expect(t.isReadOnly, "a record after zeros was not reported")
        // In a segment that is not the last.
        Support.copy(dir, work)
        try Self.write(work + "/journal/" + name, zeroed)
        let w = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
        #expect(w.isReadOnly)
        try FileManager.default.copyItem(atPath: work + "/journal/" + name, toPath: work + "/journal/" + Journal.segmentName(store.lastSequence + 1))
        try Self.write(work + "/journal/" + Journal.segmentName(store.lastSequence + 1), [UInt8](repeating: 0, count: 4096))
        let v = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
        #expect(v.isReadOnly && (v.readOnlyReason ?? "").contains("not the last"), "\(v.readOnlyReason ?? "")")
        #expect(!v.check().ok)
    }

    /// A store written by a program from before preallocation (segments end right after their
    /// last record, also in `events/`) opens, takes appends (the first one extends the segment
    /// with padding) and compacts, and whatever was there stays.
    @Test func segmentsWithoutPaddingStillWork() throws {
        let dir = Support.tempDir("prealloc-old")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        var expected: [Booking] = []
        expected.append(try Support.book(store, r, Support.slot(1)))
        try store.compact()
        expected.append(try Support.book(store, r, Support.slot(2)))
        // What an older program leaves: no zeros anywhere.
        for path in Self.segments(dir) + Self.segments(dir, "events") {
            let b = try Self.bytes(path)
            try Self.write(path, Array(b.prefix { $0 != 0 }))
        }
        let live = try #require(Self.segments(dir).last)
        let unpadded = Self.size(live)
        let old = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(!old.isReadOnly && old.notices.isEmpty && old.offset == Int64(unpadded))
        #expect(old.check().ok)
        expected.append(try Support.book(old, r, Support.slot(3)))
        #expect(Self.size(live) > Int(old.offset) && Self.size(live) % 4096 == 0, "the first new record brings padding")
        expected.append(try Support.book(old, r, Support.slot(4)))
        try old.compact()
        expected.append(try Support.book(old, r, Support.slot(5)))
        let reopened = try Support.reopen(dir)
        #expect(!reopened.isReadOnly && reopened.notices.isEmpty)
        for b in expected { #expect(reopened.state.bookings[b.id] == b) }
        #expect(reopened.state.bookings.count == expected.count)
        let report = reopened.check()
        #expect(report.ok && report.warnings == 0, "\(report.lines)")
        // With preallocation off, writing appends at the end of the file.
        var opts = Support.options()
        opts.preallocateBytes = 0
        let plain = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
        try plain.compact()
        let seg = try #require(Self.segments(dir).last)
        #expect(Self.size(seg) == 0)
        try Support.book(plain, r, Support.slot(6))
        #expect(Self.size(seg) == Int(plain.offset))
        #expect(try Support.reopen(dir).state.bookings.count == expected.count + 1)
    }

    /// Polling (no inotify) notices a record that overwrote padding, although no size changed.
    @Test func pollingNoticesAnOverwrite() throws {
        let dir = Support.tempDir("prealloc-poll")
        defer { Support.remove(dir) }
        let (writer, r) = try Support.newStore(dir, options: Support.options(preallocate: 64 << 10))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let seg = try #require(Self.segments(dir).last)
        // The journal last changed a minute ago, so the watch's first looks see nothing recent to
        // signal again (its guard against the coarse clock): every signal below is a write's.
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/journal") {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: dir + "/journal/" + name)
        }
        let signals = ProcessTests.Counter()
        let sub = reader.subscribePolling { signals.bump() }
        defer { sub.cancel() }
        for round in 0..<2 {
            let before = signals.value
            let size = Self.size(seg)
            let b = try Support.book(writer, r, Support.slot(Int64(round)))
            #expect(Self.size(seg) == size)
            #expect(Support.eventually { signals.value > before }, "round \(round): not noticed")
            #expect(try reader.refresh())
            #expect(reader.state.bookings[b.id] == b)
        }
    }
}

extension PreallocationTests {
    /// What a program from before preallocation does to a padded segment: its next write takes
    /// the zeros for a torn tail, saves them to `torn-*.bak` and truncates them. The store stays
    /// whole, and the next writer of this build deletes such all-zero copies (not real ones).
    @Test func zeroCopiesAnOlderProgramSavedAreDeleted() throws {
        let dir = Support.tempDir("prealloc-oldbak")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let a = try Support.book(store, r, Support.slot(1))
        let seg = try #require(Self.segments(dir).last)
        // The older program's repair: the padding saved aside, then cut off.
        let content = try Self.bytes(seg)
        try Self.write(dir + "/journal/torn-3-1795600000.bak", Array(content[Int(store.offset)...]))
        try Self.write(seg, Array(content[..<Int(store.offset)]))
        // A real torn copy: saved when record 3 was next (a name past the journal's end would
        // prove records missing, which `check` reports).
        try Self.write(dir + "/journal/torn-3-1795600001.bak", Array("0badc0de {\"seq\":3".utf8))
        let writer = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(!writer.isReadOnly && writer.notices.isEmpty)
        let b = try Support.book(writer, r, Support.slot(2))
        let baks = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasPrefix("torn-") }
        #expect(baks == ["torn-3-1795600001.bak"], "\(baks)")
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings[a.id] == a && reopened.state.bookings[b.id] == b)
        #expect(reopened.check().ok)
    }
}

/// The real file system, except that the first `staleReads` reads of `path` see zeros in
/// `hidden`: what a reader without the lock sees when its one read of a padded segment takes a
/// page from before a write and a later page from after the next one.
final class StaleReadFileSystem: FileSystem, @unchecked Sendable {
    private let real = RealFileSystem()
    let path: String
    let hidden: Range<Int64>
    var staleReads: Int
    init(path: String, hidden: Range<Int64>, staleReads: Int) { self.path = path; self.hidden = hidden; self.staleReads = staleReads }

    func pread(_ file: OpenFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(StoreError) -> Int {
        let n = try real.pread(file, into: buffer, at: offset)
        if file.path == path && staleReads > 0 {
            staleReads -= 1
            for i in 0..<n where hidden.contains(offset + Int64(i)) { buffer[i] = 0 }
        }
        return n
    }
    func open(_ path: String, flags: Int32, mode: UInt32) throws(StoreError) -> OpenFile { try real.open(path, flags: flags, mode: mode) }
    func close(_ file: OpenFile) { real.close(file) }
    func pwrite(_ file: OpenFile, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(StoreError) -> Int { try real.pwrite(file, bytes, at: offset) }
    func fsync(_ file: OpenFile) throws(StoreError) { try real.fsync(file) }
    func fdatasync(_ file: OpenFile) throws(StoreError) { try real.fdatasync(file) }
    func ftruncate(_ file: OpenFile, to size: Int64) throws(StoreError) { try real.ftruncate(file, to: size) }
    func size(_ file: OpenFile) throws(StoreError) -> Int64 { try real.size(file) }
    func flock(_ file: OpenFile, _ operation: Int32) throws(StoreError) -> Bool { try real.flock(file, operation) }
    func rename(_ from: String, to: String) throws(StoreError) { try real.rename(from, to: to) }
    func link(_ from: String, to: String) throws(StoreError) { try real.link(from, to: to) }
    func unlink(_ path: String) throws(StoreError) { try real.unlink(path) }
    func mkdir(_ path: String, mode: UInt32) throws(StoreError) { try real.mkdir(path, mode: mode) }
    func rmdir(_ path: String) throws(StoreError) { try real.rmdir(path) }
    func chmod(_ path: String, mode: UInt32) throws(StoreError) { try real.chmod(path, mode: mode) }
    func fsyncDirectory(_ path: String) throws(StoreError) { try real.fsyncDirectory(path) }
    func syncFileSystem(_ anchor: OpenFile) throws(StoreError) { try real.syncFileSystem(anchor) }
    var syncsWholeFileSystem: Bool { real.syncsWholeFileSystem }
    func list(_ path: String) throws(StoreError) -> [String] { try real.list(path) }
    func stat(_ path: String) -> (isDirectory: Bool, size: Int64, inode: UInt64)? { real.stat(path) }
    func modificationTime(_ path: String) -> Double? { real.modificationTime(path) }
    func fileSystemType(_ path: String) throws(StoreError) -> Int64 { try real.fileSystemType(path) }
}

extension PreallocationTests {
    /// Opening (no lock) reads the last segment whole, padding included, so it may see zeros
    /// followed by a record while writers are at work: it looks again before calling it damage;
    /// `check` too. Damage that stays is still reported.
    @Test func aReadRacingTwoWritesIsReadAgain() throws {
        let dir = Support.tempDir("prealloc-race")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(1))
        let start = store.offset
        try Support.book(store, r, Support.slot(2))
        let end = store.offset
        try Support.book(store, r, Support.slot(3))
        let seg = try #require(Self.segments(dir).last)
        for (stale, damaged) in [(1, false), (3, false), (100, true)] {
            var opts = Support.options()
            let fs = StaleReadFileSystem(path: seg, hidden: start..<end, staleReads: stale)
            opts.fileSystem = fs
            let s = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
            #expect(s.isReadOnly == damaged, "\(stale) stale reads: \(s.readOnlyReason ?? "")")
            #expect(damaged || s.state.bookings.count == 3)
            fs.staleReads = stale
            #expect(s.check().ok == !damaged, "\(stale) stale reads")
        }
    }
}
