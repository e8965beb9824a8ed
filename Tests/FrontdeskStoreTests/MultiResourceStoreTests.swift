import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Bookings holding several resources in the file store: found from every resource they hold
/// (lists, conflict checks of a fresh process, free slots) through the journal, compactions,
/// crashes and reopening, against a brute-force model.
@Suite struct MultiResourceStoreTests {
    static func addResource(_ store: Store, _ name: String, after: Int64 = 0) throws -> ResourceID {
        try store.write("add resource", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: name, zone: .utc, policy: PolicyOverrides(bufferAfter: .minutes(after))), in: s, by: Support.actor)
        }.id
    }

    static func book(_ store: Store, _ set: [ResourceID], _ range: TimeRange) throws -> Booking {
        var req = BookingRequest(resource: set[0], range: range)
        req.resources = set
        return try store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: Support.actor) }.bookings[0]
    }

    static func move(_ store: Store, _ id: BookingID, _ range: TimeRange, _ set: [ResourceID]) throws -> Booking {
        try store.write("reschedule", .rescheduleOnto(id, to: range, resources: set, scope: .this)) { s, e throws(CoreError) in
            try e.reschedule(id, to: range, resources: set, in: s, by: Support.actor)
        }[0]
    }

    static func cancel(_ store: Store, _ id: BookingID) throws -> Booking {
        try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "x", in: s, by: Support.actor) }[0]
    }

    static func isConflict(_ e: Error) -> Bool {
        if case StoreError.core(.conflict) = e { return true }
        return false
    }

    /// What a fresh process sees of each resource (loading only that resource) is exactly the
    /// model's bookings holding it.
    static func verify(_ dir: String, _ model: [BookingID: Booking], _ resources: [ResourceID], _ label: String) throws {
        for r in resources {
            let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            try store.load(resources: [r], range: Support.everything)
            let seen = store.state.bookings(on: r, overlapping: Support.everything)
            let want = model.values.filter { $0.holds(r) }
            #expect(Set(seen.map(\.id)) == Set(want.map(\.id)), "\(label): resource \(r)")
            for b in seen { #expect(b == model[b.id], "\(label): \(b.ref) differs") }
        }
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func randomOperationsAgainstAModel(seed: UInt64) throws {
        let dir = Support.tempDir("multires-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = SplitMixRNG(seed: seed)
        var store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        var rs: [ResourceID] = []
        for i in 0..<5 { rs.append(try Self.addResource(store, "R\(i)", after: i % 2 == 0 ? 10 : 0)) }
        var model: [BookingID: Booking] = [:]
        // Three months, so bookings and their occupancy entries spread over several files.
        func randomRange() -> TimeRange {
            let start = Support.now + .days(Int64.random(in: 1...80, using: &rng)) + .minutes(15 * Int64.random(in: 32...60, using: &rng))
            return TimeRange(start: start, end: start + .minutes(15 * Int64.random(in: 1...8, using: &rng)))
        }
        func randomSet() -> [ResourceID] { Array(rs.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng))) }
        func allowed(_ range: TimeRange, _ set: [ResourceID], except: BookingID? = nil) -> Bool {
            !model.values.contains { b in
                guard b.id != except, b.status.occupiesSlot else { return false }
                return set.contains { r in
                    guard b.holds(r) else { return false }
                    let p = store.state.policy(for: r)
                    // The same resource on both sides: its buffer after each, widened on both.
                    return b.range.widened(before: .zero, after: p.bufferAfter).overlaps(range.widened(before: .zero, after: p.bufferAfter))
                }
            }
        }
        for step in 0..<120 {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 50 || model.isEmpty {
                let range = randomRange(), set = randomSet()
                let ok = allowed(range, set)
                do {
                    let b = try Self.book(store, set, range)
                    #expect(ok, "step \(step): booked \(set) at \(range) over a clash")
                    model[b.id] = b
                } catch where Self.isConflict(error) {
                    #expect(!ok, "step \(step): refused \(set) at \(range), free in the model")
                }
            } else if roll < 75 {
                let b = model.values.sorted { $0.id < $1.id }.randomElement(using: &rng)!
                guard b.status.occupiesSlot else { continue }
                let range = randomRange(), set = Bool.random(using: &rng) ? b.resources : randomSet()
                let ok = allowed(range, set, except: b.id)
                do {
                    model[b.id] = try Self.move(store, b.id, range, set)
                    #expect(ok, "step \(step): moved over a clash")
                } catch where Self.isConflict(error) {
                    #expect(!ok, "step \(step): move refused, free in the model")
                }
            } else if roll < 85 {
                let b = model.values.sorted { $0.id < $1.id }.randomElement(using: &rng)!
                guard b.status.occupiesSlot else { continue }
                model[b.id] = try Self.cancel(store, b.id)
            } else if roll < 93 {
                try store.compact()
            } else {
                // A compaction cut short by a crash (power lost at a random step), then a
                // fresh process: nothing acknowledged is lost, and it carries on.
                let fs = FaultyFileSystem()
                let faulty = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
                fs.crashAfter = Int.random(in: 0...40, using: &rng)
                _ = try? faulty.compact()
                fs.powerLoss(.drop)
            }
            // Every step is judged by a fresh process, which loads only what the plan reads.
            store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            if step % 20 == 19 { try Self.verify(dir, model, rs, "seed \(seed) step \(step)") }
        }
        try store.compact()
        try Self.verify(dir, model, rs, "seed \(seed) end")
        let last = try Support.reopen(dir)
        #expect(last.check().ok, "\(last.check().lines.filter { $0.hasPrefix("FAIL") })")
        #expect(try last.generation.manifest.occupancies().isEmpty == !model.values.contains { !$0.otherResources.isEmpty })
    }

    @Test func aFormat4StoreRefusesBookingsOfSeveralResources() throws {
        let dir = Support.tempDir("multires-format4")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let a = try Self.addResource(store, "A"), b = try Self.addResource(store, "B")
        try Array("4\n".utf8).withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: dir + "/FORMAT")) }
        let old = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect {
            try Self.book(old, [a, b], Support.slot(1))
        } throws: { e in
            guard case StoreError.core(.invalidInput(field: "resource", let message)) = e else { return false }
            return message.contains("format 4")
        }
        _ = try Self.book(old, [a], Support.slot(1))
    }

    @Test func aDamagedOccupancyFileIsRefusedByName() throws {
        let dir = Support.tempDir("multires-damage")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let a = try Self.addResource(store, "A"), b = try Self.addResource(store, "B")
        _ = try Self.book(store, [a, b], Support.slot(1))
        try store.compact()
        let key = try store.generation.manifest.occupancies()[0]
        #expect(key.hasSuffix("/" + Partition.safe(b.rawValue)))
        let path = store.generation.path + "/" + OccupancyLayout.path(key)
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[2] = UInt8(ascii: "x")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect {
            try reader.completeRead { () throws(StoreError) in try reader.load(resources: [b], range: Support.everything) }
        } throws: { e in
            guard case StoreError.incomplete(let missing) = e else { return false }
            return missing.contains("also hold resource")
        }
        #expect(!reader.check().ok)
    }
}

/// SplitMix64, so a failing seed reproduces.
struct SplitMixRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

/// Real processes racing for bookings of several resources.
@Suite(.serialized) struct MultiResourceProcessTests {
    /// 16 processes race, round after round, for the last free stylist+chair combination (two
    /// stylists and two chairs, one of each already taken in every round), each trying the
    /// pairs in its own order and half of them with the chair as the home resource: exactly
    /// one wins each round, while compactions fold the bookings into partitions and occupancy
    /// files under them.
    @Test func sixteenProcessesRaceForTheLastStylistAndChair() throws {
        let dir = Support.tempDir("race-pair")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let stylists = [try MultiResourceStoreTests.addResource(store, "Ann"), try MultiResourceStoreTests.addResource(store, "Bob")]
        let chairs = [try MultiResourceStoreTests.addResource(store, "Chair 1"), try MultiResourceStoreTests.addResource(store, "Chair 2")]
        let rounds = Support.stress ? 200 : 40
        // The storetool's hours: 2031-01-01T00:00:00Z + r hours.
        let base = Instant(seconds: 1_924_992_000)
        for r in 0..<rounds {
            let range = TimeRange(start: base + .hours(Int64(r)), end: base + .hours(Int64(r)) + .minutes(30))
            // A different stylist and chair taken each round, by a booking of one of them or of both.
            let s = stylists[r % 2], c = chairs[(r / 2) % 2]
            if r % 3 == 0 {
                _ = try MultiResourceStoreTests.book(store, [s], range)
                _ = try MultiResourceStoreTests.book(store, [c], range)
            } else {
                _ = try MultiResourceStoreTests.book(store, [s, c], range)
                // Only one of each left: the other pair is what the processes race for.
            }
        }
        try store.compact()
        let barrier = dir + "-go"
        defer { Support.remove(barrier) }
        var procs: [(Process, String)] = []
        for i in 0..<16 {
            let out = dir + "-race-pair-\(i).out"
            procs.append((try Support.spawn(["race-pair", dir, String(rounds), barrier, stylists.map(\.rawValue).joined(separator: ","),
                                             chairs.map(\.rawValue).joined(separator: ","), String(i)], output: out, compactAfter: 12), out))
        }
        usleep(200_000)
        _ = FileManager.default.createFile(atPath: barrier, contents: nil)
        var wins: [Int: [String]] = [:]
        var refusals = 0
        for (p, out) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for line in Support.lines(out) {
                let parts = line.split(separator: " ")
                if parts[0] == "OK" { wins[Int(parts[1])!, default: []].append(String(parts[2])) }
                else if parts[0] == "NO" { refusals += 1 }
            }
            Support.remove(out)
        }
        for round in 0..<rounds { #expect(wins[round]?.count == 1, "round \(round): \(wins[round] ?? [])") }
        #expect(refusals == rounds * 15)
        let reopened = try Support.reopen(dir)
        for r in stylists + chairs {
            let held = reopened.state.bookings(on: r, overlapping: Support.everything).filter { $0.status.occupiesSlot }.sorted { $0.start < $1.start }
            #expect(held.count == rounds, "\(r) holds \(held.count) bookings")
            for (a, b) in zip(held, held.dropFirst()) { #expect(!a.range.overlaps(b.range)) }
        }
        let won = reopened.state.bookings.values.filter { Set(wins.values.flatMap { $0 }).contains($0.id.rawValue) }
        #expect(won.count == rounds && won.allSatisfy { $0.resources.count == 2 })
        #expect(reopened.check().ok)
    }
}
