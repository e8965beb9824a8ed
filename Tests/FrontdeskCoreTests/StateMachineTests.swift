import Testing
@testable import FrontdeskCore

@Suite struct StateMachineTests {
    @Test func transitionTableIsExactlyTheDocumentedOne() {
        let allowed: Set<String> = [
            "pending_payment>tentative", "pending_payment>confirmed", "pending_payment>cancelled",
            "tentative>confirmed", "tentative>cancelled", "tentative>completed", "tentative>no_show",
            "confirmed>tentative", "confirmed>cancelled", "confirmed>completed", "confirmed>no_show",
        ]
        for a in BookingStatus.allCases {
            for b in BookingStatus.allCases {
                #expect(a.canMove(to: b) == allowed.contains("\(a)>\(b)"), "\(a) → \(b)")
            }
        }
    }

    @Test func invalidTransitionNamesBothStates() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let b = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        _ = w.commit(try w.engine.cancel(b.id, reason: "customer called", in: w.state, by: w.desk))
        #expect(throws: CoreError.invalidTransition(from: .cancelled, to: .confirmed)) {
            try w.engine.setStatus(b.id, to: .confirmed, in: w.state, by: w.desk)
        }
    }

    @Test func completedAndNoShowOnlyOnceStarted() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let b = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        #expect(throws: CoreError.notStarted(status: .completed, start: b.start)) {
            try w.engine.setStatus(b.id, to: .completed, in: w.state, by: w.desk)
        }
        #expect(throws: CoreError.notStarted(status: .noShow, start: b.start)) {
            try w.engine.setStatus(b.id, to: .noShow, in: w.state, by: w.desk)
        }
        w.clock.set(World.t("2027-03-01T09:00:00Z"))
        let done = w.commit(try w.engine.setStatus(b.id, to: .completed, in: w.state, by: w.desk))
        #expect(done.status == .completed)
        #expect(done.version == 2)
        #expect(done.history.map(\.action) == ["created", "completed"])
    }

    @Test func everyChangeEmitsItsEventWithActorAndBookingAfterTheChange() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let create = try w.engine.book(BookingRequest(resource: room, range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"), status: .tentative), in: w.state, by: w.desk)
        #expect(create.transaction.events.map(\.type) == [.bookingCreated])
        #expect(create.transaction.events[0].actor == w.desk)
        #expect(create.transaction.events[0].at == w.clock.now())
        let b = w.commit(create).bookings[0]
        let confirm = try w.engine.setStatus(b.id, to: .confirmed, in: w.state, by: w.desk)
        #expect(confirm.transaction.events.map(\.type) == [.bookingConfirmed])
        #expect(confirm.transaction.events[0].booking?.status == .confirmed)
        #expect(confirm.transaction.events[0].booking?.version == 2)
        _ = w.commit(confirm)
        let move = try w.engine.reschedule(b.id, to: World.r("2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z"), in: w.state, by: w.desk)
        #expect(move.transaction.events.map(\.type) == [.bookingRescheduled])
        _ = w.commit(move)
        let cancel = try w.engine.cancel(b.id, reason: "ill", in: w.state, by: w.desk)
        #expect(cancel.transaction.events.map(\.type) == [.bookingCancelled])
        #expect(cancel.transaction.events[0].booking?.cancellation?.reason == "ill")
    }

    @Test func staleVersionCarriesTheCurrentVersion() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let b = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z", status: .tentative)
        _ = w.commit(try w.engine.setStatus(b.id, to: .confirmed, expectVersion: 1, in: w.state, by: w.desk))
        #expect(throws: CoreError.staleVersion(id: b.ref, expected: 1, current: 2)) {
            try w.engine.cancel(b.id, reason: "x", expectVersion: 1, in: w.state, by: w.desk)
        }
        let c = w.commit(try w.engine.cancel(b.id, reason: "x", expectVersion: 2, in: w.state, by: w.desk))
        #expect(c[0].version == 3)
    }
}
