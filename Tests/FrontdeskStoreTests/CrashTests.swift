import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// (a) For every I/O operation k of a booking, a segment rotation, an explicit compaction and a
/// compaction started by a write: crash after k (then power loss: unsynced bytes dropped,
/// zeroed or garbage, undurable directory entries undone) or fail op k (EIO, ENOSPC, short
/// write); reopen with the real file system and compare with a model: acknowledged ⊆
/// recovered ⊆ acknowledged ∪ {in flight}. The compactions cover both phases: the boundary
/// under the write lock (idempotency prune record, new segment) and the generation, the
/// segment moves, the events/ pruning and the old generation's deletion outside it. A
/// compaction makes its generation durable with one `syncfs`; `compactionFsyncEach` runs it
/// on a file system without that (Linux before 5.8), where every file and directory is fsynced;
/// `autoCompactionFsyncEachOption` is a write's compaction on a file system that offers
/// `syncfs`, with `StoreOptions.compactionFsyncsEachFile` on (as the HTTP server runs it).
@Suite struct CrashTests {
    enum Scenario: String, CaseIterable { case booking, rotation, compaction, compactionFsyncEach, autoCompaction, autoCompactionFsyncEachOption }

    /// A store with a compacted generation and a journal tail: resource, slot 0 (snapshot),
    /// slot 1 and slot 5 (tail). Slot 5 was booked 40 days earlier with an idempotency key,
    /// so a compaction now journals a record forgetting it. Two generations and a segment in
    /// events/ already, so a compaction also deletes a generation.
    static func baseline(_ dir: String) throws -> [Booking] {
        let (store, r) = try Support.newStore(dir)
        try store.compact()
        let b0 = try Support.book(store, r, Support.slot(0))
        try store.compact()
        let b1 = try Support.book(store, r, Support.slot(1))
        let earlier = try Store.open(at: dir, clock: FixedClock(Support.now - .days(40)), options: Support.options())
        var req = BookingRequest(resource: r, range: Support.slot(5))
        req.idempotencyKey = "forty-days-old"
        let b5 = try earlier.write("book", .book(req)) { s, e throws(CoreError) in
            try e.book(req, in: s, by: Support.actor)
        }.bookings[0]
        // As in a store written by a program from before COMPACT: the compaction creates it.
        try FileManager.default.removeItem(atPath: dir + "/COMPACT")
        return [b0, b1, b5]
    }

    struct Outcome {
        var attempted = false
        var acknowledged: Booking?
        var followUp: Booking?
    }

    /// Runs the scenario against `dir` through `fs`; never throws (failures are outcomes).
    static func run(_ scenario: Scenario, dir: String, fs: FaultyFileSystem) -> Outcome {
        var out = Outcome()
        fs.offersFileSystemSync = scenario != .compactionFsyncEach
        // autoCompaction: the tail holds 2 records, so the next write (the third) starts a compaction.
        let autoCompacting = scenario == .autoCompaction || scenario == .autoCompactionFsyncEachOption
        var opts = Support.options(fs, rotate: scenario == .rotation ? 1 : 64 << 20, compactAfter: autoCompacting ? 3 : 10_000)
        opts.compactionFsyncsEachFile = scenario == .autoCompactionFsyncEachOption
        guard let store = try? Store.open(at: dir, clock: FixedClock(Support.now), options: opts),
              let r = store.state.resources.keys.first else { return out }
        if scenario == .compaction || scenario == .compactionFsyncEach {
            do { try store.compact() } catch { return out }
        }
        out.attempted = true
        out.acknowledged = try? Support.book(store, r, Support.slot(2))
        fs.failAt = nil
        if !fs.crashed {
            // The same process carries on: a later write either works durably or is refused.
            do { out.followUp = try Support.book(store, r, Support.slot(3)) } catch {
                #expect(fs.crashed || store.isReadOnly || out.acknowledged == nil, "follow-up write failed on a writable store: \(error) \(fs.log.suffix(3))")
            }
        }
        return out
    }

    static func verify(_ dir: String, base: [Booking], _ out: Outcome, _ label: String, compacted: Bool = false) {
        let store: Store
        do { store = try Support.reopenModelled(dir) } catch {
            Issue.record("\(label): reopen failed: \(error)")
            return
        }
        #expect(!store.isReadOnly, "\(label): \(store.readOnlyReason ?? "")")
        let report = store.check()
        #expect(report.ok, "\(label): \(report.lines.filter { $0.hasPrefix("FAIL") })")
        for b in base { #expect(store.state.bookings[b.id] == b, "\(label): lost acknowledged \(b.ref)") }
        if let a = out.acknowledged { #expect(store.state.bookings[a.id] == a, "\(label): lost the acknowledged booking") }
        if let f = out.followUp { #expect(store.state.bookings[f.id] == f, "\(label): lost the follow-up booking") }
        let extra = store.state.bookings.values.filter { b in !base.contains { $0.id == b.id } && b.id != out.acknowledged?.id && b.id != out.followUp?.id }
        if out.attempted {
            // At most the one in flight, and only in its slot.
            #expect(extra.count <= 2, "\(label): unexpected bookings \(extra.map(\.ref))")
            for e in extra { #expect(e.range == Support.slot(2) || e.range == Support.slot(3), "\(label): invented \(e.ref)") }
        } else {
            #expect(extra.isEmpty, "\(label): a booking appeared that was never attempted")
        }
        // Still usable: a writer can append after recovery.
        let r = store.state.resources.keys.first!
        #expect((try? Support.book(store, r, Support.slot(9))) != nil, "\(label): cannot write after recovery")
        if compacted {
            // And compact: whatever the crash left in tmp/ goes, and the result opens to the same state.
            do { try store.compact() } catch { Issue.record("\(label): cannot compact after recovery: \(error)") }
            let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")) ?? []).filter { $0.hasPrefix("compact-") }
            #expect(leftovers.isEmpty, "\(label): compaction leftovers not removed: \(leftovers)")
            if let again = try? Support.reopenModelled(dir) {
                #expect(again.state.bookings == store.state.bookings, "\(label): state changed across compaction")
                #expect(again.check().ok, "\(label)")
            } else { Issue.record("\(label): reopen after compaction failed") }
        }
    }

    @Test(arguments: Scenario.allCases)
    func everyOperation(_ scenario: Scenario) throws {
        let base = Support.tempDir("crash-base-\(scenario)")
        let work = Support.tempDir("crash-work-\(scenario)")
        defer { Support.remove(base); Support.remove(work) }
        let baseBookings = try Self.baseline(base)

        Support.copy(base, work)
        let probe = FaultyFileSystem()
        let clean = Self.run(scenario, dir: work, fs: probe)
        #expect(clean.acknowledged != nil && clean.followUp != nil, "fault-free run failed")
        let n = probe.operations
        // The run really went through the journal's durable path (and the compaction's renames).
        #expect(probe.log.contains { $0.contains(" fdatasync ") && $0.contains("/journal/") })
        if scenario != .booking { #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/journal/") }) }
        // The segments are preallocated (4 KiB): the records went into zeros, which follow them.
        // (In the booking scenario, with records of ~1 KB, the first booking overwrites padding
        // and the follow-up extends the segment to 8 KiB, so both paths are crashed and failed.)
        let after = try Support.reopen(work)
        let lastSegment = try DamageTests.lastSegment(work)
        #expect(PreallocationTests.size(lastSegment) > Int(after.offset), "\(scenario): the last segment has no padding")
        let compacting = scenario != .booking && scenario != .rotation
        if compacting {
            // The generation's files were made durable by one syncfs, or (without it) one fsync each.
            let synced = probe.log.contains { $0.contains(" syncfs ") }
            let fsyncedFiles = probe.log.filter { $0.contains(" fsync ") && $0.contains("/tmp/compact-0") }.count
            if scenario == .compactionFsyncEach || scenario == .autoCompactionFsyncEachOption {
                #expect(!synced && fsyncedFiles >= 2, "\(fsyncedFiles) files fsynced")
            } else {
                #expect(synced && fsyncedFiles == 0, "\(fsyncedFiles) files fsynced")
            }
            // Both phases ran: the prune record and the boundary segment, then the generation
            // renamed in, segments folded into events/ and the oldest generation deleted.
            #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/snapshots/") && $0.contains("/tmp/compact-0") })
            #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/events/") })
            #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/tmp/compact-deleted-") })
            #expect(probe.log.contains { $0.contains(" open ") && $0.hasSuffix("/COMPACT") })
            let reopened = try Support.reopen(work)
            #expect(try reopened.idempotencyRecord(forKey: "forty-days-old") == nil, "the prune record was not journaled")
        }
        var cases = 0
        for k in 0...n {
            for mode in FaultyFileSystem.PowerLoss.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                let out = Self.run(scenario, dir: work, fs: fs)
                fs.powerLoss(mode)
                Self.verify(work, base: baseBookings, out, "\(scenario) crash after op \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]", compacted: compacting)
                cases += 1
            }
            guard k >= 1 else { continue }
            for fault in FaultyFileSystem.Fault.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.failAt = (k, fault)
                let out = Self.run(scenario, dir: work, fs: fs)
                if fault == .shortWrite && fs.log.count >= k && fs.log[k - 1].contains(" write ") {
                    #expect(out.acknowledged != nil, "\(scenario): a short write at op \(k) must be completed by the loop")
                }
                Self.verify(work, base: baseBookings, out, "\(scenario) \(fault) at op \(k)/\(n) [\(fs.log.count >= k ? fs.log[k - 1] : "")]", compacted: compacting)
                cases += 1
            }
        }
        #expect(cases >= n * 6)
    }
}
