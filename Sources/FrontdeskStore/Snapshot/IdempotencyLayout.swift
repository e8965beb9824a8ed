import FrontdeskCore

/// Where a snapshot generation keeps its idempotency keys: `idempotency/<NNNN>.json` shards,
/// a key in shard `CRC32C(key) % count`, `count` a power of two (see docs/STORAGE.md,
/// "Idempotency keys"). A generation written before the shards (format 2) holds them all in
/// `idempotency.json`, read as a layout of one shard; one from before the table holds none.
///
/// The count is the number of shard files the manifest lists: every shard has a file, an
/// empty one holding `[]`, so the manifest records the count and `check` verifies every shard.
package struct IdempotencyLayout: Sendable, Equatable {
    /// Shards in the generation; 0 when it has no key file at all.
    package let count: Int
    /// Whether the one "shard" is the whole `idempotency.json` of an older generation.
    package let legacy: Bool

    /// The directory of the shards inside a generation.
    static let directory = "idempotency/"
    /// The single key file of generations written before the shards.
    static let legacyPath = "idempotency.json"
    /// Keys a shard holds on average before compaction doubles the count (by default: a
    /// shard read for a lookup stays small whatever the size of the table).
    static let entriesPerShard = 128
    /// The fewest shards a sharded generation has by default (`StoreOptions.minimumShards`).
    package static let minimumShards = 16
    /// Shards besides the changed ones that a compaction reads to drop expired keys.
    static let sweptPerCompaction = 4

    package init(count: Int, legacy: Bool) {
        self.count = count
        self.legacy = legacy
    }

    /// The layout `manifest` lists (of the generation at `path`, named in errors). Only the
    /// count is checked here, since every process opening the store reads it; a shard file
    /// the manifest lacks is damage when that shard is read (`Generation.idempotencyShard`),
    /// and ``verify(_:path:)`` (`check`) looks for all of them.
    ///
    /// - Throws: `StoreError.damaged` naming the manifest when the number of shard files is
    ///   not a power of two: a key would be looked for in the wrong file.
    /// - Complexity: O(1).
    package init(_ manifest: Manifest, path: String) throws(StoreError) {
        let n = manifest.idempotencyShardCount
        guard n > 0 else {
            // `idempotency.json` has no section: the manifest names it itself.
            let legacy = manifest.direct[Self.legacyPath] != nil
            self.init(count: legacy ? 1 : 0, legacy: legacy)
            return
        }
        guard n & (n - 1) == 0 else {
            throw .damaged(path: path + "/manifest.json", detail: "lists \(n) idempotency shard files, not a power of two")
        }
        self.init(count: n, legacy: false)
    }

    /// Checks that `manifest` lists exactly the shard files `0..<count`.
    ///
    /// - Throws: `StoreError.damaged` naming the manifest and the first shard it lacks.
    /// - Complexity: O(count) dictionary lookups, after reading the shards' section lists.
    package func verify(_ manifest: Manifest, path: String) throws(StoreError) {
        guard !legacy else { return }
        for n in 0..<count {
            guard try !manifest.contains(Self.shardPath(n)) else { continue }
            throw .damaged(path: path + "/manifest.json", detail: "lists \(count) idempotency shard files but not \(Self.shardPath(n))")
        }
    }

    /// The file of shard `n`, relative to the generation.
    package func path(_ n: Int) -> String { legacy ? Self.legacyPath : Self.shardPath(n) }

    /// The shard that holds `key`. - Complexity: O(key length).
    package func shard(of key: String) -> Int { legacy ? 0 : Self.shard(of: key, count: count) }

    /// `idempotency/<NNNN>.json`.
    package static func shardPath(_ n: Int) -> String { directory + Partition.zeroPadded(n, 4) + ".json" }

    /// The shard of `key` among `count` (a power of two). - Complexity: O(key length).
    package static func shard(of key: String, count: Int) -> Int {
        Int(CRC32C.checksum(key.utf8) & UInt32(count - 1))
    }

    /// The shard count for `entries` live keys, given the `current` count (0: none yet): about
    /// `perShard` keys a shard, at least `minimum` (a power of two), a power of two. It doubles
    /// once shards average more than `perShard` keys, and shrinks only once they average under
    /// a quarter of that, so a table near a boundary does not make every compaction rewrite
    /// every shard.
    static func count(forEntries entries: Int, current: Int, perShard: Int = entriesPerShard, minimum: Int = minimumShards) -> Int {
        var wanted = minimum
        while wanted * max(1, perShard) < entries { wanted *= 2 }
        guard current >= minimum, current & (current - 1) == 0 else { return wanted }
        if wanted > current { return wanted }
        return wanted * 4 <= current ? wanted : current
    }
}
