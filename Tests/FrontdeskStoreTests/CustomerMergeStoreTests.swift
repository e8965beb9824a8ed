import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Merging and erasing customers in the file store (#24): random books, customer changes,
/// merges, erasures, compactions and reopenings against an in-memory model, through the
/// customer → bookings index and the customer table; and crashes (each power-loss mode) at
/// every file operation of a merge: all of it or none.
@Suite struct CustomerMergeStoreTests {
    static let everything = TimeRange(start: Instant(seconds: 0), end: SupportedRange.upperBound)

    /// Each booking's customer, the aliases (merged → target) and the erased customers.
    struct Model {
        var bookings: [BookingID: CustomerID?] = [:]
        var aliases: [CustomerID: CustomerID] = [:]
        var erased: Set<CustomerID> = []
        var customers: [CustomerID] = []

        var live: [CustomerID] { customers.filter { aliases[$0] == nil } }
        func bookings(of c: CustomerID) -> Set<BookingID> { Set(bookings.filter { $0.value == c }.keys) }
        func target(_ c: CustomerID) -> CustomerID { aliases[c].map(target) ?? c }
    }

    /// The front end's merge: the duplicate's bookings through the index, both customers
    /// resolved (loaded) first, one write.
    static func merge(_ store: Store, into a: CustomerID, from b: CustomerID) throws {
        _ = try store.customer(id: a); _ = try store.customer(id: b)
        let listed = try store.bookings(ofCustomer: b, range: everything).map(\.id)
        _ = try store.write("customer merge", .batch(listed.map { .edit($0) } + [.directory])) { s, e throws(CoreError) in
            try e.mergeCustomers(into: a, from: b, bookings: listed, reason: "duplicate", in: s, by: Support.actor)
        }
    }

    static func erase(_ store: Store, _ c: CustomerID, aliases: [CustomerID]) throws {
        _ = try store.customer(id: c)
        for a in aliases { _ = try store.customer(id: a) }
        let listed = try store.bookings(ofCustomer: c, range: everything).map(\.id)
        _ = try store.write("customer erase", .batch(listed.map { .edit($0) } + [.directory])) { s, e throws(CoreError) in
            try e.eraseCustomer(c, aliases: aliases, bookings: listed, reason: "asked", in: s, by: Support.actor)
        }
    }

    final class Driver {
        let dir: String
        let options: StoreOptions
        var store: Store
        var model = Model()
        var rng: ModelGen.Seeded
        var resources: [ResourceID] = []

        init(_ dir: String, seed: UInt64, options: StoreOptions) throws {
            self.dir = dir
            self.options = options
            rng = ModelGen.Seeded(state: seed)
            store = try Store.create(at: dir, clock: FixedClock(Support.now), options: options)
            for name in ["Room 1", "Room 2"] { resources.append(try Support.addResource(store, name)) }
            for i in 0..<6 { try addCustomer("Customer \(i)") }
        }

        func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

        /// Runs a write; a planning refusal (a conflict) changes nothing.
        func attempt<T>(_ body: () throws -> T) throws -> T? {
            do { return try body() } catch StoreError.core { return nil } catch is CoreError { return nil }
        }

        func addCustomer(_ name: String) throws {
            let c = try store.write("customer add", .directory) { s, e throws(CoreError) in try e.addCustomer(name: name, phone: "555-01\(model.customers.count)", in: s, by: Support.actor) }
            model.customers.append(c.id)
        }

        func step() throws {
            let live = model.live.filter { !model.erased.contains($0) }
            switch int(0...99) {
            case 0..<40:
                guard let c = live.randomElement(using: &rng) else { return }
                let start = Support.now + .days(Int64(int(1...300))) + .minutes(Int64(int(0...40)) * 15)
                let request = BookingRequest(resource: resources.randomElement(using: &rng)!, customer: .existing(c),
                                             range: TimeRange(start: start, end: start + .minutes(30)))
                _ = try store.customer(id: c)
                if let out = try attempt({ try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) } }) {
                    model.bookings[out.bookings[0].id] = c
                }
            case 40..<50:
                guard let id = model.bookings.keys.sorted().randomElement(using: &rng), let c = live.randomElement(using: &rng) else { return }
                _ = try store.customer(id: c)
                _ = try store.write("edit", .edit(id)) { s, e throws(CoreError) in try e.edit(id, customer: .some(c), in: s, by: Support.actor) }
                model.bookings[id] = c
            case 50..<62:
                guard live.count >= 2 else { return }
                let pair = Array(live.shuffled(using: &rng).prefix(2))
                try CustomerMergeStoreTests.merge(store, into: pair[0], from: pair[1])
                for (b, c) in model.bookings where c == pair[1] { model.bookings[b] = pair[0] }
                model.aliases[pair[1]] = pair[0]
            case 62..<66:
                guard let c = live.randomElement(using: &rng) else { return }
                let aliases = model.aliases.filter { $0.value == c }.map(\.key).sorted()
                try CustomerMergeStoreTests.erase(store, c, aliases: aliases)
                model.erased.insert(c)
                model.erased.formUnion(aliases)
            case 66..<74:
                try addCustomer("New \(model.customers.count)")
            case 74..<88:
                try store.compact()
            default:
                store.waitForBackgroundWork()
                store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
            }
        }

        /// Every customer's bookings and record, from the driving store and a fresh one.
        func verify(_ label: String) throws {
            store.waitForBackgroundWork()
            let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            for (who, s) in [("writer", store), ("fresh", fresh)] {
                for c in model.customers {
                    let got = Set(try s.bookings(ofCustomer: c, range: CustomerMergeStoreTests.everything).map(\.id))
                    #expect(got == model.bookings(of: c), "\(label) \(who) \(c)")
                    let record = try #require(try s.customer(id: c), "\(label) \(who) \(c)")
                    #expect(record.mergedInto == model.aliases[c], "\(label) \(who) \(c) alias")
                    #expect(record.erased == model.erased.contains(c), "\(label) \(who) \(c) erased")
                    if record.erased { #expect(record.name.hasPrefix("Erased customer C-") && record.phone == nil, "\(label) \(who) \(c)") }
                    if model.erased.contains(c) { continue }
                    #expect(try s.resolveCustomer(c.rawValue).id == model.target(c), "\(label) \(who) \(c) resolves")
                    #expect(try s.resolveCustomer(record.ref).id == model.target(c), "\(label) \(who) \(c) by reference")
                }
            }
        }
    }

    @Test(arguments: [UInt64(1), 2])
    func modelBased(_ seed: UInt64) throws {
        let dir = Support.tempDir("customer-merge-\(seed)")
        defer { Support.remove(dir) }
        var options = Support.options(compactAfter: 12)
        options.compactInBackground = seed == 2
        let d = try Driver(dir, seed: seed, options: options)
        for i in 0..<120 {
            try d.step()
            if i % 20 == 19 { try d.verify("seed \(seed) step \(i)") }
        }
        try d.store.compact()
        try d.verify("seed \(seed) end")
        #expect(!d.model.aliases.isEmpty && d.model.bookings.count >= 20, "the run merged or booked too little to test anything")
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
    }

    /// A merge is one journal record: a crash at any file operation of it leaves every booking
    /// with the duplicate and no alias, or every booking moved and the alias; compaction and
    /// `check` agree afterwards.
    @Test func crashDuringAMerge() throws {
        let base = Support.tempDir("customer-merge-crash-base")
        let work = Support.tempDir("customer-merge-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        let d = try Driver(base, seed: 5, options: Support.options())
        let (a, b) = (d.model.customers[0], d.model.customers[1])
        var mine: [BookingID] = []
        for day in 1...6 {
            let start = Support.now + .days(Int64(day * 40))
            let request = BookingRequest(resource: d.resources[day % 2], customer: .existing(b), range: TimeRange(start: start, end: start + .minutes(30)))
            _ = try d.store.customer(id: b)
            mine.append(try d.store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0].id)
            if day == 3 { try d.store.compact() }
        }
        d.store.waitForBackgroundWork()

        func run(_ fs: FaultyFileSystem) {
            guard let s = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)) else { return }
            try? CustomerMergeStoreTests.merge(s, into: a, from: b)
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        run(probe)
        let n = probe.operations
        #expect(n > 0)
        var outcomes: Set<Bool> = []
        for k in 0...n {
            for mode in [FaultyFileSystem.PowerLoss.drop, .garbage] {
                Support.copy(base, work)
                let fs = FaultyFileSystem()
                fs.crashAfter = k
                run(fs)
                fs.powerLoss(mode)
                let label = "crash after \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]"
                let s = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
                let merged = try s.customer(id: b)?.mergedInto == a
                outcomes.insert(merged)
                let ofA = Set(try s.bookings(ofCustomer: a, range: Self.everything).map(\.id))
                let ofB = Set(try s.bookings(ofCustomer: b, range: Self.everything).map(\.id))
                #expect(merged ? (ofA == Set(mine) && ofB.isEmpty) : (ofB == Set(mine) && ofA.isEmpty), "\(label)")
                try s.compact()
                let report = s.check()
                #expect(report.ok, "\(label): \(report.lines.filter { $0.hasPrefix("FAIL") })")
            }
        }
        #expect(outcomes == [false, true], "the crashes never left one of the two outcomes")
    }

    /// Every file of the newest generation whose bytes hold `text`, ignoring case (search terms are folded).
    static func filesHolding(_ text: String, in store: Store) -> [String] {
        let root = store.generation.path
        var out: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return ["(unreadable) " + root] }
        while let rel = walker.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: root + "/" + rel) else { continue }
            if String(decoding: data, as: UTF8.self).lowercased().contains(text.lowercased()) { out.append(rel) }
        }
        return out
    }

    /// The compaction after an erasure rewrites audit chunks, key shards, name chunks and
    /// partitions: a crash at its file operations (each power-loss mode in turn) leaves the
    /// erasure in place, and the next compaction writes a generation without the name that
    /// `check` passes.
    @Test func crashDuringTheCompactionAfterAnErasure() throws {
        let base = Support.tempDir("customer-erase-crash-base")
        let work = Support.tempDir("customer-erase-crash-work")
        defer { Support.remove(base); Support.remove(work) }
        let d = try Driver(base, seed: 9, options: Support.options())
        try d.addCustomer("Zed Quarrel")
        let zed = d.model.customers.last!
        var mine: [BookingID] = []
        for day in 1...4 {
            let start = Support.now + .days(Int64(day * 20))
            let request = BookingRequest(resource: d.resources[day % 2], customer: .existing(zed), range: TimeRange(start: start, end: start + .minutes(30)),
                                         notes: "Quarrel prefers mornings")
            _ = try d.store.customer(id: zed)
            mine.append(try d.store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0].id)
        }
        try d.store.compact()
        #expect(!Self.filesHolding("Quarrel", in: d.store).isEmpty, "the generation before the erasure holds the name")
        try Self.erase(d.store, zed, aliases: [])
        d.store.waitForBackgroundWork()

        func run(_ fs: FaultyFileSystem) {
            guard let s = try? Store.open(at: work, clock: FixedClock(Support.now), options: Support.options(fs)) else { return }
            try? s.compact()
        }
        Support.copy(base, work)
        let probe = FaultyFileSystem()
        run(probe)
        let n = probe.operations
        #expect(probe.log.contains { $0.contains("/audit/") }, "the compaction wrote no audit chunk")
        let renamed = probe.log.firstIndex { $0.contains(" rename ") && $0.contains("/snapshots/") } ?? 0
        let points = Array(stride(from: 0, to: renamed, by: 8)) + Array(renamed...n)
        for (i, k) in points.enumerated() {
            let mode: FaultyFileSystem.PowerLoss = i % 2 == 0 ? .drop : .garbage
            Support.copy(base, work)
            let fs = FaultyFileSystem()
            fs.crashAfter = k
            run(fs)
            fs.powerLoss(mode)
            let label = "crash after \(k)/\(n) (\(mode)) [\(fs.log.last ?? "")]"
            let s = try Store.open(at: work, clock: FixedClock(Support.now), options: Support.options())
            let c = try #require(try s.customer(id: zed), "\(label)")
            #expect(c.erased && c.name.hasPrefix("Erased customer"), "\(label)")
            #expect(Set(try s.bookings(ofCustomer: zed, range: Self.everything).map(\.id)) == Set(mine), "\(label)")
            try s.compact()
            #expect(Self.filesHolding("Quarrel", in: s).isEmpty, "\(label): \(Self.filesHolding("Quarrel", in: s))")
            let audit = try s.auditEntries(AuditQuery(entity: .customer, id: zed.rawValue))
            #expect(audit.contains { $0.action == "erased" && $0.reason == "asked" } && !audit.contains { $0.changes.joined().contains("Quarrel") }, "\(label)")
            let report = s.check()
            #expect(report.ok, "\(label): \(report.lines.filter { $0.hasPrefix("FAIL") })")
        }
    }
}
