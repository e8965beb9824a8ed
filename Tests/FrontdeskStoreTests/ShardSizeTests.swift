import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Shard sizes of the sharded tables (customers and their keys, the customer index,
/// idempotency keys): a generation written with other sizes than the reader's — as a store
/// from a build with 1,000 entries a shard — opens as it is, answers every lookup, and the
/// next compaction that rewrites a table reshards it; through random operations against a
/// model, crashes of the resharding compaction, and reopening.
@Suite struct ShardSizeTests {
    /// Test options with `perShard` entries a shard in every sharded table.
    static func sized(_ perShard: Int, _ fs: any FileSystem = RealFileSystem(), compactAfter: Int = 10_000) -> StoreOptions {
        var o = Support.options(fs, compactAfter: compactAfter)
        o.customersPerShard = perShard
        o.customerIndexEntriesPerShard = perShard
        o.idempotencyKeysPerShard = perShard
        return o
    }

    /// A keyed booking for a random customer; the key and its booking go into `keys`.
    static func bookKeyed(_ d: CustomerIndexTests.Driver, key: String, keys: inout [String: BookingID]) throws {
        let customer = d.customers.randomElement(using: &d.rng)!
        var request = BookingRequest(resource: d.resources.randomElement(using: &d.rng)!, customer: .existing(customer), range: d.randomRange())
        request.idempotencyKey = key
        let req = request
        if let out = try d.attempt({ try d.store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) } }) {
            let b = out.bookings[0]
            d.model.bookings[b.id] = (customer, req.range, req.resource)
            keys[key] = b.id
        }
    }

    /// Every key's record and every customer's name key, from a freshly opened store.
    static func verifyLookups(_ dir: String, _ d: CustomerIndexTests.Driver, _ keys: [String: BookingID], _ label: String) throws {
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        for (key, id) in keys.sorted(by: { $0.key < $1.key }) {
            #expect(try fresh.idempotencyRecord(forKey: key)?.bookings == [id], "\(label): key \(key)")
        }
        #expect(try fresh.idempotencyRecord(forKey: "never-used") == nil, "\(label)")
        for (id, name) in d.model.names.sorted(by: { $0.key < $1.key }) {
            #expect(try fresh.customers(key: CustomerKey.name(name)).contains { $0.id == id }, "\(label): \(name) by name")
        }
    }

    /// Random bookings, moves, renames, keyed bookings, compactions (some in the background)
    /// and reopenings, the shard size changing between 1,000, 2 and 8 at reopenings: every
    /// compaction after a change reshards what it rewrites, and every lookup agrees with the
    /// model in between. The last compaction's counts are the ones its sizes call for.
    @Test(arguments: [UInt64(1), 2])
    func modelBasedWithChangingSizes(_ seed: UInt64) throws {
        let dir = Support.tempDir("shard-sizes-\(seed)")
        defer { Support.remove(dir) }
        let sizes = [1000, 2, 8]
        var options = Self.sized(1000, compactAfter: 12)
        options.compactInBackground = seed == 1
        let d = try CustomerIndexTests.Driver(dir, seed: seed, options: options)
        var keys: [String: BookingID] = [:]
        for i in 0..<150 {
            if i % 25 == 24 {
                d.options = Self.sized(sizes[(i / 25 + 1) % sizes.count], compactAfter: 12)
                d.options.compactInBackground = seed == 1
                try d.reopen()
            }
            if i % 5 == 0 { try Self.bookKeyed(d, key: "key-\(i)", keys: &keys) } else { try d.step() }
            if i % 30 == 29 {
                try d.verify("seed \(seed) step \(i)")
                try Self.verifyLookups(dir, d, keys, "seed \(seed) step \(i)")
            }
        }
        // End at two a shard, with a change to every table, so the last compaction reshards each.
        d.options = Self.sized(2, compactAfter: 12)
        try d.reopen()
        try d.addCustomer("Last One")
        try Self.bookKeyed(d, key: "key-last", keys: &keys)
        d.store.waitForBackgroundWork()
        try d.store.compact()
        try d.verify("seed \(seed) end")
        try Self.verifyLookups(dir, d, keys, "seed \(seed) end")
        #expect(keys.count >= 10, "the run booked too few keys to test anything")
        let gen = d.store.generation
        let counters = d.store.state.counters
        #expect(CustomerLayout(gen.manifest).shardCount == CustomerLayout.shardCount(for: counters.customers, minimum: 2, perShard: 2))
        #expect(gen.manifest.customerIndexShards == CustomerIndex.shardCount(forEntries: counters.bookings, minimum: 2, perShard: 2))
        #expect(try gen.idempotencyLayout().count >= IdempotencyLayout.count(forEntries: keys.count, current: 0, perShard: 8, minimum: 2))
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
    }

    /// A store written at 1,000 entries a shard (two shards a table at this size) opened with
    /// two a shard: a customer, a keyed booking and the compaction that reshards every table,
    /// crashed after each file operation (every power-loss mode every few operations) or failed
    /// with EIO. The store reopens to exactly what was acknowledged, every lookup agrees, and
    /// a completed run has the new counts.
    @Test func crashesWhileResharding() throws {
        let base = Support.tempDir("shard-sizes-crash-base")
        let work = Support.tempDir("shard-sizes-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        var keys: [String: BookingID] = [:]
        let d = try CustomerIndexTests.Driver(base, seed: 11, options: Self.sized(1000))
        for i in 0..<24 { try Self.bookKeyed(d, key: "seed-\(i)", keys: &keys) }
        try d.store.compact()
        #expect(CustomerLayout(d.store.generation.manifest).shardCount == 2)
        #expect(d.store.generation.manifest.customerIndexShards == 2)
        #expect(try d.store.generation.idempotencyLayout().count == 2)
        let model = d.model, names = d.model.names
        let resource = d.resources[0]

        /// Adds a customer, books it with a key, compacts; returns what was acknowledged.
        func run(_ fs: FaultyFileSystem) -> (customer: Customer?, booking: Booking?) {
            var done: (customer: Customer?, booking: Booking?) = (nil, nil)
            guard let store = try? Store.open(at: work, clock: FixedClock(Support.now), options: Self.sized(2, fs)) else { return done }
            do {
                let c = try store.write("customer add", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Crash Test", in: s, by: Support.actor) }
                done.customer = c
                var req = BookingRequest(resource: resource, customer: .existing(c.id), range: Support.slot(3))
                req.idempotencyKey = "crash-key"
                let request = req
                done.booking = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0]
                try store.compact()
            } catch {}
            return done
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        let full = run(probe)
        #expect(full.booking != nil)
        let n = probe.operations
        do {
            let gen = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options()).generation
            #expect(CustomerLayout(gen.manifest).shardCount > 2, "the customer table was not resharded")
            #expect(gen.manifest.customerIndexShards > 2, "the customer index was not resharded")
            #expect(try gen.idempotencyLayout().count > 2, "the keys were not resharded")
        }
        var cases = 0
        for k in 0...n {
            var runs: [(String, FaultyFileSystem, FaultyFileSystem.PowerLoss?)] = []
            for mode in FaultyFileSystem.PowerLoss.allCases where k % 8 == 0 || mode == .drop {
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                runs.append(("crash after \(k)/\(n) \(mode)", fs, mode))
            }
            if k >= 1 && k % 5 == 0 {
                let fs = FaultyFileSystem()
                fs.failAt = (k, .eio)
                runs.append(("eio at \(k)/\(n)", fs, nil))
            }
            for (label, fs, mode) in runs {
                Support.copy(base, work)
                let acknowledged = run(fs)
                if let mode { fs.powerLoss(mode) }
                let reopened = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                #expect(!reopened.isReadOnly, "\(label): \(reopened.readOnlyReason ?? "")")
                for (id, name) in names.sorted(by: { $0.key < $1.key }) {
                    #expect(try reopened.customer(id: id)?.name == name, "\(label): \(id)")
                    let want = model.bookings(of: id, in: Support.everything)
                    #expect(Set(try reopened.bookings(ofCustomer: id, range: Support.everything).map(\.id)) == want, "\(label): bookings of \(id)")
                }
                for (key, id) in keys { #expect(try reopened.idempotencyRecord(forKey: key)?.bookings == [id], "\(label): \(key)") }
                let newcomer = try reopened.customers(key: CustomerKey.name("Crash Test"))
                if let c = acknowledged.customer { #expect(newcomer.map(\.id) == [c.id], "\(label): an acknowledged customer was lost") }
                #expect(newcomer.count <= 1, "\(label)")
                let record = try reopened.idempotencyRecord(forKey: "crash-key")
                if let b = acknowledged.booking {
                    #expect(record?.bookings == [b.id], "\(label): an acknowledged key was lost")
                    #expect(try reopened.bookings(ofCustomer: b.customer!, range: Support.everything).map(\.id) == [b.id], "\(label)")
                }
                if let record, let c = newcomer.first {
                    // Written but not acknowledged: whole or not at all.
                    #expect(try reopened.bookings(ofCustomer: c.id, range: Support.everything).map(\.id) == record.bookings, "\(label)")
                }
                cases += 1
            }
        }
        #expect(cases > n)
        #expect(try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options()).check().ok)
    }
}
