import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20 "Booking" at the desk, driven by keys on screen text (fixed clock, demo data).
@Suite struct DeskBookingTUITests {
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 2] }

    /// Gives Chair 1 a buffer after each booking.
    private func bufferAfter(_ h: Harness, _ d: TimeSpan) throws {
        var chair = h.connection.state.resources.values.first { $0.name == "Chair 1" }!
        chair.policy.bufferAfter = d
        _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
            try e.updateResource(chair, in: s, by: Author(user: "setup", source: .cli))
        }
    }

    @Test func buffersAreShadedOnTheLegendAndNamedWhenBooked() throws {
        let h = try Harness()
        try bufferAfter(h, .minutes(10))
        try h.otherDeskBooks("Chair 1", "2027-03-02T09:30", "2027-03-02T10:00", customer: "Ann Lee")
        h.press(.char("g")); h.type("2027-03-02"); h.press(.enter)
        // Item 1: the buffer after 09:30–10:00 is shaded; 09:15 is not (Chair 1 keeps no buffer
        // before a booking, so only the side that has one is shaded).
        #expect(h.line("10:00")!.contains("│╌╌╌╌╌") && !h.line("09:15")!.contains("│╌╌╌╌╌"), "\(h.screen)")
        #expect(!h.line("10:15")!.contains("╌"))
        #expect(h.screen.contains("╌ buffer"), "the legend names the shading")
        h.press(.char("l"), .char("k"))                 // Chair 1, 10:00
        h.press(.enter)
        #expect(h.screen.contains("Chair 1 · Tue 2027-03-02 10:00–10:15"))
        #expect(h.screen.contains("Taken: 10 min buffer after B-006 Ann Lee 09:30–10:00, until 10:10"), "the form checks live: \(h.screen)")
        h.type("Bob")                                   // a customer must be chosen (second pass, item 3)
        h.press(.enter)
        #expect(message(h).contains("Slot taken: 10 min buffer after B-006 Ann Lee on Chair 1 09:30–10:00") && message(h).contains("until 10:10"),
                "\(message(h))")
        #expect(h.connection.state.bookings.count == 6)
    }

    @Test func durationFieldDefaultsToTheSlotLengthAndIsCheckedLive() throws {
        let h = try Harness()
        h.press(.char("l"), .char("l"), .char("l"))      // Anna (30-minute slots), 10:15
        for _ in 0..<7 { h.press(.char("j")) }           // 12:00
        h.press(.enter)
        #expect(h.screen.contains("Anna · Mon 2027-03-01 12:00–12:30"), "\(h.screen)")
        #expect(h.screen.contains("Duration") && h.screen.contains("30m") && h.screen.contains("until 12:30 · + - one slot") && h.screen.contains("  free "))
        h.type("Ann")
        h.press(.tab)                                     // Duration
        h.press(.ctrl("u")); h.type("90")
        #expect(h.screen.contains("Anna · Mon 2027-03-01 12:00–13:30"))
        #expect(h.screen.contains("Taken: B-004 Zoë ☕ Park 13:00–14:00"), "\(h.screen)")
        h.press(.char("-"))                               // one slot less: 1h
        #expect(h.screen.contains("12:00–13:00") && h.screen.contains("until 13:00") && !h.screen.contains("Taken:"), "\(h.screen)")
        h.press(.ctrl("u")); h.type("45m")
        h.press(.enter)
        let b = h.booking("B-006")
        #expect(b.range == TimeRange(start: h.at("2027-03-01T12:00"), end: h.at("2027-03-01T12:45")))
        #expect(message(h).contains("Booked B-006 for Ann Lee: Anna Mon 2027-03-01 12:00–12:45"), "\(message(h))")
    }

    @Test func anUnreadableDurationKeepsTheFormOpenOnTheField() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)           // Chair 1, 10:30
        h.press(.tab); h.press(.ctrl("u")); h.type("soon")
        #expect(h.screen.contains("Duration: type minutes or e.g. 45m, 1h30m"))
        h.press(.enter)
        #expect(h.screen.contains("New booking") && h.connection.writes.isEmpty)
        #expect(h.app.overlayFormFocus == .duration)
    }

    @Test func enterOnACancelledSlotOffersANewBookingWithTheOldOneAKeyAway() throws {
        let h = try Harness()
        let old = try h.otherDeskBooks("Anna", "2027-03-01T15:00", "2027-03-01T16:00", customer: "Bob Stone")
        _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
            try e.cancel(old.id, reason: "flu", overrideReason: "manager ok", in: s, by: Author(user: "bob", source: .cli))
        }
        h.idle()
        h.press(.char("l"), .char("l"), .char("l"))
        for _ in 0..<19 { h.press(.char("j")) }          // 15:00
        #expect(h.line("15:00")!.contains("✗ Bob Stone"))
        h.press(.enter)
        #expect(h.screen.contains("New booking") && h.screen.contains("Anna · Mon 2027-03-01 15:00–15:30"), "\(h.screen)")
        #expect(h.screen.contains("A cancelled booking, B-006, held this slot: Ctrl-O shows it."))
        h.press(.ctrl("o"))
        #expect(h.screen.contains("B-006") && !h.screen.contains("New booking"), "the cancelled booking's detail")
        h.press(.escape)
        #expect(h.screen.contains("New booking"), "Esc goes back to the form")
        h.type("Ann")
        h.press(.enter)
        let b = h.booking("B-007")
        #expect(b.status == .confirmed && b.start == h.at("2027-03-01T15:00") && h.booking("B-006").status == .cancelled)
        #expect(h.line("15:00")!.contains("Ann Lee"))
    }

    @Test func waitlistEnterShowsTheSlotAndNoBooksNothing() throws {
        let h = try Harness()
        let s = h.connection.state
        let anna = s.resources.values.first { $0.name == "Anna" }!.id
        let bob = s.customers.values.first { $0.name == "Bob Stone" }!.id
        _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<WaitlistEntry> in
            try e.addToWaitlist(customer: bob, resources: [anna], window: TimeRange(start: h.at("2027-03-02T09:00"), end: h.at("2027-03-02T17:00")),
                                duration: .minutes(30), notes: "afternoon preferred", in: st, by: Author(user: "bob", source: .cli))
        }
        h.press(.char("w"), .enter)
        #expect(h.screen.contains("Book W-001 Bob Stone:") && h.screen.contains("Anna · Tue 2027-03-02 09:00–09:30?"), "\(h.screen)")
        #expect(h.screen.contains("Notes: afternoon preferred") && h.screen.contains("y book this slot"))
        #expect(h.connection.writes.isEmpty, "nothing is booked before y")
        h.press(.char("n"))
        #expect(h.connection.writes.isEmpty && h.connection.state.bookings.count == 5)
        #expect(message(h).contains("W-001 stays on the waitlist") && h.screen.contains("W-001  Bob Stone"))
    }

    @Test func lateCancelReasonAndOverrideStaySeparateAndHintsFollowTheFocus() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1 11:00, B-002, inside the 24 h notice
        h.press(.char("c"))
        #expect(h.screen.contains("› Reason") && h.screen.contains("Typing goes to Reason · Enter or Tab to Override"))
        h.type("client called")
        h.press(.enter)
        #expect(h.screen.contains("› Override") && !h.screen.contains("› Reason"), "Enter moved to Override")
        #expect(h.screen.contains("Typing goes to Override · Enter continue · Tab back to Reason"), "\(h.screen)")
        #expect(!h.screen.contains("Tab override field"))
        h.press(.tab)
        #expect(h.screen.contains("› Reason") && h.screen.contains("Enter or Tab to Override"), "Tab went back, and the hint says so")
        h.press(.tab)
        h.type("manager ok - booked in error")
        h.press(.enter)
        #expect(h.screen.contains("Cancel B-002 with override? y yes"))
        h.press(.char("y"))
        let b = h.booking("B-002")
        #expect(b.cancellation?.reason == "client called" && b.overrideReason == "manager ok - booked in error" && b.cancellation?.late == true)
    }

    @Test func undoingASeriesCancellationKeepsTheReferencesAndTheSeries() throws {
        let h = try Harness()
        let s = h.connection.state
        let anna = s.resources.values.first { $0.name == "Anna" }!.id
        let ann = s.customers.values.first { $0.name == "Ann Lee" }!.id
        let req = BookingRequest(resource: anna, customer: .existing(ann), range: TimeRange(start: h.at("2027-03-08T15:00"), end: h.at("2027-03-08T16:00")),
                                 recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=3"))
        let made = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            try e.book(req, in: st, by: Author(user: "bob", source: .cli))
        }.bookings
        h.press(.char("g")); h.type("2027-03-15"); h.press(.enter)
        h.press(.char("l"), .char("l"), .char("l"))
        for _ in 0..<19 { h.press(.char("j")) }          // 15:00
        h.press(.char("c"), .char("1"))                   // this one only
        h.type("away"); h.press(.enter, .char("y"))
        #expect(h.booking("B-007").status == .cancelled, "\(h.screen)")
        h.press(.char("u"))
        let back = h.booking("B-007")
        #expect(back.status == .confirmed && back.id == made[1].id && back.series == made[1].series && back.version == 3)
        #expect(h.connection.state.series(made[0].series!).count == 3 && h.connection.state.booking(ref: "B-009") == nil)
        #expect(message(h).contains("Undone: B-007 is booked again."))
    }
}
