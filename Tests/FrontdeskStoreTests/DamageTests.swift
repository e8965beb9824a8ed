import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// (b) torn tails at every byte offset and (c) random byte flips in journal and snapshot files.
@Suite struct DamageTests {
    static func lastSegment(_ dir: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasSuffix(".jsonl") }.sorted()
        return dir + "/journal/" + names.last!
    }

    static func truncate(_ path: String, to size: Int) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.truncate(atOffset: UInt64(size))
        try h.close()
    }

    /// The last segment with the second record cut at `cut`, in one of the two shapes a torn
    /// write takes: `padded` (the record's prefix landed in preallocated space and zeros follow
    /// it up to the file's unchanged size) or appended (the file ends after the prefix, as in
    /// a segment without padding, written by a program from before preallocation).
    static func torn(_ full: [UInt8], cut: Int, padded: Bool) -> [UInt8] {
        Array(full[..<cut]) + (padded ? [UInt8](repeating: 0, count: full.count - cut) : [])
    }

    @Test func tornTailAtEveryOffset() throws {
        let base = Support.tempDir("torn-base")
        let work = Support.tempDir("torn-work")
        defer { Support.remove(base); Support.remove(work) }
        let (store, r) = try Support.newStore(base)
        let kept = try Support.book(store, r, Support.slot(0))
        let segPath = try Self.lastSegment(base)
        let before = Int(store.offset)
        let lost = try Support.book(store, r, Support.slot(1))
        let recordEnd = Int(store.offset)
        let full = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segPath)))
        #expect(recordEnd > before + 100)
        #expect(full.count > recordEnd && full[recordEnd...].allSatisfy { $0 == 0 }, "the segment is not preallocated")
        var writerChecks = 0
        Support.copy(base, work)
        let seg = work + "/journal/" + (segPath as NSString).lastPathComponent
        // Readers run while this test holds the lock, so they cannot repair: the file is only
        // rewritten and restored here, no copy per offset.
        let holder = try LockFile(path: work + "/LOCK", fs: RealFileSystem())
        #expect(try holder.tryAcquire(operation: "test", user: "t"))
        for cut in before..<recordEnd {
            for padded in [true, false] {
                let bytes = Self.torn(full, cut: cut, padded: padded)
                try Data(bytes).write(to: URL(fileURLWithPath: seg))
                let reader = try Support.reopen(work)
                #expect(!reader.isReadOnly, "cut \(cut) padded \(padded): \(reader.readOnlyReason ?? "")")
                #expect(reader.state.bookings[kept.id] == kept)
                #expect(reader.state.bookings[lost.id] == nil, "cut \(cut): a torn record was accepted")
                #expect(cut == before || reader.notices.contains { $0.contains("torn") }, "cut \(cut) padded \(padded)")
                #expect(cut > before || reader.notices.isEmpty, "zeros after a record are not a torn tail: \(reader.notices)")
                #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: seg))) == bytes, "a reader changed the file")
            }
        }
        try Data(full).write(to: URL(fileURLWithPath: seg))
        holder.release()
        for cut in before..<recordEnd {
            // The next writer saves the torn bytes aside, zeroes them and writes after the kept
            // record (checked on every 16th offset and the ends unless stressed).
            guard Support.stress || cut % 16 == 0 || cut >= recordEnd - 3 || cut <= before + 2 else { continue }
            for padded in [true, false] {
                writerChecks += 1
                Support.copy(base, work)
                try Data(Self.torn(full, cut: cut, padded: padded)).write(to: URL(fileURLWithPath: seg))
                let writer = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                let again = try Support.book(writer, r, Support.slot(1))
                let baks = try FileManager.default.contentsOfDirectory(atPath: work + "/journal").filter { $0.hasPrefix("torn-") }
                if cut > before {
                    #expect(baks.count == 1, "cut \(cut): torn tail not saved")
                    if let b = baks.first {
                        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: work + "/journal/" + b))) == Array(full[before..<cut]))
                    }
                }
                // Nothing stale after the new record: zeros up to the end of the file.
                let after = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seg)))
                #expect(after.count > Int(writer.offset) && after[Int(writer.offset)...].allSatisfy { $0 == 0 }, "cut \(cut) padded \(padded)")
                let reopened = try Support.reopen(work)
                #expect(reopened.state.bookings[again.id] == again)
                #expect(reopened.state.bookings.count == 2)
                let report = reopened.check()
                #expect(report.ok && report.warnings == 0, "cut \(cut): \(report.lines)")
            }
        }
        #expect(writerChecks > 20)
        // Zeros after the last record, even past the preallocated size, are the clean end: the
        // state of a crash after the size grew but before the data landed.
        Support.copy(base, work)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: seg))
        try h.seekToEnd()
        try h.write(contentsOf: Data(count: 4096))
        try h.close()
        let z = try Support.reopen(work)
        #expect(!z.isReadOnly && z.state.bookings[lost.id] == lost)
        #expect(z.notices.isEmpty, "\(z.notices)")
    }

    /// Files a flip may land in: journal segments, event segments and every snapshot file.
    static func candidates(_ dir: String) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        for sub in ["journal", "events", "snapshots"] {
            guard let e = fm.enumerator(atPath: dir + "/" + sub) else { continue }
            while let rel = e.nextObject() as? String {
                let p = dir + "/" + sub + "/" + rel
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue, (try? fm.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 > 0 {
                    out.append(p)
                }
            }
        }
        return out.sorted()
    }

    @Test func randomByteFlipsAreNeverSilentlyAccepted() throws {
        let base = Support.tempDir("flip-base")
        let work = Support.tempDir("flip-work")
        defer { Support.remove(base); Support.remove(work) }
        let (store, r) = try Support.newStore(base)
        for h in 0..<4 { try Support.book(store, r, Support.slot(Int64(h) * 24 * 20)) }   // several months
        try store.compact()
        for h in 4..<6 { try Support.book(store, r, Support.slot(Int64(h) * 24 * 20)) }
        try store.compact()
        for h in 6..<9 { try Support.book(store, r, Support.slot(Int64(h) * 24 * 20)) }
        let reference = try Support.reopen(base)
        let expected = reference.state.bookings
        let files = Self.candidates(base)
        #expect(files.count > 20)
        var rng = SystemRandomNumberGenerator()
        let cases = Support.stress ? 10_000 : 1_000
        var detected = 0, harmless = 0
        Support.copy(base, work)
        // Opened while this test holds the lock, so recovery cannot repair anything: each case
        // damages one file in place and restores it afterwards.
        let holder = try LockFile(path: work + "/LOCK", fs: RealFileSystem())
        #expect(try holder.tryAcquire(operation: "test", user: "t"))
        defer { holder.release() }
        for i in 0..<cases {
            let victim = files[i % files.count].replacingOccurrences(of: base, with: work)
            let original = try Data(contentsOf: URL(fileURLWithPath: victim))
            defer { try? original.write(to: URL(fileURLWithPath: victim)) }
            var bytes = [UInt8](original)
            let flips = Int.random(in: 1...8, using: &rng)
            for _ in 0..<flips {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: victim))
            let label = "case \(i): \(flips) flips in \(victim.replacingOccurrences(of: work, with: ""))"
            var noticed = false
            var state: [BookingID: Booking]?
            do {
                let s = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                do { try s.load(resources: nil, range: Support.everything) } catch { noticed = true }
                state = s.state.bookings
                let report = s.check()
                noticed = noticed || s.isReadOnly || !s.notices.isEmpty || !report.ok || report.warnings > 0
            } catch {
                noticed = true
            }
            if noticed { detected += 1 } else {
                harmless += 1
                #expect(state == expected, "\(label): silently accepted a changed state")
            }
            // Whatever happened, nothing acknowledged may be silently replaced by something else.
            if let state, !noticed { #expect(state == expected, "\(label)") }
        }
        #expect(detected + harmless == cases)
        #expect(detected > cases * 9 / 10, "detected only \(detected) of \(cases)")
    }
}
