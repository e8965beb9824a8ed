import Testing
@testable import FrontdeskCore

/// Bookings that hold several resources at once (stylist + chair): every rule on every
/// resource, all or none.
@Suite struct MultiResourceTests {
    static let nine = "2027-03-01T09:00:00Z", ten = "2027-03-01T10:00:00Z"

    mutating func salon(_ w: inout World) throws -> (ann: ResourceID, bob: ResourceID, chair1: ResourceID, chair2: ResourceID) {
        (try w.resource("Ann"), try w.resource("Bob"), try w.resource("Chair 1"), try w.resource("Chair 2"))
    }

    func book(_ w: inout World, _ resources: [ResourceID], _ a: String, _ b: String, key: String? = nil,
              recurrence: RecurrenceRule? = nil) throws -> [Booking] {
        var req = BookingRequest(resource: resources[0], range: World.r(a, b), idempotencyKey: key, recurrence: recurrence)
        req.resources = resources
        return w.commit(try w.engine.book(req, in: w.state, by: w.desk)).bookings
    }

    @Test mutating func aBookingBlocksEveryResourceItHolds() throws {
        var w = World()
        let s = try salon(&w)
        let b = try book(&w, [s.ann, s.chair1], Self.nine, Self.ten)[0]
        #expect(b.resources == [s.ann, s.chair1])
        #expect(w.state.bookings(on: s.chair1, overlapping: World.r(Self.nine, Self.ten)).map(\.id) == [b.id])
        // The chair is taken, whoever books it, alone or with another stylist.
        do {
            _ = try book(&w, [s.bob, s.chair1], "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z")
            Issue.record("expected a conflict")
        } catch let CoreError.conflict(list) {
            #expect(list.map(\.id) == [b.id])
            #expect(list[0].resourceName == "Chair 1")
        }
        #expect(throws: CoreError.self) { try w.book(s.chair1, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") }
        #expect(throws: CoreError.self) { try w.book(s.ann, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") }
        // Refused whole: Bob stays free.
        #expect(w.state.bookings(on: s.bob, overlapping: World.r(Self.nine, Self.ten)).isEmpty)
        _ = try book(&w, [s.bob, s.chair2], "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z")
        #expect(w.state.intervals.validate() == nil)
    }

    @Test func eachResourceKeepsItsOwnBuffers() throws {
        var w = World()
        let ann = try w.resource("Ann")
        let chair = try w.resource("Chair", policy: PolicyOverrides(bufferAfter: .minutes(15)))
        var req = BookingRequest(resource: ann, range: World.r(Self.nine, Self.ten))
        req.resources = [ann, chair]
        _ = w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        // Ann has no buffer: 10:00 is free for her; the chair is cleaned until 10:15.
        _ = try w.book(ann, Self.ten, "2027-03-01T10:30:00Z")
        #expect(throws: CoreError.self) { try w.book(chair, "2027-03-01T10:10:00Z", "2027-03-01T10:30:00Z") }
        _ = try w.book(chair, "2027-03-01T10:15:00Z", "2027-03-01T10:30:00Z")
    }

    @Test func hierarchyAppliesToEveryResourceAndKinIsRefused() throws {
        var w = World()
        let suite = try w.resource("Suite")
        let left = try w.resource("Suite left", parent: suite)
        let projector = try w.resource("Projector")
        var req = BookingRequest(resource: projector, range: World.r(Self.nine, Self.ten))
        req.resources = [projector, left]
        let b = w.commit(try w.engine.book(req, in: w.state, by: w.desk)).bookings[0]
        // The suite is occupied through its child, which the booking holds as its second resource.
        #expect(throws: CoreError.self) { try w.book(suite, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") }
        #expect(b.otherResources == [left])
        req.resources = [suite, left]
        req.range = World.r("2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        #expect(throws: CoreError.invalidInput(field: "resource", message: "Suite and Suite left are parent and child: a booking of one already occupies the other; name only one of them")) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
        req.resources = [projector, projector]
        #expect(throws: CoreError.invalidInput(field: "resource", message: "Projector is named twice; name each resource once")) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
    }

    @Test func policiesOfEveryResourceApply() throws {
        var w = World()
        let hours = try w.schedule("Chair hours", hours: "12:00-17:00")
        let ann = try w.resource("Ann")
        let chair = try w.resource("Chair", schedule: hours)
        var req = BookingRequest(resource: ann, range: World.r(Self.nine, Self.ten))
        req.resources = [ann, chair]
        #expect(throws: CoreError.outsideOpeningHours(resource: "Chair", range: World.r(Self.nine, Self.ten))) {
            try w.engine.book(req, in: w.state, by: w.desk)
        }
        let archived = try w.resource("Old chair")
        var old = w.state.resources[archived]!
        old.archived = true
        _ = w.commit(try w.engine.updateResource(old, in: w.state, by: w.desk))
        req.resources = [ann, archived]
        #expect(throws: CoreError.resourceArchived(resource: "Old chair")) { try w.engine.book(req, in: w.state, by: w.desk) }
        #expect(w.state.bookings.isEmpty)
    }

    @Test mutating func moveCancelAndStatusActOnTheWholeBooking() throws {
        var w = World()
        let s = try salon(&w)
        let b = try book(&w, [s.ann, s.chair1], Self.nine, Self.ten)[0]
        // Moving keeps the set unless a new one is given.
        let later = World.r("2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        var moved = w.commit(try w.engine.reschedule(b.id, to: later, in: w.state, by: w.desk))[0]
        #expect(moved.resources == [s.ann, s.chair1])
        #expect(w.state.bookings(on: s.chair1, overlapping: World.r(Self.nine, Self.ten)).isEmpty)
        // A new set replaces the old one, checked on every resource.
        _ = try w.book(s.chair2, "2027-03-01T11:30:00Z", "2027-03-01T11:45:00Z")
        #expect(throws: CoreError.self) { try w.engine.reschedule(b.id, to: later, resources: [s.bob, s.chair2], in: w.state, by: w.desk) }
        moved = w.commit(try w.engine.reschedule(b.id, to: later, resources: [s.bob, s.chair1], in: w.state, by: w.desk))[0]
        #expect(moved.resources == [s.bob, s.chair1])
        #expect(moved.history.last?.changes.contains("resources Ann + Chair 1 → Bob + Chair 1") == true)
        _ = try w.book(s.ann, "2027-03-01T11:00:00Z", "2027-03-01T11:30:00Z")
        // Cancelling frees every resource.
        _ = w.commit(try w.engine.cancel(b.id, reason: "ill", in: w.state, by: w.desk))
        _ = try book(&w, [s.bob, s.chair1], "2027-03-01T11:00:00Z", "2027-03-01T11:30:00Z")
        #expect(throws: CoreError.self) { try w.engine.restoreCancelled(b.id, in: w.state, by: w.desk) }
        #expect(w.state.intervals.validate() == nil)
    }

    @Test mutating func aSeriesAndAReplayedKeyWork() throws {
        var w = World()
        let s = try salon(&w)
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=3")
        let series = try book(&w, [s.ann, s.chair1], Self.nine, Self.ten, key: "k-1", recurrence: rule)
        #expect(series.count == 3 && series.allSatisfy { $0.resources == [s.ann, s.chair1] })
        #expect(throws: CoreError.self) { try w.book(s.chair1, "2027-03-03T09:00:00Z", "2027-03-03T09:30:00Z") }
        let again = try book(&w, [s.ann, s.chair1], Self.nine, Self.ten, key: "k-1", recurrence: rule)
        #expect(again.map(\.id) == series.map(\.id))
        // The same key with another set of resources is another request.
        #expect(throws: CoreError.self) { try book(&w, [s.ann, s.chair2], Self.nine, Self.ten, key: "k-1", recurrence: rule) }
        // A request of one resource keeps the fingerprint it always had.
        #expect(!BookingEngine.fingerprint(BookingRequest(resource: s.ann, range: World.r(Self.nine, Self.ten))).contains("also:"))
    }

    @Test mutating func freeTogetherFindsTimesWhenAllAreFree() throws {
        var w = World()
        let s = try salon(&w)
        _ = try w.book(s.ann, Self.nine, Self.ten)
        _ = try w.book(s.chair1, Self.ten, "2027-03-01T11:00:00Z")
        let q = FreeSlotQuery(resources: [s.ann, s.chair1], window: World.r(Self.nine, "2027-03-01T12:00:00Z"), duration: .minutes(60))
        let starts = w.state.freeSlots(together: q, now: w.clock.now()).map(\.range.start)
        #expect(starts == [World.t("2027-03-01T11:00:00Z")])
        // And a booking on both then fits exactly there.
        _ = try book(&w, [s.ann, s.chair1], "2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        #expect(w.state.freeSlots(together: q, now: w.clock.now()).isEmpty)
    }

    static func attempt<T>(_ body: () throws(CoreError) -> T) -> Result<T, CoreError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    static func isConflict(_ e: CoreError) -> Bool {
        if case .conflict = e { return true }
        return false
    }

    /// Random bookings over random sets of resources, with buffers (the resources' and, as a
    /// service's are, the bookings' own), parents, moves and cancels, against a brute-force
    /// model that checks every pair of bookings.
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomOperationsAgreeWithBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var w = World(now: "2027-03-01T00:00:00Z")
        var rs: [ResourceID] = []
        for i in 0..<6 {
            let buffer = PolicyOverrides(bufferBefore: .minutes(Int64.random(in: 0...1, using: &rng) * 10),
                                         bufferAfter: .minutes(Int64.random(in: 0...2, using: &rng) * 5))
            rs.append(try w.resource("R\(i)", parent: i == 5 ? rs[4] : nil, policy: buffer))
        }
        var model: [BookingID: Booking] = [:]
        let base = World.t("2027-03-02T08:00:00Z")
        func randomRange() -> TimeRange {
            let start = base + .minutes(5 * Int64.random(in: 0..<60, using: &rng))
            return TimeRange(start: start, end: start + .minutes(5 * Int64.random(in: 1...12, using: &rng)))
        }
        func randomSet() -> [ResourceID] {
            var set: [ResourceID] = []
            for r in rs.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)) where !set.contains(where: { w.state.related(to: r).contains($0) }) {
                set.append(r)
            }
            return set
        }
        func randomBuffer() -> TimeSpan { Bool.random(using: &rng) ? .zero : .minutes(5 * Int64.random(in: 1...3, using: &rng)) }
        /// Brute force: do two ranges on two resources clash, buffers and kin counted? Each side
        /// keeps the larger of its resource's buffer and its booking's own, spelled out here.
        func clash(_ a: TimeRange, on ra: ResourceID, own: (TimeSpan, TimeSpan), _ b: Booking) -> Bool {
            let pa = w.state.policy(for: ra)
            let wanted = TimeRange(start: a.start - max(pa.bufferBefore, own.0), end: a.end + max(pa.bufferAfter, own.1))
            return b.resources.contains { rb in
                guard w.state.related(to: ra).contains(rb) else { return false }
                let pb = w.state.policy(for: rb)
                let kept = TimeRange(start: b.start - max(pb.bufferBefore, b.bufferBefore), end: b.end + max(pb.bufferAfter, b.bufferAfter))
                return kept.overlaps(wanted)
            }
        }
        func modelAllows(_ range: TimeRange, _ set: [ResourceID], own: (TimeSpan, TimeSpan), except: BookingID? = nil) -> Bool {
            !model.values.contains { b in b.id != except && b.status.occupiesSlot && set.contains { clash(range, on: $0, own: own, b) } }
        }
        for _ in 0..<300 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<6:
                let range = randomRange(), set = randomSet()
                var req = BookingRequest(resource: set[0], range: range)
                req.resources = set
                req.bufferBefore = randomBuffer()
                req.bufferAfter = randomBuffer()
                let allowed = modelAllows(range, set, own: (req.bufferBefore, req.bufferAfter))
                let state = w.state, engine = w.engine, desk = w.desk
                switch Self.attempt({ () throws(CoreError) in try engine.book(req, in: state, by: desk) }) {
                case .success(let p):
                    let b = w.commit(p).bookings[0]
                    #expect(allowed, "booked \(set) at \(range) though the model sees a clash")
                    #expect(b.bufferBefore == req.bufferBefore && b.bufferAfter == req.bufferAfter)
                    model[b.id] = b
                case .failure(let e):
                    #expect(Self.isConflict(e), "\(e)")
                    #expect(!allowed, "refused \(set) at \(range) though the model sees it free")
                }
            case 6..<8:
                guard let b = model.values.filter({ $0.status.occupiesSlot }).sorted(by: { $0.id < $1.id }).randomElement(using: &rng) else { continue }
                let range = randomRange()
                let set = Bool.random(using: &rng) ? b.resources : randomSet()
                let allowed = modelAllows(range, set, own: (b.bufferBefore, b.bufferAfter), except: b.id)
                let state = w.state, engine = w.engine, desk = w.desk
                switch Self.attempt({ () throws(CoreError) in try engine.reschedule(b.id, to: range, resources: set, in: state, by: desk) }) {
                case .success(let p):
                    model[b.id] = w.commit(p)[0]
                    #expect(allowed)
                case .failure(let e):
                    #expect(Self.isConflict(e), "\(e)")
                    #expect(!allowed)
                }
            default:
                guard let b = model.values.filter({ $0.status.occupiesSlot }).sorted(by: { $0.id < $1.id }).randomElement(using: &rng) else { continue }
                model[b.id] = w.commit(try w.engine.cancel(b.id, reason: "x", in: w.state, by: w.desk))[0]
            }
            #expect(w.state.intervals.validate() == nil)
        }
        // Every resource's calendar shows exactly the model's bookings that hold it.
        let day = TimeRange(start: base - .days(1), end: base + .days(2))
        for r in rs {
            let shown = Set(w.state.bookings(on: r, overlapping: day).map(\.id))
            #expect(shown == Set(model.values.filter { $0.holds(r) }.map(\.id)))
        }
        for b in model.values { #expect(w.state.conflicts(of: b, at: w.clock.now()).isEmpty) }
    }
}
