import FrontdeskCore

extension SnapshotWriter {
    /// Writes the generation's idempotency shards (``IdempotencyLayout``): every shard has a
    /// file, so the manifest records the count.
    ///
    /// - The whole table (`keysWhole`: a new store, a repair), or a base without shards (none
    ///   at all, or the single `idempotency.json` of an older generation, read once here):
    ///   the table is split into as many shards as its size calls for.
    /// - A sharded base: the shards of the changed keys, plus ``IdempotencyLayout/sweptPerCompaction``
    ///   others chosen by the generation number (so successive compactions visit every shard),
    ///   are read, merged with the changes and rewritten without their expired keys; a shard
    ///   that neither changed nor lost a key is linked like every other one. Expired keys left
    ///   in other shards are harmless (a lookup takes them for absent, see
    ///   `BookingEngine.liveIdempotencyRecord`) until a later sweep reaches them.
    /// - When the size estimated from the shards read (``IdempotencyLayout/count(forEntries:current:)``)
    ///   calls for another count, every shard is rewritten, one old shard (growing) or one new
    ///   shard (shrinking) at a time: with both counts powers of two, a new shard's keys come
    ///   from the old shards congruent to it.
    ///
    /// - Complexity: O(keys in the shards read and written); O(all keys) when the count changes.
    mutating func putIdempotencyShards(generation: UInt64) throws(StoreError) {
        let content = self.content
        let cutoff = content.keysExpireBefore
        @Sendable func live(_ r: IdempotencyRecord) -> Bool { cutoff.map { r.createdAt >= $0 } ?? true }
        let none = IdempotencyLayout(count: 0, legacy: false)
        let old = content.keysWhole ? none : try base?.idempotencyLayout() ?? none

        guard let base, old.count > 0, !old.legacy else {
            var table: [String: IdempotencyRecord] = [:]
            if old.legacy, let base {
                for r in try base.idempotencyShard(0, layout: old, fs: fs) { table[r.key] = r }
            }
            for (k, r) in content.keys { table[k] = r }
            let entries = table.values.filter(live)
            let count = IdempotencyLayout.count(forEntries: entries.count, current: 0, perShard: content.keysPerShard, minimum: content.minimumShards)
            var buckets = [[IdempotencyRecord]](repeating: [], count: count)
            for r in entries { buckets[IdempotencyLayout.shard(of: r.key, count: count)].append(r) }
            for (n, records) in buckets.enumerated() { try putKeyShard(n, records) }
            return
        }

        let count = old.count
        var changes: [Int: [(key: String, record: IdempotencyRecord?)]] = [:]
        for (k, r) in content.keys { changes[old.shard(of: k), default: []].append((k, r)) }
        var read = Set(changes.keys)
        if cutoff != nil {
            let swept = min(count, IdempotencyLayout.sweptPerCompaction)
            let start = Int(generation % UInt64(count)) * swept % count
            for i in 0..<swept { read.insert((start + i) % count) }
        }
        // The shards read, merged and without expired keys; those left as they were are linked.
        var merged: [Int: [IdempotencyRecord]] = [:]
        var unchanged: Set<Int> = []
        var entriesRead = 0
        var bytesRead: Int64 = 0
        for n in read.sorted() {
            let records = try base.idempotencyShard(n, layout: old, fs: fs)
            entriesRead += records.count
            bytesRead += try base.manifest.entry(old.path(n))?.size ?? 0
            var table = Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) })
            let mine = changes[n] ?? []
            for (k, r) in mine { table[k] = r }
            let kept = table.values.filter(live)
            if mine.isEmpty && kept.count == records.count { unchanged.insert(n) }
            merged[n] = kept
        }
        // Keys in the shards not read, estimated from their sizes at the density of those read.
        let perByte = bytesRead > 256 ? Double(entriesRead) / Double(bytesRead) : 1.0 / 200
        var estimate = merged.values.reduce(0) { $0 + $1.count }
        for n in 0..<count where merged[n] == nil {
            estimate += Int(Double(try base.manifest.entry(old.path(n))?.size ?? 0) * perByte)
        }
        let wanted = IdempotencyLayout.count(forEntries: estimate, current: count, perShard: content.keysPerShard, minimum: content.minimumShards)

        if wanted == count {
            for n in 0..<count {
                if let records = merged[n], !unchanged.contains(n) { try putKeyShard(n, records) } else { try linkFromBase(old.path(n)) }
            }
            return
        }
        func shard(_ n: Int) throws(StoreError) -> [IdempotencyRecord] {
            if let records = merged[n] { return records }
            return try base.idempotencyShard(n, layout: old, fs: fs).filter(live)
        }
        if wanted > count {
            for i in 0..<count {
                var buckets: [Int: [IdempotencyRecord]] = [:]
                for j in stride(from: i, to: wanted, by: count) { buckets[j] = [] }
                for r in try shard(i) { buckets[IdempotencyLayout.shard(of: r.key, count: wanted)]!.append(r) }
                for (j, records) in buckets.sorted(by: { $0.key < $1.key }) { try putKeyShard(j, records) }
            }
        } else {
            for j in 0..<wanted {
                var records: [IdempotencyRecord] = []
                for i in stride(from: j, to: count, by: wanted) { records += try shard(i) }
                try putKeyShard(j, records)
            }
        }
    }

    /// Writes shard `n` holding `records`, sorted by key.
    mutating func putKeyShard(_ n: Int, _ records: [IdempotencyRecord]) throws(StoreError) {
        let rel = IdempotencyLayout.shardPath(n)
        let sorted = records.sorted { $0.key < $1.key }
        try put(rel, bytes: Self.encode(target + "/" + rel) { try SchemaFile.list(sorted) { try IdempotencySchema.write($0, to: &$1) } })
    }
}
