import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Customers as a sharded, lazily loaded table with a lookup index (`CustomerLayout`):
/// lookups against a simple model through adds, renames, compactions, crashes and reopens;
/// lazy loading; the upgrade from a whole `customers.json`; damage.
@Suite struct CustomerTableTests {
    /// Names that fold together or apart, and share words.
    static let names = ["Ann Lee", "ann  lee", "Zoë Adams", "Zoe Adams", "José Álvarez", "Jose Alvarez", "Lee Ann", "Émile Zola",
                        "Bob Stone", "Bo Stone", "Łukasz Nowak", "Zed Lee", "Ann-Marie Lee", "Annabel Lee"]

    /// The lookups the store answers, each against a scan of `model`.
    static func verify(_ store: Store, _ model: [CustomerID: Customer], _ label: String, prefixes extra: [String] = []) throws {
        let all = Array(model.values)
        func byRef(_ list: [Customer]) -> [Customer] { list.sorted { ($0.ref, $0.id.rawValue) < ($1.ref, $1.id.rawValue) } }
        var keys: Set<String> = []
        for c in all {
            #expect(try store.customer(id: c.id) == c, "\(label): \(c.id) by id")
            keys.formUnion(CustomerKey.keys(of: c))
            #expect(try store.resolveCustomer(c.id.rawValue) == c, "\(label): resolve \(c.id)")
        }
        for key in keys.sorted() {
            let expected = byRef(all.filter { CustomerKey.keys(of: $0).contains(key) })
            #expect(try store.customers(key: key) == expected, "\(label): key \(key)")
        }
        #expect(try store.customers(key: "n:nobody at all").isEmpty)
        var prefixes: Set<String> = ["", "a", "ann", "ann l", "lee", "zo", "zoë", "JOSE", "sto", "x"]
        prefixes.formUnion(extra)
        for c in all.prefix(20) { prefixes.insert(String(c.name.prefix(3))) }
        for p in prefixes.sorted() {
            for limit in [1, 5, 100_000] {
                let expected = CustomerKey.nameSearch(all, prefix: CustomerKey.foldedName(p), limit: limit)
                #expect(try store.customers(namePrefix: p, limit: limit) == expected, "\(label): prefix \"\(p)\" limit \(limit)")
            }
        }
    }

    /// Options with the production minimum of shards, for the tests of shard counts and of a
    /// customer in another shard than its neighbours, at 1,000 customers a shard: the counts
    /// these tests expect (`ShardSizeTests` covers other sizes).
    static func sixteen(_ fs: any FileSystem = RealFileSystem()) -> StoreOptions {
        var o = Support.options(fs, minimumShards: Support.productionShards)
        o.customersPerShard = 1000
        return o
    }

    static func add(_ store: Store, _ name: String, phone: String?, email: String?) throws -> Customer {
        try store.write("customer add", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: name, phone: phone, email: email, in: s, by: Support.actor)
        }
    }

    static func edit(_ store: Store, _ id: CustomerID, _ change: (inout Customer) -> Void) throws -> Customer {
        var c = try #require(try store.customer(id: id))
        change(&c)
        let updated = c
        return try store.write("customer edit", .directory) { s, e throws(CoreError) in
            try e.updateCustomer(updated, in: s, by: Support.actor)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func randomOperationsAgainstAModel(seed: UInt64) throws {
        let dir = Support.tempDir("customers-model-\(seed)")
        defer { Support.remove(dir) }
        var (store, _) = try Support.newStore(dir, options: Self.sixteen())
        var rng = ModelGen.Seeded(state: seed)
        var model: [CustomerID: Customer] = [:]
        for step in 0..<120 {
            let roll = Int.random(in: 0..<100, using: &rng)
            let phone = Bool.random(using: &rng) ? "555 01\(Int.random(in: 10...30, using: &rng))" : nil
            let email = Bool.random(using: &rng) ? "P\(Int.random(in: 0...20, using: &rng))@Example.com" : nil
            if roll < 55 || model.isEmpty {
                let name = Self.names.randomElement(using: &rng)! + (Bool.random(using: &rng) ? "" : " \(step)")
                let c = try Self.add(store, name, phone: phone, email: email)
                model[c.id] = c
            } else if roll < 85 {
                let id = model.keys.sorted().randomElement(using: &rng)!
                let name = Self.names.randomElement(using: &rng)!
                let c = try Self.edit(store, id) { c in
                    c.name = name
                    c.phone = phone
                    c.email = email
                }
                model[c.id] = c
            } else if roll < 93 {
                try store.compact()
            } else {
                store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.sixteen())
            }
            if step % 30 == 29 { try Self.verify(store, model, "seed \(seed) step \(step)") }
        }
        try Self.verify(store, model, "seed \(seed) end")
        try store.compact()
        let reopened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.sixteen())
        try Self.verify(reopened, model, "seed \(seed) reopened")
        let gen = reopened.generation
        #expect(try !gen.manifest.contains(CustomerLayout.wholeFile))
        #expect(CustomerLayout(gen.manifest).shardCount == 16)
        #expect(reopened.check().ok)
    }

    /// A renamed customer is found by its new name only, before and after compaction, in this
    /// process and another.
    @Test func renameSinceTheSnapshot() throws {
        let dir = Support.tempDir("customers-rename")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        let ann = try Self.add(store, "Ann Lee", phone: "+1 555 010 0000", email: "ann@example.com")
        try store.compact()
        let other = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let renamed = try Self.edit(store, ann.id) { $0.name = "Anna Berg"; $0.phone = "555-010-0001" }
        _ = try other.refresh()
        for s in [store, other] {
            #expect(try s.customers(key: CustomerKey.name("ann lee")).isEmpty)
            #expect(try s.customers(key: CustomerKey.name("ANNA BERG")) == [renamed])
            #expect(try s.customers(namePrefix: "ann", limit: 5) == [renamed])
            #expect(try s.customers(namePrefix: "lee", limit: 5).isEmpty)
            #expect(try s.customers(namePrefix: "berg", limit: 5) == [renamed])
            #expect(try s.customers(key: CustomerKey.phoneKey("+15550100000")!).isEmpty)
            #expect(try s.resolveCustomer("(555) 010-0001") == renamed)
            #expect(throws: CoreError.notFound(kind: "customer", id: "Ann Lee")) { try s.resolveCustomer("Ann Lee") }
        }
        try store.compact()
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try fresh.customers(namePrefix: "lee", limit: 5).isEmpty)
        #expect(try fresh.resolveCustomer("anna  BERG") == renamed)
    }

    /// Ambiguous names keep the resolver's behaviour: an error listing the candidates by reference.
    @Test func ambiguousName() throws {
        let dir = Support.tempDir("customers-ambiguous")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        let a = try Self.add(store, "Zoë Adams", phone: "555 0100", email: nil)
        let b = try Self.add(store, "zoe adams", phone: nil, email: nil)
        try store.compact()
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(throws: CoreError.ambiguous(kind: "customer", text: "Zoe Adams", candidates: ["\(a.ref) Zoë Adams 555 0100", "\(b.ref) zoe adams"])) {
            try fresh.resolveCustomer("Zoe Adams")
        }
        #expect(try fresh.resolveCustomer(b.ref.lowercased()) == b)
    }

    /// A name chunk that outgrows twice its size splits (incremental compaction), and the
    /// shard count grows with the customer counter (whole rewrite).
    @Test func chunksSplitAndShardsGrow() throws {
        let dir = Support.tempDir("customers-grow")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir, options: Self.sixteen())
        var model: [CustomerID: Customer] = [:]
        for c in try store.seedCustomersForBenchmark(count: 3_000) { model[c.id] = c }
        #expect(CustomerLayout(store.generation.manifest).shardCount == 16)
        let chunksBefore = try store.customerNameTable().count
        #expect(chunksBefore == 6, "\(chunksBefore) chunks")
        // 2,100 more names that all fall into one chunk, through the journal: it splits.
        let batch = (0..<2_100).map { n in
            Customer(id: CustomerID("cus_x" + Partition.zeroPadded(n, 4)), ref: ShortReference.make(prefix: "C", number: 20_000 + n),
                     name: "Customer 0000500 " + Partition.zeroPadded(n, 4))
        }
        _ = try store.writeBatch("seed", .directory, items: Array(batch.enumerated())) { item, s, _ throws(CoreError) in
            var counters = s.counters
            counters.customers = max(counters.customers, 20_000 + item.offset)
            return Planned(transaction: Transaction(at: Support.now, actor: Support.actor, mutations: [.customer(item.element), .counters(counters)]),
                           value: item.element)
        }
        for c in batch { model[c.id] = c }
        try store.compact()
        #expect(CustomerLayout(store.generation.manifest).shardCount == 32, "counter \(store.state.counters.customers)")
        func check(_ label: String) throws {
            let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.sixteen())
            let sample = model.values.sorted { $0.id < $1.id }.enumerated().filter { $0.offset % 97 == 0 }.map(\.element)
            for c in sample {
                #expect(try fresh.customer(id: c.id) == c, "\(label)")
                #expect(try fresh.customers(key: CustomerKey.name(c.name)) == [c], "\(label)")
            }
            for p in ["customer 00005", "customer 0000500 1", "customer 0000500 2099", "customer 00029", "0000500 00", "20", ""] {
                #expect(try fresh.customers(namePrefix: p, limit: 7) == CustomerKey.nameSearch(model.values, prefix: CustomerKey.foldedName(p), limit: 7),
                        "\(label): \(p)")
            }
            #expect(fresh.check().ok, "\(label)")
        }
        try check("32 shards")
        // Renames within one shard count: an incremental compaction whose chunks grow past
        // twice their size and split.
        let dir2 = Support.tempDir("customers-split")
        defer { Support.remove(dir2) }
        let (small, _) = try Support.newStore(dir2, options: Self.sixteen())
        var model2: [CustomerID: Customer] = [:]
        for c in try small.seedCustomersForBenchmark(count: 3_000) { model2[c.id] = c }
        let renamed = model2.values.sorted { $0.id < $1.id }.prefix(2_100).enumerated().map { n, c in
            var c = c
            c.name = "Aaron " + Partition.zeroPadded(n, 4)
            c.version += 1
            return c
        }
        _ = try small.writeBatch("rename", .directory, items: renamed) { c, _, _ throws(CoreError) in
            Planned(transaction: Transaction(at: Support.now, actor: Support.actor, mutations: [.customer(c)]), value: c)
        }
        for c in renamed { model2[c.id] = c }
        try small.compact()
        #expect(CustomerLayout(small.generation.manifest).shardCount == 16)
        let table = try small.customerNameTable()
        #expect(table.count > chunksBefore, "no chunk split: \(table)")
        let fresh = try Store.open(at: dir2, clock: FixedClock(Support.now), options: Self.sixteen())
        for p in ["aaron", "aaron 1", "customer", "customer 00029", "0", "20", ""] {
            #expect(try fresh.customers(namePrefix: p, limit: 9) == CustomerKey.nameSearch(model2.values, prefix: CustomerKey.foldedName(p), limit: 9), "split: \(p)")
        }
        for c in model2.values.sorted(by: { $0.id < $1.id }).enumerated().filter({ $0.offset % 53 == 0 }).map(\.element) {
            #expect(try fresh.customers(key: CustomerKey.name(c.name)) == [c])
        }
        #expect(try fresh.customers(key: CustomerKey.name("Customer 0000001")).isEmpty, "a renamed customer is found by its old name")
        #expect(fresh.check().ok)
    }

    /// Opening a store of many customers reads no customer file; a lookup by name reads one
    /// key shard and one customer shard; a prefix search a few files.
    @Test func openReadsNoCustomerShard() throws {
        let dir = Support.tempDir("customers-lazy")
        defer { Support.remove(dir) }
        var options = Support.options()
        options.customersPerShard = 1000
        let (store, r) = try Support.newStore(dir, options: options)
        let seeded = try store.seedCustomersForBenchmark(count: 40_000)
        // A booking for one of them in the journal tail.
        let request = BookingRequest(resource: r, customer: .existing(seeded[123].id), range: Support.slot(1))
        _ = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }
        #expect(CustomerLayout(store.generation.manifest).shardCount == 64)

        let fs = FaultyFileSystem()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        // Customer files, not the manifest's section lists that name them (read once each).
        func customerReads() -> [String] {
            fs.reads.filter { !$0.contains("/lists/") && ($0.components(separatedBy: "/snapshots/").dropFirst().first?.contains("/customer") ?? false) }
        }
        #expect(customerReads().isEmpty, "open read \(customerReads())")
        #expect(lazy.state.customers.isEmpty)
        let c = try lazy.resolveCustomer("customer 0031416")
        #expect(c == seeded[31415])
        // The name key's shard (text with a space is no reference), then the customer's shard.
        #expect(customerReads().filter { $0.contains("/customer-keys/") }.count == 1, "\(customerReads())")
        #expect(customerReads().filter { $0.contains("/customers/") }.count == 1, "\(customerReads())")
        #expect(lazy.customerShardsRead == 1)
        #expect(try lazy.resolveCustomer(seeded[99].ref.lowercased()) == seeded[99])
        let before = customerReads().count
        let found = try lazy.customers(namePrefix: "Customer 00271", limit: 5)
        #expect(found.map(\.name) == (27_100..<27_105).map { "Customer 00\($0)" })
        #expect(customerReads().count - before <= 2 + 5, "\(customerReads().dropFirst(before))")
        // A loaded booking brings its customer.
        try lazy.load(resources: nil, range: Support.everything)
        let b = try #require(lazy.state.bookings.values.first)
        #expect(lazy.state.customers[b.customer!] == seeded[123])
    }

    /// A format 2 generation (`customers.json` whole) is read as it is, and the next compaction
    /// writes the sharded table.
    @Test func upgradesAWholeCustomersFile() throws {
        let dir = Support.tempDir("customers-upgrade")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let ann = try Self.add(store, "Ann Lee", phone: "555 010 0000", email: nil)
        let bob = try Self.add(store, "Bob Stone", phone: nil, email: "bob@example.com")
        let request = BookingRequest(resource: r, customer: .existing(ann.id), range: Support.slot(1))
        let booked = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0]
        try store.compact()
        try Self.rewriteAsWholeFile(dir)

        let old = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(!old.customerLayout.isSharded && old.customerLayout.isWhole)
        #expect(Set(old.state.customers.keys) == [ann.id, bob.id])
        #expect(try old.resolveCustomer("ann lee") == ann)
        #expect(try old.customers(namePrefix: "sto", limit: 5) == [bob])
        #expect(old.check().ok, "\(old.check().lines)")
        let carla = try Self.add(old, "Carla Díaz", phone: nil, email: nil)
        try old.compact()
        let gen = old.generation
        #expect(try !gen.manifest.contains(CustomerLayout.wholeFile))
        #expect(CustomerLayout(gen.manifest).isSharded)
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(fresh.customerLayout.isSharded && fresh.state.customers.isEmpty)
        let model = [ann.id: ann, bob.id: bob, carla.id: carla]
        try Self.verify(fresh, model, "upgraded")
        try fresh.load(resources: nil, range: Support.everything)
        #expect(fresh.state.customers[fresh.state.bookings[booked.id]!.customer!] == ann)
        #expect(fresh.check().ok)
    }

    /// Rewrites the newest generation of `dir` the way a format 2 program wrote it: customers
    /// whole in `customers.json`, no table or index files.
    static func rewriteAsWholeFile(_ dir: String) throws {
        let fs = RealFileSystem()
        try fs.confine(to: dir)
        let number = try #require(try Generation.list(dir + "/snapshots", fs: fs).first)
        let gen = try Generation.open(dir + "/snapshots/" + Manifest.name(number), fs: fs)
        let customers = try gen.allCustomers(fs: fs).sorted { $0.id < $1.id }
        var files = try gen.manifest.allFiles().filter { !CustomerLayout.isTableFile($0.key) }
        for sub in [CustomerLayout.shardDirectory, CustomerLayout.keyDirectory, CustomerLayout.nameDirectory] {
            try FileManager.default.removeItem(atPath: gen.path + "/" + sub)
        }
        try FileManager.default.removeItem(atPath: gen.path + "/" + CustomerLayout.nameTable)
        let bytes = SchemaFile.list(customers) { CustomerSchema.write($0, to: &$1) }
        try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + CustomerLayout.wholeFile))
        files[CustomerLayout.wholeFile] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        let m = gen.manifest
        let manifest = Manifest(format: m.format, generation: m.generation, lastSequence: m.lastSequence, counters: m.counters,
                                maxBookingSeconds: m.maxBookingSeconds, files: files)
        try Data(Frame.encode(ManifestSchema.bytes(manifest))).write(to: URL(fileURLWithPath: gen.path + "/manifest.json"))
        // The previous generation would still have the table: keep only this one.
        for g in try Generation.list(dir + "/snapshots", fs: fs) where g != number {
            try FileManager.default.removeItem(atPath: dir + "/snapshots/" + Manifest.name(g))
        }
    }

    /// A damaged customer shard is an error naming the file, never an empty shard; `check`
    /// names it too.
    @Test func damagedShardIsNamed() throws {
        let dir = Support.tempDir("customers-damaged")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir, options: Self.sixteen())
        let ann = try Self.add(store, "Ann Lee", phone: nil, email: nil)
        try store.compact()
        let shard = CustomerLayout.shard(ann.id.rawValue, count: 16)
        let path = store.generation.path + "/" + CustomerLayout.shardPath(shard)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.sixteen())
        do {
            _ = try fresh.resolveCustomer("Ann Lee")
            Issue.record("a damaged shard was read")
        } catch let error as StoreError {
            guard case .damaged(let p, _) = error else { Issue.record("\(error)"); return }
            #expect(p == path)
        }
        #expect(fresh.isReadOnly)
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.sixteen()).check()
        #expect(!report.ok && report.lines.contains { $0.hasPrefix("FAIL") && $0.contains(CustomerLayout.shardPath(shard)) })
    }

    /// Crashes (every power-loss mode) and fails every file operation of customer edits and the
    /// compaction that folds them: the store reopens to exactly the acknowledged customers, and
    /// every lookup agrees with them.
    @Test func crashesDuringCustomerCompaction() throws {
        let base = Support.tempDir("customers-crash-base")
        let work = Support.tempDir("customers-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        var model: [CustomerID: Customer] = [:]
        do {
            let (store, _) = try Support.newStore(base)
            for (i, name) in Self.names.enumerated() {
                let c = try Self.add(store, name, phone: "555 02\(i)", email: nil)
                model[c.id] = c
            }
            try store.compact()
        }
        let ids = model.keys.sorted()
        /// Renames two customers, adds one, compacts; returns what was acknowledged.
        func run(_ fs: FaultyFileSystem) -> [Customer] {
            var done: [Customer] = []
            guard let store = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)) else { return done }
            do {
                done.append(try Self.edit(store, ids[0]) { $0.name = "Renamed First" })
                done.append(try Self.add(store, "Brand New", phone: "555 0999", email: "new@example.com"))
                done.append(try Self.edit(store, ids[3]) { $0.name = "Ann Lee"; $0.email = "moved@example.com" })
                try store.compact()
            } catch {}
            return done
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        #expect(run(probe).count == 3)
        let n = probe.operations
        #expect(probe.log.contains { $0.contains(" rename ") && $0.contains("/snapshots/") })
        var cases = 0
        for k in 0...n {
            var runs: [(String, FaultyFileSystem)] = []
            for mode in FaultyFileSystem.PowerLoss.allCases where k % 6 == 0 || mode == .drop {
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                runs.append(("crash after \(k)/\(n) \(mode)", fs))
            }
            if k >= 1 && k % 3 == 0 {
                let fs = FaultyFileSystem()
                fs.failAt = (k, .eio)
                runs.append(("eio at \(k)/\(n)", fs))
            }
            for (i, (label, fs)) in runs.enumerated() {
                Support.copy(base, work)
                let acknowledged = run(fs)
                if label.hasPrefix("crash") {
                    let modes = FaultyFileSystem.PowerLoss.allCases.filter { k % 6 == 0 || $0 == .drop }
                    fs.powerLoss(modes[i])
                }
                var expected = model
                for c in acknowledged { expected[c.id] = c }
                let reopened = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                // A record written but not acknowledged may be there too: take what the store
                // holds of the three changes when it is one of the two possible versions.
                let all = try reopened.allCustomers()
                for c in all where expected[c.id] != c {
                    #expect(acknowledged.count < 3, "\(label): \(c.name) differs although everything was acknowledged")
                    expected[c.id] = c
                }
                #expect(all.count == expected.count, "\(label)")
                try Self.verify(reopened, expected, label, prefixes: ["renamed", "brand"])
                cases += 1
            }
        }
        #expect(cases > n)
    }
}
