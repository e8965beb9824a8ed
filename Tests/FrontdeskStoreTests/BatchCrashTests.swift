import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// A bulk import writes its chunks' records on another thread (`ChunkJob`). Crash after, or
/// fail, every file operation of a three-chunk import: after a power loss and a reopen the
/// store holds every chunk it acknowledged, at most the one in flight besides, whole, and
/// nothing else.
@Suite struct BatchCrashTests {
    static let items = (0..<30).map { Support.slot(Int64($0)) }
    static let chunk = 10

    /// Runs the import; returns how many items were acknowledged (all, or the committed count
    /// of an interrupted batch).
    static func run(_ dir: String, fs: FaultyFileSystem) -> Int? {
        guard let store = try? Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs)),
              let r = store.state.resources.keys.first else { return nil }
        do {
            let results = try store.writeBatch("import", .bookMany(items.map { BookingRequest(resource: r, range: $0) }), items: items, chunkSize: chunk) { range, s, e throws(CoreError) in
                try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
            }
            #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
            return items.count
        } catch {
            guard case .batchInterrupted(let committed, _) = error else {
                // Refused before anything was written (e.g. the lock file could not be opened).
                return 0
            }
            #expect(store.isReadOnly, "an interrupted batch leaves memory ahead of the disk")
            return committed
        }
    }

    static func verify(_ dir: String, acknowledged: Int?, _ label: String) {
        let store: Store
        do { store = try Support.reopenModelled(dir) } catch {
            Issue.record("\(label): reopen failed: \(error)")
            return
        }
        #expect(!store.isReadOnly, "\(label): \(store.readOnlyReason ?? "")")
        #expect(store.check().ok, "\(label)")
        let ranges = store.state.bookings.values.map(\.range).sorted { $0.start < $1.start }
        let count = ranges.count
        #expect(count % chunk == 0, "\(label): \(count) bookings, not whole chunks")
        #expect(ranges == Array(items.prefix(count)), "\(label): not the first \(count) items in order")
        if let acknowledged {
            #expect(count >= acknowledged, "\(label): \(acknowledged) acknowledged, \(count) after reopening")
            #expect(count <= acknowledged + chunk, "\(label): more than the chunk in flight appeared")
        }
    }

    /// Each chunk's record carries its bookings and one counters mutation (the highest), not
    /// one per booking; a reopened store has the counters the writer had, so the next booking
    /// gets a fresh reference.
    @Test func aChunkRecordCarriesOneCountersMutation() throws {
        let dir = Support.tempDir("batch-counters")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let before = store.state.counters.bookings
        _ = try store.writeBatch("import", .bookMany(Self.items.map { BookingRequest(resource: r, range: $0) }), items: Self.items, chunkSize: Self.chunk) { range, s, e throws(CoreError) in
            try e.book(BookingRequest(resource: r, range: range), in: s, by: Support.actor)
        }
        #expect(store.state.counters.bookings == before + Self.items.count)
        var journal = ""
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/journal") {
            journal += try String(contentsOfFile: dir + "/journal/" + name, encoding: .utf8)
        }
        let records = journal.components(separatedBy: #""seq":"#).count - 1
        #expect(records >= Self.items.count / Self.chunk)
        let counters = journal.components(separatedBy: #"{"counters":"#).count - 1
        #expect(counters == records, "\(counters) counters mutations in \(records) records")
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.counters == store.state.counters)
        let next = try Support.book(reopened, r, Support.slot(100))
        #expect(!store.state.bookings.values.contains { $0.ref == next.ref }, "reference \(next.ref) reused")
    }

    @Test func everyOperationOfAnImport() throws {
        let base = Support.tempDir("batch-crash-base")
        let work = Support.tempDir("batch-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        _ = try Support.newStore(base)
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        #expect(Self.run(work, fs: probe) == Self.items.count, "fault-free run failed")
        let n = probe.operations
        // Three records, each fdatasynced; each outgrows the 4 KiB padding, so it is padded too.
        #expect(probe.log.filter { $0.contains(" fdatasync ") && $0.contains("/journal/") }.count >= 3)
        #expect(probe.log.filter { $0.contains(" write ") && $0.contains("/journal/") }.count >= 6)
        var cases = 0
        for k in 0...n {
            for mode in FaultyFileSystem.PowerLoss.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                let acknowledged = Self.run(work, fs: fs)
                fs.powerLoss(mode)
                Self.verify(work, acknowledged: acknowledged, "crash after op \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]")
                cases += 1
            }
            guard k >= 1 else { continue }
            for fault in FaultyFileSystem.Fault.allCases {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.failAt = (k, fault)
                let acknowledged = Self.run(work, fs: fs)
                if fault == .shortWrite && fs.log.count >= k && fs.log[k - 1].contains(" write ") {
                    #expect(acknowledged == Self.items.count, "a short write at op \(k) must be completed by the loop")
                }
                Self.verify(work, acknowledged: acknowledged, "\(fault) at op \(k)/\(n) [\(fs.log.count >= k ? fs.log[k - 1] : "")]")
                cases += 1
            }
        }
        #expect(cases >= n * 6)
    }
}
