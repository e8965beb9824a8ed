#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskSystem
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Takes the writer's lock for `operation` (``write(_:_:_:)`` and ``writeGroup(_:_:)``),
    /// reading what others append while it waits, and notes who holds it when it stays busy
    /// (``busyHolder``).
    ///
    /// - Throws: `.busy` after `lockTimeout`, or the lock file's I/O error.
    func acquireWriterLock(_ operation: String) throws(StoreError) {
        do {
            try lock.acquire(operation: operation, user: options.user, timeout: options.lockTimeout) {
                _ = try? self.catchUp(holdingLock: false, followRotation: false)
            }
            busyHolder = nil
        } catch {
            if case .busy(let holder) = error { busyHolder = holder } else { busyHolder = nil }
            throw error
        }
    }

    /// Plans and durably records one change.
    ///
    /// Takes the lock (`LockFile.acquire`: waits up to `lockTimeout`, else `.busy`),
    /// catches up on other processes' records, loads the partitions of the change's footprint
    /// (`BookingEngine.footprint(of:in:)`: its ranges, widened by the largest buffer plus a day,
    /// on its resources and their related resources),
    /// runs `plan` on the up-to-date state, appends one record, applies it, releases the lock,
    /// fdatasyncs the record and only then returns (group commit: see STORAGE.md). An empty
    /// transaction writes nothing. A planning refusal is thrown as `.core`. After a failed
    /// fdatasync the store is read-only until reopened.
    public func write<T>(_ operation: String, _ change: ChangeRequest,
                         _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws(StoreError) -> T {
        try requireWritable()
        // Timestamps only for an observer (`StoreOptions.commitObserver`).
        let observer = options.commitObserver
        let timed = observer != nil
        func now() -> Double { timed ? LockFile.monotonic() : 0 }
        let called = now()
        // While the lock is busy, read what others append (a lock-free read, exactly like
        // refresh()), so the critical section only decodes what arrives last. An uncontended
        // lock is taken at once and the catch-up under it reads the same bytes: looking before
        // the lock too would cost a commit two system calls and a scan for nothing.
        // (Rotations are followed under the lock, which has to look for them anyway.)
        try acquireWriterLock(operation)
        let locked = now()
        let value: T
        var boundary: UInt64?
        var unsynced: OpenFile?
        var journaled = false
        do {
            defer { lock.release() }
            try prepareLocked(change)
            let planned: Planned<T>
            do {
                planned = try plan(state, engine)
                if let access { try Access.authorize(planned.transaction.actor, access, transaction: planned.transaction, before: state) }
                try admitsBookings(of: planned.transaction)
            } catch { throw .core(error) }
            if !planned.transaction.isEmpty {
                journaled = true
                unsynced = try append(planned.transaction, alreadyApplied: false, syncing: false)
                boundary = beginCompactionIfDue()
                // A compaction that began started a new segment and closed this one, but only
                // after fdatasyncing it (`startSegment`): the record is durable already.
                if let u = unsynced, u != segment { unsynced = nil }
            }
            value = planned.value
        }
        // Group commit: the fdatasync comes after the lock is released, so the next writer
        // plans and appends while the disk works, and one flush can carry several records.
        // Not acknowledged until then; see STORAGE.md "Group commit".
        let released = now()
        if let segment = unsynced { try syncJournal(segment) }
        if let observer, journaled {
            observer.committed(CommitTiming(beforeLock: locked - called, holdingLock: released - locked,
                                syncing: unsynced == nil ? 0 : now() - released,
                                beganCompaction: boundary != nil))
        }
        // Acknowledged and unlocked: other writers go on while this process compacts.
        if let boundary { finishCompactionNoting(boundary) }
        return value
    }

    /// Many plans under one lock (bulk import): each is judged against the state with all the
    /// previous ones applied; accepted ones are committed in chunks of `chunkSize` plans per
    /// journal record (one fdatasync per chunk). Returns one result per item, in order.
    ///
    /// If writing a chunk fails, it throws `.batchInterrupted(committed: n, ...)`: the first n
    /// items (earlier chunks) are durable, the rest are not, and the store turns read-only
    /// ("reopen required") because memory is ahead of the disk.
    ///
    /// - Complexity: O(items × planning cost); one fsync per chunk.
    public func writeBatch<Item, T>(_ operation: String, _ change: ChangeRequest, items: [Item], chunkSize: Int = 1000,
                                    _ plan: (Item, BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws(StoreError) -> [Result<T, CoreError>] {
        try requireWritable()
        try lock.acquire(operation: operation, user: options.user, timeout: options.lockTimeout)
        var boundary: UInt64?
        let results: [Result<T, CoreError>]
        do {
            defer { lock.release() }
            results = try writeBatchLocked(change, items: items, chunkSize: chunkSize, plan)
            boundary = beginCompactionIfDue()
        }
        if let boundary { finishCompactionNoting(boundary) }
        return results
    }

    /// `writeBatch` under the lock, without the compaction.
    private func writeBatchLocked<Item, T>(_ change: ChangeRequest, items: [Item], chunkSize: Int,
                                           _ plan: (Item, BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws(StoreError) -> [Result<T, CoreError>] {
        try prepareLocked(change)
        // An import grows the tables once instead of rehashing them a dozen times on the way.
        if items.count >= 256 {
            state.reserveCapacity(forAdditionalBookings: items.count)
            touched.reserveCapacity(touched.count + items.count)
        }
        var results: [Result<T, CoreError>] = []
        results.reserveCapacity(items.count)
        // The chunk's planned transactions, merged into its one record on the encoding thread.
        var pending: [Transaction] = []
        pending.reserveCapacity(chunkSize)
        var committed = 0
        // One chunk is merged, encoded, written and fdatasynced on another thread
        // (`ChunkJob`) while the next is planned; the next chunk's job starts only after this
        // one has ended, so records still go out in order, each durable before the next is
        // written, exactly as `appendLine` would write them.
        // The parts stay here until the job has ended, so that they (allocated on this thread)
        // are also freed on it: frees from the job's thread contended for malloc's arena lock.
        var inFlight: (job: ChunkJob, parts: [Transaction], items: Int)?
        func drain() throws(StoreError) {
            guard let f = inFlight else { return }
            inFlight = nil
            switch f.job.wait() {
            case .success(let bytes):
                offset += Int64(bytes)
                for p in f.parts { noteChanges(p, seq: f.job.seq) }
                lastSequence = f.job.seq
                committed = f.items
            case .failure(let failure):
                readOnlyReason = readOnlyReason ?? failure.reason ?? "a batch write failed (\(failure.error)); memory is ahead of the disk: reopen required"
                throw .batchInterrupted(committed: committed, reason: "\(failure.error)")
            }
        }
        func flush() throws(StoreError) {
            try drain()
            guard !pending.isEmpty else { committed = results.count; return }
            if options.rotateAfterBytes > 0 && offset >= options.rotateAfterBytes {
                do { try startSegment() } catch {
                    readOnlyReason = readOnlyReason ?? "a batch write failed (\(error)); memory is ahead of the disk: reopen required"
                    throw .batchInterrupted(committed: committed, reason: "\(error)")
                }
            }
            guard let segment else {
                readOnlyReason = readOnlyReason ?? "no journal segment is open; memory is ahead of the disk: reopen required"
                throw .batchInterrupted(committed: committed, reason: "no journal segment is open")
            }
            inFlight = (ChunkJob(parts: pending, seq: lastSequence + 1, compactEvents: format >= 2, segment: segment, offset: offset,
                                 fs: fs, preallocateBytes: options.preallocateBytes), pending, results.count)
            pending.removeAll(keepingCapacity: true)
        }
        for item in items {
            do {
                let p = try plan(item, state, engine)
                if let access { try Access.authorize(p.transaction.actor, access, transaction: p.transaction, before: state) }
                try admitsBookings(of: p.transaction)
                if !p.transaction.isEmpty {
                    state.apply(p.transaction)
                    pending.append(p.transaction)
                }
                results.append(.success(p.value))
            } catch {
                results.append(.failure(error))
            }
            if pending.count >= chunkSize { try flush() }
        }
        try flush()
        try drain()
        return results
    }

    func requireWritable() throws(StoreError) {
        if let r = readOnlyReason { throw .readOnly(reason: r) }
    }

    /// Under the lock: clear `tmp/` (first time; not compaction work), catch up, repair a torn
    /// tail, load what the plan of `change` reads (its footprint, computed on the caught-up state).
    /// `caughtUp`: this hold of the lock caught up already (a group commit's later changes);
    /// nobody else appends while it is held, so the journal is not read again.
    func prepareLocked(_ change: ChangeRequest, caughtUp: Bool = false) throws(StoreError) {
        if !caughtUp {
            sweepLocked()
            _ = try catchUp(holdingLock: true)
        }
        try requireWritable()
        var footprint = engine.footprint(of: change, in: state)
        if !footprint.unresolved.isEmpty {
            // Bookings named by id but not in memory: find them (their partition and series),
            // then their current ranges are part of the footprint.
            for id in footprint.unresolved { _ = try booking(idOrRef: id.rawValue) }
            footprint = engine.footprint(of: change, in: state)
        }
        // Every occurrence of a series the change reaches beyond one booking (a lookup when
        // the series is loaded already).
        for id in footprint.series { _ = try booking(idOrRef: id.rawValue) }
        // Planning reads the neighbours' bookings in the footprint's ranges, not their customers
        // nor the rest of their partitions: only the change's own customers are loaded.
        var keys: Set<String> = []
        for r in footprint.ranges { keys.formUnion(try partitionKeys(resources: footprint.resources, range: r)) }
        try loadBookings(ofPartitions: keys, overlapping: footprint.ranges)
        try loadCustomers(Set(footprint.customers))
        try loadIdempotencyKeys(footprint.idempotencyKeys)
    }

    /// Appends `tx` as the next record (`appendLine`), starting a new segment first if this one
    /// is full. Lock held. Returns the segment when `syncing` is false: the caller must
    /// `syncJournal` it before acknowledging.
    @discardableResult
    func append(_ tx: Transaction, alreadyApplied: Bool, syncing: Bool = true) throws(StoreError) -> OpenFile? {
        if options.rotateAfterBytes > 0 && offset >= options.rotateAfterBytes { try startSegment() }
        return try appendLine(try JournalRecord(seq: lastSequence + 1, tx: tx, compactEvents: format >= 2).encoded(),
                              tx: tx, alreadyApplied: alreadyApplied, syncing: syncing)
    }

    /// Appends record `lastSequence + 1`, already encoded as `line`, fdatasyncs (unless not
    /// `syncing`: then returns the segment, which the caller must `syncJournal` before it
    /// acknowledges), applies `tx` (unless already applied). Lock held, caught up (no torn tail).
    ///
    /// The record goes at `offset`, the valid end, never at the end of the file: normally into
    /// the segment's preallocated zeros, so the fdatasync journals no size change. A record that
    /// does not fit is followed by zeros up to the next multiple of `preallocateBytes` past it
    /// (one fdatasync for both), extending the file. A failed write is undone (`writeRecord`);
    /// if that fails too the store turns read-only.
    @discardableResult
    func appendLine(_ line: [UInt8], tx: Transaction, alreadyApplied: Bool, syncing: Bool = true) throws(StoreError) -> OpenFile? {
        guard let segment else { throw .readOnly(reason: "no journal segment is open") }
        let rec = JournalRecord(seq: lastSequence + 1, tx: tx)
        if let failure = Self.writeRecord(line, to: segment, at: offset, fs: fs, preallocateBytes: options.preallocateBytes) {
            if let undo = failure.undoError { readOnlyReason = Self.undoFailedReason(undo) }
            throw failure.error
        }
        if syncing { try syncJournal(segment) }
        offset += Int64(line.count)
        if alreadyApplied {
            noteChanges(tx, seq: rec.seq)
            lastSequence = rec.seq
        } else {
            applyRecord(rec)
        }
        return syncing ? nil : segment
    }

    /// fdatasyncs a journal segment. On failure the store turns read-only, the reason saying
    /// what the failure left undone (`undone`): Linux may have dropped the dirty pages, so a
    /// retry could "succeed" without the data.
    func syncJournal(_ segment: OpenFile, undone: String = "the record is not acknowledged") throws(StoreError) {
        // A group's flush that failed before lost records this one may build on.
        try settleFlushes()
        do { try fs.fdatasync(segment) } catch {
            readOnlyReason = Self.syncFailedReason(segment, error, undone: undone)
            throw error
        }
    }

    /// Writes a record's framed `line` at `offset` of `segment`, followed, when it runs past
    /// the end of the file, by zeros up to the next multiple of `preallocateBytes` (written from
    /// a shared block of zeros, so a bulk import's megabyte records are not copied to pad
    /// them). A failed write is undone: zeros back over the record's bytes, the file cut back
    /// to its old size if it grew. Touches no store state, so a bulk import's encoding thread
    /// can run it (`ChunkJob`).
    ///
    /// - Returns: nil when written; else the error, and the undo's error if that failed too
    ///   (then the bytes on disk are unknown: the store must turn read-only).
    static func writeRecord(_ line: [UInt8], to segment: OpenFile, at offset: Int64, fs: any FileSystem,
                            preallocateBytes: Int64) -> (error: StoreError, undoError: StoreError?)? {
        let size: Int64
        do { size = try fs.size(segment) } catch { return (error, nil) }
        let end = offset + Int64(line.count)
        let padding = end > size && preallocateBytes > 0 ? Int((end / preallocateBytes + 1) * preallocateBytes - end) : 0
        do throws(StoreError) {
            try fs.writeAll(segment, line, at: offset)
            var padded = 0
            while padded < padding {
                let n = min(padding - padded, zeroBlock.count)
                try zeroBlock.withUnsafeBytes { z in
                    Result { () throws(StoreError) in try fs.writeAll(segment, UnsafeRawBufferPointer(rebasing: z[..<n]), at: end + Int64(padded)) }
                }.get()
                padded += n
            }
        } catch {
            do {
                if end + Int64(padding) > size { try fs.ftruncate(segment, to: max(size, offset)) }
                if size > offset { try fs.writeAll(segment, [UInt8](repeating: 0, count: Int(min(size, end) - offset)), at: offset) }
            } catch let undo {
                return (error, undo)
            }
            return (error, nil)
        }
        return nil
    }

    static func undoFailedReason(_ undo: StoreError) -> String {
        "a journal write failed and could not be undone (\(undo)): reopen required"
    }

    static func syncFailedReason(_ segment: OpenFile, _ error: StoreError, undone: String) -> String {
        "fdatasync of \(segment.path) failed (\(error)): \(undone); reopen required"
    }

    /// Zeros `writeRecord` writes its padding from, a block at a time.
    static let zeroBlock = [UInt8](repeating: 0, count: 64 << 10)

    /// Starts journal segment `lastSequence + 1`: written in tmp/ (preallocated: filled with
    /// zeros), fsynced, renamed into journal/, then the journal directory is fsynced before any
    /// record goes into it. Lock held, caught up (no torn tail).
    ///
    /// First the current segment's unused preallocated space is cut off (ftruncate to the valid
    /// end) and the segment fdatasynced, so retired segments end exactly after their last
    /// record: that keeps `events/` small and lets programs from before preallocation, which
    /// take zeros in a segment that is not the last for damage, follow the rotation. A crash
    /// between the two steps leaves a last segment without padding, which the next writer
    /// extends.
    func startSegment() throws(StoreError) {
        let first = lastSequence + 1
        if segmentFirst == first { return }
        if let segment {
            if try fs.size(segment) > offset { try fs.ftruncate(segment, to: offset) }
            // Even without padding to cut: another process may have appended its record and
            // let go of the lock before its fdatasync (group commit), and the records of the
            // new segment may depend on it.
            try syncJournal(segment, undone: "no new segment was started")
        }
        let name = Journal.segmentName(first)
        // A name of our own: whatever a group member left under a predictable one (a directory
        // it alone can empty) must not stop the journal from rotating.
        let tmp = tmpDir + "/segment-" + name + "-\(getpid())-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let f = try fs.open(tmp, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o660)
        do {
            try fs.chmod(tmp, mode: 0o660)
            try preallocate(f)
            try fs.fsync(f)
            try fs.rename(tmp, to: journalDir + "/" + name)
        } catch {
            fs.close(f)
            throw error
        }
        // The new segment is now the last one: nothing may go into the old one any more.
        if let segment { fs.close(segment) }
        segment = OpenFile(fd: f.fd, path: journalDir + "/" + name)
        segmentFirst = first
        offset = 0
        tornLength = 0
        do { try fs.fsyncDirectory(journalDir) } catch {
            readOnlyReason = "fsync of \(journalDir) failed (\(error)) after starting a segment: reopen required"
            throw error
        }
    }

    /// Whether the write that just committed should start a compaction: the current segment
    /// (records since the last compaction boundary, the same for every process) holds
    /// `compactAfterRecords` records or `compactAfterBytes` bytes. Backstop, for segments cut
    /// short by `rotateAfterBytes`: 4 × `compactAfterRecords` records since the generation this
    /// process last adopted, and at least an eighth of the threshold in the current segment (a
    /// process whose generation is stale while another compacts for a long time must not start
    /// a segment at every write). Lock held, caught up.
    var compactionDue: Bool {
        let limit = UInt64(max(1, options.compactAfterRecords))
        let inSegment = lastSequence + 1 - min(segmentFirst, lastSequence + 1)
        let sinceSnapshot = lastSequence - min(generation.manifest.lastSequence, lastSequence)
        return inSegment >= limit || offset >= options.compactAfterBytes
            || (sinceSnapshot >= 4 * limit && inSegment * 8 >= limit)
    }

    /// After a committed write, lock held: if a compaction is due (and this process is not
    /// still running the previous one), sets its boundary (`beginCompactionLocked`) and
    /// returns it. A failure is only noted: the write stands.
    func beginCompactionIfDue() -> UInt64? {
        guard compactionDue, backgroundCompaction == nil else { return nil }
        do { return try beginCompactionLocked() } catch {
            notices.append("compaction failed: \(error)")
            return nil
        }
    }

    /// After the write lock was released: the rest of a compaction begun at `boundary`, on a
    /// background thread when the file system allows it (`startCompaction`), else here. A
    /// failure is only noted (the write was acknowledged); the next boundary retries.
    func finishCompactionNoting(_ boundary: UInt64) {
        if options.compactInBackground && fs.allowsConcurrentUse {
            startCompaction(upTo: boundary)
            return
        }
        do { try finishCompaction(upTo: boundary, wait: false) } catch {
            notices.append("compaction failed: \(error)")
        }
    }

    /// Folds the journal into a new snapshot generation: the boundary under the write lock,
    /// the generation after releasing it (see `beginCompactionLocked`, `Compaction.run`).
    /// Waits for this process's background compaction, and up to `lockTimeout` for one
    /// running in another process.
    public func compact() throws(StoreError) {
        settleCompaction(waiting: true)
        try requireWritable()
        try lock.acquire(operation: "compact", user: options.user, timeout: options.lockTimeout)
        let boundary: UInt64
        do {
            defer { lock.release() }
            sweepLocked()
            _ = try catchUp(holdingLock: true)
            try requireWritable()
            boundary = try beginCompactionLocked()
        }
        try finishCompaction(upTo: boundary, wait: true)
    }

    /// Phase 1 of a compaction, write lock held (cheap): journals forgetting idempotency keys
    /// older than `idempotencyRetention` (an ordinary record, so every process forgets the same
    /// keys), then starts journal segment S+1, where S = `lastSequence`, so that the snapshot
    /// boundary is a segment boundary. Returns S. Writers append to the new segment from now on.
    /// Also deletes all-zero torn-tail copies an older program left (`removeZeroTornCopies`).
    func beginCompactionLocked() throws(StoreError) -> UInt64 {
        let prune = engine.pruneIdempotencyKeys(in: state)
        if !prune.isEmpty { try append(prune, alreadyApplied: false) }
        try startSegment()
        removeZeroTornCopies()
        return lastSequence
    }

    /// Names in `tmp/` owned by compactions (`compact-<gen>-<pid>-<random>` being written,
    /// `compact-deleted-<gen>` being deleted): only a holder of the compaction lock creates or removes them.
    static let compactionPrefix = "compact-"

    /// Phase 2 of a compaction (`Compaction.run`) on this thread, adopting what it wrote.
    /// Memory must be exactly the state at `boundary` (nothing caught up in between).
    /// Returns whether it wrote a generation.
    @discardableResult
    func finishCompaction(upTo boundary: UInt64, wait: Bool, force: Bool = false) throws(StoreError) -> Bool {
        guard lastSequence == boundary else { return false }
        let outcome: Compaction.Outcome
        do { outcome = try compaction(upTo: boundary, wait: wait, force: force).run() } catch { throw noteBaseDamage(error) }
        notices += outcome.notices
        if let g = outcome.adopt { adopt(g, changedSince: [], referencesChangedSince: [], keysChangedSince: [], customersChangedSince: []) }
        return outcome.wrote
    }

    /// Phase 2 of a compaction on a background thread (`CompactionJob`); this process goes on
    /// writing, noting what changes after `boundary`, and adopts the outcome later
    /// (`settleCompaction`). Memory must be exactly the state at `boundary`.
    func startCompaction(upTo boundary: UInt64) {
        guard lastSequence == boundary, backgroundCompaction == nil else { return }
        backgroundCompaction = BackgroundCompaction(job: CompactionJob(compaction(upTo: boundary, wait: false, force: false)))
    }

    /// The compaction of the state in memory, which must be the state at `boundary`.
    func compaction(upTo boundary: UInt64, wait: Bool, force: Bool) -> Compaction {
        var content = SnapshotContent(state, changed: touched, changedReferenceFiles: changedReferenceFiles,
                                      changedKeys: touchedKeys, keysExpireBefore: engine.clock.now() - options.idempotencyRetention,
                                      changedCustomers: customerLayout.isSharded ? touchedCustomers : nil)
        content.keysPerShard = options.idempotencyKeysPerShard
        content.customersPerShard = options.customersPerShard
        content.customerIndexEntriesPerShard = options.customerIndexEntriesPerShard
        content.minimumShards = options.minimumShards
        content.searchSizes = options.searchIndexSizes
        content.audit = auditTail
        return Compaction(fs: fs, directory: directory, options: options, format: format, boundary: boundary, base: generation,
                          content: content, wait: wait, force: force)
    }

    /// Adopts this process's background compaction once it has ended (or, `waiting`, after
    /// waiting for it): loads partitions from the generation it wrote from now on, and notes
    /// its failure if it failed (the next boundary retries). Cheap when there is none.
    func settleCompaction(waiting: Bool) {
        guard let running = backgroundCompaction, waiting || running.job.isFinished else { return }
        backgroundCompaction = nil
        switch running.job.wait() {
        case .success(let outcome):
            notices += outcome.notices
            if let g = outcome.adopt {
                adopt(g, changedSince: running.changedSince, referencesChangedSince: running.referencesChangedSince,
                      keysChangedSince: running.keysChangedSince, customersChangedSince: running.customersChangedSince)
            }
        case .failure(let error):
            notices.append("compaction failed: \(noteBaseDamage(error))")
        }
    }

    /// Loads partitions from `gen`, which holds exactly the state at its `lastSequence`; what
    /// changed after that (`changedSince`, `referencesChangedSince`, `keysChangedSince`,
    /// `customersChangedSince`) is all that is still newer in memory. Ignored if this process
    /// already moved on to a newer generation.
    func adopt(_ gen: Generation, changedSince: Set<BookingID>, referencesChangedSince: Set<String>,
               keysChangedSince: Set<String>, customersChangedSince: Set<CustomerID>) {
        guard gen.manifest.generation > generation.manifest.generation else { return }
        generation = gen
        auditTail.removeAll { $0.seq <= gen.manifest.lastSequence }
        touched = changedSince
        changedReferenceFiles = referencesChangedSince
        touchedKeys = keysChangedSince
        touchedCustomers = customersChangedSince
        // Only what changed after the boundary still counts in memory; the rest is in the
        // generation's index now (a whole customers.json included: it was just sharded).
        customersInMemory = CustomerMemoryIndex()
        for id in customersChangedSince { if let c = state.customers[id] { customersInMemory.put(c) } }
        seriesMap = nil
    }

    /// Waits for this process's background compaction, if one is running, and adopts it. Call
    /// before the process exits: an unfinished compaction is harmless (the next one cleans up
    /// after it) but leaves the journal longer for every process that opens the store.
    public func waitForBackgroundWork() {
        settleCompaction(waiting: true)
    }
}

/// This process's compaction running on another thread, and what changed after its boundary.
struct BackgroundCompaction {
    let job: CompactionJob
    var changedSince: Set<BookingID> = []
    var referencesChangedSince: Set<String> = []
    var keysChangedSince: Set<String> = []
    var customersChangedSince: Set<CustomerID> = []
}

/// One chunk of a bulk import, encoded and written on another thread while `writeBatch` plans
/// the next: its planned transactions merged into one
/// (the first one's actor, the last one's time), encoded as record `seq`, written at `offset`
/// of `segment` (`Store.writeRecord`) and fdatasynced. It touches no store state; `writeBatch`
/// does the bookkeeping after `wait()`, and starts no other write to the journal meanwhile.
final class ChunkJob: Sendable {
    struct Failure: Error {
        var error: StoreError
        /// Why the store must turn read-only beyond the batch's own reason, if it must say more.
        var reason: String?
    }

    let seq: UInt64
    private let result = Completion<Result<Int, Failure>>()

    init(parts: [Transaction], seq: UInt64, compactEvents: Bool, segment: OpenFile, offset: Int64, fs: any FileSystem, preallocateBytes: Int64) {
        self.seq = seq
        let result = self.result
        let work: @Sendable () -> Void = {
            var tx = Transaction(at: parts.last!.at, actor: parts[0].actor)
            tx.mutations.reserveCapacity(parts.reduce(0) { $0 + $1.mutations.count })
            tx.events.reserveCapacity(parts.reduce(0) { $0 + $1.events.count })
            // Every booking's plan carries the counters after it; the record needs only the
            // highest (applying it equals applying them all: counters only go up), which
            // leaves ~100 bytes a booking out of an import's journal.
            var counters: Counters?
            for p in parts {
                for m in p.mutations {
                    if case .counters(let c) = m { counters = counters?.merged(with: c) ?? c } else { tx.mutations.append(m) }
                }
                tx.events += p.events
            }
            if let counters { tx.mutations.append(.counters(counters)) }
            result.complete(Self.write(tx, seq: seq, compactEvents: compactEvents, segment: segment, offset: offset, fs: fs,
                                       preallocateBytes: preallocateBytes))
        }
        // No thread to be had: the chunk is written here, before the next one is planned.
        if DetachedThread.start(work) != nil { work() }
    }

    private static func write(_ tx: Transaction, seq: UInt64, compactEvents: Bool, segment: OpenFile, offset: Int64, fs: any FileSystem,
                              preallocateBytes: Int64) -> Result<Int, Failure> {
        let line: [UInt8]
        do { line = try JournalRecord(seq: seq, tx: tx, compactEvents: compactEvents).encoded() } catch {
            return .failure(Failure(error: error))
        }
        if let failure = Store.writeRecord(line, to: segment, at: offset, fs: fs, preallocateBytes: preallocateBytes) {
            return .failure(Failure(error: failure.error, reason: failure.undoError.map(Store.undoFailedReason)))
        }
        do { try fs.fdatasync(segment) } catch {
            return .failure(Failure(error: error, reason: Store.syncFailedReason(segment, error, undone: "the record is not acknowledged")))
        }
        return .success(line.count)
    }

    /// The bytes the record took in the segment, once the job has ended.
    func wait() -> Result<Int, Failure> {
        result.wait()!
    }
}

extension Store {
    /// Journals a transaction that was not planned by the engine (tests build series by hand
    /// with it, independent of the recurrence rules). Same lock/catch-up/fsync path; loads no
    /// bookings.
    func writeUnplanned(_ operation: String, _ tx: Transaction) throws(StoreError) {
        try requireWritable()
        try lock.acquire(operation: operation, user: options.user, timeout: options.lockTimeout)
        defer { lock.release() }
        try prepareLocked(.directory)
        if !tx.isEmpty { try append(tx, alreadyApplied: false) }
    }
}

extension Store {
    /// Applies `change` to the caught-up state under the write lock and writes the result as a
    /// new snapshot generation, with no journal record; then forgets the bookings `change`
    /// returned from memory. Nothing plans the change: the caller vouches that what it adds is
    /// valid: generators of large stores (`FrontdeskStoreTesting`'s seeding) and a migration
    /// into a new store nobody uses yet (``replaceContent(with:)``, objects another store's
    /// engine or database checked); never a change to a store in use.
    /// `referenceFiles` names the reference files (`customers.json`, …) the change rewrites.
    package func writeGeneration(referenceFiles: Set<String> = [], _ change: (inout BookingState) -> [BookingID]) throws(StoreError) {
        try requireWritable()
        try lock.acquire(operation: "generate", user: options.user, timeout: options.lockTimeout)
        defer { lock.release() }
        sweepLocked()
        _ = try catchUp(holdingLock: true)
        let before = state.customers
        let keysBefore = state.idempotencyKeys
        let added = change(&state)
        for id in added { touched.insert(id) }
        changedReferenceFiles.formUnion(referenceFiles)
        for (id, c) in state.customers where before[id] != c { touchedCustomers.insert(id) }
        // Keys the change set or removed count as changed, like journaled ones.
        let keysAfter = state.idempotencyKeys
        for (k, r) in keysAfter where keysBefore[k] != r { touchedKeys.insert(k) }
        for k in keysBefore.keys where keysAfter[k] == nil { touchedKeys.insert(k) }
        // Forced: the change is in no journal record, so a generation at this sequence must be
        // written even if one exists.
        let boundary = try beginCompactionLocked()
        try finishCompaction(upTo: boundary, wait: true, force: true)
        state.unload(added)
        // Written into the generation: read back from its shards when needed.
        state.unloadIdempotencyKeys(Array(keysAfter.keys))
        loadedKeyShards = []
    }
}
