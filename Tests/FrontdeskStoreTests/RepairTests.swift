import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `Store.repair`: rebuilds from what verifies, quarantines the rest, lists what is lost, and
/// is crash-safe at every file operation.
@Suite struct RepairTests {
    /// A store with bookings in the snapshot and in the journal, and a byte flipped in the
    /// journal record of `journal[1]`: returns (kept: recoverable, lost: after the damage).
    static func damagedJournal(_ dir: String) throws -> (kept: [Booking], lost: [Booking], resource: ResourceID) {
        let (store, r) = try Support.newStore(dir)
        var kept = [try Support.book(store, r, Support.slot(0))]
        try store.compact()
        let j0 = try Support.book(store, r, Support.slot(2))
        let j1 = try Support.book(store, r, Support.slot(4))
        let j2 = try Support.book(store, r, Support.slot(6))
        kept.append(j0)
        let seg = try DamageTests.lastSegment(dir)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seg)))
        let marker = Array("\"ref\":\"\(j1.ref)\"".utf8)
        let at = (0...(bytes.count - marker.count)).first { Array(bytes[$0..<$0 + marker.count]) == marker }!
        bytes[at + 8] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: seg))
        return (kept, [j1, j2], r)
    }

    static func tree(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        if let e = fm.enumerator(atPath: dir) {
            while let rel = e.nextObject() as? String {
                var isDir: ObjCBool = false
                // LOCK names its last holder; COMPACT is created by the first that takes it.
                if rel == "LOCK" || rel == "COMPACT" { continue }
                if fm.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                    out[rel] = fm.contents(atPath: dir + "/" + rel) ?? Data()
                } else { out[rel + "/"] = Data() }
            }
        }
        return out
    }

    @Test func journalDamageIsRepairedAndTheLostBookingsNamed() throws {
        let dir = Support.tempDir("repair-journal")
        defer { Support.remove(dir) }
        let (kept, lost, r) = try Self.damagedJournal(dir)
        let before = Self.tree(dir)
        let damaged = try Support.reopen(dir)
        #expect(damaged.isReadOnly && !damaged.damage.isEmpty && !damaged.check().ok)
        let plan = try damaged.repair(dryRun: true)
        #expect(!plan.repaired && plan.plan.contains { $0.contains("quarantine") && $0.contains("/journal/") })
        #expect(Self.tree(dir) == before, "a dry run changed the store")
        let report = try Support.reopen(dir).repair(dryRun: false)
        #expect(report.repaired)
        // The damaged record's booking by id (its reference is the flipped byte), the valid one after it by id and reference.
        #expect(report.unrecoverable.contains { $0.hasPrefix("bytes ") && $0.contains(lost[0].id.rawValue) }, "\(report.unrecoverable)")
        #expect(report.unrecoverable.contains { $0.contains(lost[1].id.rawValue) && $0.contains(lost[1].ref) && $0.contains("after the damage") },
                "\(report.unrecoverable)")
        #expect(report.unrecoverable.contains { $0.hasPrefix("bytes ") && $0.contains("cannot be read") }, "\(report.unrecoverable)")
        let after = try Support.reopen(dir)
        #expect(!after.isReadOnly, "\(after.readOnlyReason ?? "")")
        let check = after.check()
        #expect(check.ok, "\(check.lines.filter { !$0.hasPrefix("ok") })")
        for b in kept { #expect(after.state.bookings[b.id] == b) }
        for b in lost { #expect(after.state.bookings[b.id] == nil) }
        // Writable, and the lost bookings' references are never handed out again.
        let next = try Support.book(after, r, Support.slot(4))
        #expect(!lost.map(\.ref).contains(next.ref), "reused \(next.ref)")
        let q = try FileManager.default.contentsOfDirectory(atPath: dir + "/quarantine")
        #expect(q.count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/quarantine/" + q[0]).contains { $0.hasPrefix("journal-") })
        #expect(try Support.reopen(dir).check().ok)
    }

    @Test func damagedPartitionIsRepairedAndItsBookingsNamed() throws {
        let dir = Support.tempDir("repair-partition")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let march = try Support.book(store, r, Support.slot(0))
        let other = try Support.book(store, r, Support.slot(24 * 40))
        try store.compact()
        let path = store.generation.path + "/" + Generation.partitionPath(Partition.key(march))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).repair(dryRun: false)
        #expect(report.unrecoverable.contains { $0.contains(march.id.rawValue) && $0.contains(march.ref) }, "\(report.unrecoverable)")
        let after = try Support.reopen(dir)
        #expect(after.check().ok, "\(after.check().lines.filter { !$0.hasPrefix("ok") })")
        #expect(after.state.bookings[other.id] == other && after.state.bookings[march.id] == nil)
        _ = try Support.book(after, r, Support.slot(3))
    }

    @Test func aHealthyStoreNeedsNoRepair() throws {
        let dir = Support.tempDir("repair-none")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        try Support.book(store, r, Support.slot(0))
        let before = Self.tree(dir)
        let report = try store.repair(dryRun: false)
        #expect(!report.repaired && report.unrecoverable.isEmpty)
        #expect(Self.tree(dir).keys.sorted() == before.keys.sorted())
    }

    /// Crash (with each power-loss mode) after every file operation of a repair, and fail each
    /// one: the store is either still damaged as before (a second repair then finishes it) or
    /// repaired; either way the recoverable bookings are all there and `check` ends OK.
    @Test func repairIsCrashSafeAtEveryOperation() throws {
        let base = Support.tempDir("repair-crash-base")
        let work = Support.tempDir("repair-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        let (kept, _, r) = try Self.damagedJournal(base)
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        _ = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(probe)).repair(dryRun: false)
        let n = probe.operations
        #expect(n > 5)
        var cases = 0
        func verify(_ label: String) {
            do {
                var s = try Support.reopenModelled(work)
                if !s.damage.isEmpty || s.isReadOnly || !s.check().ok {
                    _ = try s.repair(dryRun: false)
                    s = try Support.reopenModelled(work)
                }
                #expect(!s.isReadOnly, "\(label): \(s.readOnlyReason ?? "")")
                let report = s.check()
                #expect(report.ok, "\(label): \(report.lines.filter { $0.hasPrefix("FAIL") })")
                for b in kept { #expect(s.state.bookings[b.id] == b, "\(label): lost \(b.ref)") }
                #expect((try? Support.book(s, r, Support.slot(9))) != nil, "\(label): not writable")
            } catch { Issue.record("\(label): \(error)") }
        }
        for k in 1...n {
            for mode in FaultyFileSystem.PowerLoss.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                _ = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)).repair(dryRun: false)
                fs.powerLoss(mode)
                verify("crash after op \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]")
                cases += 1
            }
            Support.copy(base, work)
            let fs = FaultyFileSystem()
            fs.failAt = (k, .eio)
            _ = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)).repair(dryRun: false)
            verify("eio at op \(k)/\(n)")
            cases += 1
        }
        #expect(cases == n * 4)
    }
}
