import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// (a) For every I/O operation k of a booking, a segment rotation and a compaction: crash
/// after k (then power loss: unsynced bytes dropped, zeroed or garbage, undurable directory
/// entries undone) or fail op k (EIO, ENOSPC, short write); reopen with the real file system
/// and compare with a model: acknowledged ⊆ recovered ⊆ acknowledged ∪ {in flight}.
@Suite struct CrashTests {
    enum Scenario: String, CaseIterable { case booking, rotation, compaction }

    /// A store with a compacted generation and a journal tail: resource, slot 0 (snapshot), slot 1 (tail).
    static func baseline(_ dir: String) throws -> [Booking] {
        let (store, r) = try Support.newStore(dir)
        let b0 = try Support.book(store, r, Support.slot(0))
        try store.compact()
        let b1 = try Support.book(store, r, Support.slot(1))
        return [b0, b1]
    }

    struct Outcome {
        var attempted = false
        var acknowledged: Booking?
        var followUp: Booking?
    }

    /// Runs the scenario against `dir` through `fs`; never throws (failures are outcomes).
    static func run(_ scenario: Scenario, dir: String, fs: FaultyFileSystem) -> Outcome {
        var out = Outcome()
        let opts = Support.options(fs, rotate: scenario == .rotation ? 1 : 64 << 20)
        guard let store = try? Store.open(at: dir, clock: FixedClock(Support.now), options: opts),
              let r = store.state.resources.keys.first else { return out }
        if scenario == .compaction {
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

    static func verify(_ dir: String, base: [Booking], _ out: Outcome, _ label: String) {
        let store: Store
        do { store = try Support.reopen(dir) } catch {
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
        if scenario == .compaction { #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/snapshots/") }) }
        var cases = 0
        for k in 0...n {
            for mode in FaultyFileSystem.PowerLoss.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                let out = Self.run(scenario, dir: work, fs: fs)
                fs.powerLoss(mode)
                Self.verify(work, base: baseBookings, out, "\(scenario) crash after op \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]")
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
                Self.verify(work, base: baseBookings, out, "\(scenario) \(fault) at op \(k)/\(n) [\(fs.log.count >= k ? fs.log[k - 1] : "")]")
                cases += 1
            }
        }
        #expect(cases >= n * 6)
    }
}
