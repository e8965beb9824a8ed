import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Phase 2 of a compaction: the snapshot generation at `boundary`, then the retirement of the
/// journal segments and generations it makes redundant.
///
/// A value that needs nothing from the `Store` that started it (only the file system and what
/// it took at the boundary), so it can run on another thread while that store goes on writing;
/// the store adopts the outcome later (`Store.settleCompaction`). Phase 1, the boundary, is
/// `Store.beginCompactionLocked`, under the write lock.
struct Compaction: Sendable {
    let fs: any FileSystem
    let directory: String
    let options: StoreOptions
    let format: Int
    /// The last sequence folded in: memory was exactly the state after this record when
    /// `content` was taken.
    let boundary: UInt64
    /// The generation the store's partitions came from at the boundary.
    let base: Generation
    let content: SnapshotContent
    /// Wait up to `lockTimeout` for the compaction lock (`CompactionLock`) (else skip when another process holds it).
    let wait: Bool
    /// Write a generation even if one at `boundary` exists (the benchmark seed).
    let force: Bool

    /// What the store does with a finished compaction.
    struct Outcome: Sendable {
        /// Whether this compaction wrote a generation.
        var wrote: Bool
        /// A generation holding exactly the state at the boundary (ours, or one another process
        /// wrote at the same boundary), for the store to load partitions from.
        var adopt: Generation?
        /// What went wrong on the way but did not fail the compaction.
        var notices: [String] = []
    }

    var snapshotsDir: String { directory + "/snapshots" }
    var journalDir: String { directory + "/journal" }
    var tmpDir: String { directory + "/tmp" }
    var eventsDir: String { directory + "/events" }

    /// Runs the compaction holding the compaction lock (`CompactionLock`: taken with `LOCK_NB`,
    /// or waiting up to `lockTimeout` when `wait`; skipped if another process holds it: that one
    /// is compacting).
    ///
    /// 1. Removes compaction leftovers in `tmp/` (nobody else is compacting).
    /// 2. Unless the newest generation on disk already reaches `boundary` (`force` writes anyway),
    ///    writes generation newest+1 at `boundary` into a fresh `tmp/compact-…`, based on the
    ///    newest generation if that is newer than `base` and not past the boundary, makes its files
    ///    and directories durable (one `syncfs`, or an fsync each: `SnapshotWriter`,
    ///    `StoreOptions.compactionFsyncsEachFile`), renames it
    ///    into `snapshots/`, fsyncs `snapshots/`, checks the files arrived.
    /// 3. Moves the journal segments that lie wholly at or before the newest generation's
    ///    `lastSequence` to `events/` (never the last segment: writers append only there),
    ///    fsyncs both directories, prunes `events/` and deletes generations older than the one
    ///    before the newest (renamed into `tmp/` first, both directories fsynced).
    func run() throws(StoreError) -> Outcome {
        guard let compacting = try CompactionLock.acquire(storeDirectory: directory, fs: fs, timeout: wait ? options.lockTimeout : nil) else {
            if wait { throw .busy(holder: "another process is compacting (\(directory)/snapshots is locked)") }
            return Outcome(wrote: false)
        }
        defer { compacting.release() }
        // Best effort: a leftover a group member made unremovable (a directory of theirs with
        // entries) is named in the notices, and this compaction writes under a fresh name anyway.
        var leftovers: [String] = []
        for name in try fs.list(tmpDir) where name.hasPrefix(Store.compactionPrefix) {
            do { try fs.removeTree(tmpDir + "/" + name) } catch { leftovers.append("could not remove \(tmpDir)/\(name): \(error)") }
        }

        var outcome = Outcome(wrote: false, notices: leftovers)
        let numbers = try Generation.list(snapshotsDir, fs: fs)
        var newest = numbers.first.flatMap { try? Generation.open(snapshotsDir + "/" + Manifest.name($0), fs: fs) }
        var keepFrom = numbers.count > 1 ? numbers[1] : (numbers.first ?? 0)
        if force || (newest?.manifest.lastSequence ?? 0) < boundary || newest == nil {
            // Base on the newest generation if it is behind us (another process may have compacted):
            // everything it folded in is in memory, and what changed since ours is a superset.
            var base = self.base
            if let n = newest, n.manifest.lastSequence <= boundary, n.manifest.generation > base.manifest.generation { base = n }
            let gen = (numbers.first ?? 0) + 1
            let name = Manifest.name(gen)
            let target = tmpDir + "/\(Store.compactionPrefix)\(name)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
            var writer = SnapshotWriter(fs: fs, target: target, base: base, content: content, fsyncEachFile: options.compactionFsyncsEachFile)
            let manifest: Manifest
            do { manifest = try writer.write(generation: gen, lastSequence: boundary, format: format) } catch {
                try? fs.removeTree(target)
                throw error
            }
            do { try fs.rename(target, to: snapshotsDir + "/" + name) } catch {
                try? fs.removeTree(target)
                throw error
            }
            try fs.fsyncDirectory(snapshotsDir)
            let written = Generation(path: snapshotsDir + "/" + name, manifest: manifest)
            try verifyArrived(written)
            keepFrom = base.manifest.generation
            newest = written
            outcome = Outcome(wrote: true, adopt: written)
        } else if let n = newest {
            // Another process compacted: make sure what it renamed in is durable before relying on it.
            try fs.fsyncDirectory(snapshotsDir)
            if n.manifest.lastSequence == boundary { outcome.adopt = n }
        }
        guard let newest else { return outcome }

        // Old state goes only after the new state is durable.
        let folded = newest.manifest.lastSequence
        let segments = try Journal.segments(in: journalDir, fs: fs)
        var moved = false
        for (i, seg) in segments.enumerated() where i + 1 < segments.count && segments[i + 1].first <= folded + 1 {
            try fs.rename(seg.path, to: eventsDir + "/" + Journal.segmentName(seg.first))
            moved = true
        }
        if moved {
            try fs.fsyncDirectory(eventsDir)
            try fs.fsyncDirectory(journalDir)
        }
        if let notice = try pruneEvents() { outcome.notices.append(notice) }
        for g in try Generation.list(snapshotsDir, fs: fs) where g < keepFrom {
            try removeGeneration(g)
        }
        return outcome
    }

    /// Out of `snapshots/` in one atomic step (renamed into `tmp/compact-deleted-…`, both
    /// directories fsynced, so a crash never leaves half a generation in `snapshots/`), then
    /// removed. Compaction lock held.
    func removeGeneration(_ g: UInt64) throws(StoreError) {
        let doomed = tmpDir + "/\(Store.compactionPrefix)deleted-" + Manifest.name(g)
        try fs.rename(snapshotsDir + "/" + Manifest.name(g), to: doomed)
        try fs.fsyncDirectory(snapshotsDir)
        try fs.fsyncDirectory(tmpDir)
        try fs.removeTree(doomed)
    }

    /// After renaming a generation into `snapshots/`: every file its manifest lists is there with
    /// its size. A program that predates `COMPACT` empties all of `tmp/` on its first write, and
    /// could have deleted files of our generation while we wrote it; folding the journal into such
    /// a generation would lose records, so it is taken out again and the compaction fails.
    func verifyArrived(_ gen: Generation) throws(StoreError) {
        // A manifest a writer made names every file itself, and the lists beside it.
        let listed = gen.manifest.direct.merging(gen.manifest.listFiles) { a, _ in a }
        let missing = listed.first { fs.stat(gen.path + "/" + $0.key)?.size != $0.value.size }?.key
            ?? (fs.stat(gen.path + "/manifest.json") == nil ? "manifest.json" : nil)
        guard let missing else { return }
        try removeGeneration(gen.manifest.generation)
        throw .damaged(path: gen.path + "/" + missing, detail: "missing after the generation was renamed in; compaction abandoned")
    }

    /// Deletes the oldest `events/` segments that are past `eventRetention` (file modification
    /// time), beyond the newest `keepEventSegments`, wholly at or before every event
    /// consumer's cursor (`eventConsumerFiles`) and wholly before the retention pin
    /// (`retention-pin.json`'s `retain_from`, see ``Store/pinRetention(from:by:)``). Only a
    /// prefix is deleted, so what remains is contiguous. Returns why nothing was pruned when a
    /// consumer file or the pin is unreadable. Compaction lock held.
    ///
    /// - Complexity: O(segments in events/) stats, plus reading each consumer file and the pin.
    func pruneEvents(now: Double = Double(time(nil))) throws(StoreError) -> String? {
        let kept = try Journal.segments(in: eventsDir, fs: fs)
        guard kept.count > options.keepEventSegments else { return nil }
        let cursor: UInt64
        switch try Compaction.prunableThrough(directory: directory, options: options, fs: fs) {
        case nil: return nil
        case .failure(let why)?: return why.description
        case .success(let c)?: cursor = c
        }
        let live = try Journal.segments(in: journalDir, fs: fs)
        let cutoff = now - Double(options.eventRetention.seconds)
        var removed = 0
        for i in 0..<(kept.count - options.keepEventSegments) {
            // Segment i holds records first ..< (next segment's first).
            let next = i + 1 < kept.count ? kept[i + 1].first : (live.first?.first ?? boundary + 1)
            guard next - 1 <= cursor, let mtime = fs.modificationTime(kept[i].path), mtime < cutoff else { break }
            try fs.unlink(kept[i].path)
            removed += 1
        }
        if removed > 0 { try fs.fsyncDirectory(eventsDir) }
        return nil
    }

    /// The last record every reader of `events/` has finished with: the least consumer cursor
    /// (`eventConsumerFiles`; a missing file imposes nothing) and the retention pin's
    /// `retain_from` - 1. `.failure` says why nothing may be pruned (a consumer file or the pin
    /// exists but does not decode); nil when the pin is `retain_from` 0 (keep everything).
    ///
    /// - Complexity: reads each consumer file and the pin.
    static func prunableThrough(directory: String, options: StoreOptions, fs: any FileSystem) throws(StoreError) -> Result<UInt64, PruneRefusal>? {
        // The oldest record any consumer still needs is cursor + 1.
        var cursor = UInt64.max
        for rel in options.eventConsumerFiles {
            let path = directory + "/" + rel
            guard fs.stat(path) != nil else { continue }
            guard let bytes = try? fs.readFile(path),
                  let c = try? ConsumerCursorSchema.cursor(in: bytes) else {
                return .failure(PruneRefusal("events/ not pruned: \(path) exists but has no readable cursor"))
            }
            cursor = min(cursor, c)
        }
        let pin: UInt64?
        do { pin = try Store.retentionPin(in: directory, fs: fs) } catch {
            return .failure(PruneRefusal("events/ not pruned: \(error)"))
        }
        if let pin {
            guard pin > 0 else { return nil }
            cursor = min(cursor, pin - 1)
        }
        return .success(cursor)
    }
}
