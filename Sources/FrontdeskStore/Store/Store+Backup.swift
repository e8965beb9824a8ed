import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Files of the data directory that are not the store's but belong in a backup: the
    /// deliverer's webhook configuration (replaced atomically, so one read is consistent).
    static let backedUpSideFiles = ["webhooks.json"]

    /// Takes an online, consistent backup of the whole store into a new directory inside
    /// `destination` (created 0700 if missing) and verifies it.
    ///
    /// 1. Takes the compaction lock (`snapshots/`) for the whole backup: no generation is
    ///    written or deleted and no segment moved or pruned meanwhile. Writers never wait for
    ///    that lock; their compactions are left to the next boundary.
    /// 2. Takes the write lock for one catch-up only, and pins the last record S.
    /// 3. Outside the write lock, copies every generation (every file of `Generation.fileNames`,
    ///    each verified against its manifest as it is read) and every journal record up to S
    ///    from `events/` and `journal/` (whole framed lines, nothing after S), and
    ///    `webhooks.json`; writes `backup.json`; makes it all durable.
    /// 4. Verifies the copy: restores it (with its chain) into a scratch store beside it, with
    ///    hard links, and runs `check()` there; then renames it from `.partial-<name>-<pid>` to
    ///    `<name>`. A backup that fails verification is removed and the error thrown.
    ///
    /// With `incremental`, the newest backup in `destination` is the previous one: only
    /// generations and records it (and its chain) lacks are copied, and generation files equal
    /// to ones the chain holds are hard-linked from there. With no previous backup the backup
    /// is full. An incremental backup then pins retention (`pinRetention`) at its last record
    /// + 1, so that the next one finds every record after it still in `events/`.
    ///
    /// - Throws: `StoreError.busy` when the locks are not free within `lockTimeout` (the
    ///   compaction lock: at least 30 s, a compaction may be running), `.incomplete` for a store
    ///   whose journal is damaged (repair it first), `.damaged` naming a store file that does not
    ///   verify, `.io` for the destination.
    /// - Complexity: reads every file of the store once; writes what the chain lacks.
    public func backup(to destination: String, incremental: Bool) throws(StoreError) -> BackupReport {
        settleCompaction(waiting: true)
        let report: BackupReport
        do {
            guard let compactionLock = try CompactionLock.acquire(storeDirectory: directory, fs: fs, timeout: max(options.lockTimeout, 30)) else {
                throw .busy(holder: "held by a compaction (snapshots/)")
            }
            defer { compactionLock.release() }
            report = try backupHoldingCompactionLock(to: destination, incremental: incremental)
        }
        // The next incremental backup continues from here: keep the records it will need.
        if incremental { try pinRetention(from: report.lastSequence + 1, by: options.user + " (backup " + report.name + ")") }
        return report
    }

    /// `backup(to:incremental:)` from step 2 on; the compaction lock is held.
    func backupHoldingCompactionLock(to destination: String, incremental: Bool) throws(StoreError) -> BackupReport {
        try lock.acquire(operation: "backup", user: options.user, timeout: options.lockTimeout)
        do {
            defer { lock.release() }
            _ = try catchUp(holdingLock: true)
            // A writer fdatasyncs its record after releasing the lock (group commit): make what
            // is pinned durable before copying it, so the backup holds no record the store
            // could still lose.
            if let segment { try fs.fdatasync(segment) }
        }
        if !damage.isEmpty { throw .incomplete(missing: damage.joined(separator: "; ")) }
        let pinned = lastSequence
        let now = engine.clock.now()

        // `out` confines itself to each backup it reads or writes; `plain` acts on those
        // directories themselves (create, rename, remove), which a confined root refuses.
        let out = RealFileSystem()
        let plain = RealFileSystem()
        if out.stat(destination) == nil {
            try out.mkdir(destination, mode: 0o700)
            try out.chmod(destination, mode: 0o700)
        }
        let hasPrevious = incremental ? try BackupChain.newestBackup(in: destination, fs: out) != nil : false
        let chain: BackupChain? = hasPrevious ? try BackupChain.load(destination, fs: out) : nil
        let previousLast = chain?.lastSequence ?? 0
        if let chain, previousLast > pinned {
            throw .outOfReach(detail: "the newest backup in \(destination) (\(chain.members.last?.manifest.name ?? "")) holds record \(previousLast), past this store's last record \(pinned): it is another store's")
        }
        Store.removeAbandonedBackupWork(in: destination, fs: plain)
        let existing = Set((try out.list(destination)).filter(BackupManifest.isBackupName))
        var n = 1
        while existing.contains(Journal.pad(pinned) + "-" + Partition.zeroPadded(n, 3)) { n += 1 }
        let name = Journal.pad(pinned) + "-" + Partition.zeroPadded(n, 3)
        let staging = destination + "/.partial-" + name + "-" + String(getpid())
        if plain.stat(staging) != nil { try plain.removeTree(staging) }
        let writer = try BackupWriter(root: staging, fs: out)
        do throws(StoreError) {
            // Generation files the chain holds, for hard links.
            let chainGenerations = chain?.generations ?? []
            for g in chainGenerations {
                guard let gen = try? Generation.open(g.path, fs: out) else { continue }
                for rel in try gen.fileNames() where rel != Generation.manifestName {
                    if let e = try gen.manifest.entry(rel) { writer.linkable[BackupWriter.linkKey(rel, e)] = g.path + "/" + rel }
                }
            }
            let held = Set(chainGenerations.map(\.number))
            var generations: [UInt64: UInt64] = [:]
            for number in try Generation.list(snapshotsDir, fs: fs).reversed() where !held.contains(number) {
                let gen = try Generation.open(snapshotsDir + "/" + Manifest.name(number), fs: fs)
                guard gen.manifest.lastSequence <= pinned else { continue }
                let prefix = "snapshots/" + Manifest.name(number) + "/"
                for rel in try gen.fileNames() {
                    if rel == Generation.manifestName {
                        try writer.put(prefix + rel, try fs.readFile(gen.path + "/" + rel))
                        continue
                    }
                    guard let entry = try gen.manifest.entry(rel) else { continue }
                    if try writer.linkFromChain(prefix + rel, keyInGeneration: rel, entry: entry) { continue }
                    guard let bytes = try gen.bytes(rel, fs: fs) else { continue }
                    try writer.put(prefix + rel, bytes)
                }
                generations[number] = gen.manifest.lastSequence
            }
            let first = try copyRecords(after: previousLast, upTo: pinned, into: writer)
            try writer.put("FORMAT", Array("\(format)\n".utf8))
            for side in Store.backedUpSideFiles where fs.stat(directory + "/" + side) != nil {
                try writer.put("side/" + side, try fs.readFile(directory + "/" + side))
            }
            let manifest = BackupManifest(name: name, storeFormat: format, previous: chain?.members.last?.manifest.name,
                                          lastSequence: pinned, firstSequence: first ?? pinned + 1, createdAt: now,
                                          generations: generations, files: writer.files)
            try out.writeNewFile(staging + "/" + BackupManifest.fileName, manifest.encoded())
            try out.chmod(staging + "/" + BackupManifest.fileName, mode: 0o600)
            try writer.syncDirectories()

            // Verify the copy as it will be restored: checksums, then the store's own check.
            let scratch = destination + "/.verify-" + name + "-" + String(getpid())
            if plain.stat(scratch) != nil { try plain.removeTree(scratch) }
            let restored: RestoreReport
            do throws(StoreError) {
                var o = StoreOptions()
                o.user = options.user
                o.refuseNetworkFileSystems = options.refuseNetworkFileSystems
                restored = try StoreRestore.restore(from: staging, into: scratch, target: .latest, linkFiles: true,
                                                   clock: engine.clock, options: o)
            } catch {
                try? plain.removeTree(scratch)
                throw error
            }
            try plain.removeTree(scratch)
            guard restored.lastSequence == pinned else {
                throw .damaged(path: staging, detail: "restores to record \(restored.lastSequence), not \(pinned)")
            }
            try plain.rename(staging, to: destination + "/" + name)
            try plain.fsyncDirectory(destination)
            return BackupReport(path: destination + "/" + name, name: name, previous: manifest.previous, lastSequence: pinned,
                                firstSequence: manifest.firstSequence, generations: generations.keys.sorted(),
                                filesWritten: writer.files.count - writer.linked, filesLinked: writer.linked,
                                bytesWritten: writer.bytesWritten, createdAt: now, check: restored.check)
        } catch {
            try? plain.removeTree(staging)
            throw error
        }
    }

    /// Removes what backups that died left in `destination` (`.partial-<name>-<pid>`,
    /// `.verify-<name>-<pid>`): those whose process is gone. A crash never leaves anything
    /// else there, since a backup appears under its own name only by the final rename.
    static func removeAbandonedBackupWork(in destination: String, fs: any FileSystem) {
        for name in (try? fs.list(destination)) ?? [] where name.hasPrefix(".partial-") || name.hasPrefix(".verify-") {
            guard let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), pid > 0 else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            try? fs.removeTree(destination + "/" + name)
        }
    }

    /// Copies the framed lines of every record in `(after, upTo]` that `events/` and
    /// `journal/` hold into `journal/<first>.jsonl` files of the backup, one per source
    /// segment; returns the first record copied (nil: none). Records before a gap in what the
    /// store still holds (pruned event segments) are left out: a backup holds one consecutive run.
    /// Compaction lock held, so no segment moves meanwhile.
    func copyRecords(after: UInt64, upTo last: UInt64, into writer: BackupWriter) throws(StoreError) -> UInt64? {
        guard last > after else { return nil }
        let events = try Journal.segments(in: eventsDir, fs: fs)
        let journal = try Journal.segments(in: journalDir, fs: fs)
        let segments = (events + journal.filter { j in !events.contains { $0.first == j.first } }).sorted { $0.first < $1.first }
        var pieces: [(first: UInt64, bytes: [UInt8])] = []
        var next: UInt64?
        for (i, seg) in segments.enumerated() {
            if let nextStart = i + 1 < segments.count ? segments[i + 1].first : nil, nextStart <= after + 1 { continue }
            if seg.first > last { break }
            let bytes = try fs.readFile(seg.path)
            let scan = SegmentScan(bytes: bytes, offset: 0, expect: seg.first)
            let isLast = i == segments.count - 1
            if case .corrupt(let at, let d) = scan.tail, !isLast || scan.records.last.map({ $0.seq < last }) ?? true {
                throw .damaged(path: seg.path, detail: "offset \(at): \(d)")
            }
            var start = 0
            var lines: [UInt8] = []
            var firstHere: UInt64?
            for rec in scan.records {
                guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
                defer { start = nl + 1 }
                guard rec.seq > after, rec.seq <= last else { continue }
                if let n = next, rec.seq != n {
                    // A gap (pruned segments): keep only the run after it.
                    pieces = []
                }
                if firstHere == nil { firstHere = rec.seq }
                lines += bytes[start...nl]
                next = rec.seq + 1
            }
            if let firstHere { pieces.append((firstHere, lines)) }
        }
        guard next == last + 1 else {
            throw .damaged(path: journalDir, detail: "records up to \(last) were pinned but only \(next.map { String($0 - 1) } ?? "none") could be read")
        }
        for p in pieces { try writer.put("journal/" + Journal.segmentName(p.first), p.bytes) }
        return pieces.first?.first
    }
}
