import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Makes sure the idempotency records of `keys` are in memory: reads the shard of each key
    /// (``IdempotencyLayout``) not read yet from the current generation. What the journal
    /// since the generation set or forgot (`touchedKeys`) is in memory already, and stays as
    /// memory has it when its shard is read for another key.
    ///
    /// A plan's keys (its footprint) are loaded this way before it runs, so a command reads
    /// only the shards of the keys it checks, whatever the size of the table.
    ///
    /// - Throws: `StoreError.damaged` naming a shard that does not verify (the store turns
    ///   read-only, as for a damaged partition).
    /// - Complexity: O(bytes of the shards read).
    public func loadIdempotencyKeys<S: Sequence>(_ keys: S) throws(StoreError) where S.Element == String {
        let layout = try currentKeyLayout()
        guard layout.count > 0 else { return }
        var wanted = Set<Int>()
        // A key the journal set or forgot since the generation is in memory as it stands.
        for k in keys where !touchedKeys.contains(k) { wanted.insert(layout.shard(of: k)) }
        wanted.subtract(loadedKeyShards)
        for n in wanted.sorted() where !loadedKeyShards.contains(n) {
            let records: [IdempotencyRecord]
            do {
                records = try generation.idempotencyShard(n, layout: layout, fs: fs)
            } catch .io(let op, let path, ENOENT) {
                // Compacted away under us: catch up, read the newer generation and start over
                // (its layout may differ).
                let before = generation.manifest.generation
                _ = try catchUp(holdingLock: lock.held)
                try adoptNewestGeneration()
                guard generation.manifest.generation != before else { throw .io(op: op, path: path, errno: ENOENT) }
                return try loadIdempotencyKeys(keys)
            } catch {
                throw noteDamage(error)
            }
            keyShardFilesRead += 1
            let touched = touchedKeys
            state.loadIdempotencyKeys(records.lazy.filter { !touched.contains($0.key) })
            loadedKeyShards.insert(n)
        }
    }

    /// The record stored for `key` (loading its shard), or nil if it has none: the raw table,
    /// expired keys not yet forgotten included (``BookingEngine/liveIdempotencyRecord(_:in:)``
    /// is what a plan goes by).
    public func idempotencyRecord(forKey key: String) throws(StoreError) -> IdempotencyRecord? {
        try loadIdempotencyKeys(CollectionOfOne(key))
        return state.idempotencyKeys[key]
    }

    /// Reads every idempotency shard into memory (a repair writes the whole table from
    /// memory). Returns one line per shard that does not verify, whose keys are then missing.
    func loadAllIdempotencyKeys() throws(StoreError) -> [String] {
        let layout = try currentKeyLayout()
        var missing: [String] = []
        for n in 0..<layout.count where !loadedKeyShards.contains(n) {
            do {
                let records = try generation.idempotencyShard(n, layout: layout, fs: fs)
                keyShardFilesRead += 1
                let touched = touchedKeys
                state.loadIdempotencyKeys(records.lazy.filter { !touched.contains($0.key) })
                loadedKeyShards.insert(n)
            } catch .damaged(let path, let detail) {
                missing.append("the idempotency keys in \(path) (\(detail)): a repeated keyed request whose key was there books again")
            }
        }
        return missing
    }

    /// The current generation's key layout; forgets which shards are loaded when the
    /// generation changed since they were (its shards may be split differently).
    func currentKeyLayout() throws(StoreError) -> IdempotencyLayout {
        if keyShardsGeneration != generation.manifest.generation {
            keyShardsGeneration = generation.manifest.generation
            loadedKeyShards = []
        }
        return try generation.idempotencyLayout()
    }
}
