import Testing
@testable import FrontdeskCore

/// `BookingState` keeps its tables in one copy-on-write box; a copy must still behave as an
/// independent value (plans hold copies while the store applies, compactions write from one).
@Suite struct BookingStateValueTests {
    @Test func aChangedCopyLeavesTheOriginalAlone() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let first = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let original = w.state
        let window = World.r("2027-03-02T00:00:00Z", "2027-03-03T00:00:00Z")

        // Changed through the copy in `w`: a second booking, the first one cancelled.
        let second = try w.book(room, "2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        w.commit(try w.engine.cancel(first.id, reason: "test", in: w.state, by: w.desk))

        #expect(original.bookings.count == 1)
        #expect(original.bookings[first.id]?.status == .confirmed)
        #expect(original.bookings[second.id] == nil)
        #expect(original.booking(ref: second.ref) == nil)
        #expect(original.occupying(room, overlapping: window).map(\.id) == [first.id])
        #expect(original.bookings(on: room, overlapping: window).map(\.id) == [first.id])
        #expect(original.counters.bookings == 1)

        #expect(w.state.bookings.count == 2)
        #expect(w.state.bookings[first.id]?.status == .cancelled)
        #expect(w.state.occupying(room, overlapping: window).map(\.id) == [second.id])
        #expect(w.state.bookings(on: room, overlapping: window).map(\.id) == [first.id, second.id])
        #expect(w.state.intervals.validate() == nil && original.intervals.validate() == nil)
    }

    /// A state changed while nothing else holds it changes in place (no copy of the tables).
    @Test func aUniqueStateChangesInPlace() throws {
        var w = World()
        let room = try w.resource("Room 1")
        _ = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let before = ObjectIdentifier(w.state.storageForTests)
        _ = try w.book(room, "2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        #expect(ObjectIdentifier(w.state.storageForTests) == before)
    }
}

/// The state's kept policies and parents follow every change to resources and schedules.
@Suite struct BookingStateDerivedTablesTests {
    private func change(_ w: inout World, _ m: Mutation) {
        w.state.apply(Transaction(at: w.clock.now(), actor: w.desk, mutations: [m]))
    }

    @Test func policiesFollowResourcesAndSchedules() throws {
        var w = World()
        let hours = try w.schedule("Hours") { $0.bufferBefore = .minutes(5); $0.minimumNotice = .minutes(60) }
        let other = try w.schedule("Other") { $0.bufferAfter = .minutes(20) }
        let room = try w.resource("Room 1", schedule: hours)
        let loose = try w.resource("Room 2")
        func check(_ why: String) {
            for r in [room, loose, ResourceID("res_unknown")] {
                #expect(w.state.policy(for: r) == w.state.makePolicy(for: r), "\(why): \(r)")
            }
        }
        #expect(w.state.policy(for: room).bufferBefore == .minutes(5))
        #expect(w.state.policy(for: loose).bufferBefore == .zero)
        check("created")

        // The schedule changes: every resource on it sees the new values.
        var s = w.state.schedules[hours]!
        s.bufferBefore = .minutes(15)
        s.minimumNotice = .minutes(30)
        change(&w, .schedule(s))
        #expect(w.state.policy(for: room).bufferBefore == .minutes(15))
        #expect(w.state.policy(for: room).minimumNotice == .minutes(30))
        check("schedule changed")

        // The resource overrides its schedule, then moves to another schedule.
        var r = w.state.resources[room]!
        r.policy.bufferBefore = .minutes(1)
        change(&w, .resource(r))
        #expect(w.state.policy(for: room).bufferBefore == .minutes(1))
        r.schedule = other
        change(&w, .resource(r))
        #expect(w.state.policy(for: room).bufferAfter == .minutes(20))
        #expect(w.state.policy(for: room).minimumNotice == .zero)
        check("resource changed")

        // The old schedule changing no longer touches it.
        s.bufferAfter = .minutes(45)
        change(&w, .schedule(s))
        #expect(w.state.policy(for: room).bufferAfter == .minutes(20))
        check("old schedule changed")
    }

    @Test func relatedFollowsParents() throws {
        var w = World()
        let suite = try w.resource("Suite")
        let a = try w.resource("Room A", parent: suite)
        let b = try w.resource("Room B")
        #expect(Set(w.state.related(to: a)) == [a, suite])
        #expect(Set(w.state.related(to: suite)) == [suite, a])
        #expect(w.state.related(to: b) == [b])
        // B joins the suite; A leaves it.
        var rb = w.state.resources[b]!
        rb.parent = suite
        change(&w, .resource(rb))
        var ra = w.state.resources[a]!
        ra.parent = nil
        change(&w, .resource(ra))
        #expect(w.state.related(to: a) == [a])
        #expect(Set(w.state.related(to: b)) == [b, suite])
        #expect(Set(w.state.related(to: suite)) == [suite, b])
    }
}
