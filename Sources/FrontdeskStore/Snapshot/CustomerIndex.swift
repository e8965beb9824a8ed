import FrontdeskCore
import FrontdeskJSON

/// The customer → bookings index of a generation and the customers of each partition (see
/// docs/STORAGE.md, "Customer index").
///
/// `by-customer/<NNNN>.json`: shard `CRC32C(customer id) % count` maps each customer id to
/// its bookings as `[start, booking id, partition key]`, in start order. `count` is a power of
/// two (at least `StoreOptions.minimumShards`, 16 by default), chosen at compaction from the
/// booking counter so a shard holds about ``entriesPerShard`` entries
/// (`StoreOptions.customerIndexEntriesPerShard`); the manifest lists every shard, so the number of `by-customer/` files is the
/// count. `partition-customers/<YYYY-MM>/<resource>.json` lists the customers the partition's
/// bookings reference, as `customers.json` does. A generation without `by-customer/` files
/// (written by an older build) has neither; queries then scan partitions.
package enum CustomerIndex {
    /// One booking of a customer, as the index records it.
    package struct Entry: Hashable, Sendable {
        package var start: Instant
        package var id: BookingID
        /// The partition key (`2027-03/res_x`) of the booking's file.
        package var partition: String

        package init(start: Instant, id: BookingID, partition: String) {
            self.start = start; self.id = id; self.partition = partition
        }

        /// Start order, ties broken by id.
        static func before(_ a: Entry, _ b: Entry) -> Bool {
            a.start != b.start ? a.start < b.start : a.id < b.id
        }
    }

    /// One shard: customer id → that customer's entries in start order.
    package typealias Shard = [String: [Entry]]

    /// The directory of the index inside a generation.
    static let directory = "by-customer/"
    /// The directory of the partitions' customer lists inside a generation.
    static let sidecarDirectory = "partition-customers/"

    /// Entries a shard is sized for by default: `list --customer` decodes one shard for one
    /// customer's entries.
    static let entriesPerShard = 128
    /// The fewest shards an index has by default (`StoreOptions.minimumShards`).
    static let minimumShards = 16

    /// The shard count for an index of about `entries` entries: the power of two at least
    /// `entries / perShard`, and at least `minimum` (a power of two).
    static func shardCount(forEntries entries: Int, minimum: Int = minimumShards, perShard: Int = entriesPerShard) -> Int {
        var n = minimum
        while n * max(1, perShard) < entries && n < 1 << 20 { n *= 2 }
        return n
    }

    /// The shard of `customer` among `count`.
    package static func shard(of customer: CustomerID, count: Int) -> Int {
        Int(CRC32C.checksum(customer.rawValue.utf8) % UInt32(count))
    }

    /// `by-customer/0007.json`.
    package static func shardPath(_ n: Int) -> String { directory + Partition.zeroPadded(n, 4) + ".json" }

    /// `partition-customers/2027-03/res_x.json` for partition `2027-03/res_x`.
    package static func sidecarPath(_ key: String) -> String { sidecarDirectory + key + ".json" }


    // MARK: Shard files

    /// A shard file's bytes: `{"<customer id>":[["<start>","<booking id>","<partition>"],…],…}`,
    /// members sorted by the bytes of their written keys, entries in start order.
    ///
    /// - Complexity: O(n log n) for n customers, plus the entries written.
    static func bytes(_ shard: Shard) -> [UInt8] {
        SchemaFile.sortedListMap(shard) { e, out in
            out.byte(0x5B)
            out.string(e.start.iso8601)
            out.byte(0x2C)
            out.string(e.id.rawValue)
            out.byte(0x2C)
            out.string(e.partition)
            out.byte(0x5D)
        }
    }

    /// The shard in a shard file's bytes.
    ///
    /// - Throws: ``SchemaError`` naming a member that does not fit (an entry that is not three
    ///   strings, a time that does not parse), or `JSONSyntaxError`.
    static func read(_ bytes: [UInt8]) throws -> Shard {
        let root = try SchemaValue.root(bytes)
        let o = try root.object()
        var shard: Shard = [:]
        shard.reserveCapacity(o.keys.count)
        for customer in o.keys {
            shard[customer] = try o.value(customer).array { (e: SchemaValue) throws(SchemaError) -> Entry in
                let parts = try e.elements()
                guard parts.count == 3 else { throw e.error("expected [start, booking id, partition], found \(parts.count) elements") }
                return Entry(start: try parts[0].instant(), id: BookingID(try parts[1].string()), partition: try parts[2].string())
            }
        }
        return shard
    }
}

extension Generation {
    /// Whether this generation has the customer index and the partitions' customer lists.
    package var hasCustomerIndex: Bool { manifest.customerIndexShards > 0 }

    /// Index shard `n`; nil if the generation has no such file.
    package func customerIndexShard(_ n: Int, fs: any FileSystem) throws(StoreError) -> CustomerIndex.Shard? {
        let rel = CustomerIndex.shardPath(n)
        guard let b = try bytes(rel, fs: fs) else { return nil }
        do { return try CustomerIndex.read(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// The index entries of `customer`, in start order; nil if the generation has no index.
    func customerEntries(_ customer: CustomerID, fs: any FileSystem) throws(StoreError) -> [CustomerIndex.Entry]? {
        let count = manifest.customerIndexShards
        guard count > 0 else { return nil }
        let n = CustomerIndex.shard(of: customer, count: count)
        guard let shard = try customerIndexShard(n, fs: fs) else { return nil }
        return shard[customer.rawValue] ?? []
    }

    /// The customers listed for partition `key`; nil if the generation has no list for it.
    package func partitionCustomers(_ key: String, fs: any FileSystem) throws(StoreError) -> [Customer]? {
        let rel = CustomerIndex.sidecarPath(key)
        guard let b = try bytes(rel, fs: fs) else { return nil }
        do { return try CustomerSchema.readList(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// The customers listed for partition `key` whose ids are among `ids` (their UTF-8 bytes),
    /// and any whose id the scan cannot read plainly; nil if the generation has no list for it.
    ///
    /// The file is verified whole, as ``partitionCustomers(_:fs:)`` does, but only the objects
    /// ``PartitionScan`` picks are decoded: a day of a resource names a few of the month's
    /// customers. An object the full reader cannot decode is damage of the file, named as a
    /// whole read names it.
    ///
    /// - Complexity: O(bytes of the list) to scan, plus decoding the customers picked.
    func partitionCustomers(_ key: String, only ids: Set<[UInt8]>, fs: any FileSystem) throws(StoreError) -> [Customer]? {
        let rel = CustomerIndex.sidecarPath(key)
        guard let b = try bytes(rel, fs: fs) else { return nil }
        do {
            guard let scan = PartitionScan(b) else { return try CustomerSchema.readList(b) }
            let picked = scan.items.filter { PartitionScan.mayBe($0, in: ids, bytes: b) }
            do { return try CustomerSchema.readList(PartitionScan.array(of: picked, in: b)) } catch {
                return try CustomerSchema.readList(b)
            }
        } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }
}
