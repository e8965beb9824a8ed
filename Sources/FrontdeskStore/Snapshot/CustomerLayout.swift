import FrontdeskCore

/// Where a generation keeps its customers: whole in `customers.json` (the layout of format 2
/// stores, read as it is), or as a table sharded by id with an index beside it.
///
/// The sharded table (docs/STORAGE.md, "Customers"):
/// - `customers/<NNNN>.json`: the customers whose id hashes there (CRC32C % count), sorted by id;
/// - `customer-keys/<NNNN>.json`: index key (``CustomerKey``) → customer ids, hashed the same way;
/// - `customer-names.json` and `customer-names/<NNNNNN>.json`: folded names and ids in name
///   order, cut into chunks of about `chunkTarget` entries, for prefix search.
/// The shard count is a power of two, at least `StoreOptions.minimumShards` (16 by default),
/// for about ``entriesPerShard`` customers a shard (`StoreOptions.customersPerShard`), chosen
/// at compaction. Every shard has a file (an empty one is `[]` or `{}`), so the count is the
/// number of shard files the manifest lists: no manifest member of its own.
package struct CustomerLayout: Sendable, Hashable {
    /// Shards of `customers/` and of `customer-keys/`; 0 when the generation has none.
    package let shardCount: Int
    /// Whether the generation keeps its customers in `customers.json` instead.
    package let isWhole: Bool

    package init(_ manifest: Manifest) {
        let n = manifest.count(under: Self.shardDirectory + "/")
        shardCount = n
        // `customers.json` has no section: the manifest names it itself.
        isWhole = n == 0 && manifest.direct[Self.wholeFile] != nil
    }

    /// Whether the generation holds the sharded table.
    package var isSharded: Bool { shardCount > 0 }

    static let wholeFile = "customers.json"
    static let shardDirectory = "customers"
    static let keyDirectory = "customer-keys"
    static let nameTable = "customer-names.json"
    static let nameDirectory = "customer-names"
    /// Entries a name chunk is cut to when written whole or split.
    static let chunkTarget = 1000
    /// Customers a shard is sized for by default: a lookup by name decodes one key shard and
    /// one customer shard, so their size, not the table's, sets what resolving a name costs.
    static let entriesPerShard = 128

    /// The shard count for `customers` customers: a power of two, at least `minimum` (a power
    /// of two), about `perShard` a shard.
    static func shardCount(for customers: Int, minimum: Int, perShard: Int = entriesPerShard) -> Int {
        var n = minimum
        while n * max(1, perShard) < customers && n < 1 << 20 { n *= 2 }
        return n
    }

    /// The shard of a customer id or index key among `count`.
    static func shard(_ key: String, count: Int) -> Int { Int(CRC32C.checksum(key.utf8) % UInt32(count)) }

    static func shardPath(_ n: Int) -> String { shardDirectory + "/" + Partition.zeroPadded(n, 4) + ".json" }
    static func keyPath(_ n: Int) -> String { keyDirectory + "/" + Partition.zeroPadded(n, 4) + ".json" }
    static func chunkPath(_ n: Int) -> String { nameDirectory + "/" + Partition.zeroPadded(n, 6) + ".json" }

    /// The table's files `manifest` lists, sorted.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    static func tableFiles(_ manifest: Manifest) throws(StoreError) -> [String] {
        var out = [wholeFile, nameTable].filter { manifest.direct[$0] != nil }
        for dir in [shardDirectory, keyDirectory, nameDirectory] { out += try manifest.files(under: dir + "/").keys }
        return out.sorted()
    }

    /// Whether `rel` is one of the table's files (what a layout change leaves behind).
    static func isTableFile(_ rel: String) -> Bool {
        rel == wholeFile || rel == nameTable || rel.hasPrefix(shardDirectory + "/") || rel.hasPrefix(keyDirectory + "/")
            || rel.hasPrefix(nameDirectory + "/")
    }

    /// The chunks of a name table that may hold folded names starting with `prefix`: from the
    /// last chunk whose separator is below it, while separators do not pass it.
    static func chunks(_ table: [CustomerNameChunk], from prefix: String) -> Int {
        var lo = 0, hi = table.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if table[mid].separator < prefix { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    /// The chunk a new entry with `folded` goes into: the last whose separator is at most it.
    static func chunk(_ table: [CustomerNameChunk], for folded: String) -> Int {
        var lo = 0, hi = table.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if table[mid].separator <= folded { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }
}

extension Generation {
    /// The customers of shard `n`, verified and checked to belong there.
    func customerShard(_ n: Int, count: Int, fs: any FileSystem) throws(StoreError) -> [Customer] {
        let rel = CustomerLayout.shardPath(n)
        guard let b = try bytes(rel, fs: fs) else {
            throw .damaged(path: path + "/" + rel, detail: "missing from the manifest, which lists \(count) customer shards")
        }
        let list: [Customer]
        do { list = try CustomerSchema.readList(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
        for c in list where CustomerLayout.shard(c.id.rawValue, count: count) != n {
            throw .damaged(path: path + "/" + rel, detail: "holds customer \(c.id), which belongs in shard \(CustomerLayout.shard(c.id.rawValue, count: count))")
        }
        return list
    }

    /// Key shard `n` of the customer index, verified.
    func customerKeyShard(_ n: Int, fs: any FileSystem) throws(StoreError) -> [String: [String]] {
        let rel = CustomerLayout.keyPath(n)
        guard let b = try bytes(rel, fs: fs) else { return [:] }
        do { return try CustomerIndexSchema.readKeyShard(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// The name table of the customer index, verified; empty when there is none.
    func customerNameTable(fs: any FileSystem) throws(StoreError) -> [CustomerNameChunk] {
        guard let b = try bytes(CustomerLayout.nameTable, fs: fs) else { return [] }
        do { return try CustomerIndexSchema.readNameTable(b) } catch {
            throw .damaged(path: path + "/" + CustomerLayout.nameTable, detail: "does not decode: \(error)")
        }
    }

    /// Name chunk `n` of the customer index, verified.
    func customerNameChunk(_ n: Int, fs: any FileSystem) throws(StoreError) -> [CustomerNameEntry] {
        let rel = CustomerLayout.chunkPath(n)
        guard let b = try bytes(rel, fs: fs) else {
            throw .damaged(path: path + "/" + rel, detail: "listed in \(CustomerLayout.nameTable) but missing from the manifest")
        }
        do { return try CustomerIndexSchema.readNameChunk(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// Every customer of the generation, whichever layout it has.
    ///
    /// - Complexity: reads every customer file.
    func allCustomers(fs: any FileSystem) throws(StoreError) -> [Customer] {
        let layout = CustomerLayout(manifest)
        if !layout.isSharded { return try readList(CustomerLayout.wholeFile, fs: fs, CustomerSchema.read) ?? [] }
        var all: [Customer] = []
        for n in 0..<layout.shardCount { all += try customerShard(n, count: layout.shardCount, fs: fs) }
        return all
    }
}
