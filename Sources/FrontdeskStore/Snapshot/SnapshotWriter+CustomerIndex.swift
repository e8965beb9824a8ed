import FrontdeskCore

/// What the customer index and the partitions' customer lists need from one partition a
/// compaction rewrites, taken while its bookings are in memory.
struct RewrittenPartition: Sendable {
    /// A customer's booking: an index entry to remove (`removed`) or to hold (`entries`).
    struct Item: Sendable {
        var customer: CustomerID
        var entry: CustomerIndex.Entry
    }

    var key: String
    /// The base versions of changed bookings that had a customer: their entries go.
    var removed: [Item]
    /// Every booking the partition now holds that has a customer.
    var entries: [Item]
    /// The customers those bookings reference.
    var customers: Set<CustomerID>

    /// - Complexity: O(old + merged).
    init(key: String, old: [Booking], merged: [Booking], changed: Set<BookingID>) {
        self.key = key
        removed = []
        for b in old where changed.contains(b.id) {
            if let c = b.customer { removed.append(Item(customer: c, entry: .init(start: b.start, id: b.id, partition: key))) }
        }
        entries = []
        entries.reserveCapacity(merged.count)
        customers = []
        for b in merged {
            guard let c = b.customer else { continue }
            entries.append(Item(customer: c, entry: .init(start: b.start, id: b.id, partition: key)))
            customers.insert(c)
        }
    }
}

extension SnapshotWriter {
    /// Writes the customer index (`by-customer/`) and the partitions' customer lists
    /// (`partition-customers/`) of the new generation; the partitions must be written.
    ///
    /// Incremental when the base has an index with the shard count this generation wants: the
    /// shards of customers whose bookings changed are updated (each changed booking's base
    /// version, read from its rewritten partition, removed; its new version added) and the
    /// others linked. Otherwise (a base from an older build, or a new shard count) the index is
    /// built from every partition, the linked ones read from the base one at a time. A
    /// partition's customer list is rewritten with the partition, when it names a customer
    /// changed since the base (the index says which partitions hold their bookings), or when
    /// the base has none; otherwise linked.
    ///
    /// - Complexity: incremental: O(changed bookings + entries of the shards they touch +
    ///   partitions); rebuilding: O(bookings), reading every partition once.
    mutating func writeCustomerIndex(rewritten: [RewrittenPartition], parallel: Bool) throws(StoreError) {
        let fs = self.fs, base = self.base, content = self.content, target = self.target
        let count = CustomerIndex.shardCount(forEntries: content.counters.bookings, minimum: content.minimumShards,
                                             perShard: content.customerIndexEntriesPerShard)
        let rebuild = (base?.manifest.customerIndexShards ?? 0) != count
        let rewrittenKeys = Set(rewritten.map(\.key))
        let partitions = files.keys.compactMap(Manifest.partitionKey).sorted()
        let linked = partitions.filter { !rewrittenKeys.contains($0) }
        func shardOf(_ c: CustomerID) -> Int { CustomerIndex.shard(of: c, count: count) }

        var shards: [Int: CustomerIndex.Shard] = [:]
        var dirty: Set<Int> = []
        /// Customers of linked partitions read while rebuilding, for lists the base lacks.
        var linkedCustomers: [String: Set<CustomerID>] = [:]
        if rebuild {
            for s in 0..<count { shards[s] = [:] }
            dirty = Set(0..<count)
            for r in rewritten {
                for item in r.entries { shards[shardOf(item.customer)]![item.customer.rawValue, default: []].append(item.entry) }
            }
            for key in linked {
                guard let base else { break }
                var seen: Set<CustomerID> = []
                for b in try base.partition(key, fs: fs) {
                    guard let c = b.customer else { continue }
                    shards[shardOf(c)]![c.rawValue, default: []].append(.init(start: b.start, id: b.id, partition: key))
                    seen.insert(c)
                }
                linkedCustomers[key] = seen
            }
        } else if let base {
            func load(_ s: Int) throws(StoreError) {
                if shards[s] == nil { shards[s] = try base.customerIndexShard(s, fs: fs) ?? [:] }
                dirty.insert(s)
            }
            // Per touched customer: the ids whose entries go (base versions of changed
            // bookings, and any entry of a booking written anew) and the entries that come.
            // One pass over each touched customer's list removes them all, and the new
            // entries, sorted, are merged in: linear in the list, however many of one
            // customer's bookings changed.
            var gone: [CustomerID: Set<BookingID>] = [:]
            var added: [CustomerID: [CustomerIndex.Entry]] = [:]
            for r in rewritten {
                for item in r.removed { gone[item.customer, default: []].insert(item.entry.id) }
                for item in r.entries where content.changed.contains(item.entry.id) {
                    gone[item.customer, default: []].insert(item.entry.id)
                    added[item.customer, default: []].append(item.entry)
                }
            }
            for (c, ids) in gone {
                let s = shardOf(c)
                try load(s)
                let kept = (shards[s]![c.rawValue] ?? []).filter { !ids.contains($0.id) }
                let merged = Self.merged(kept, (added[c] ?? []).sorted(by: CustomerIndex.Entry.before))
                shards[s]![c.rawValue] = merged.isEmpty ? nil : merged
            }
        }
        for s in dirty {
            for (c, list) in shards[s]! where !zip(list, list.dropFirst()).allSatisfy({ CustomerIndex.Entry.before($0, $1) }) {
                shards[s]![c] = list.sorted(by: CustomerIndex.Entry.before)
            }
        }
        try ensureDir(CustomerIndex.shardPath(0))
        let written = shards, rewrite = dirty
        try putAll(count, parallel: parallel) { s in
            guard rewrite.contains(s), let shard = written[s] else { return nil }
            return (CustomerIndex.shardPath(s), CustomerIndex.bytes(shard))
        }
        for s in 0..<count where !dirty.contains(s) { try linkFromBase(CustomerIndex.shardPath(s)) }

        // Linked partitions whose list names a changed customer (all of them when unknown).
        var stale: Set<String> = []
        if let changedCustomers = content.changedCustomers {
            // Grouped by shard, so each index shard not in memory is read once however many
            // of its customers changed (a seeded table changes them all).
            var byShard: [Int: [CustomerID]] = [:]
            for c in changedCustomers { byShard[shardOf(c), default: []].append(c) }
            for (s, customers) in byShard {
                var shard = shards[s] ?? [:]
                if shards[s] == nil, let base { shard = try base.customerIndexShard(s, fs: fs) ?? [:] }
                for c in customers {
                    for e in shard[c.rawValue] ?? [] where !rewrittenKeys.contains(e.partition) { stale.insert(e.partition) }
                }
            }
        } else {
            stale = Set(linked)
        }
        var lists: [(key: String, customers: Set<CustomerID>)] = []
        for r in rewritten where files[Generation.partitionPath(r.key)] != nil { lists.append((r.key, r.customers)) }
        for key in linked {
            let rel = CustomerIndex.sidecarPath(key)
            if !stale.contains(key), let base, try base.manifest.contains(rel) {
                try linkFromBase(rel)
                continue
            }
            if let seen = linkedCustomers[key] {
                lists.append((key, seen))
            } else if let listed = try base?.partitionCustomers(key, fs: fs) {
                lists.append((key, Set(listed.map(\.id))))
            } else {
                lists.append((key, Set((try base?.partition(key, fs: fs) ?? []).compactMap(\.customer))))
            }
        }
        for (key, _) in lists { try ensureDir(CustomerIndex.sidecarPath(key)) }
        let work = lists, table = content.allCustomers
        try putAll(work.count, parallel: parallel) { i throws(StoreError) in
            let (key, ids) = work[i]
            var customers: [Customer] = []
            var missing: [CustomerID] = []
            for id in ids.sorted() {
                if let c = table[id] { customers.append(c) } else { missing.append(id) }
            }
            if !missing.isEmpty, let earlier = try base?.partitionCustomers(key, fs: fs) {
                // Not in memory (a customer table loaded lazily): the base's copy is current,
                // since a changed customer is in memory.
                let wanted = Set(missing)
                customers += earlier.filter { wanted.contains($0.id) }
                customers.sort { $0.id < $1.id }
            }
            if customers.count < ids.count, let base {
                // Still lacking (the lists are being built anew): the base's customer shards.
                try customers += Self.customersOnFile(ids.subtracting(customers.map(\.id)), in: base, fs: fs)
                customers.sort { $0.id < $1.id }
            }
            let rel = CustomerIndex.sidecarPath(key)
            return (rel, try Self.encode(target + "/" + rel) { SchemaFile.list(customers) { CustomerSchema.write($0, to: &$1) } })
        }
    }

    /// Two lists in ``CustomerIndex/Entry/before(_:_:)`` order merged into one; an unsorted
    /// `a` (an index from elsewhere) still yields every entry, and the caller's check sorts it.
    ///
    /// - Complexity: O(a + b).
    static func merged(_ a: [CustomerIndex.Entry], _ b: [CustomerIndex.Entry]) -> [CustomerIndex.Entry] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [CustomerIndex.Entry] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if CustomerIndex.Entry.before(b[j], a[i]) { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1 }
        }
        out += a[i...]
        out += b[j...]
        return out
    }

    /// The customers in `ids` as `base`'s customer table has them (none when it keeps no
    /// sharded table: then every customer was read whole into memory).
    ///
    /// - Complexity: one shard read per distinct shard of `ids`.
    static func customersOnFile(_ ids: Set<CustomerID>, in base: Generation, fs: any FileSystem) throws(StoreError) -> [Customer] {
        let layout = CustomerLayout(base.manifest)
        guard layout.isSharded, !ids.isEmpty else { return [] }
        var byShard: [Int: Set<CustomerID>] = [:]
        for id in ids { byShard[CustomerLayout.shard(id.rawValue, count: layout.shardCount), default: []].insert(id) }
        var found: [Customer] = []
        for (n, wanted) in byShard {
            found += try base.customerShard(n, count: layout.shardCount, fs: fs).filter { wanted.contains($0.id) }
        }
        return found
    }
}
