import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Compaction runs outside the write lock (holding only `COMPACT`): what other stores on the
/// same directory can do while one compacts, step by step (the `FaultyFileSystem` hook runs
/// between two of the compactor's file operations).
@Suite struct CompactionConcurrencyTests {
    static func tmpNames(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/tmp")) ?? []).sorted()
    }

    /// (generation, lastSequence) of every generation in snapshots/, oldest first.
    static func generations(_ dir: String) throws -> [(UInt64, UInt64)] {
        try Generation.list(dir + "/snapshots", fs: RealFileSystem()).reversed().map { g in
            (g, try Generation.open(dir + "/snapshots/" + Manifest.name(g), fs: RealFileSystem()).manifest.lastSequence)
        }
    }

    /// A store with 12 bookings over 3 resources and 2 months, compacted once, and a tail of 4.
    static func populated(_ dir: String) throws -> (bookings: [Booking], resources: [ResourceID]) {
        let (store, r1) = try Support.newStore(dir)
        let r2 = try Support.addResource(store, "Room 2")
        let r3 = try Support.addResource(store, "Room 3")
        let rs = [r1, r2, r3]
        var out: [Booking] = []
        for i in 0..<8 { out.append(try Support.book(store, rs[i % 3], Support.slot(Int64(i) * 24 * 20))) }
        try store.compact()
        for i in 8..<12 { out.append(try Support.book(store, rs[i % 3], Support.slot(Int64(i) * 24 * 20))) }
        return (out, rs)
    }

    /// Between every two file operations of the compaction phase (write lock released), a new
    /// store (like a new CLI process: its first write sweeps tmp/) commits a booking with no
    /// lock timeout at all, and a reader opens: every commit finds the write lock free and
    /// completes on the compactor's own thread (so nothing in it waits for the compaction, which
    /// cannot go on until it returns), the sweep never touches the generation being written,
    /// the reader sees every acknowledged booking, and afterwards everything is there. How long
    /// such commits take is a benchmark figure (`Benchmarks/run-store-bench.sh`), not a test.
    @Test func writersCommitAndReadersOpenBetweenEveryCompactionStep() throws {
        let dir = Support.tempDir("cmp-concurrent")
        defer { Support.remove(dir) }
        let (initial, rs) = try Self.populated(dir)
        var acknowledged = Dictionary(uniqueKeysWithValues: initial.map { ($0.id, $0) })

        let fs = FaultyFileSystem()
        // Compacts at its first write: the tail already holds 4 records.
        let compactor = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs, compactAfter: 5))
        let genBefore = try Self.generations(dir).last!
        var steps = 0
        var hour: Int64 = 10_000
        var commits = 0
        var sawOwnWorkInTmp = false
        fs.beforeOperation = { _, line in
            guard !compactor.lock.held else { return } // phase 1 holds the write lock: a writer would wait
            steps += 1
            if Self.tmpNames(dir).contains(where: { $0.hasPrefix("compact-0") }) { sawOwnWorkInTmp = true }
            var opts = Support.options()
            opts.lockTimeout = 0   // the lock must be free at once: a busy lock fails the commit
            do {
                let writer = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
                hour += 1
                let b = try Support.book(writer, rs[Int(hour) % 3], Support.slot(hour))
                commits += 1
                acknowledged[b.id] = b
                #expect(writer.notices.isEmpty, "step \(steps) [\(line)]: \(writer.notices)")
            } catch {
                Issue.record("step \(steps) [\(line)]: a commit failed during the compaction: \(error)")
            }
            do {
                let reader = try Support.reopen(dir)
                #expect(!reader.isReadOnly, "step \(steps) [\(line)]: \(reader.readOnlyReason ?? "")")
                for (id, b) in acknowledged { #expect(reader.state.bookings[id] == b, "step \(steps) [\(line)]: reader misses \(b.ref)") }
            } catch {
                Issue.record("step \(steps) [\(line)]: a reader failed to open: \(error)")
            }
        }
        let mine = try Support.book(compactor, rs[0], Support.slot(9_000))
        fs.beforeOperation = nil
        acknowledged[mine.id] = mine
        #expect(compactor.notices.filter { $0.contains("compaction") }.isEmpty, "\(compactor.notices)")
        #expect(steps >= 20, "the compaction phase had only \(steps) steps")
        #expect(sawOwnWorkInTmp, "never saw the generation being written in tmp/")
        #expect(commits == steps, "\(steps - commits) of \(steps) commits failed during the compaction")
        // It wrote one generation, at its boundary, while the others committed after it.
        let gens = try Self.generations(dir)
        #expect(gens.last!.0 == genBefore.0 + 1)
        #expect(gens.last!.1 == compactor.lastSequence, "the generation is not at the compactor's boundary")
        #expect(!Self.tmpNames(dir).contains { $0.hasPrefix("compact-") })

        let after = try Support.reopen(dir)
        #expect(after.state.bookings.count == acknowledged.count)
        for (id, b) in acknowledged { #expect(after.state.bookings[id] == b, "lost \(b.ref)") }
        #expect(after.check().ok, "\(after.check().lines.filter { $0.hasPrefix("FAIL") })")
        // The compactor carries on from its generation: it catches up and writes.
        #expect(try compactor.refresh())
        let last = try Support.book(compactor, rs[1], Support.slot(9_001))
        #expect(try Support.reopen(dir).state.bookings[last.id] == last)
    }

    /// While one store compacts (at every step of its compaction phase), another crosses its
    /// threshold and tries too: it skips (COMPACT is held) without an error, an explicit
    /// `compact()` with a short timeout says busy; once the first is done, the second compacts.
    /// Exactly one generation per sequence number, generations in order, nothing damaged.
    @Test func twoCompactorsAtOnce() throws {
        let dir = Support.tempDir("cmp-two")
        defer { Support.remove(dir) }
        let (initial, rs) = try Self.populated(dir)
        var acknowledged = Dictionary(uniqueKeysWithValues: initial.map { ($0.id, $0) })
        let fs = FaultyFileSystem()
        let first = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs, compactAfter: 5))
        var opts = Support.options(compactAfter: 1)
        opts.lockTimeout = 0.2
        let second = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
        var steps = 0
        var busy = 0
        var hour: Int64 = 20_000
        // Every generation ever seen in snapshots/: its number → its lastSequence.
        var seen: [UInt64: UInt64] = [:]
        func record() throws {
            for (g, s) in try Self.generations(dir) {
                if let old = seen[g] { #expect(old == s, "generation \(g) changed from \(old) to \(s)") } else { seen[g] = s }
            }
        }
        try record()
        fs.beforeOperation = { _, line in
            do { try record() } catch { Issue.record("step \(steps) [\(line)]: \(error)") }
            guard !first.lock.held else { return }
            steps += 1
            guard steps % 3 == 1 else { return }
            hour += 1
            do {
                // Threshold 1: every write of the second store starts a compaction, which must skip.
                let b = try Support.book(second, rs[Int(hour) % 3], Support.slot(hour))
                acknowledged[b.id] = b
            } catch { Issue.record("step \(steps) [\(line)]: \(error)") }
            do throws(StoreError) { try second.compact() } catch .busy { busy += 1 } catch { Issue.record("step \(steps) [\(line)]: compact: \(error)") }
        }
        let mine = try Support.book(first, rs[0], Support.slot(9_000))
        fs.beforeOperation = nil
        acknowledged[mine.id] = mine
        #expect(steps >= 20)
        #expect(busy == (steps + 2) / 3, "compact() did not report the running compaction as busy")
        #expect(!second.notices.contains { $0.contains("compaction failed") }, "\(second.notices)")
        #expect(first.notices.isEmpty, "\(first.notices)")

        // Now the second one compacts for real.
        _ = try second.refresh()
        try second.compact()
        try record()
        let gens = try Self.generations(dir)
        #expect(gens.count == 2)
        // Two compactions, two new generations; one per sequence number, in order.
        let all = seen.sorted { $0.key < $1.key }
        #expect(all.count == 4, "\(all)")
        for (a, b) in zip(all, all.dropFirst()) { #expect(a.value < b.value, "generations \(a.key) and \(b.key): \(all)") }
        #expect(gens.last!.1 == second.lastSequence)
        let after = try Support.reopen(dir)
        for (id, b) in acknowledged { #expect(after.state.bookings[id] == b, "lost \(b.ref)") }
        #expect(after.state.bookings.count == acknowledged.count)
        #expect(after.check().ok, "\(after.check().lines.filter { $0.hasPrefix("FAIL") })")
        #expect(!Self.tmpNames(dir).contains { $0.hasPrefix("compact-") })
    }

    /// A compactor killed while writing its generation leaves `tmp/compact-…`: a writer's
    /// tmp/ sweep leaves it (it cannot know the compactor is dead), the next compaction (which
    /// holds COMPACT, so no compaction is in progress) removes it, and nothing is lost.
    @Test func aKilledCompactorsLeftoversAreRemovedByTheNextCompaction() throws {
        let dir = Support.tempDir("cmp-killed")
        defer { Support.remove(dir) }
        let (initial, rs) = try Self.populated(dir)
        // Find an operation in the middle of writing the generation, on a copy.
        let probeDir = dir + "-probe"
        Support.copy(dir, probeDir)
        defer { Support.remove(probeDir) }
        let probe = FaultyFileSystem()
        let p = try Store.open(at: probeDir, clock: FixedClock(Support.now), options: Support.options(probe))
        try p.compact()
        let writes = probe.log.filter { $0.contains("/tmp/compact-0") && $0.contains(" write ") }
        #expect(writes.count > 4)
        let k = Int(writes[writes.count / 2].split(separator: " ")[0])!

        // "Kill" it there: the process stops, the files stay as they are (no power loss).
        let fs = FaultyFileSystem()
        fs.crashAfter = k - 1
        let victim = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(throws: StoreError.self) { try victim.compact() }
        let left = Self.tmpNames(dir).filter { $0.hasPrefix("compact-") }
        #expect(left.count == 1)

        // A writer's first write sweeps tmp/ but leaves compaction work alone.
        let writer = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let b = try Support.book(writer, rs[1], Support.slot(7_000))
        #expect(Self.tmpNames(dir).filter { $0.hasPrefix("compact-") } == left)
        try writer.compact()
        #expect(Self.tmpNames(dir).isEmpty)
        let after = try Support.reopen(dir)
        for x in initial + [b] { #expect(after.state.bookings[x.id] == x) }
        #expect(after.check().ok)
    }

    /// A reader opening lists snapshots/, then journal/; a compaction in between (new
    /// generation renamed in, folded segments moved to events/) must not make it see a journal
    /// that "does not reach back": it starts over from the newer generation.
    @Test func aReaderOpeningWhileSegmentsMoveStartsOver() throws {
        let dir = Support.tempDir("cmp-open-race")
        defer { Support.remove(dir) }
        let (initial, rs) = try Self.populated(dir)
        let compactor = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let fs = FaultyFileSystem()
        var fired = 0
        fs.beforeList = { path in
            guard path.hasSuffix("/journal"), fired == 0 else { return }
            fired += 1
            do { try compactor.compact() } catch { Issue.record("compact: \(error)") }
        }
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(fired == 1)
        #expect(!reader.isReadOnly, "\(reader.readOnlyReason ?? "")")
        try reader.load(resources: nil, range: Support.everything)
        for b in initial { #expect(reader.state.bookings[b.id] == b) }
        #expect(reader.lastSequence == compactor.lastSequence)
        // And it writes at the right sequence number.
        let b = try Support.book(reader, rs[2], Support.slot(7_001))
        #expect(try Support.reopen(dir).state.bookings[b.id] == b)
    }

    /// The threshold counts the current segment, which every process shares: once one process
    /// has set a boundary, another that has applied as many records since its generation does
    /// not set one in turn while that compaction is still running (with per-process counters,
    /// every writer started a compaction, one after the other). COMPACT is held by the test,
    /// as by a compaction in progress elsewhere, so no generation appears meanwhile.
    @Test func onlyTheWriterThatFillsTheSegmentCompacts() throws {
        let dir = Support.tempDir("cmp-herd")
        defer { Support.remove(dir) }
        let (setup, r) = try Support.newStore(dir)
        try setup.compact()
        let a = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(compactAfter: 6))
        let b = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(compactAfter: 6))
        func segments() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/journal")) ?? []).filter { $0.hasSuffix(".jsonl") }.count }
        let held = try #require(try CompactionLock.acquire(storeDirectory: dir, fs: RealFileSystem(), timeout: nil))
        let start = segments()
        for h in 0..<5 { try Support.book(b, r, Support.slot(Int64(h))) }   // 5 records in the segment
        try Support.book(a, r, Support.slot(5))                              // the 6th: a sets a boundary
        #expect(segments() == start + 1)
        for h in 6..<10 { try Support.book(b, r, Support.slot(Int64(h))) }  // b has applied 10 since its generation
        #expect(segments() == start + 1, "b set a boundary although the segment holds only 4 records")
        try Support.book(a, r, Support.slot(10))
        try Support.book(b, r, Support.slot(11))                             // 6 in the segment: b sets one
        #expect(segments() == start + 2)
        held.release()
        // Skipped compactions are not failures; the next boundary's generation covers everything.
        #expect(b.notices.isEmpty && a.notices.isEmpty, "\(a.notices) \(b.notices)")
        try b.compact()
        let after = try Support.reopen(dir)
        #expect(after.state.bookings.count == 12 && after.check().ok)
        #expect(segments() == 1)
    }

    /// `events(after:)` lists two directories; a compaction moving segments from journal/ to
    /// events/ between the two listings must not hide their events.
    @Test func eventsAreNotMissedWhileSegmentsMove() throws {
        let dir = Support.tempDir("cmp-events-race")
        defer { Support.remove(dir) }
        _ = try Self.populated(dir)
        let compactor = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let expected = try compactor.events(after: 0).map(\.sequence)
        let fs = FaultyFileSystem()
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        var lists = 0
        fs.beforeList = { _ in
            lists += 1
            if lists == 2 { do { try compactor.compact() } catch { Issue.record("compact: \(error)") } }
        }
        let seen = try reader.events(after: 0).map(\.sequence)
        #expect(lists >= 2)
        #expect(seen == expected)
    }

    /// A program from before `COMPACT` empties all of tmp/ on its first write, and can delete files
    /// of a generation being written there. The compactor checks every file arrived after the
    /// rename: a generation with a file missing is taken out again and the compaction fails, so the
    /// journal is never folded into it.
    @Test func aGenerationWithAFileMissingIsTakenOutAgain() throws {
        let dir = Support.tempDir("cmp-arrival")
        defer { Support.remove(dir) }
        let (initial, _) = try Self.populated(dir)
        let before = try Self.generations(dir)
        let fs = FaultyFileSystem()
        let compactor = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        fs.beforeOperation = { _, line in
            // Just before the generation is renamed into snapshots/, an old program's sweep strikes.
            guard line.contains(" rename "), line.contains("/tmp/compact-0"), line.contains("/snapshots/") else { return }
            let target = String(line.split(separator: " ")[2])
            if let partition = FileManager.default.enumerator(atPath: target + "/bookings")?.compactMap({ $0 as? String }).first(where: { $0.hasSuffix(".json") }) {
                try? FileManager.default.removeItem(atPath: target + "/bookings/" + partition)
            }
        }
        #expect(throws: StoreError.self) { try compactor.compact() }
        fs.beforeOperation = nil
        #expect(try Self.generations(dir).map(\.0) == before.map(\.0), "the damaged generation was taken out")
        let reopened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        for b in initial { #expect(try reopened.booking(idOrRef: b.id.rawValue)?.range == b.range) }
        #expect(reopened.readOnlyReason == nil)
    }

}
