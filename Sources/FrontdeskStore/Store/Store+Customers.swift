import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// Customers, loaded lazily from the generation's sharded table (``CustomerLayout``) and found
/// through its index merged with the journal's changes since (``CustomerMemoryIndex``).
///
/// What is in `state.customers` is always a customer's current version: a shard's copy never
/// replaces one the journal changed since the snapshot.
extension Store {
    /// The customer with id `id`, loading its shard if needed; nil when there is none.
    ///
    /// - Complexity: one shard read at most.
    public func customer(id: CustomerID) throws -> Customer? {
        if let c = state.customers[id] { return c }
        try loadCustomers([id])
        return state.customers[id]
    }

    /// Customers with index key `key` (``CustomerKey``), sorted by reference, loaded.
    ///
    /// - Complexity: one key shard and the customers' shards.
    public func customers(key: String) throws -> [Customer] {
        var ids = customersInMemory.ids(key: key)
        if customerLayout.isSharded {
            let shard = try customerKeyShard(CustomerLayout.shard(key, count: customerLayout.shardCount))
            for raw in shard[key] ?? [] where !customersInMemory.contains(CustomerID(raw)) { ids.insert(CustomerID(raw)) }
        }
        try loadCustomers(ids)
        return ids.compactMap { state.customers[$0] }.filter { CustomerKey.keys(of: $0).contains(key) }
            .sorted { ($0.ref, $0.id.rawValue) < ($1.ref, $1.id.rawValue) }
    }

    /// Customers whose folded name, or its rest from a later word, starts with `prefix` folded,
    /// in search order (``CustomerKey/searchKey(_:prefix:)``, then id), at most `limit`, loaded.
    ///
    /// - Complexity: the name table, the chunks that can hold the prefix (one or two, unless
    ///   many customers share the name at the cut) and the shards of at most `limit`
    ///   customers; plus a scan of the customers changed since the snapshot.
    public func customers(namePrefix prefix: String, limit: Int) throws -> [Customer] {
        guard limit > 0 else { return [] }
        let p = CustomerKey.foldedName(prefix)
        var found: [(key: String, id: CustomerID)] = []
        for id in customersInMemory.ids(foldedPrefix: p) {
            if let c = state.customers[id], let key = CustomerKey.searchKey(c.name, prefix: p) { found.append((key, id)) }
        }
        if customerLayout.isSharded {
            var distinct: Set<String> = []
            var lastKey = ""
            // Enough, unless the next chunk starts with a key tied with the last one taken.
            try forEachIndexedName(withPrefix: p, enterChunk: { distinct.count < limit || $0 == lastKey }) { folded, id in
                if distinct.count >= limit && folded != lastKey { return false }
                found.append((folded, id))
                distinct.insert(id.rawValue)
                lastKey = folded
                return true
            }
        }
        found.sort { ($0.key, $0.id.rawValue) < ($1.key, $1.id.rawValue) }
        var seen: Set<CustomerID> = []
        let ids = found.compactMap { seen.insert($0.id).inserted ? $0.id : nil }.prefix(limit)
        try loadCustomers(Set(ids))
        // A customer counts only if its loaded version matches (an index entry never outranks it).
        let loaded = ids.compactMap { state.customers[$0] }.filter { CustomerKey.nameMatches($0.name, prefix: p) }
        return loaded
    }

    /// Visits the generation's name-index entries whose folded key starts with `prefix`, in key
    /// order, leaving out customers the journal tail changed (memory holds their current name).
    /// `enterChunk` is asked with each further chunk's first key before it is read; either
    /// closure returning false stops the walk.
    ///
    /// - Complexity: the name table and the chunks the walk enters; O(log n) to find the prefix
    ///   in each.
    func forEachIndexedName(withPrefix prefix: String, enterChunk: (String) -> Bool = { _ in true },
                            _ visit: (_ folded: String, _ id: CustomerID) -> Bool) throws(StoreError) {
        let table = try customerNameTable()
        var i = CustomerLayout.chunks(table, from: prefix)
        let first = i
        while i < table.count {
            let sep = table[i].separator
            if i > first && ((sep > prefix && !sep.hasPrefix(prefix)) || !enterChunk(sep)) { return }
            let chunk = try customerNameChunk(table[i].number)
            var lo = 0, hi = chunk.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if chunk[mid].folded < prefix { lo = mid + 1 } else { hi = mid }
            }
            while lo < chunk.count, chunk[lo].folded.hasPrefix(prefix) {
                let e = chunk[lo]
                lo += 1
                let id = CustomerID(e.id)
                if customersInMemory.contains(id) { continue }
                if !visit(e.folded, id) { return }
            }
            i += 1
        }
    }

    /// Every customer, all shards loaded (`customer list`, `check`, export of customers).
    ///
    /// - Complexity: reads every customer shard.
    public func allCustomers() throws -> [Customer] {
        if customerLayout.isSharded { try loadCustomerShards(Set(0..<customerLayout.shardCount)) }
        return Array(state.customers.values)
    }

    /// Makes sure the customers `bookings` are for are in memory: what shows a booking reads
    /// its customer's name from `state.customers`. The one place a partition load finds its
    /// customers, so an index of the customers each partition references can replace it.
    ///
    /// - Complexity: one shard read per distinct shard of the customers not yet in memory.
    func loadCustomers<S: Sequence>(for bookings: S) throws(StoreError) where S.Element == Booking {
        guard customerLayout.isSharded else { return }
        var ids: Set<CustomerID> = []
        for b in bookings { if let c = b.customer, state.customers[c] == nil { ids.insert(c) } }
        try loadCustomers(ids)
    }

    /// Loads the customers of the bookings in memory on `resources` (nil: all) overlapping
    /// `range` that are not in memory yet: bookings replayed from the journal, and those of
    /// partitions a write loaded for planning only.
    ///
    /// - Complexity: O(bookings in memory there), plus a shard read per missing customer's shard.
    func loadCustomers(ofBookingsOn resources: [ResourceID]?, in range: TimeRange) throws(StoreError) {
        guard customerLayout.isSharded else { return }
        var ids: Set<CustomerID> = []
        for r in resources ?? Array(state.resources.keys) {
            for b in state.bookings(on: r, overlapping: range) { if let c = b.customer, state.customers[c] == nil { ids.insert(c) } }
        }
        try loadCustomers(ids)
    }

    /// Loads the shards of the customers in `ids` that are not in memory yet. A generation
    /// compacted away under us is followed to the newer one (whose shard count may differ),
    /// as partition loads do.
    func loadCustomers(_ ids: Set<CustomerID>) throws(StoreError) {
        func shards() -> Set<Int> {
            guard customerLayout.isSharded else { return [] }
            var out: Set<Int> = []
            for id in ids where state.customers[id] == nil && !id.rawValue.isEmpty {
                out.insert(CustomerLayout.shard(id.rawValue, count: customerLayout.shardCount))
            }
            return out
        }
        do { try loadCustomerShards(shards()) } catch .io(_, _, ENOENT) {
            _ = try catchUp(holdingLock: lock.held)
            try adoptNewestGeneration()
            do { try loadCustomerShards(shards()) } catch { throw noteDamage(error) }
        }
    }

    /// The customers of waitlist entries that are not in memory yet: loaded at the first load
    /// of bookings rather than at open, so opening reads no customer shard.
    func loadTailCustomers() throws(StoreError) {
        guard !tailCustomersMissing.isEmpty else { return }
        try loadCustomers(tailCustomersMissing)
        tailCustomersMissing = []
    }

    /// Reads customer shards `shards` (skipping loaded ones) into memory, verified; a damaged
    /// one turns the store read-only, naming the file. A missing file is thrown as it is
    /// (`loadCustomers` follows a newer generation).
    func loadCustomerShards(_ shards: Set<Int>) throws(StoreError) {
        for n in shards.sorted() where !loadedCustomerShards.contains(n) {
            let list: [Customer]
            do {
                list = try generation.customerShard(n, count: customerLayout.shardCount, fs: fs)
            } catch .io(let op, let path, ENOENT) {
                throw .io(op: op, path: path, errno: ENOENT)
            } catch {
                throw noteDamage(error)
            }
            state.load(customers: list.lazy.filter { !self.customersInMemory.contains($0.id) })
            loadedCustomerShards.insert(n)
            customerShardsRead += 1
        }
    }

    /// Key shard `n` of the generation's index, cached for this generation.
    func customerKeyShard(_ n: Int) throws(StoreError) -> [String: [String]] {
        if let s = customerCache.keys[n] { return s }
        let s: [String: [String]]
        do { s = try generation.customerKeyShard(n, fs: fs) } catch { throw noteDamage(error) }
        customerCache.keys[n] = s
        return s
    }

    /// The generation's name table, cached.
    func customerNameTable() throws(StoreError) -> [CustomerNameChunk] {
        if let t = customerCache.nameTable { return t }
        let t: [CustomerNameChunk]
        do { t = try generation.customerNameTable(fs: fs) } catch { throw noteDamage(error) }
        customerCache.nameTable = t
        return t
    }

    /// Name chunk `n` of the generation's index, cached.
    func customerNameChunk(_ n: Int) throws(StoreError) -> [CustomerNameEntry] {
        if let c = customerCache.chunks[n] { return c }
        let c: [CustomerNameEntry]
        do { c = try generation.customerNameChunk(n, fs: fs) } catch { throw noteDamage(error) }
        customerCache.chunks[n] = c
        return c
    }

    /// Remembers a customer the journal changed since the generation: its version in memory
    /// counts from now on, for lookups and for the next compaction.
    func noteCustomerChange(_ c: Customer) {
        touchedCustomers.insert(c.id)
        customersInMemory.put(c)
        backgroundCompaction?.customersChangedSince.insert(c.id)
    }

    /// Starts over with `gen`'s customer table: what was loaded from the previous one is kept
    /// (it is current), the shards and cached index files of the old one are forgotten.
    func resetCustomerTable(for gen: Generation) {
        customerLayout = CustomerLayout(gen.manifest)
        loadedCustomerShards = []
        customerCache = CustomerIndexCache()
    }
}

/// Index files of the current generation read so far (they never change: generations are immutable).
struct CustomerIndexCache {
    var keys: [Int: [String: [String]]] = [:]
    var nameTable: [CustomerNameChunk]?
    var chunks: [Int: [CustomerNameEntry]] = [:]
}

extension Store {
    /// Loads what bookings and waitlist entries replayed from the journal refer to and that is
    /// not in memory yet (their customers); a list of the waitlist calls it before showing names.
    public func loadReferencedCustomers() throws(StoreError) {
        try loadTailCustomers()
    }
}

extension Store {
    /// How many customer shard files this process has read (the benchmark prints it).
    package var customerShardsReadForBenchmark: Int { customerShardsRead }
}
