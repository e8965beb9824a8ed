import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// The booking form's new-customer details, repeat rule and policy override, driven by keys.
@Suite struct FormTests {
    /// The status bar's message line.
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 2] }

    @Test func newCustomerWithPhoneAndEmail() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)          // Chair 1, 10:30
        h.type("Bo")
        #expect(h.screen.contains("› Bob Stone"))
        #expect(!h.screen.contains("E-mail"), "an existing customer needs no contact fields")
        h.press(.ctrl("u"))
        h.type("Carla Diaz")
        #expect(h.screen.contains("Phone") && h.screen.contains("E-mail"), "\(h.screen)")
        h.press(.tab); h.type("555-0199")
        h.press(.tab); h.type("carla@example.com")
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        let b = h.booking("B-006")
        let id = try #require(b.customer)
        let c = try #require(h.connection.state.customers[id])
        #expect(c.name == "Carla Diaz" && c.phone == "555-0199" && c.email == "carla@example.com")
        #expect(message(h).contains("Booked B-006 for Carla Diaz") && message(h).contains("New customer \(c.ref)."))
        #expect(h.line("10:30")!.contains("Carla Diaz"))
    }

    @Test func invalidEmailIsExplainedInTheFormAndNothingIsStored() throws {
        let h = try Harness()
        let customersBefore = h.connection.state.customers.count
        h.press(.char("l"), .char("j"), .enter)
        h.type("Carla Diaz")
        h.press(.tab); h.type("555-0199")
        h.press(.tab); h.type("carla.example.com")
        h.press(.tab, .tab, .tab); h.type("first visit")   // duration, status, notes
        h.press(.enter)
        #expect(h.screen.contains("New booking"), "the form stays open")
        #expect(h.screen.contains("E-mail: \"carla.example.com\" is not an e-mail address (expected name@example.com)."), "\(h.screen)")
        #expect(h.screen.contains("Customer  Carla Diaz") && h.screen.contains("555-0199") && h.screen.contains("first visit"),
                "everything typed is kept")
        #expect(h.connection.writes.isEmpty)
        #expect(h.connection.state.customers.count == customersBefore && h.connection.state.bookings.count == 5)
        // The cursor went to the e-mail field: clearing and retyping it fixes the booking.
        h.press(.ctrl("u")); h.type("carla@example.com")
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        #expect(h.connection.writes == ["book"])
        let b = h.booking("B-006")
        #expect(b.notes == "first visit" && h.connection.state.customers[b.customer!]?.email == "carla@example.com")
    }

    @Test func repeatRuleBooksASeriesVisibleInTheGridOnEachDate() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)          // Chair 1, Mon 10:30
        h.type("Ann")
        h.press(.tab, .tab, .tab, .tab)                   // duration, status, notes, repeat (Ann exists: no contact fields)
        h.type("FREQ=YEARLY;COUNT=2")
        #expect(h.screen.contains("FREQ=YEARLY is not supported"), "the form explains the rule while typing")
        h.press(.enter)
        #expect(h.screen.contains("New booking") && h.connection.writes.isEmpty, "an unreadable rule books nothing")
        h.press(.ctrl("u")); h.type("FREQ=WEEKLY;COUNT=4")
        #expect(h.screen.contains("4 bookings, the last on Mon 2027-03-22"), "\(h.screen)")
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        #expect(message(h).contains("Booked 4 bookings B-006–B-009 for Ann Lee: Chair 1 Mon 2027-03-01 10:30–10:45 to Mon 2027-03-22."), "\(message(h))")
        let series = ["B-006", "B-007", "B-008", "B-009"].map(h.booking)
        #expect(Set(series.map(\.series)).count == 1 && series[0].series != nil)
        #expect(h.connection.writes == ["book"])
        for day in ["2027-03-08", "2027-03-15", "2027-03-22"] {
            h.press(.char("}"))
            #expect(h.lines[0].contains(day))
            #expect(h.line("10:30")!.contains("Ann Lee"), "series occurrence missing on \(day)")
        }
        h.press(.char("}"))
        #expect(!h.line("10:30")!.contains("Ann Lee"), "the series ends after four")
    }

    @Test func seriesConflictNamesTheDatesAndBooksNothing() throws {
        let h = try Harness()
        try h.otherDeskBooks("Chair 1", "2027-03-15T10:30", "2027-03-15T11:00", customer: "Bob Stone")
        h.press(.char("l"), .char("j"), .enter)
        h.type("Ann")
        h.press(.tab, .tab, .tab, .tab)                   // duration, status, notes, repeat
        h.type("FREQ=WEEKLY;COUNT=4")
        h.press(.enter)
        #expect(h.screen.contains("New booking"))
        #expect(h.screen.contains("1 occurrence of the series conflicts, so nothing was booked: Mon 2027-03-15 (B-006 Bob Stone)."), "\(h.screen)")
        #expect(h.connection.writes.isEmpty && h.connection.state.bookings.count == 6)
    }

    @Test func policyRefusalOffersAnOverrideThatNeedsAReason() throws {
        let h = try Harness()
        // Anna at 09:30 today: the slot is over (now is 10:20), so the booking window refuses it.
        h.press(.char("l"), .char("l"), .char("l"), .char("k"), .char("k"), .char("k"))
        h.press(.enter)
        // One slot of Anna's own length (30 min; issue #20 item 2), not one 15-minute grid row.
        #expect(h.screen.contains("Anna · Mon 2027-03-01 09:30–10:00"))
        #expect(!h.screen.contains("Override"), "no override offered before a refusal")
        h.type("Bob")
        h.press(.enter)
        #expect(h.screen.contains("New booking"))
        #expect(h.screen.contains("2027-03-01 09:30 is in the past. Only a manager override"), "\(h.screen)")
        #expect(h.screen.contains("Override"))
        #expect(h.connection.writes.isEmpty)
        // Enter again without a reason: still refused, and the form says what is missing.
        h.press(.enter)
        #expect(h.screen.contains("An override needs a reason: type it in Override"), "\(h.screen)")
        #expect(h.connection.writes.isEmpty && h.connection.state.bookings.count == 5)
        h.type("   ")
        h.press(.enter)
        #expect(h.connection.writes.isEmpty, "a blank reason is no reason")
        h.press(.ctrl("u"))
        h.type("walk-in recorded late")
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        let b = h.booking("B-006")
        #expect(b.overrideReason == "walk-in recorded late" && b.customer == h.booking("B-002").customer)
        #expect(b.history.first?.changes.contains("policy override: walk-in recorded late") == true)
        #expect(message(h).contains("Policy override recorded (walk-in recorded late)."))
        #expect(h.line("09:30")!.contains("Bob Stone"))
    }

    @Test func closedHoursAreOnlyBookableWithAnOverride() throws {
        let h = try Harness()
        h.press(.char("}"), .char("["))                  // Sun 2027-03-07: the salon is closed
        #expect(h.lines[0].contains("Sun 2027-03-07"))
        h.press(.char("l"), .enter)                       // Chair 1 at 10:15
        #expect(h.screen.contains("Chair 1 is closed at 10:15 on Sun 2027-03-07.") && h.screen.contains("Override"), "\(h.screen)")
        h.type("Ann")
        h.press(.enter)
        #expect(h.screen.contains("An override needs a reason"), "\(h.screen)")
        #expect(h.connection.writes.isEmpty)
        #expect(h.app.overlayFormFocus == .override, "the refusal puts the cursor in Override")
        h.type("owner's private client")
        h.press(.enter)
        #expect(!h.screen.contains("New booking"), "\(h.screen)")
        let b = h.booking("B-006")
        #expect(b.overrideReason == "owner's private client")
        #expect(h.line("10:15")!.contains("Ann Lee"))
    }
}

extension TUIApp {
    /// The booking form's focused field, if the form is open.
    var overlayFormFocus: BookingForm.Field? {
        if case .form(let f) = overlay { return f.focus }
        return nil
    }
}
