import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// `check` reports what a checksum cannot show: a cut last segment, forged records with valid
/// checksums (domain invariants), evidence of lost records; and compaction refuses to carry a
/// damaged partition forward.
@Suite struct CheckTests {
    static func bytes(_ p: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: p))) }

    /// Offsets just after each record of a segment's bytes.
    enum SegmentScanProbe {
        static func recordEnds(_ bytes: [UInt8]) throws -> [Int] {
            var out: [Int] = []
            for (i, b) in bytes.enumerated() where b == 0x0A { out.append(i + 1) }
            return out
        }
    }

    /// The last segment truncated to every length, 0 included: each length either loses
    /// nothing acknowledged (padding cut, or nothing but zeros gone) or `check` reports the
    /// cut (a FAIL where it is provable, else a warning naming a possible cut). Never silence.
    @Test func lastSegmentTruncatedToEveryLength() throws {
        let dir = Support.tempDir("cut-every")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        // ~1 KB records into 4 KiB padding: some records extend the segment, so both shapes occur.
        var acknowledged: [Booking] = []
        for h in 0..<7 { acknowledged.append(try Support.book(store, r, Support.slot(Int64(h)))) }
        let seg = try DamageTests.lastSegment(dir)
        let full = try Self.bytes(seg)
        let validEnd = Int(store.offset)
        #expect(full.count > validEnd && full.count % 4096 == 0)
        var failed = 0, warned = 0, harmless = 0
        // Every length in stress runs; otherwise every length near a record's ends, every 7th
        // byte elsewhere in the records, and every 512th in the padding.
        let ends = Set(try SegmentScanProbe.recordEnds(full))
        for length in 0...full.count {
            let nearEnd = ends.contains { abs($0 - length) <= 2 }
            guard Support.stress || length == 0 || nearEnd || (length <= validEnd && length % 7 == 0) || length % 512 == 0 else { continue }
            try Data(full[..<length]).write(to: URL(fileURLWithPath: seg))
            let reader = try Support.reopen(dir)
            let lost = acknowledged.filter { reader.state.bookings[$0.id] != $0 }
            let report = reader.check()
            let cutFail = report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("cut") }
            let cutWarn = report.lines.contains { $0.hasPrefix("warn") && $0.contains("cut") }
            if lost.isEmpty { harmless += 1 } else {
                #expect(cutFail || cutWarn, "length \(length): \(lost.count) acknowledged bookings lost silently: \(report.lines)")
                if cutFail { failed += 1 } else { warned += 1 }
            }
            if length == 0 { #expect(!report.ok && cutFail, "\(report.lines)") }
            if length >= validEnd { #expect(lost.isEmpty && report.ok, "length \(length): \(report.lines)") }
        }
        // Most cuts are provable: only those no crash could leave are failures, and they dominate.
        #expect(failed > warned, "failed \(failed) warned \(warned) harmless \(harmless)")
        // The store itself: the next write after a cut at 0 must not pass for healthy either.
        try Data().write(to: URL(fileURLWithPath: seg))
        let again = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        _ = try? Support.book(again, r, Support.slot(30))
        #expect(!(try Support.reopen(dir)).check().ok || again.isReadOnly)
    }

    /// Appends a forged record (valid checksum, next sequence number) to the last segment.
    static func forge(_ dir: String, _ store: Store, _ mutations: [Mutation]) throws {
        let seg = try DamageTests.lastSegment(dir)
        let rec = JournalRecord(seq: store.lastSequence + 1, tx: Transaction(at: Support.now, actor: Support.actor, mutations: mutations))
        let line = try rec.encoded()
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: seg))
        try h.seek(toOffset: UInt64(store.offset))
        try h.write(contentsOf: Data(line))
        try h.close()
    }

    static func failures(_ dir: String) throws -> [String] {
        try Support.reopen(dir).check().lines.filter { $0.hasPrefix("FAIL") }
    }

    @Test func forgedRecordsWithValidChecksumsFailCheck() throws {
        let base = Support.tempDir("forge-base")
        let work = Support.tempDir("forge-work")
        defer { Support.remove(base); Support.remove(work) }
        let (store, r) = try Support.newStore(base)
        let b0 = try Support.book(store, r, Support.slot(0))
        try store.compact()
        let b1 = try Support.book(store, r, Support.slot(2))
        #expect(try Self.failures(base).isEmpty)
        func variant(_ id: String, _ change: (inout Booking) -> Void) -> Booking {
            var b = b1
            b.id = BookingID(id)
            b.ref = "B-00Z"
            b.range = Support.slot(5)
            change(&b)
            return b
        }
        let cases: [(String, Booking, [String])] = [
            ("overlap", variant("bk_forgedOverlap") { $0.range = b0.range }, ["conflicts with", b0.ref, "bk_forgedOverlap"]),
            ("overlap in the journal", variant("bk_forgedOverlap2") { $0.range = b1.range }, ["conflicts with", b1.ref, "bk_forgedOverlap2"]),
            ("end before start", variant("bk_forgedBackwards") { $0.range = TimeRange(start: Support.slot(5).end, end: Support.slot(5).start) },
             ["bk_forgedBackwards", "not after its start"]),
            ("unknown resource", variant("bk_forgedResource") { $0.resource = ResourceID("res_nowhere") }, ["bk_forgedResource", "res_nowhere", "does not exist"]),
            ("unknown customer", variant("bk_forgedCustomer") { $0.customer = CustomerID("cus_nobody") }, ["bk_forgedCustomer", "cus_nobody", "does not exist"]),
            ("duplicate reference", variant("bk_forgedRef") { $0.ref = b0.ref }, ["reference \(b0.ref) is used by 2 bookings", "bk_forgedRef"]),
            ("reference past the counter", variant("bk_forgedCounter") { $0.ref = "B-ZZZ" }, ["bk_forgedCounter", "beyond the booking counter"]),
        ]
        for (label, forged, needles) in cases {
            Support.copy(base, work)
            let s = try Support.reopen(work)
            try Self.forge(work, s, [.booking(forged)])
            let fails = try Self.failures(work)
            #expect(!fails.isEmpty, "\(label): check passed a forged record")
            for n in needles { #expect(fails.contains { $0.contains(n) }, "\(label): no finding names \(n): \(fails)") }
            // The finding names the file and record it came from.
            #expect(fails.contains { $0.contains("/journal/") && $0.contains("record \(s.lastSequence + 1)") }, "\(label): \(fails)")
        }
        // An unknown status does not decode: the record is reported as damage, at its offset.
        Support.copy(base, work)
        let s = try Support.reopen(work)
        var line = try JournalRecord(seq: s.lastSequence + 1, tx: Transaction(at: Support.now, actor: Support.actor,
                                                                              mutations: [.booking(variant("bk_forgedStatus") { _ in })])).encoded()
        let text = String(decoding: line[9...].dropLast(), as: UTF8.self).replacingOccurrences(of: "\"status\":\"confirmed\"", with: "\"status\":\"bogus\"")
        #expect(text.contains("bogus"))
        line = Frame.encode(Array(text.utf8))
        let seg = try DamageTests.lastSegment(work)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: seg))
        try h.seek(toOffset: UInt64(s.offset))
        try h.write(contentsOf: Data(line))
        try h.close()
        let fails = try Self.failures(work)
        #expect(fails.contains { $0.contains(seg) && $0.contains("offset \(s.offset)") }, "\(fails)")
    }

    /// Records lost from the end of the journal leave evidence behind: an event consumer's
    /// cursor and the name of a torn-tail copy.
    @Test func evidenceOfLostRecordsFailsCheck() throws {
        let dir = Support.tempDir("evidence")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(0))
        let last = store.lastSequence
        try Data("{\"cursor\":\(last + 5)}".utf8).write(to: URL(fileURLWithPath: dir + "/delivery-state.json"))
        var fails = try Self.failures(dir)
        #expect(fails.contains { $0.contains("delivery-state.json") && $0.contains("records \(last + 1)…\(last + 5) are missing") }, "\(fails)")
        try FileManager.default.removeItem(atPath: dir + "/delivery-state.json")
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/journal/torn-\(last + 3)-1795600000.bak"))
        fails = try Self.failures(dir)
        #expect(fails.contains { $0.contains("torn-\(last + 3)") && $0.contains("missing") }, "\(fails)")
    }

    @Test func symlinksAndForeignKindsFailCheck() throws {
        let dir = Support.tempDir("kinds")
        let outside = Support.tempDir("kinds-outside")
        defer { Support.remove(dir); Support.remove(outside) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(0))
        #expect(try Self.failures(dir).isEmpty)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/tmp/segment-99999999999999999999.jsonl", withDestinationPath: outside)
        #expect(mkfifo(dir + "/events/00000000000000000099.jsonl", 0o660) == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: dir + "/FORMAT")
        let fails = try Support.reopen(dir).check().lines.filter { $0.hasPrefix("FAIL") }
        #expect(fails.contains { $0.contains("tmp/segment-99999999999999999999.jsonl is a symbolic link") }, "\(fails)")
        #expect(fails.contains { $0.contains("events/00000000000000000099.jsonl") }, "\(fails)")
        #expect(fails.contains { $0.contains("/FORMAT is writable by every user") }, "\(fails)")
        #expect(FileManager.default.fileExists(atPath: outside), "check touched the link's target")
    }

    /// A damaged partition of the base generation is never hard-linked into the next one: the
    /// compaction fails naming it and the store turns read-only.
    @Test func compactionRefusesToCarryADamagedPartition() throws {
        let dir = Support.tempDir("carry")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let march = try Support.book(store, r, Support.slot(0))
        try Support.book(store, r, Support.slot(24 * 40))   // another month, the one that changes
        try store.compact()
        let gen = store.generation.path
        let victim = gen + "/" + Generation.partitionPath(Partition.key(march))
        var bytes = try Self.bytes(victim)
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: victim))
        let writer = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try Support.book(writer, r, Support.slot(24 * 40 + 2))
        #expect(throws: StoreError.self) { try writer.compact() }
        #expect(writer.isReadOnly && (writer.readOnlyReason ?? "").contains(victim), "\(writer.readOnlyReason ?? "")")
        let gens = try FileManager.default.contentsOfDirectory(atPath: dir + "/snapshots").sorted()
        #expect(gens.last == (gen as NSString).lastPathComponent, "a generation was written with the damaged file: \(gens)")
    }
}
