import Testing
@testable import FrontdeskCore

private func r(_ start: Int64, _ end: Int64) -> TimeRange {
    TimeRange(start: Instant(seconds: start), end: Instant(seconds: end))
}

/// The specification both structures are checked against: half-open, empty overlaps nothing.
private func modelOverlaps(_ a: TimeRange, _ b: TimeRange) -> Bool {
    a.start < a.end && b.start < b.end && a.start < b.end && b.start < a.end
}

private let roomA = ResourceID("res_a")
private let roomB = ResourceID("res_b")
private func bk(_ n: Int) -> BookingID { BookingID("bk_\(n)") }

/// An `IntervalTree` with the `key → handle` map its owner would keep (`ConflictIndex` keeps
/// one per booking), so the tree's tests can address entries by key; `validate` also checks
/// that the map and the tree agree.
private struct KeyedTree {
    var tree: IntervalTree<Int>
    var handles: [Int: Int32] = [:]

    init(seed: UInt64 = 0x5EED_F0E5_D35C_0001) { tree = IntervalTree(seed: seed) }

    var count: Int { tree.count }
    var height: Int { tree.height }

    mutating func insert(_ key: Int, _ range: TimeRange) {
        if let old = handles.removeValue(forKey: key) { tree.remove(at: old) }
        handles[key] = tree.insert(key, range)
    }

    @discardableResult
    mutating func remove(_ key: Int) -> TimeRange? {
        handles.removeValue(forKey: key).map { tree.remove(at: $0) }
    }

    func range(of key: Int) -> TimeRange? { handles[key].map { tree.range(at: $0) } }
    func overlapping(_ q: TimeRange) -> [Int] { tree.overlapping(q) }
    func anyOverlap(_ q: TimeRange, where predicate: (Int) -> Bool = { _ in true }) -> Bool { tree.anyOverlap(q, where: predicate) }
    func forEachOverlapping(_ q: TimeRange, _ body: (Int, TimeRange) -> Void) { tree.forEachOverlapping(q, body) }

    func validate() -> String? {
        if let problem = tree.validate() { return problem }
        if handles.count != tree.count { return "\(handles.count) keys mapped, tree holds \(tree.count)" }
        for (key, h) in handles where tree.key(at: h) != key { return "key \(key) maps to node \(h), which holds \(String(describing: tree.key(at: h)))" }
        return nil
    }

    mutating func _corruptForTesting(_ corruption: IntervalTree<Int>.Corruption) { tree._corruptForTesting(corruption) }
}

@Suite struct ConflictIndexTests {
    // MARK: IntervalTree unit tests

    /// A booking of several resources re-indexed with its home and another resource swapped
    /// (the same range on both): its old node on the new home goes before the new one is
    /// linked, so no tree holds its key twice and removing it leaves every tree empty.
    @Test func swappingTheHomeResourceKeepsOneNodePerTree() {
        var index = ConflictIndex()
        let id = BookingID("b1"), a = ResourceID("a"), b = ResourceID("b")
        let span = r(100, 200)
        index.insert(id, resource: a, calendar: span, blocking: span, others: [(resource: b, blocking: span)])
        index.insert(id, resource: b, calendar: span, blocking: span, others: [(resource: a, blocking: span)])
        #expect(index.validate() == nil, "\(index.validate() ?? "")")
        #expect(index.overlapping(span, on: a, in: .blocking) == [id] && index.overlapping(span, on: b, in: .blocking) == [id])
        index.remove(id)
        #expect(index.validate() == nil, "\(index.validate() ?? "")")
        #expect(index.overlapping(span, on: a, in: .calendar).isEmpty && index.overlapping(span, on: b, in: .calendar).isEmpty)
    }

    @Test func touchingRangesDoNotOverlap() {
        var t = KeyedTree()
        t.insert(1, r(100, 200))
        #expect(t.overlapping(r(200, 300)).isEmpty, "[100,200) and [200,300) touch")
        #expect(t.overlapping(r(0, 100)).isEmpty, "[0,100) and [100,200) touch")
        #expect(t.overlapping(r(199, 300)) == [1], "one shared second overlaps")
        #expect(t.overlapping(r(0, 101)) == [1])
        #expect(t.anyOverlap(r(200, 300)) == false)
        #expect(t.anyOverlap(r(150, 151)) == true)
    }

    @Test func containmentBothWays() {
        var t = KeyedTree()
        t.insert(1, r(100, 200))
        t.insert(2, r(300, 400))
        t.insert(3, r(500, 600))
        #expect(t.overlapping(r(120, 130)) == [1], "query inside a stored range")
        #expect(t.overlapping(r(50, 450)) == [1, 2], "query containing stored ranges, in start order")
        #expect(t.overlapping(r(100, 200)) == [1], "identical range")
        #expect(t.overlapping(r(200, 300)).isEmpty, "gap between two stored ranges")
        #expect(t.overlapping(r(0, 1000)) == [1, 2, 3])
        // A long stored range that contains later short ones must still be found from the far end.
        t.insert(4, r(0, 10_000))
        #expect(Set(t.overlapping(r(9_000, 9_001))) == [4])
        #expect(Set(t.overlapping(r(350, 360))) == [2, 4])
        #expect(t.validate() == nil)
    }

    @Test func emptyRangesOverlapNothing() {
        var t = KeyedTree()
        t.insert(1, r(100, 200))
        t.insert(2, r(150, 150))  // empty, stored
        t.insert(3, r(180, 120))  // inverted, stored
        #expect(t.count == 3)
        #expect(t.overlapping(r(150, 150)).isEmpty, "an empty query overlaps nothing")
        #expect(t.overlapping(r(170, 130)).isEmpty, "an inverted query overlaps nothing")
        #expect(t.overlapping(r(0, 1000)) == [1], "stored empty/inverted ranges are never reported")
        #expect(t.range(of: 2) == r(150, 150), "but they are stored and can be looked up")
        #expect(t.validate() == nil)
        #expect(KeyedTree().overlapping(r(0, 10)).isEmpty)
    }

    @Test func reinsertReplacesTheRange() {
        var t = KeyedTree()
        t.insert(1, r(100, 200))
        t.insert(2, r(300, 400))
        t.insert(1, r(500, 600))
        #expect(t.count == 2)
        #expect(t.range(of: 1) == r(500, 600))
        #expect(t.overlapping(r(100, 200)).isEmpty, "old range gone")
        #expect(t.overlapping(r(550, 560)) == [1])
        #expect(t.validate() == nil)
    }

    @Test func removeReturnsTheRangeAndIgnoresMissingKeys() {
        var t = KeyedTree()
        t.insert(1, r(100, 200))
        t.insert(2, r(300, 400))
        #expect(t.remove(7) == nil)
        #expect(t.count == 2)
        #expect(t.remove(1) == r(100, 200))
        #expect(t.remove(1) == nil, "second removal finds nothing")
        #expect(t.count == 1)
        #expect(t.range(of: 1) == nil)
        #expect(t.overlapping(r(0, 1000)) == [2])
        #expect(t.validate() == nil)
        // Freed slots are reused.
        t.insert(3, r(0, 50))
        #expect(t.overlapping(r(0, 1000)) == [3, 2])
        #expect(t.validate() == nil)
    }

    @Test func forEachOverlappingReportsRangesInOrder() {
        var t = KeyedTree()
        t.insert(2, r(100, 200))
        t.insert(1, r(100, 150))  // same start: ordered by key
        t.insert(3, r(50, 120))
        var seen: [(Int, TimeRange)] = []
        t.forEachOverlapping(r(110, 130)) { seen.append(($0, $1)) }
        #expect(seen.map(\.0) == [3, 1, 2])
        #expect(seen.map(\.1) == [r(50, 120), r(100, 150), r(100, 200)])
        #expect(t.anyOverlap(r(110, 130)) { $0 == 2 })
        #expect(!t.anyOverlap(r(130, 140)) { $0 == 3 }, "3 ends at 120")
    }

    @Test func staysBalancedUnderSortedInsertion() {
        // Sorted insertion degenerates a plain BST into a list of height n.
        var t = KeyedTree()
        let n = 20_000
        for i in 0..<n { t.insert(i, r(Int64(i) * 100, Int64(i) * 100 + 60)) }
        #expect(t.height <= 60, "height \(t.height) for \(n) nodes; expected ~2·ln n ≈ 20, < 60 w.h.p.")
        for i in stride(from: 0, to: n, by: 2) { t.remove(i) }
        #expect(t.count == n / 2)
        #expect(t.height <= 60)
        #expect(t.validate() == nil)
        #expect(t.overlapping(r(100, 100 * 11)) == [1, 3, 5, 7, 9])
    }

    // MARK: ConflictIndex unit tests

    @Test func indexMovesBookingsAcrossResources() {
        var idx = ConflictIndex()
        idx.insert(bk(1), resource: roomA, range: r(100, 200), in: .blocking)
        idx.insert(bk(2), resource: roomA, range: r(200, 300), in: .blocking)
        #expect(idx.overlapping(r(150, 250), on: roomA, in: .blocking) == [bk(1), bk(2)])
        idx.insert(bk(1), resource: roomB, range: r(100, 200), in: .blocking)
        #expect(idx.count(in: .blocking) == 2)
        #expect(idx.resource(of: bk(1), in: .blocking) == roomB)
        #expect(idx.overlapping(r(150, 250), on: roomA, in: .blocking) == [bk(2)], "moved away from A")
        #expect(idx.overlapping(r(150, 250), on: roomB, in: .blocking) == [bk(1)], "now on B")
        #expect(idx.validate() == nil)
    }

    @Test func indexRemoveAndContains() {
        var idx = ConflictIndex()
        idx.insert(bk(1), resource: roomA, range: r(100, 200), in: .blocking)
        #expect(idx.contains(bk(1), in: .blocking))
        #expect(!idx.contains(bk(2), in: .blocking))
        idx.remove(bk(2))  // missing: no effect
        #expect(idx.count(in: .blocking) == 1)
        idx.remove(bk(1))
        #expect(!idx.contains(bk(1), in: .blocking))
        #expect(idx.count(in: .blocking) == 0)
        #expect(idx.range(of: bk(1), in: .blocking) == nil)
        #expect(idx.overlapping(r(0, 1000), on: roomA, in: .blocking).isEmpty)
        #expect(idx.overlapping(r(0, 1000), on: ResourceID("res_unknown"), in: .blocking).isEmpty)
        #expect(idx.validate() == nil)
    }

    @Test func indexHasOverlapExcludingSelf() {
        var idx = ConflictIndex()
        idx.insert(bk(1), resource: roomA, range: r(100, 200), in: .blocking)
        #expect(idx.hasOverlap(r(150, 250), on: roomA, in: .blocking))
        #expect(!idx.hasOverlap(r(150, 250), on: roomA, in: .blocking, excluding: bk(1)), "rescheduling a booking over itself")
        #expect(!idx.hasOverlap(r(150, 250), on: roomB, in: .blocking))
        idx.insert(bk(2), resource: roomA, range: r(240, 300), in: .blocking)
        #expect(idx.hasOverlap(r(150, 250), on: roomA, in: .blocking, excluding: bk(1)))
    }

    /// The layers share one id map but not their trees: a booking's calendar range stays when
    /// it leaves the blocking layer (a cancellation), and the two-layer insert moves both.
    @Test func layersAreIndependent() {
        var idx = ConflictIndex()
        idx.insert(bk(1), resource: roomA, calendar: r(100, 200), blocking: r(90, 210))
        #expect(idx.range(of: bk(1), in: .calendar) == r(100, 200))
        #expect(idx.range(of: bk(1), in: .blocking) == r(90, 210))
        #expect(idx.overlapping(r(200, 205), on: roomA, in: .calendar).isEmpty)
        #expect(idx.overlapping(r(200, 205), on: roomA, in: .blocking) == [bk(1)])
        // Cancelled: out of the blocking layer, still on the calendar.
        idx.insert(bk(1), resource: roomA, calendar: r(100, 200), blocking: nil)
        #expect(!idx.contains(bk(1), in: .blocking))
        #expect(idx.overlapping(r(150, 160), on: roomA, in: .calendar) == [bk(1)])
        #expect(idx.count(in: .blocking) == 0 && idx.count(in: .calendar) == 1)
        // Moved to B in both layers at once.
        idx.insert(bk(1), resource: roomB, calendar: r(300, 400), blocking: r(300, 400))
        #expect(idx.overlapping(r(0, 1000), on: roomA, in: .calendar).isEmpty)
        #expect(idx.resource(of: bk(1), in: .calendar) == roomB && idx.resource(of: bk(1), in: .blocking) == roomB)
        // Removing from one layer keeps the other; removing the last layer drops the id.
        idx.remove(bk(1), from: .calendar)
        #expect(idx.contains(bk(1), in: .blocking) && !idx.contains(bk(1), in: .calendar))
        idx.remove(bk(1), from: .blocking)
        #expect(!idx.contains(bk(1), in: .blocking))
        #expect(idx.validate() == nil)
        idx.insert(bk(2), resource: roomA, range: r(1, 2), in: .calendar)
        idx.remove(bk(2))
        #expect(idx.count(in: .calendar) == 0)
        #expect(idx.validate() == nil)
    }

    // MARK: Property tests against a brute-force model

    static let seeds: [UInt64] = [1, 42, 0xDEAD_BEEF, 20_270_301, 0x0123_4567_89AB_CDEF]

    /// Random ranges on a coarse grid (so endpoints often coincide and touching is exercised),
    /// with some empty, inverted and long ranges.
    private static func randomRange(_ g: inout SplitMix64) -> TimeRange {
        let start: Int64 = Bool.random(using: &g) ? Int64.random(in: -5...200, using: &g) * 10 : Int64.random(in: -50...2_000, using: &g)
        let roll = Int.random(in: 0..<100, using: &g)
        let length: Int64
        switch roll {
        case 0..<8: length = 0
        case 8..<12: length = -Int64.random(in: 1...50, using: &g)
        case 12..<20: length = Int64.random(in: 1...1_000, using: &g)
        case 20..<60: length = Int64.random(in: 1...12, using: &g) * 10
        default: length = Int64.random(in: 1...120, using: &g)
        }
        return r(start, start + length)
    }

    /// Random operations on both layers (single-layer and two-layer inserts, single-layer and
    /// whole removals) against one dictionary per layer.
    @Test(arguments: seeds)
    func indexMatchesBruteForceModel(seed: UInt64) throws {
        var g = SplitMix64(seed: seed)
        var idx = ConflictIndex()
        var models: [ConflictIndex.Layer: [BookingID: (ResourceID, TimeRange)]] = [.blocking: [:], .calendar: [:]]
        let resources = (0..<4).map { ResourceID("res_\($0)") }
        let ids = (0..<250).map(bk)
        var queries = 0, nonEmptyAnswers = 0

        for step in 0..<3_000 {
            let op = Int.random(in: 0..<100, using: &g)
            let layer = ConflictIndex.Layer.allCases.randomElement(using: &g)!
            let where_ = "seed \(seed) step \(step) \(layer)"
            switch op {
            case 0..<25:  // insert in one layer (usually new)
                let id = ids.randomElement(using: &g)!
                let res = resources.randomElement(using: &g)!
                let range = Self.randomRange(&g)
                idx.insert(id, resource: res, range: range, in: layer)
                models[layer]![id] = (res, range)
            case 25..<35:  // both layers at once, sometimes leaving the blocking one
                let id = ids.randomElement(using: &g)!
                let res = resources.randomElement(using: &g)!
                let calendar = Self.randomRange(&g)
                let blocking = Bool.random(using: &g) ? Self.randomRange(&g) : nil
                idx.insert(id, resource: res, calendar: calendar, blocking: blocking)
                models[.calendar]![id] = (res, calendar)
                models[.blocking]![id] = blocking.map { (res, $0) }
            case 35..<50:  // re-insert / move an existing one
                guard let id = models[layer]!.keys.sorted().randomElement(using: &g) else { continue }
                let res = Bool.random(using: &g) ? models[layer]![id]!.0 : resources.randomElement(using: &g)!
                let range = Self.randomRange(&g)
                idx.insert(id, resource: res, range: range, in: layer)
                models[layer]![id] = (res, range)
            case 50..<58:  // remove from one layer (present or not)
                let id = Bool.random(using: &g) ? (models[layer]!.keys.sorted().randomElement(using: &g) ?? ids[0]) : ids.randomElement(using: &g)!
                idx.remove(id, from: layer)
                models[layer]![id] = nil
            case 58..<65:  // remove from both
                let id = Bool.random(using: &g) ? (models[layer]!.keys.sorted().randomElement(using: &g) ?? ids[0]) : ids.randomElement(using: &g)!
                idx.remove(id)
                models[.blocking]![id] = nil
                models[.calendar]![id] = nil
            default:  // query
                let model = models[layer]!
                let res = resources.randomElement(using: &g)!
                let q = Self.randomRange(&g)
                let expected = Set(model.filter { $0.value.0 == res && modelOverlaps($0.value.1, q) }.keys)
                let got = idx.overlapping(q, on: res, in: layer)
                try #require(Set(got) == expected, "\(where_): query \(q) on \(res): got \(got.sorted()), expected \(expected.sorted())")
                try #require(got.count == expected.count, "\(where_): duplicates in \(got)")
                let starts = got.map { idx.range(of: $0, in: layer)!.start }
                try #require(starts == starts.sorted(), "\(where_): results not in start order")
                let excluded = got.first
                let expectAny = expected.contains { $0 != excluded }
                try #require(idx.hasOverlap(q, on: res, in: layer, excluding: excluded) == expectAny, "\(where_): hasOverlap(excluding: \(String(describing: excluded)))")
                queries += 1
                if !expected.isEmpty { nonEmptyAnswers += 1 }
            }
            for l in ConflictIndex.Layer.allCases {
                let model = models[l]!
                try #require(idx.count(in: l) == model.count, "\(where_): \(l) count \(idx.count(in: l)) vs model \(model.count)")
                let probe = ids.randomElement(using: &g)!
                try #require(idx.contains(probe, in: l) == (model[probe] != nil), "\(where_): contains(\(probe), in: \(l))")
                try #require(idx.range(of: probe, in: l) == model[probe]?.1, "\(where_): range(of: \(probe), in: \(l))")
                try #require(idx.resource(of: probe, in: l) == model[probe]?.0, "\(where_): resource(of: \(probe), in: \(l))")
            }
            if step % 50 == 0 {
                let problem = idx.validate()
                try #require(problem == nil, "\(where_): \(problem ?? "")")
            }
        }
        #expect(idx.validate() == nil)
        // The run must actually have exercised non-trivial answers.
        #expect(queries > 700)
        #expect(nonEmptyAnswers > queries / 4, "only \(nonEmptyAnswers) of \(queries) queries found anything")
    }

    /// Tree-level model run with heavily overlapping intervals and an in-place drain at the end,
    /// checking `forEachOverlapping` ranges and structural invariants after every mutation.
    @Test(arguments: seeds)
    func treeMatchesBruteForceModel(seed: UInt64) throws {
        var g = SplitMix64(seed: seed ^ 0x7EE)
        var tree = KeyedTree(seed: seed)
        var model: [Int: TimeRange] = [:]
        for step in 0..<3_000 {
            let where_ = "seed \(seed) step \(step)"
            let op = Int.random(in: 0..<100, using: &g)
            if op < 45 {
                let k = Int.random(in: 0..<120, using: &g)
                let range = Self.randomRange(&g)
                tree.insert(k, range)
                model[k] = range
            } else if op < 65 {
                let k = Int.random(in: 0..<120, using: &g)
                let removed = tree.remove(k)
                try #require(removed == model.removeValue(forKey: k), "\(where_): remove(\(k))")
            } else {
                let q = Self.randomRange(&g)
                var got: [Int: TimeRange] = [:]
                tree.forEachOverlapping(q) { k, range in got[k] = range }
                let expected = model.filter { modelOverlaps($0.value, q) }
                try #require(got == expected, "\(where_): query \(q): got \(got.keys.sorted()), expected \(expected.keys.sorted())")
                try #require(tree.anyOverlap(q) == !expected.isEmpty, "\(where_): anyOverlap")
            }
            if op < 65 || step % 25 == 0 {
                let problem = tree.validate()
                try #require(problem == nil, "\(where_): \(problem ?? "")")
            }
        }
        for k in model.keys.sorted() {
            #expect(tree.remove(k) == model[k])
        }
        #expect(tree.count == 0)
        #expect(tree.height == 0)
        #expect(tree.validate() == nil)
    }

    /// `validate()` must actually detect breakage, or the property tests prove nothing.
    @Test func validateDetectsCorruption() {
        var t = KeyedTree()
        for i in 0..<50 { t.insert(i, r(Int64(i) * 10, Int64(i) * 10 + 5)) }
        #expect(t.validate() == nil)
        var broken = t
        broken._corruptForTesting(.maxEnd)
        #expect(broken.validate()?.contains("maxEnd") == true)
        broken = t
        broken._corruptForTesting(.order)
        #expect(broken.validate()?.contains("BST order") == true)
        broken = t
        broken._corruptForTesting(.priority)
        #expect(broken.validate()?.contains("heap order") == true)
    }
}
