#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// What `Store.repair` found and did (or, in a dry run, would do).
public struct RepairReport: Sendable {
    /// Whether the store was changed (false for a dry run and for a store with nothing to repair).
    public var repaired: Bool
    /// The plan, one step a line: the generation written, the files quarantined.
    public var plan: [String]
    /// Bookings that could not be recovered (id and reference, and where they were seen) and
    /// the byte ranges that could not be read, one a line.
    public var unrecoverable: [String]
}

extension Store {
    /// Rebuilds a damaged store from what verifies: the newest generation whose manifest and
    /// reference files verify, its partitions that verify, and the journal up to its first
    /// damage. Valid records after the damage cannot be applied safely (what they were
    /// planned on is gone), so they are listed with the bookings they hold, as are the
    /// bookings of damaged partitions (from the directory shards) and the byte ranges that
    /// could not be read.
    ///
    /// Holding the write lock and `COMPACT`, it writes a complete new generation at the last
    /// good record (counters raised past every reference seen, so none is handed out again),
    /// then moves each damaged file into `quarantine/<time>/` by rename (never following a
    /// link, never deleting): the journal segments from the damage on, damaged generations
    /// (whole), and `events/` segments up to the last damaged one or holding records past
    /// the good end. Then it starts the journal segment after the good end. Every step is a
    /// rename after the new generation is durable, so a crash leaves the store damaged as
    /// before (run `repair` again) or repaired. `dryRun` changes nothing.
    ///
    /// - Complexity: reads every file of the store and holds every booking in memory.
    public func repair(dryRun: Bool) throws(StoreError) -> RepairReport {
        settleCompaction(waiting: true)
        try lock.acquire(operation: "repair", user: options.user, timeout: options.lockTimeout)
        defer { lock.release() }
        guard let compacting = try CompactionLock.acquire(storeDirectory: directory, fs: fs, timeout: options.lockTimeout) else {
            throw .busy(holder: "held by a compaction (snapshots/ is locked)")
        }
        defer { compacting.release() }
        readOnlyReason = nil
        try recover()
        let good = lastSequence
        var plan: [String] = []
        var lost: [String] = []
        var highestRef = state.counters.bookings

        // Generations: every one with a file that does not verify goes, whole.
        let listed = try Generation.list(snapshotsDir, fs: fs)
        var badGenerations: [String] = []
        for g in listed {
            let path = snapshotsDir + "/" + Manifest.name(g)
            do {
                let gen = try Generation.open(path, fs: fs)
                for rel in try gen.manifest.allFiles().keys.sorted() { _ = try gen.bytes(rel, fs: fs) }
            } catch {
                badGenerations.append(path)
                plan.append("quarantine snapshot generation \(g): \(error)")
            }
        }

        // Every readable booking of the generation in use; the ones of damaged partitions are lost
        // unless the journal rewrote them.
        var damagedKeys: [String] = []
        for key in try generation.manifest.partitions() where !loadedPartitions.contains(key) {
            do { try loadPartitions([key], withCustomers: false) } catch { damagedKeys.append(key) }
        }
        // Every readable customer, for the new generation is written whole from memory; those of
        // a damaged shard are lost unless the journal changed them since.
        if customerLayout.isSharded {
            for n in 0..<customerLayout.shardCount {
                do { try loadCustomerShards([n]) } catch {
                    lost.append("the customers in \(generation.path)/\(CustomerLayout.shardPath(n)), which does not verify (\(error)), except those the journal changed since")
                }
            }
        }
        if !damagedKeys.isEmpty {
            var refOf: [String: String] = [:]
            var ids: [String: String] = [:]
            var unreadableShards: [Int] = []
            for s in 0..<64 {
                do {
                    let shard = try generation.shard(s, fs: fs) ?? DirectoryShard()
                    for (ref, id) in shard.refs { refOf[id] = ref }
                    for (id, key) in shard.ids { ids[id] = key }
                } catch { unreadableShards.append(s) }
            }
            for key in damagedKeys {
                let path = generation.path + "/" + Generation.partitionPath(key)
                let missing = ids.filter { $0.value == key && state.bookings[BookingID($0.key)] == nil }.keys.sorted()
                for id in missing {
                    lost.append("booking \(id) \(refOf[id] ?? "(reference unknown)"): in \(path), which does not verify")
                    if let n = refOf[id].flatMap({ Store.referenceNumber($0, prefix: "B") }) { highestRef = max(highestRef, n) }
                }
                if !unreadableShards.isEmpty {
                    lost.append("other bookings of \(path) may be lost: directory shards \(unreadableShards.map(String.init).joined(separator: ", ")) do not verify")
                }
                if missing.isEmpty && unreadableShards.isEmpty { plan.append("\(path) does not verify; every booking in it was rewritten by the journal") }
            }
        }

        // The journal: from the first damage on, nothing can be applied.
        var badSegments: [String] = []
        if !damage.isEmpty {
            for seg in try Journal.segments(in: journalDir, fs: fs) {
                let bytes = (try? fs.readFile(seg.path)) ?? []
                let scan = SegmentScan(bytes: bytes, offset: 0, expect: seg.first)
                // After the good end, or the segment the damage is in.
                guard seg.first > good + 1 || scan.tail != .clean else { continue }
                badSegments.append(seg.path)
                plan.append("quarantine \(seg.path) (records from \(max(seg.first, good + 1)) on cannot be applied)")
                lost += Store.salvage(bytes, path: seg.path, after: good, highestRef: &highestRef)
            }
            if badSegments.isEmpty { plan.append("the journal ends at record \(good); records after it are not in journal/") }
        }
        // events/: segments that hold records past the good end, or damage, and every one before a damaged one.
        var badEvents: [String] = []
        let events = try Journal.segments(in: eventsDir, fs: fs)
        var lastBad = -1
        for (i, seg) in events.enumerated() {
            let scan = SegmentScan(bytes: (try? fs.readFile(seg.path)) ?? [], offset: 0, expect: seg.first)
            if scan.tail != .clean || seg.first + UInt64(scan.records.count) > good + 1 { lastBad = i }
        }
        if lastBad >= 0 {
            for seg in events[...lastBad] {
                badEvents.append(seg.path)
                plan.append("quarantine \(seg.path) (event history)")
                let bytes = (try? fs.readFile(seg.path)) ?? []
                lost += Store.salvage(bytes, path: seg.path, after: good, highestRef: &highestRef)
            }
        }
        for path in badGenerations {
            if let gen = try? Generation.open(path, fs: fs), gen.manifest.lastSequence > good {
                lost.append("records \(good + 1)…\(gen.manifest.lastSequence) were folded into \(path), which does not verify, and are no longer in the journal")
            }
        }

        let nothingToDo = badGenerations.isEmpty && damagedKeys.isEmpty && damage.isEmpty && badEvents.isEmpty
        if nothingToDo {
            return RepairReport(repaired: false, plan: ["nothing to repair: every file verifies and the journal was replayed to record \(good)"], unrecoverable: [])
        }
        // The new generation is written whole from memory: every idempotency key with it.
        lost += try loadAllIdempotencyKeys()
        // And the audit log: every chunk of the generation recovered from that verifies, then the tail.
        var log: [LoggedAuditEntry] = []
        for c in try AuditLayout.chunks(generation.manifest) {
            do { log += try auditChunk(c, of: generation).map { LoggedAuditEntry(seq: 1, entry: $0) } } catch {
                lost.append("\(error): the audit entries of \(c.month) in it are lost")
            }
        }
        log += auditTail.map { LoggedAuditEntry(seq: max(1, $0.seq), entry: $0.entry) }
        let newGen = (listed.first ?? 0) + 1
        plan.insert("write snapshot generation \(newGen) through record \(good) (\(state.bookings.count) bookings), then start journal segment \(good + 1)", at: 0)
        if dryRun { return RepairReport(repaired: false, plan: plan, unrecoverable: lost) }

        // The new generation first: until the damaged segments are moved, the store stays damaged as before.
        if highestRef > state.counters.bookings {
            var c = state.counters
            c.bookings = highestRef
            state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: [.counters(c)]))
        }
        let stamp = "\(Int(Date().timeIntervalSince1970))-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let quarantine = directory + "/quarantine/" + stamp
        if fs.stat(directory + "/quarantine") == nil { try fs.makeDirectory(directory + "/quarantine") }
        try fs.makeDirectory(quarantine)
        try fs.fsyncDirectory(directory + "/quarantine")
        try fs.fsyncDirectory(directory)
        // A leftover of an interrupted repair is swept with the rest of tmp/ by the next writer.
        let target = tmpDir + "/repair-\(Manifest.name(newGen))-\(stamp)"
        var content = SnapshotContent(state, changed: Set(state.bookings.keys), changedReferenceFiles: nil)
        content.audit = log
        content.minimumShards = options.minimumShards
        content.keysPerShard = options.idempotencyKeysPerShard
        content.customersPerShard = options.customersPerShard
        content.customerIndexEntriesPerShard = options.customerIndexEntriesPerShard
        var writer = SnapshotWriter(fs: fs, target: target, base: nil, content: content)
        _ = try writer.write(generation: newGen, lastSequence: good, format: format)
        try fs.rename(target, to: snapshotsDir + "/" + Manifest.name(newGen))
        try fs.fsyncDirectory(snapshotsDir)
        // Later segments first, the first damaged one last: until then, opening still finds the damage.
        for path in badSegments.reversed() { try fs.rename(path, to: quarantine + "/journal-" + String(path.split(separator: "/").last ?? "")) }
        try fs.fsyncDirectory(quarantine)
        try fs.fsyncDirectory(journalDir)
        if fs.stat(journalDir + "/" + Journal.segmentName(good + 1)) == nil {
            try settleFlushes()
            if let segment { fs.close(segment); self.segment = nil }
            segmentFirst = 0
            lastSequence = good
            try startSegment()
        }
        for path in badGenerations { try fs.rename(path, to: quarantine + "/snapshot-" + String(path.split(separator: "/").last ?? "")) }
        for path in badEvents { try fs.rename(path, to: quarantine + "/events-" + String(path.split(separator: "/").last ?? "")) }
        try fs.fsyncDirectory(quarantine)
        try fs.fsyncDirectory(snapshotsDir)
        try fs.fsyncDirectory(eventsDir)
        plan.append("moved \(badSegments.count + badGenerations.count + badEvents.count) damaged files and directories to \(quarantine)")
        readOnlyReason = nil
        try recover()
        return RepairReport(repaired: true, plan: plan, unrecoverable: lost)
    }

    /// What an unreadable region seems to hold, for the operator: its lines decoded as records
    /// without their checksums (so only a hint: the bytes are known to be wrong).
    static func hint(_ region: ArraySlice<UInt8>, after: UInt64) -> String {
        var found: [String] = []
        for line in region.split(separator: 0x0A) where line.count > 9 {
            guard let rec = try? RecordSchema.read(line.dropFirst(9)), rec.seq > after else { continue }
            for case .booking(let b) in rec.tx.mutations { found.append("\(b.id) \(b.ref)") }
        }
        return found.isEmpty ? "" : " (its checksum fails; it seems to hold booking \(found.joined(separator: ", ")))"
    }

    /// The records with a valid checksum in a damaged segment's bytes after record `after`
    /// (looked for after every newline and zero byte, as damage detection does), each booking
    /// they hold as a line, and the byte ranges no valid record covers.
    static func salvage(_ bytes: [UInt8], path: String, after: UInt64, highestRef: inout Int) -> [String] {
        var out: [String] = []
        var covered: [(Int, Int)] = []
        var pos = 0
        let end = Zeros.endOfContent(bytes, from: 0)
        while pos < end {
            var stop = pos
            while stop < end && bytes[stop] != 0x0A && bytes[stop] != 0 { stop += 1 }
            if stop < end && bytes[stop] == 0x0A, let body = Frame.payload(bytes[pos..<stop]) {
                covered.append((pos, stop + 1))
                if let rec = try? RecordSchema.read(body), rec.seq > after {
                    for case .booking(let b) in rec.tx.mutations {
                        out.append("booking \(b.id) \(b.ref) (version \(b.version), \(b.status)): in record \(rec.seq) at offset \(pos) of \(path), after the damage")
                        if let n = referenceNumber(b.ref, prefix: "B") { highestRef = max(highestRef, n) }
                    }
                }
            }
            pos = stop + 1
        }
        var at = 0
        for (a, b) in covered + [(end, end)] {
            if a > at, !Zeros.allZero(bytes, from: at, to: a) {
                out.append("bytes \(at)–\(a - 1) of \(path) cannot be read" + hint(bytes[at..<a], after: after))
            }
            at = max(at, b)
        }
        return out
    }
}
