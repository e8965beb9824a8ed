import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The customer → bookings index (`by-customer/`) and the partitions' customer lists
/// (`partition-customers/`): random operations against an in-memory model, with compaction,
/// reopening and crashes; which files a query reads; lists kept current; old stores upgraded.
@Suite struct CustomerIndexTests {
    /// What the store should hold: each booking's customer, time and resource, and each
    /// customer's name.
    struct Model {
        var bookings: [BookingID: (customer: CustomerID?, range: TimeRange, resource: ResourceID)] = [:]
        var names: [CustomerID: String] = [:]

        func bookings(of c: CustomerID, in range: TimeRange) -> Set<BookingID> {
            Set(bookings.filter { $0.value.customer == c && $0.value.range.overlaps(range) }.keys)
        }
    }

    /// Drives one store with random operations, keeping the model in step with what was
    /// acknowledged.
    final class Driver {
        let dir: String
        var options: StoreOptions
        var store: Store
        var model = Model()
        var rng: ModelGen.Seeded
        var resources: [ResourceID] = []
        var customers: [CustomerID] = []

        init(_ dir: String, seed: UInt64, options: StoreOptions) throws {
            self.dir = dir
            self.options = options
            rng = ModelGen.Seeded(state: seed)
            store = try Store.create(at: dir, clock: FixedClock(Support.now), options: options)
            for name in ["Room 1", "Room 2", "Room 3"] { resources.append(try Support.addResource(store, name)) }
            for i in 0..<6 { try addCustomer("Customer \(i)") }
        }

        func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

        func addCustomer(_ name: String) throws {
            let c = try store.write("customer add", .directory) { s, e throws(CoreError) in
                try e.addCustomer(name: name, in: s, by: Support.actor)
            }
            customers.append(c.id)
            model.names[c.id] = name
        }

        /// A range within a year of "now", so bookings spread over a dozen months.
        func randomRange() -> TimeRange {
            let start = Support.now + .days(Int64(int(1...380))) + .minutes(Int64(int(0...40)) * 15)
            return TimeRange(start: start, end: start + .minutes(Int64(int(1...8)) * 15))
        }

        /// Runs a write; a planning refusal (a conflict, a cancelled booking) changes nothing.
        func attempt<T>(_ body: () throws -> T) throws -> T? {
            do { return try body() } catch StoreError.core { return nil } catch is CoreError { return nil }
        }

        func randomBooking() -> BookingID? {
            model.bookings.keys.sorted().randomElement(using: &rng)
        }

        /// One random operation.
        func step() throws {
            switch int(0...99) {
            case 0..<40:
                let customer = int(0...4) == 0 ? nil : customers.randomElement(using: &rng)!
                let request = BookingRequest(resource: resources.randomElement(using: &rng)!, customer: customer.map { .existing($0) },
                                             range: randomRange())
                if let out = try attempt({ try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) } }) {
                    let b = out.bookings[0]
                    model.bookings[b.id] = (customer, request.range, request.resource)
                }
            case 40..<55:
                guard let id = randomBooking() else { return }
                let range = randomRange(), resource = resources.randomElement(using: &rng)!
                if try attempt({
                    try store.write("move", .reschedule(id, to: range, resource: resource, scope: .this)) { s, e throws(CoreError) in
                        try e.reschedule(id, to: range, resource: resource, in: s, by: Support.actor)
                    }
                }) != nil {
                    model.bookings[id]!.range = range
                    model.bookings[id]!.resource = resource
                }
            case 55..<68:
                guard let id = randomBooking() else { return }
                let customer = int(0...5) == 0 ? nil : customers.randomElement(using: &rng)!
                if try attempt({
                    try store.write("edit", .edit(id)) { s, e throws(CoreError) in try e.edit(id, customer: .some(customer), in: s, by: Support.actor) }
                }) != nil {
                    model.bookings[id]!.customer = customer
                }
            case 68..<76:
                guard let id = randomBooking() else { return }
                // A cancelled booking stays the customer's (history): the index keeps it.
                _ = try attempt({
                    try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "test", in: s, by: Support.actor) }
                })
            case 76..<84:
                let id = customers.randomElement(using: &rng)!
                let name = "Renamed \(int(0...999_999))"
                var c = try store.customer(id: id)!
                c.name = name
                let updated = c
                _ = try store.write("customer edit", .directory) { s, e throws(CoreError) in try e.updateCustomer(updated, in: s, by: Support.actor) }
                model.names[id] = name
            case 84..<88:
                try addCustomer("New \(customers.count)")
            case 88..<95:
                try store.compact()
            default:
                try reopen()
            }
        }

        func reopen() throws {
            store.waitForBackgroundWork()
            store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        }

        /// Every customer's bookings over everything and over a random window, from the
        /// driving store and from a freshly opened one (nothing loaded: the index's path),
        /// against the model; and the names a fresh store shows.
        func verify(_ label: String) throws {
            store.waitForBackgroundWork()
            let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            let window = randomRange()
            let wide = TimeRange(start: window.start - .days(Int64(int(0...120))), end: window.end + .days(Int64(int(0...120))))
            for c in customers {
                for range in [Support.everything, wide] {
                    let want = model.bookings(of: c, in: range)
                    for (who, s) in [("writer", store), ("fresh", fresh)] {
                        let got = try s.bookings(ofCustomer: c, range: range)
                        #expect(Set(got.map(\.id)) == want, "\(label) \(who) \(c) \(range): \(got.count) bookings, model \(want.count)")
                        #expect(got.count == Set(got.map(\.id)).count, "\(label) \(who): duplicates")
                        #expect(zip(got, got.dropFirst()).allSatisfy { $0.start <= $1.start }, "\(label) \(who): not in start order")
                        for b in got {
                            #expect(b.range == model.bookings[b.id]!.range && b.resource == model.bookings[b.id]!.resource, "\(label) \(who): \(b.id) is stale")
                        }
                    }
                }
                #expect(try fresh.customer(id: c)?.name == model.names[c], "\(label): name of \(c)")
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func modelBased(_ seed: UInt64) throws {
        let dir = Support.tempDir("customer-index-\(seed)")
        defer { Support.remove(dir) }
        // Compacting every 12 records (in the background too) puts generations between the operations.
        var options = Support.options(compactAfter: 12)
        options.compactInBackground = seed != 2
        let d = try Driver(dir, seed: seed, options: options)
        for i in 0..<160 {
            try d.step()
            if i % 20 == 19 { try d.verify("seed \(seed) step \(i)") }
        }
        try d.store.compact()
        try d.verify("seed \(seed) end")
        #expect(d.model.bookings.count >= 30, "the run booked too little to test anything")
        #expect(d.store.generation.hasCustomerIndex)
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(report.lines.contains { $0.hasPrefix("ok   customer index of generation") })
    }

    /// A query reads one index shard and exactly the partitions holding the customer's
    /// bookings in range, not the other months or resources.
    @Test func readsOnlyTheCustomersPartitions() throws {
        let dir = Support.tempDir("customer-index-reads")
        defer { Support.remove(dir) }
        let d = try Driver(dir, seed: 9, options: Support.options())
        let (ann, bob) = (d.customers[0], d.customers[1])
        var annKeys: Set<String> = []
        for month in 0..<12 {
            for (i, r) in d.resources.enumerated() {
                let start = Support.now + .days(Int64(month * 31 + 2)) + .hours(Int64(9 + i))
                let range = TimeRange(start: start, end: start + .hours(1))
                // Ann: Room 1 in months 0, 4 and 8 only; Bob everywhere else.
                let who = (i == 0 && month % 4 == 0) ? ann : bob
                let req = BookingRequest(resource: r, customer: .existing(who), range: range)
                let b = try d.store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) }.bookings[0]
                if who == ann { annKeys.insert(Partition.key(b)) }
            }
        }
        try d.store.compact()
        #expect(annKeys.count == 3)

        let fs = FaultyFileSystem()
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let before = fs.reads.count
        let got = try reader.bookings(ofCustomer: ann, range: Support.everything)
        let reads = fs.reads[before...]
        #expect(got.count == 3 && got.allSatisfy { $0.customer == ann })
        let partitionReads = Set(reads.filter { $0.contains("/bookings/") }.map { String($0.split(separator: "/bookings/").last!.dropLast(5)) })
        #expect(partitionReads == annKeys, "read \(partitionReads.sorted())")
        #expect(reads.filter { $0.contains("/by-customer/") }.count == 1)
        #expect(reads.filter { $0.contains("/bookings/") }.count == 3)

        // A window reads only the partitions of the entries in it.
        let second = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let mark = fs.reads.count
        let firstMonths = TimeRange(start: Support.now, end: Support.now + .days(40))
        #expect(try second.bookings(ofCustomer: ann, range: firstMonths).count == 1)
        #expect(fs.reads[mark...].filter { $0.contains("/bookings/") }.count == 1)

        // The journal tail wins: a booking moved away from Ann after the snapshot is not hers.
        let moved = got[0]
        _ = try d.store.write("edit", .edit(moved.id)) { s, e throws(CoreError) in try e.edit(moved.id, customer: .some(bob), in: s, by: Support.actor) }
        let third = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(Set(try third.bookings(ofCustomer: ann, range: Support.everything).map(\.id)) == Set(got.dropFirst().map(\.id)))
        #expect(try third.bookings(ofCustomer: bob, range: Support.everything).contains { $0.id == moved.id })
    }

    /// A rename rewrites the customer lists of the partitions holding the customer's bookings
    /// (no booking changed: they are linked partitions) and links the others.
    @Test func customerListsFollowARename() throws {
        let dir = Support.tempDir("customer-index-rename")
        defer { Support.remove(dir) }
        let d = try Driver(dir, seed: 5, options: Support.options())
        let (ann, bob) = (d.customers[0], d.customers[1])
        let annRange = TimeRange(start: Support.now + .days(3), end: Support.now + .days(3) + .hours(1))
        let bobRange = TimeRange(start: Support.now + .days(70), end: Support.now + .days(70) + .hours(1))
        for (who, range) in [(ann, annRange), (bob, bobRange)] {
            let req = BookingRequest(resource: d.resources[0], customer: .existing(who), range: range)
            _ = try d.store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) }
        }
        try d.store.compact()
        let annKey = Partition.key(month: Partition.month(annRange.start), resource: d.resources[0])
        let bobKey = Partition.key(month: Partition.month(bobRange.start), resource: d.resources[0])
        let first = d.store.generation
        #expect(try first.partitionCustomers(annKey, fs: RealFileSystem())?.map(\.name) == ["Customer 0"])

        var c = try d.store.customer(id: ann)!
        c.name = "Ann Renamed"
        let updated = c
        _ = try d.store.write("customer edit", .directory) { s, e throws(CoreError) in try e.updateCustomer(updated, in: s, by: Support.actor) }
        try d.store.compact()
        let second = d.store.generation
        #expect(second.manifest.generation > first.manifest.generation)
        #expect(try second.partitionCustomers(annKey, fs: RealFileSystem())?.map(\.name) == ["Ann Renamed"])
        let fs = RealFileSystem()
        func inode(_ g: Generation, _ rel: String) -> UInt64? { fs.stat(g.path + "/" + rel)?.inode }
        // Bob's list did not change: the same file, linked.
        #expect(inode(first, CustomerIndex.sidecarPath(bobKey)) == inode(second, CustomerIndex.sidecarPath(bobKey)))
        #expect(inode(first, CustomerIndex.sidecarPath(annKey)) != inode(second, CustomerIndex.sidecarPath(annKey)))
        // Ann's partition itself did not change either.
        #expect(inode(first, Generation.partitionPath(annKey)) == inode(second, Generation.partitionPath(annKey)))
        #expect(d.store.check().ok)

        // Loading a partition fills in a customer the state lacks from its list, and only then.
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var lacking = BookingState()
        lacking.apply(Transaction(at: Support.now, actor: .system, mutations: reader.state.resources.values.map(Mutation.resource)))
        reader.state = lacking
        try reader.load(resources: nil, range: Support.everything)
        #expect(try reader.customer(id: ann)?.name == "Ann Renamed")
        #expect(try reader.customer(id: bob)?.name == "Customer 1")
        #expect(reader.partitionCustomerListsRead == 2)
        let full = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try full.load(resources: nil, range: Support.everything)
        // Customers load lazily: a fresh store has none in memory, so each loaded partition's
        // list brings its customers (and not one customer shard per booking).
        #expect(full.partitionCustomerListsRead == 2)
        #expect(full.state.customers[ann]?.name == "Ann Renamed" && full.state.customers[bob]?.name == "Customer 1")
    }

    /// A generation from an older build (no index, no lists) is scanned, `check` says so, and
    /// the next compaction builds the index over every booking, linked partitions included.
    @Test func oldLayoutUpgrades() throws {
        let dir = Support.tempDir("customer-index-upgrade")
        defer { Support.remove(dir) }
        let d = try Driver(dir, seed: 11, options: Support.options())
        for _ in 0..<60 { try d.step() }
        try d.store.compact()
        d.store.waitForBackgroundWork()
        try Self.stripIndex(d.store.generation)

        let old = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(!old.generation.hasCustomerIndex)
        for c in d.customers {
            #expect(Set(try old.bookings(ofCustomer: c, range: Support.everything).map(\.id)) == d.model.bookings(of: c, in: Support.everything))
        }
        let oldReport = old.check()
        #expect(oldReport.ok, "\(oldReport.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(oldReport.lines.contains { $0.contains("has no customer index") })

        // One change, so nearly every partition is linked: the index must still cover them all.
        try d.reopen()
        try d.addCustomer("After upgrade")
        try d.store.compact()
        #expect(d.store.generation.hasCustomerIndex)
        let entries = try (0..<d.store.generation.manifest.customerIndexShards).reduce(0) { n, s in
            n + (try d.store.generation.customerIndexShard(s, fs: RealFileSystem())!.values.reduce(0) { $0 + $1.count })
        }
        #expect(entries == d.model.bookings.values.filter { $0.customer != nil }.count)
        let everyFile = try d.store.generation.manifest.allFiles()
        #expect(try d.store.generation.manifest.partitions().allSatisfy { everyFile[CustomerIndex.sidecarPath($0)] != nil })
        try d.verify("upgraded")
        let report = d.store.check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(report.lines.contains { $0.hasPrefix("ok   customer index of generation") })
    }

    /// `check` finds an index that disagrees with the partitions and a stale customer list.
    @Test func checkFindsADisagreeingIndex() throws {
        let dir = Support.tempDir("customer-index-check")
        defer { Support.remove(dir) }
        let d = try Driver(dir, seed: 13, options: Support.options())
        for _ in 0..<40 { try d.step() }
        try d.store.compact()
        d.store.waitForBackgroundWork()
        let gen = d.store.generation
        let fs = RealFileSystem()
        // Drop one customer's entries from its shard, and rewrite the manifest to match.
        var found: (Int, CustomerIndex.Shard)?
        for n in 0..<gen.manifest.customerIndexShards where found == nil {
            if let shard = try gen.customerIndexShard(n, fs: fs), !shard.isEmpty { found = (n, shard) }
        }
        let (s, shard) = try #require(found)
        var changed = shard
        let victim = changed.keys.sorted()[0]
        changed[victim] = nil
        try Self.replace(gen, [CustomerIndex.shardPath(s): CustomerIndex.bytes(changed)])
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("customer \(victim) is missing") })
    }

    /// Crashes and fails every file operation of a compaction that moves a booking to another
    /// customer and renames one: after reopening the store answers as the model says and
    /// `check` passes.
    @Test func crashDuringCompaction() throws {
        let base = Support.tempDir("customer-index-crash-base")
        let work = Support.tempDir("customer-index-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        let d = try Driver(base, seed: 17, options: Support.options())
        for _ in 0..<15 { try d.step() }
        try d.store.compact()
        var model = d.model
        let id = model.bookings.keys.sorted().first { model.bookings[$0]!.customer != nil }!
        let target = d.customers.first { $0 != model.bookings[id]!.customer }!
        _ = try d.store.write("edit", .edit(id)) { s, e throws(CoreError) in try e.edit(id, customer: .some(target), in: s, by: Support.actor) }
        model.bookings[id]!.customer = target
        var c = try d.store.customer(id: target)!
        c.name = "Crash Renamed"
        let updated = c
        _ = try d.store.write("customer edit", .directory) { s, e throws(CoreError) in try e.updateCustomer(updated, in: s, by: Support.actor) }
        d.store.waitForBackgroundWork()
        let customers = d.customers

        func run(_ fs: FaultyFileSystem) {
            guard let s = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)) else { return }
            try? s.compact()
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        run(probe)
        let n = probe.operations
        #expect(probe.log.contains { $0.contains("/by-customer/") }, "the compaction wrote no index shard")
        // Before the generation's rename a crash only leaves `tmp/` work (every twelfth
        // operation is crashed there); from the rename on, every operation.
        let renamed = probe.log.firstIndex { $0.contains(" rename ") && $0.contains("/snapshots/") } ?? 0
        let points = Array(stride(from: 0, to: renamed, by: 12)) + Array(renamed...n)
        #expect(renamed > 0 && points.count >= 20, "\(renamed) of \(n)")
        for k in points {
            for mode in [k % 2 == 0 ? FaultyFileSystem.PowerLoss.drop : .garbage] {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                run(fs)
                fs.powerLoss(mode)
                let label = "crash after \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]"
                let s = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                for cid in customers {
                    #expect(Set(try s.bookings(ofCustomer: cid, range: Support.everything).map(\.id)) == model.bookings(of: cid, in: Support.everything), "\(label) \(cid)")
                }
                #expect(try s.customer(id: target)?.name == "Crash Renamed", "\(label)")
                try s.compact()
                let report = s.check()
                #expect(report.ok, "\(label): \(report.lines.filter { $0.hasPrefix("FAIL") })")
            }
        }
    }

    // MARK: Helpers

    /// Takes the index and the customer lists out of a generation, as an older build wrote it.
    static func stripIndex(_ gen: Generation) throws {
        let drop = try gen.manifest.allFiles().keys.filter { $0.hasPrefix(CustomerIndex.directory) || $0.hasPrefix(CustomerIndex.sidecarDirectory) }
        #expect(!drop.isEmpty)
        for rel in drop { try FileManager.default.removeItem(atPath: gen.path + "/" + rel) }
        var files = try gen.manifest.allFiles()
        for rel in drop { files[rel] = nil }
        try writeManifest(gen, files)
    }

    /// Replaces files of a generation and its manifest's entries for them.
    static func replace(_ gen: Generation, _ contents: [String: [UInt8]]) throws {
        var files = try gen.manifest.allFiles()
        for (rel, bytes) in contents {
            try FileManager.default.removeItem(atPath: gen.path + "/" + rel)
            try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + rel))
            files[rel] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        }
        try writeManifest(gen, files)
    }

    static func writeManifest(_ gen: Generation, _ files: [String: Manifest.FileEntry]) throws {
        let m = gen.manifest
        let manifest = Manifest(format: m.format, generation: m.generation, lastSequence: m.lastSequence, counters: m.counters,
                                maxBookingSeconds: m.maxBookingSeconds, files: files)
        let path = gen.path + "/manifest.json"
        try FileManager.default.removeItem(atPath: path)
        try Data(Frame.encode(ManifestSchema.bytes(manifest))).write(to: URL(fileURLWithPath: path))
    }
}
