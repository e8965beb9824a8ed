import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Builds a new store from a backup (and the backups it continues), optionally rolled forward
/// only up to a point in time or a journal record.
public enum StoreRestore {
    /// Restores the backup at `source` (a backup directory, or a destination whose newest
    /// backup is taken) into `directory`, which must be missing or empty.
    ///
    /// 1. Loads the chain and verifies every file of it (size and CRC32C against each
    ///    `backup.json`) before writing anything.
    /// 2. Picks the last record N (`target`) and the newest generation at or before N from which
    ///    the chain holds every record up to N.
    /// 3. Writes the store as `Store.create` does, `FORMAT` last (a `creating` marker until
    ///    then): the generation's files (hard links with `linkFiles`, for the backup's own
    ///    verification; copies otherwise), the records up to the generation in `events/`, the
    ///    records after it up to N in the journal, the webhook configuration.
    /// 4. Opens the new store and runs `check()`, then `authorize` on it (the caller's role as
    ///    the restored staff grants give it); a restore that does not pass either is removed.
    ///
    /// - Throws: `.notEmpty` for a directory with anything in it, `.backupLinkMissing` naming
    ///   a missing backup of the chain, `.damaged` naming a backup file that does not verify,
    ///   `.outOfReach` for a point the chain cannot reach.
    /// - Complexity: reads the chain twice (verification, copy) and the restored store once.
    public static func restore(from source: String, into directory: String, target: RestoreTarget, linkFiles: Bool = false,
                               clock: any WallClock, options: StoreOptions = .init(),
                               authorize: (Store) throws(StoreError) -> Void = { _ in }) throws(StoreError) -> RestoreReport {
        let fs = RealFileSystem()
        if let st = fs.stat(directory) {
            guard st.isDirectory, try fs.list(directory).isEmpty else { throw .notEmpty(path: directory) }
        }
        let chain = try BackupChain.load(source, fs: fs)
        try chain.verify(fs: fs)
        let records = try chain.records(fs: fs)
        let generations = chain.generations
        guard let oldest = generations.first else {
            throw .damaged(path: chain.members.last?.path ?? source, detail: "the backup chain holds no snapshot generation")
        }
        let bySeq = Dictionary(records.map { ($0.seq, $0) }, uniquingKeysWith: { a, _ in a })

        let last: UInt64
        switch target {
        case .latest: last = chain.lastSequence
        case .sequence(let n):
            guard n <= chain.lastSequence else { throw .outOfReach(detail: "record \(n) is past the backup's last record \(chain.lastSequence)") }
            last = n
        case .time(let t):
            if let after = records.first(where: { $0.at > t }) { last = after.seq - 1 } else { last = chain.lastSequence }
        }
        // The newest generation from which every record up to `last` is held.
        let covering = generations.reversed().first { g in
            g.lastSequence <= last && (g.lastSequence..<last).allSatisfy { bySeq[$0 + 1] != nil }
        }
        guard let base = covering else {
            let earliest = oldest.lastSequence
            let when = bySeq[earliest].map { " (committed \($0.at.iso8601))" } ?? ""
            throw .outOfReach(detail: "record \(last) is before the earliest point the backup reaches, record \(earliest)\(when), or the records up to it are not all held")
        }

        // Write the store; on any failure, take away what was written.
        let existed = fs.stat(directory) != nil
        do throws(StoreError) {
            try write(directory, existed: existed, base: base, records: records, last: last, chain: chain, linkFiles: linkFiles,
                      storeFormat: chain.members.last?.manifest.storeFormat ?? StoreFormat.current, fs: fs, options: options)
        } catch {
            removeRestored(directory, existed: existed, fs: fs)
            throw error
        }

        var o = options
        o.fileSystem = RealFileSystem()
        let store: Store
        let check: CheckReport
        do throws(StoreError) {
            store = try Store.open(at: directory, clock: clock, options: o)
            check = store.check()
            guard check.ok else {
                throw StoreError.damaged(path: directory, detail: "the restored store fails its check: " + check.lines.filter { $0.hasPrefix("FAIL") }.joined(separator: "; "))
            }
            try authorize(store)
            try store.load(resources: nil, range: TimeRange(start: SupportedRange.lowerBound, end: SupportedRange.upperBound))
        } catch {
            removeRestored(directory, existed: existed, fs: fs)
            throw error
        }
        let customers: Int
        do { customers = try store.allCustomers().count } catch { customers = store.state.customers.count }
        return RestoreReport(path: directory, lastSequence: store.lastSequence, lastTime: bySeq[last]?.at, generation: base.number,
                             replayed: Int(last - base.lastSequence), bookings: store.state.bookings.count, customers: customers,
                             resources: store.state.resources.count, earliestSequence: oldest.lastSequence,
                             earliestTime: bySeq[oldest.lastSequence]?.at, check: check)
    }

    /// Writes the restored store's files into `directory` (missing or empty), `FORMAT` last.
    static func write(_ directory: String, existed: Bool, base: BackupChain.HeldGeneration, records: [BackupChain.HeldRecord],
                      last: UInt64, chain: BackupChain, linkFiles: Bool, storeFormat: Int, fs: RealFileSystem,
                      options: StoreOptions) throws(StoreError) {
        if !existed {
            try fs.mkdir(directory, mode: 0o700)
            let parent = Path.parent(of: directory)
            try fs.fsyncDirectory(parent.isEmpty ? "." : parent)
        }
        try fs.chmod(directory, mode: 0o700)
        try fs.confine(to: directory)
        try fs.writeNewFile(directory + "/FORMAT", Array("\(Store.creatingMarker)\n".utf8))
        try fs.fsyncDirectory(directory)
        for d in ["journal", "snapshots", "tmp", "events"] { try fs.makeDirectory(directory + "/" + d) }
        let lockFile = try fs.open(directory + "/LOCK", flags: O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o660)
        fs.close(lockFile)
        try fs.chmod(directory + "/LOCK", mode: 0o660)

        // The generation, file by file (its list comes from `Generation.fileNames`).
        let gen = try Generation.open(base.path, fs: fs)
        let target = directory + "/snapshots/" + Manifest.name(base.number)
        var made: Set<String> = [target]
        try fs.makeDirectory(target)
        var directories: [String] = [target]
        for rel in try gen.fileNames() {
            var parts = rel.split(separator: "/").dropLast()
            var prefix = target
            while let p = parts.first {
                parts.removeFirst()
                prefix += "/" + p
                if made.insert(prefix).inserted { try fs.makeDirectory(prefix); directories.append(prefix) }
            }
            if linkFiles {
                try fs.link(base.path + "/" + rel, to: target + "/" + rel)
            } else {
                try fs.writeNewFile(target + "/" + rel, try fs.readFile(base.path + "/" + rel))
            }
        }
        for d in directories.reversed() { try fs.fsyncDirectory(d) }

        // Records: up to the generation (a consecutive run ending there) to events/, after it to the journal.
        var cache: [String: [UInt8]] = [:]
        func line(_ r: BackupChain.HeldRecord) throws(StoreError) -> ArraySlice<UInt8> {
            if cache[r.file] == nil { cache = [r.file: try fs.readFile(r.file)] }
            return cache[r.file]![r.range]
        }
        var before: [BackupChain.HeldRecord] = []
        for r in records.reversed() where r.seq <= base.lastSequence {
            if let next = before.last, next.seq != r.seq + 1 { break }
            if before.isEmpty && r.seq != base.lastSequence { break }
            before.append(r)
        }
        if let first = before.last {
            var bytes: [UInt8] = []
            for r in before.reversed() { bytes += try line(r) }
            try fs.writeNewFile(directory + "/events/" + Journal.segmentName(first.seq), bytes)
        }
        var journal: [UInt8] = []
        for r in records where r.seq > base.lastSequence && r.seq <= last { journal += try line(r) }
        // Padded like a segment a writer made, so the first write overwrites zeros.
        let step = Int(options.preallocateBytes)
        if step > 0 { journal += [UInt8](repeating: 0, count: step - journal.count % step) }
        try fs.writeNewFile(directory + "/journal/" + Journal.segmentName(base.lastSequence + 1), journal)

        // The webhook configuration of the newest backup that holds one.
        for side in Store.backedUpSideFiles {
            guard let m = chain.members.last(where: { $0.manifest.files["side/" + side] != nil }) else { continue }
            try fs.writeNewFile(directory + "/" + side, try fs.readFile(m.path + "/side/" + side))
        }
        for d in ["journal", "snapshots", "tmp", "events"] { try fs.fsyncDirectory(directory + "/" + d) }
        try fs.fsyncDirectory(directory)
        try fs.writeNewFile(directory + "/tmp/FORMAT", Array("\(storeFormat)\n".utf8))
        try fs.rename(directory + "/tmp/FORMAT", to: directory + "/FORMAT")
        try fs.fsyncDirectory(directory)
    }

    /// Takes away what a failed restore wrote: the directory's entries (links removed
    /// themselves, never followed), and the directory if the restore made it.
    static func removeRestored(_ directory: String, existed: Bool, fs: RealFileSystem) {
        if existed {
            for name in (try? fs.list(directory)) ?? [] { try? fs.removeTree(directory + "/" + name) }
        } else {
            // The directory itself is the confined root, which `fs` does not remove.
            try? RealFileSystem().removeTree(directory)
        }
    }
}
