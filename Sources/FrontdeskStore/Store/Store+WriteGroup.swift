import FrontdeskCore

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
        guard !items.isEmpty else { return [] }
        do { try requireWritable() } catch { return items.map { _ in .failure(error) } }
        do { try acquireWriterLock(operation) } catch { return items.map { _ in .failure(error) } }
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
        if let u = unsynced {
            do { try syncJournal(u) } catch {
                for i in journaled { results[i] = .failure(error) }
            }
        }
        if let boundary { finishCompactionNoting(boundary) }
        return results.map { $0! }
    }
}
