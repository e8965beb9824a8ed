import Testing
import FrontdeskCore
import FrontdeskStore
import FrontdeskStoreTesting

/// The benchmark generator's seeding (`Store.seedForBenchmark`): bookings, customers and
/// idempotency keys written into one generation without a journal record survive reopening,
/// are found through every index the store keeps (directory, customer table and its index,
/// customer → bookings, key shards), pass `check`, and real writes after it get fresh
/// references.
@Suite struct BenchmarkSeedingTests {
    /// `n` bookings on `room`, an hour apart, booking `i` for `customers[i % customers.count]`.
    static func bookings(_ store: Store, _ room: ResourceID, _ n: Int, customers: [Customer], firstRef: Int = 1) throws -> [Booking] {
        let template = try store.engine.book(BookingRequest(resource: room, range: Support.slot(0)), in: store.state, by: Support.actor)
            .value.bookings[0]
        return (0..<n).map { i in
            var b = template
            b.id = BookingID("bk_seed\(firstRef + i)")
            b.ref = ShortReference.make(prefix: "B", number: firstRef + i)
            b.range = Support.slot(Int64(firstRef + i) * 2)
            b.customer = customers.isEmpty ? nil : customers[i % customers.count].id
            return b
        }
    }

    static func customers(_ n: Int, from first: Int = 1) -> [Customer] {
        (first..<(first + n)).map { i in
            Customer(id: CustomerID("cus_seed\(i)"), ref: ShortReference.make(prefix: "C", number: i), name: "Seeded \(i)",
                     phone: "+1555000\(i)", email: "seeded\(i)@example.com")
        }
    }

    @Test func oneGenerationOfEverythingSurvivesReopenAndPassesCheck() throws {
        let dir = Support.tempDir("seed-all")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        let sequenceBefore = store.lastSequence
        let customers = Self.customers(50)
        let bookings = try Self.bookings(store, room, 120, customers: customers)
        let keys = (0..<40).map { j in
            IdempotencyRecord(key: "seed-\(j)", fingerprint: "seed \(j)", bookings: [bookings[j % 120].id], createdAt: Support.now)
        }
        try store.seedForBenchmark(bookings: bookings, bookingReferencesUpTo: 120, customers: customers, customerReferencesUpTo: 50,
                                   idempotencyKeys: keys)
        // Nothing was journaled: the generation holds it all.
        #expect(store.lastSequence == sequenceBefore)
        let report = store.check()
        #expect(report.ok, "\(report.lines.filter { !$0.hasPrefix("ok") })")

        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings.count == 120)
        #expect(reopened.state.customers.count == 50)
        #expect(reopened.state.customers[CustomerID("cus_seed17")] == customers[16])
        #expect(try reopened.customers(namePrefix: "seeded 17", limit: 5).map(\.id) == [CustomerID("cus_seed17")])
        // The customer → bookings index: customer k holds bookings k-1, k-1+50, k-1+100.
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let ofSeventeen = try fresh.bookings(ofCustomer: CustomerID("cus_seed17"), range: Support.everything)
        #expect(ofSeventeen.map(\.id) == [16, 66, 116].map { bookings[$0].id })
        for (j, key) in keys.enumerated() {
            #expect(try fresh.idempotencyRecord(forKey: key.key) == key, "seed-\(j)")
        }
        #expect(try fresh.idempotencyRecord(forKey: "seed-40") == nil)

        // Real writes after the seed get the next references, not seeded ones.
        let added = try reopened.write("add customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Real Person", in: s, by: Support.actor)
        }
        #expect(added.ref == ShortReference.make(prefix: "C", number: 51))
        let booked = try Support.book(reopened, room, Support.slot(1_001))
        #expect(booked.ref == ShortReference.make(prefix: "B", number: 121))
    }

    @Test func seedingTwiceBuildsOnThePreviousGenerationAndTheJournal() throws {
        let dir = Support.tempDir("seed-twice")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        let real = try Support.book(store, room, Support.slot(1))   // journaled, not yet compacted
        let first = Self.customers(30)
        try store.seedForBenchmark(bookings: try Self.bookings(store, room, 30, customers: first, firstRef: 2), bookingReferencesUpTo: 31,
                                   customers: first, customerReferencesUpTo: 30)
        let second = Self.customers(20, from: 31)
        try store.seedForBenchmark(bookings: try Self.bookings(store, room, 20, customers: second, firstRef: 32), bookingReferencesUpTo: 51,
                                   customers: second, customerReferencesUpTo: 50)
        #expect(store.check().ok)
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings.count == 51)
        #expect(reopened.state.bookings[real.id] == real)
        #expect(reopened.state.customers.count == 50)
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try fresh.bookings(ofCustomer: CustomerID("cus_seed3"), range: Support.everything).map(\.ref) == [ShortReference.make(prefix: "B", number: 4)])
        #expect(try fresh.bookings(ofCustomer: CustomerID("cus_seed40"), range: Support.everything).map(\.ref) == [ShortReference.make(prefix: "B", number: 41)])
    }

    @Test func nothingToSeedStillMovesTheCounters() throws {
        let dir = Support.tempDir("seed-empty")
        defer { Support.remove(dir) }
        let (store, room) = try Support.newStore(dir)
        try store.seedForBenchmark(bookingReferencesUpTo: 7, customerReferencesUpTo: 9)
        let added = try store.write("add customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "First Real", in: s, by: Support.actor)
        }
        #expect(added.ref == ShortReference.make(prefix: "C", number: 10))
        #expect(store.state.customers.count == 1)
        #expect(try Support.book(store, room, Support.slot(3)).ref == ShortReference.make(prefix: "B", number: 8))
    }
}
