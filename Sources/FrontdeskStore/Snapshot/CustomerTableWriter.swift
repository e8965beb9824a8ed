import FrontdeskCore

/// Writes a generation's customer table and index (``CustomerLayout``) for `SnapshotWriter`.
///
/// Whole when there is no sharded base to start from (a new store, a format 2 base with
/// `customers.json`, a content that carries every customer) or when the shard count changes;
/// otherwise incremental: only the shards, key shards and name chunks that a changed customer
/// touches are read, merged and rewritten, the rest hard-linked from the base.
struct CustomerTableWriter {
    /// What a customer contributes to the index: its keys and its name entry.
    private static func keys(_ c: Customer) -> Set<String> { Set(CustomerKey.keys(of: c)) }
    private static func entries(_ c: Customer) -> Set<CustomerNameEntry> {
        Set(CustomerKey.nameSearchKeys(folded: CustomerKey.foldedName(c.name)).map { CustomerNameEntry(folded: $0, id: c.id.rawValue) })
    }

    /// Writes the table into `writer`'s generation.
    ///
    /// - Complexity: whole: O(c log c) for c customers; incremental: O(k log k) for k changed
    ///   customers plus the size of the files they touch.
    static func write(into writer: inout SnapshotWriter) throws(StoreError) {
        let content = writer.content, base = writer.base, fs = writer.fs
        let layout = base.map { CustomerLayout($0.manifest) }
        let changed = content.customers ?? [:]
        var whole: [CustomerID: Customer]?
        if content.customersWhole {
            whole = changed
        } else if let base, let layout, layout.isSharded {
            if layout.shardCount != CustomerLayout.shardCount(for: content.counters.customers, minimum: content.minimumShards,
                                                              perShard: content.customersPerShard) && !changed.isEmpty {
                whole = try Self.merged(base.allCustomers(fs: fs), changed)
            }
        } else {
            whole = try Self.merged(base?.allCustomers(fs: fs) ?? [], changed)
        }
        if let whole {
            try writeWhole(whole, counter: content.counters.customers, minimum: content.minimumShards, perShard: content.customersPerShard, into: &writer)
        } else if changed.isEmpty {
            for rel in try CustomerLayout.tableFiles(base!.manifest) { try writer.linkFromBase(rel) }
        } else {
            try writeChanges(changed, base: base!, count: layout!.shardCount, into: &writer)
        }
    }

    private static func merged(_ list: [Customer], _ changed: [CustomerID: Customer]) -> [CustomerID: Customer] {
        var all: [CustomerID: Customer] = [:]
        all.reserveCapacity(list.count + changed.count)
        for c in list { all[c.id] = c }
        for (id, c) in changed { all[id] = c }
        return all
    }

    /// Every file of the table, from `all`.
    private static func writeWhole(_ all: [CustomerID: Customer], counter: Int, minimum: Int, perShard: Int,
                                   into writer: inout SnapshotWriter) throws(StoreError) {
        let count = CustomerLayout.shardCount(for: max(counter, all.count), minimum: minimum, perShard: perShard)
        var shards = [[Customer]](repeating: [], count: count)
        var keys = [[String: [String]]](repeating: [:], count: count)
        var names: [CustomerNameEntry] = []
        names.reserveCapacity(all.count)
        for c in all.values {
            shards[CustomerLayout.shard(c.id.rawValue, count: count)].append(c)
            for k in Self.keys(c) { keys[CustomerLayout.shard(k, count: count)][k, default: []].append(c.id.rawValue) }
            names += entries(c)
        }
        for n in 0..<count {
            let list = shards[n].sorted { $0.id < $1.id }
            try writer.put(CustomerLayout.shardPath(n), bytes: SchemaFile.list(list) { CustomerSchema.write($0, to: &$1) })
            try writer.put(CustomerLayout.keyPath(n), bytes: CustomerIndexSchema.keyShardBytes(keys[n]))
        }
        names.sort()
        var table: [CustomerNameChunk] = []
        var at = 0
        repeat {
            let piece = Array(names[at..<min(names.count, at + CustomerLayout.chunkTarget)])
            table.append(CustomerNameChunk(separator: table.isEmpty ? "" : piece[0].folded, number: table.count))
            try writer.put(CustomerLayout.chunkPath(table.count - 1), bytes: CustomerIndexSchema.nameChunkBytes(piece))
            at += CustomerLayout.chunkTarget
        } while at < names.count
        try writer.put(CustomerLayout.nameTable, bytes: CustomerIndexSchema.nameTableBytes(table))
    }

    /// The table of `base` with `changed` merged in: the shards, key shards and name chunks
    /// they touch rewritten, the rest linked.
    private static func writeChanges(_ changed: [CustomerID: Customer], base: Generation, count: Int,
                                     into writer: inout SnapshotWriter) throws(StoreError) {
        let fs = writer.fs
        var byShard: [Int: [Customer]] = [:]
        for c in changed.values { byShard[CustomerLayout.shard(c.id.rawValue, count: count), default: []].append(c) }
        // The customers' versions in the base, read from the shards being rewritten anyway.
        var old: [CustomerID: Customer] = [:]
        for n in 0..<count {
            guard let fresh = byShard[n] else { try writer.linkFromBase(CustomerLayout.shardPath(n)); continue }
            var list = try base.customerShard(n, count: count, fs: fs)
            let ids = Set(fresh.map(\.id))
            for c in list where ids.contains(c.id) { old[c.id] = c }
            list.removeAll { ids.contains($0.id) }
            list += fresh
            list.sort { $0.id < $1.id }
            try writer.put(CustomerLayout.shardPath(n), bytes: SchemaFile.list(list) { CustomerSchema.write($0, to: &$1) })
        }

        // Keys: what each changed customer no longer has, and what it has now.
        var removed: [Int: [(String, String)]] = [:], added: [Int: [(String, String)]] = [:]
        var nameOut: [CustomerNameEntry] = [], nameIn: [CustomerNameEntry] = []
        for c in changed.values {
            let before = old[c.id].map(keys) ?? [], now = keys(c)
            for k in before.subtracting(now) { removed[CustomerLayout.shard(k, count: count), default: []].append((k, c.id.rawValue)) }
            for k in now.subtracting(before) { added[CustomerLayout.shard(k, count: count), default: []].append((k, c.id.rawValue)) }
            let was = old[c.id].map(entries) ?? [], will = entries(c)
            nameOut += was.subtracting(will)
            nameIn += will.subtracting(was)
        }
        for n in 0..<count {
            guard removed[n] != nil || added[n] != nil else { try writer.linkFromBase(CustomerLayout.keyPath(n)); continue }
            var shard = try base.customerKeyShard(n, fs: fs)
            for (k, id) in removed[n] ?? [] {
                shard[k]?.removeAll { $0 == id }
                if shard[k]?.isEmpty == true { shard[k] = nil }
            }
            for (k, id) in added[n] ?? [] where !(shard[k]?.contains(id) ?? false) { shard[k, default: []].append(id) }
            try writer.put(CustomerLayout.keyPath(n), bytes: CustomerIndexSchema.keyShardBytes(shard))
        }
        try writeNames(removing: nameOut, adding: nameIn, base: base, into: &writer)
    }

    /// The name table and chunks of `base` with entries taken out and put in; a chunk grown
    /// past twice `chunkTarget` is split, an emptied one (not the first) dropped.
    private static func writeNames(removing out: [CustomerNameEntry], adding new: [CustomerNameEntry], base: Generation,
                                   into writer: inout SnapshotWriter) throws(StoreError) {
        let fs = writer.fs
        var table = try base.customerNameTable(fs: fs)
        if table.isEmpty {
            table = [CustomerNameChunk(separator: "", number: 0)]
        }
        var chunks: [Int: [CustomerNameEntry]] = [:]
        func load(_ i: Int) throws(StoreError) {
            let n = table[i].number
            if chunks[n] == nil {
                chunks[n] = try base.manifest.contains(CustomerLayout.chunkPath(n)) ? try base.customerNameChunk(n, fs: fs) : []
            }
        }
        for e in out {
            // Where ties straddle chunks, any chunk from the last one below the name up to the
            // one it would go into may hold it.
            let last = CustomerLayout.chunk(table, for: e.folded)
            var i = CustomerLayout.chunks(table, from: e.folded)
            while i <= last {
                try load(i)
                if let at = chunks[table[i].number]!.firstIndex(of: e) { chunks[table[i].number]!.remove(at: at); break }
                i += 1
            }
        }
        for e in new {
            let i = CustomerLayout.chunk(table, for: e.folded)
            try load(i)
            chunks[table[i].number]!.append(e)
        }
        var next = (table.map(\.number).max() ?? 0) + 1
        var rebuilt: [CustomerNameChunk] = []
        for c in table {
            guard var entries = chunks[c.number] else {
                try writer.linkFromBase(CustomerLayout.chunkPath(c.number))
                rebuilt.append(c)
                continue
            }
            entries.sort()
            if entries.isEmpty && !rebuilt.isEmpty { continue }
            var at = 0
            let pieces = entries.count > 2 * CustomerLayout.chunkTarget ? CustomerLayout.chunkTarget : max(entries.count, 1)
            repeat {
                let piece = Array(entries[at..<min(entries.count, at + pieces)])
                let chunk = at == 0 ? c : CustomerNameChunk(separator: piece[0].folded, number: next)
                if at > 0 { next += 1 }
                try writer.put(CustomerLayout.chunkPath(chunk.number), bytes: CustomerIndexSchema.nameChunkBytes(piece))
                rebuilt.append(chunk)
                at += pieces
            } while at < entries.count
        }
        try writer.put(CustomerLayout.nameTable, bytes: CustomerIndexSchema.nameTableBytes(rebuilt))
    }
}
