import Testing
import FrontdeskCore
import FrontdeskStore
import FrontdeskStoreTesting

/// The benchmark generator's seeding of customers and idempotency keys
/// (`Store.seedTablesForBenchmark`): what it journals survives compaction and reopening, the
/// keys still bind their bookings, and real writes after it get fresh references.
@Suite struct BenchmarkSeedingTests {
    @Test func seededCustomersAndKeysSurviveCompactionAndReopen() throws {
        let dir = Support.tempDir("seed-tables")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        let bookings = try (0..<3).map { try Support.book(store, room, Support.slot(Int64($0) * 2)) }
        let customers = (0..<50).map { i in
            Customer(id: CustomerID("cus_seed\(i)"), ref: ShortReference.make(prefix: "C", number: i + 1), name: "Seeded \(i)",
                     phone: "+1555000\(i)", email: "seeded\(i)@example.com")
        }
        let keys = (0..<40).map { j in
            IdempotencyRecord(key: "seed-\(j)", fingerprint: "seed \(j)", bookings: [bookings[j % 3].id], createdAt: Support.now)
        }
        // Seven mutations a record: the customers and keys straddle records.
        try store.seedTablesForBenchmark(customers: customers, customerReferencesUpTo: 50, idempotencyKeys: keys,
                                         at: Support.now, perRecord: 7)
        try store.compact()

        let reopened = try Support.reopen(dir)
        #expect(reopened.state.customers.count == 50)
        #expect(reopened.state.customers[CustomerID("cus_seed17")] == customers[17])
        // Keys are read lazily, one shard at a time: every seeded key is found by its key.
        for (j, key) in keys.enumerated() {
            #expect(try reopened.idempotencyRecord(forKey: key.key) == key, "seed-\(j)")
        }
        #expect(try reopened.idempotencyRecord(forKey: "seed-4")?.bookings == [bookings[1].id])
        #expect(try reopened.idempotencyRecord(forKey: "seed-39")?.createdAt == Support.now)
        #expect(try reopened.idempotencyRecord(forKey: "seed-40") == nil)

        // A real customer after the seed gets the 51st reference, not one of the seeded ones.
        let added = try reopened.write("add customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Real Person", in: s, by: Support.actor)
        }
        #expect(added.ref == ShortReference.make(prefix: "C", number: 51))
        #expect(!customers.map(\.ref).contains(added.ref))
    }

    @Test func nothingToSeedStillMovesTheCounter() throws {
        let dir = Support.tempDir("seed-empty")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        try store.seedTablesForBenchmark(customers: [], customerReferencesUpTo: 9, idempotencyKeys: [], at: Support.now)
        let added = try store.write("add customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "First Real", in: s, by: Support.actor)
        }
        #expect(added.ref == ShortReference.make(prefix: "C", number: 10))
        #expect(store.state.customers.count == 1)
    }
}
