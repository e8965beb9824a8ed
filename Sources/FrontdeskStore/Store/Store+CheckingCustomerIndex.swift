import FrontdeskCore

extension Store {
    /// Verifies this process's generation's customer index and partitions' customer lists
    /// against its partitions: the shard count (a power of two, every shard listed; the
    /// minimum is the writer's `StoreOptions.minimumShards`, not the reader's), each customer
    /// in the shard its id hashes to, each customer's entries exactly
    /// the bookings the partitions hold for it (start, id, partition) in start order, and each
    /// partition's list exactly the customers its bookings name, as the generation's customer
    /// table has them. A generation without an index (from an older build) is a note.
    ///
    /// - Complexity: reads every partition, index shard and list once.
    func checkCustomerIndex(fail: (String) -> Void, note: (String) -> Void) {
        let gen = generation
        let count = gen.manifest.customerIndexShards
        let files: [String: Manifest.FileEntry], partitions: [String]
        do {
            files = try gen.manifest.allFiles()
            partitions = try gen.manifest.partitions()
        } catch {
            fail("\(error) — the customer index cannot be checked")
            return
        }
        guard count > 0 else {
            if !files.keys.contains(where: { $0.hasPrefix(CustomerIndex.sidecarDirectory) }) {
                note("note snapshot generation \(gen.manifest.generation) has no customer index (written by an older build): customer queries scan partitions until the next compaction writes it")
            } else {
                fail("\(gen.path): partitions' customer lists without a customer index")
            }
            return
        }
        if count & (count - 1) != 0 {
            fail("\(gen.path)/\(CustomerIndex.directory): \(count) shards, not a power of two")
            return
        }
        for s in 0..<count where files[CustomerIndex.shardPath(s)] == nil {
            fail("\(gen.path)/\(CustomerIndex.shardPath(s)) is missing from the manifest (it lists \(count) shards)")
            return
        }
        var customers: [CustomerID: Customer] = [:]
        do {
            for c in try gen.readList("customers.json", fs: fs, CustomerSchema.read) ?? [] { customers[c.id] = c }
        } catch {
            note("note customer lists not checked: \(error)")
        }
        var expected: [String: [CustomerIndex.Entry]] = [:]
        var bad = 0
        for key in partitions {
            let bookings: [Booking]
            do { bookings = try gen.partition(key, fs: fs) } catch {
                note("note the customer index entries of \(Generation.partitionPath(key)) not checked: \(error)")
                continue
            }
            var named: Set<CustomerID> = []
            for b in bookings {
                guard let c = b.customer else { continue }
                expected[c.rawValue, default: []].append(.init(start: b.start, id: b.id, partition: key))
                named.insert(c)
            }
            let rel = CustomerIndex.sidecarPath(key)
            do {
                guard let listed = try gen.partitionCustomers(key, fs: fs) else {
                    fail("\(gen.path)/\(rel) is missing: the customers of \(Generation.partitionPath(key))")
                    bad += 1
                    continue
                }
                let ids = Set(listed.map(\.id))
                if ids != named || ids.count != listed.count {
                    let extra = ids.subtracting(named).sorted().map(\.rawValue), absent = named.subtracting(ids).sorted().map(\.rawValue)
                    fail("\(gen.path)/\(rel): lists \(listed.count) customers; missing \(absent), not in the partition \(extra)")
                    bad += 1
                }
                for c in listed where !customers.isEmpty && customers[c.id] != c {
                    fail("\(gen.path)/\(rel): customer \(c.id) (v\(c.version)) differs from customers.json (\(customers[c.id].map { "v\($0.version)" } ?? "absent"))")
                    bad += 1
                }
            } catch {
                fail("\(gen.path)/\(rel): \(error)")
                bad += 1
            }
        }
        for rel in files.keys where rel.hasPrefix(CustomerIndex.sidecarDirectory) {
            let key = String(rel.dropFirst(CustomerIndex.sidecarDirectory.count).dropLast(".json".count))
            if files[Generation.partitionPath(key)] == nil {
                fail("\(gen.path)/\(rel): a customer list for a partition that does not exist")
                bad += 1
            }
        }
        var entries = 0
        for s in 0..<count {
            let rel = CustomerIndex.shardPath(s)
            let shard: CustomerIndex.Shard
            do { shard = try gen.customerIndexShard(s, fs: fs) ?? [:] } catch {
                fail("\(gen.path)/\(rel): \(error)")
                bad += 1
                continue
            }
            for (c, list) in shard.sorted(by: { $0.key < $1.key }) {
                entries += list.count
                if CustomerIndex.shard(of: CustomerID(c), count: count) != s {
                    fail("\(gen.path)/\(rel): customer \(c) belongs in shard \(CustomerIndex.shard(of: CustomerID(c), count: count))")
                    bad += 1
                }
                let want = (expected.removeValue(forKey: c) ?? []).sorted(by: CustomerIndex.Entry.before)
                if list != want {
                    let have = Set(list), should = Set(want)
                    let stale = have.subtracting(should).map(\.id.rawValue).sorted(), missing = should.subtracting(have).map(\.id.rawValue).sorted()
                    fail("\(gen.path)/\(rel): customer \(c) has \(list.count) entries, the partitions \(want.count)" +
                         (stale.isEmpty && missing.isEmpty ? " (out of order)" : "; stale \(stale), missing \(missing)"))
                    bad += 1
                }
            }
        }
        for (c, list) in expected.sorted(by: { $0.key < $1.key }) {
            fail("\(gen.path)/\(CustomerIndex.shardPath(CustomerIndex.shard(of: CustomerID(c), count: count))): customer \(c) is missing (\(list.count) bookings in the partitions)")
            bad += 1
        }
        if bad == 0 { note("ok   customer index of generation \(gen.manifest.generation): \(count) shards, \(entries) entries, and every partition's customer list match the partitions") }
    }
}
