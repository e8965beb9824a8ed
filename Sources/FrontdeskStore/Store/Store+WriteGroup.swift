import FrontdeskCore
import FrontdeskSystem

extension Store {
    /// Plans and durably records several independent changes under one hold of the write lock,
    /// with one `fdatasync` for all of them (a server's group commit).
    ///
    /// Each change is exactly one ``write(_:_:_:)``: its footprint loaded, planned against the
    /// state with the group's earlier changes applied (so two changes of one group never book
    /// the same slot), checked against its own `access`, and journaled as its own record. A
    /// refusal (`.core`) or a missing booking fails that change only. A storage failure fails
    /// that change and, once the store has turned read-only, every later one. After the lock
    /// is released the last segment written is fdatasynced (earlier segments were synced when
    /// the next one started); if that fails every journaled change of the group fails with the
    /// error and the store is read-only, as for `write`. Nothing is acknowledged before its
    /// record is durable.
    ///
    /// - Returns: one result per item, in order.
    /// - Complexity: the sum of the changes' planning costs; one lock hold and one fdatasync.
    public func writeGroup<T>(_ operation: String, _ items: [GroupedWrite<T>]) -> [Result<T, StoreError>] {
        finishGroup(beginGroup(operation, items))
    }

    /// The first half of ``writeGroup(_:_:)``: plans and journals the changes under one hold
    /// of the write lock, releases it, and starts the group's `fdatasync` on the store's
    /// flusher thread (inline when the file system does not allow concurrent use), so the
    /// caller can plan and journal the next group while this one's flush runs. Nothing is
    /// answered yet: ``finishGroup(_:)`` waits for the flush and gives the results.
    ///
    /// A later group is planned on this one's changes. If this flush fails, the store turns
    /// read-only and every group journaled after it fails too when finished, though its own
    /// flush may have returned: what it was planned on is lost.
    public func beginGroup<T>(_ operation: String, _ items: [GroupedWrite<T>]) -> PendingGroup<T> {
        func failing(_ error: StoreError) -> PendingGroup<T> {
            PendingGroup(results: items.map { _ in .failure(error) }, journaled: [], flush: nil, segment: nil)
        }
        guard !items.isEmpty else { return PendingGroup(results: [], journaled: [], flush: nil, segment: nil) }
        do { try requireWritable() } catch { return failing(error) }
        do { try acquireWriterLock(operation) } catch { return failing(error) }
        var results: [Result<T, StoreError>?] = Array(repeating: nil, count: items.count)
        var journaled: [Int] = []
        var unsynced: OpenFile?
        var boundary: UInt64?
        let ownAccess = access
        var caughtUp = false
        do {
            defer {
                access = ownAccess
                lock.release()
            }
            for (i, item) in items.enumerated() {
                if let reason = readOnlyReason {
                    results[i] = .failure(.readOnly(reason: reason))
                    continue
                }
                access = item.access
                do throws(StoreError) {
                    // Only the first change that gets this far reads the journal: the lock is
                    // held since, so nobody else has appended to it.
                    try prepareLocked(item.change, caughtUp: caughtUp)
                    caughtUp = true
                    let planned: Planned<T>
                    do {
                        planned = try item.plan(state, engine)
                        if let access { try Access.authorize(planned.transaction.actor, access, transaction: planned.transaction, before: state) }
                        try admitsBookings(of: planned.transaction)
                    } catch { throw .core(error) }
                    if !planned.transaction.isEmpty {
                        // A segment started by `append` fdatasynced the one before it: only the
                        // last segment written needs the group's flush.
                        unsynced = try append(planned.transaction, alreadyApplied: false, syncing: false)
                        journaled.append(i)
                    }
                    results[i] = .success(planned.value)
                } catch {
                    results[i] = .failure(error)
                }
            }
            if !journaled.isEmpty {
                boundary = beginCompactionIfDue()
                // A compaction that began started a new segment after fdatasyncing this one.
                if let u = unsynced, u != segment { unsynced = nil }
            }
        }
        var pending = PendingGroup(results: results.map { $0! }, journaled: journaled, flush: nil, segment: unsynced)
        if let u = unsynced {
            if fs.allowsConcurrentUse {
                let flush = flusher.start(u, fs: fs)
                lastFlush = (flush, u)
                pending.flush = flush
            } else {
                do { try syncJournal(u) } catch {
                    for i in journaled { pending.results[i] = .failure(error) }
                    pending.journaled = []
                }
            }
        }
        // The compaction's boundary segment was fdatasynced when the next one started.
        if let boundary { finishCompactionNoting(boundary) }
        return pending
    }

    /// The second half of ``writeGroup(_:_:)``: waits for the group's flush and gives one
    /// result per change, in order. A journaled change fails when its flush failed (the store
    /// is then read-only) or when an earlier group's flush failed.
    public func finishGroup<T>(_ group: PendingGroup<T>) -> [Result<T, StoreError>] {
        var results = group.results
        if let flush = group.flush, let segment = group.segment {
            if case .failure(let error) = flush.wait()! { noteFlushFailure(error, segment) }
            if let last = lastFlush, last.flush === flush { lastFlush = nil }
        }
        if let failure = flushFailure {
            for i in group.journaled { results[i] = .failure(failure) }
        }
        return results
    }

    /// Waits for the flush started last (and so for every one before it). A failed one turns
    /// the store read-only and is thrown, and so is any flush failure noted before.
    func settleFlushes() throws(StoreError) {
        if let last = lastFlush {
            lastFlush = nil
            if case .failure(let error) = last.flush.wait()! { noteFlushFailure(error, last.segment) }
        }
        if let flushFailure { throw flushFailure }
    }

    /// Notes that a journal flush of `segment` failed: the store turns read-only.
    func noteFlushFailure(_ error: StoreError, _ segment: OpenFile) {
        flushFailure = flushFailure ?? error
        readOnlyReason = readOnlyReason ?? Self.syncFailedReason(segment, error, undone: "the group's records are not acknowledged")
    }
}
