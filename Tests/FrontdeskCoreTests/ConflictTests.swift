import Testing
@testable import FrontdeskCore

@Suite struct ConflictTests {
    @Test func overlapConflictsAndTouchingDoesNot() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let first = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        do {
            _ = try w.book(room, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z")
            Issue.record("expected a conflict")
        } catch let CoreError.conflict(list) {
            #expect(list.map(\.id) == [first.id])
            #expect(list[0].heldBy == "alice")
            #expect(list[0].resourceName == "Room 1")
        }
        _ = try w.book(room, "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
        _ = try w.book(room, "2027-03-01T08:30:00Z", "2027-03-01T09:00:00Z")
        #expect(w.state.bookings.count == 3)
    }

    @Test func buffersWidenBothSides() throws {
        var w = World()
        let room = try w.resource("Room 1", policy: PolicyOverrides(bufferBefore: .minutes(10), bufferAfter: .minutes(15)))
        _ = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        // Needs 15 min after plus 10 min before the next: 25 minutes of gap.
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T10:20:00Z", "2027-03-01T11:00:00Z") }
        _ = try w.book(room, "2027-03-01T10:25:00Z", "2027-03-01T11:00:00Z")
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T08:00:00Z", "2027-03-01T08:40:00Z") }
        _ = try w.book(room, "2027-03-01T08:00:00Z", "2027-03-01T08:35:00Z")
    }

    @Test func parentAndChildOccupyEachOther() throws {
        var w = World()
        let suite = try w.resource("Suite")
        let left = try w.resource("Suite left", parent: suite)
        let right = try w.resource("Suite right", parent: suite)
        let grandchild = try w.resource("Left desk", parent: left)
        _ = try w.book(left, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        #expect(throws: CoreError.self) { try w.book(suite, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") }
        #expect(throws: CoreError.self) { try w.book(grandchild, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") }
        _ = try w.book(right, "2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z") // siblings are independent
        _ = try w.book(suite, "2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        #expect(throws: CoreError.self) { try w.book(grandchild, "2027-03-01T11:30:00Z", "2027-03-01T11:45:00Z") }
    }

    @Test func cancelledAndNoShowDoNotBlock() throws {
        var w = World(now: "2027-03-01T08:00:00Z")
        let room = try w.resource("Room 1")
        let a = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        _ = w.commit(try w.engine.cancel(a.id, reason: "x", in: w.state, by: w.desk))
        let b = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        w.clock.set(World.t("2027-03-01T09:20:00Z"))
        _ = w.commit(try w.engine.setStatus(b.id, to: .noShow, in: w.state, by: w.desk))
        _ = try w.book(room, "2027-03-01T09:30:00Z", "2027-03-01T10:00:00Z")
    }

    @Test func anExpiredHoldStopsBlockingAndTheNextWriteCancelsIt() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let hold = try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z", status: .pendingPayment)
        #expect(hold.holdExpiresAt == World.t("2027-03-01T08:15:00Z"))
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z") }
        w.clock.set(World.t("2027-03-01T08:15:00Z"))
        let plan = try w.engine.book(BookingRequest(resource: room, range: World.r("2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z")), in: w.state, by: w.desk)
        #expect(plan.transaction.events.map(\.type) == [.bookingHoldExpired, .bookingCreated])
        _ = w.commit(plan)
        let expired = try #require(w.state.bookings[hold.id])
        #expect(expired.status == .cancelled)
        #expect(expired.cancellation?.reason == "hold expired")
        #expect(expired.version == 2)
        #expect(w.state.expiredHolds(at: w.clock.now()).isEmpty)
    }

    @Test func confirmingAHoldInTimeKeepsIt() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let hold = try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z", status: .pendingPayment)
        w.clock.set(World.t("2027-03-01T08:14:59Z"))
        let ok = w.commit(try w.engine.setStatus(hold.id, to: .confirmed, in: w.state, by: w.desk))
        #expect(ok.holdExpiresAt == nil)
        w.clock.set(World.t("2027-03-01T09:00:00Z"))
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z") }
    }

    @Test func rescheduleIgnoresItselfButNotOthers() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let a = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        _ = try w.book(room, "2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        let moved = w.commit(try w.engine.reschedule(a.id, to: World.r("2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z"), in: w.state, by: w.desk))
        #expect(moved[0].version == 2)
        #expect(throws: CoreError.self) {
            try w.engine.reschedule(a.id, to: World.r("2027-03-01T10:30:00Z", "2027-03-01T11:30:00Z"), in: w.state, by: w.desk)
        }
        // The old slot is free again.
        _ = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T09:30:00Z")
    }
}
