import Testing
@testable import FrontdeskCore

@Suite struct WaitlistTests {
    @Test func cancellationThatFitsAnEntryEmitsSlotOpened() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let ann = try w.customer("Ann")
        let bob = try w.customer("Bob")
        let b = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", customer: ann)
        let entry = w.commit(try w.engine.addToWaitlist(customer: bob, resources: [room], window: World.r("2027-03-02T09:00:00Z", "2027-03-02T12:00:00Z"),
                                                        duration: .hours(1), in: w.state, by: w.desk))
        // Something else still fills the rest of the window, so only the freed hour fits.
        _ = try w.book(room, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        _ = try w.book(room, "2027-03-02T11:00:00Z", "2027-03-02T12:00:00Z")
        let plan = try w.engine.cancel(b.id, reason: "sick", in: w.state, by: w.desk)
        let opened = plan.transaction.events.filter { $0.type == .waitlistSlotOpened }
        #expect(opened.count == 1)
        #expect(opened.first?.waitlistEntry?.id == entry.id)
        #expect(opened.first?.slot == Slot(resource: room, range: World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")))
        _ = w.commit(plan)
        let booked = w.commit(try w.engine.bookFromWaitlist(entry.id, in: w.state, by: w.desk))
        #expect(booked.bookings[0].customer == bob)
        #expect(booked.bookings[0].range == World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z"))
        #expect(w.state.waitlist[entry.id]?.fulfilledBy == booked.bookings[0].id)
    }

    @Test func freedTimeTooShortForTheEntrySaysNothing() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let cus = try w.customer("Cy")
        let b = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T10:30:00Z")
        _ = try w.book(room, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        _ = try w.book(room, "2027-03-02T10:30:00Z", "2027-03-02T12:00:00Z")
        _ = w.commit(try w.engine.addToWaitlist(customer: cus, resources: [room], window: World.r("2027-03-02T09:00:00Z", "2027-03-02T12:00:00Z"),
                                                duration: .hours(1), in: w.state, by: w.desk))
        let plan = try w.engine.cancel(b.id, reason: "x", in: w.state, by: w.desk)
        #expect(!plan.transaction.events.contains { $0.type == .waitlistSlotOpened })
    }

    @Test func expiredHoldAlsoOpensASlot() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let cus = try w.customer("Dee")
        _ = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", status: .pendingPayment)
        _ = w.commit(try w.engine.addToWaitlist(customer: cus, resources: [room], window: World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z"),
                                                duration: .hours(1), in: w.state, by: w.desk))
        w.clock.advance(by: .minutes(16))
        let tx = w.engine.expireHolds(in: w.state)
        #expect(tx.events.map(\.type) == [.bookingHoldExpired, .waitlistSlotOpened])
    }
}
