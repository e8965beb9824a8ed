import FrontdeskCore
import Testing
@testable import FrontdeskTUI

@Suite struct FlowTests {
    @Test func cancelOutsideTheNoticeAsksForAReasonThenYes() throws {
        let h = try Harness()
        try h.otherDeskBooks("Anna", "2027-03-05T10:00", "2027-03-05T11:00", customer: "Ann Lee")
        h.press(.char("g")); h.type("2027-03-05"); h.press(.enter)
        #expect(h.lines[0].contains("Fri 2027-03-05"))
        h.press(.char("l"), .char("l"), .char("l"), .char("k"))  // Anna, 10:00
        h.press(.char("c"))
        #expect(h.screen.contains("Cancel B-006") && !h.screen.contains("Override"))
        h.press(.enter)
        #expect(h.screen.contains("Give a reason"))
        h.type("moved away")
        h.press(.enter)
        #expect(h.screen.contains("Cancel B-006? y yes · n no"))
        h.press(.char("y"))
        let b = h.booking("B-006")
        #expect(b.status == .cancelled && b.cancellation?.reason == "moved away" && b.cancellation?.late == false && b.overrideReason == nil)
        #expect(h.line("10:00")!.contains("✗ Ann Lee"))
    }

    @Test func cancelInsideTheNoticeNeedsAnOverrideWithAReason() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1 11:00, B-002, starts in 40 minutes
        h.press(.char("c"))
        #expect(h.screen.contains("Inside the 1d cancellation notice: only a manager override can cancel."))
        h.type("flu")
        h.press(.enter)
        #expect(h.screen.contains("An override needs a reason"))
        #expect(!h.screen.contains("y yes"), "no confirmation without an override reason")
        h.type("manager: regular customer")
        h.press(.enter)
        #expect(h.screen.contains("Cancel B-002 with override? y yes"))
        h.press(.char("n"))
        #expect(h.booking("B-002").status == .tentative, "n goes back without cancelling")
        h.press(.enter, .char("y"))
        let b = h.booking("B-002")
        #expect(b.status == .cancelled && b.cancellation?.late == true && b.overrideReason == "manager: regular customer")
        #expect(h.lines[h.lines.count - 2].contains("late, override recorded"))
        // Undo restores the same booking (issue #20 item 6), not a new one such as B-006.
        h.press(.char("u"))
        #expect(h.lines[h.lines.count - 2].contains("Undone: B-002 is booked again."))
        #expect(h.booking("B-002").status == .tentative && h.booking("B-002").range == b.range && h.booking("B-002").version == 3)
        #expect(h.connection.state.booking(ref: "B-006") == nil)
    }

    @Test func recurringBookingAsksForTheScopeWithNonAdjacentKeys() throws {
        let h = try Harness()
        let s = h.connection.state
        let anna = s.resources.values.first { $0.name == "Anna" }!.id
        let ann = s.customers.values.first { $0.name == "Ann Lee" }!.id
        let req = BookingRequest(resource: anna, customer: .existing(ann), range: TimeRange(start: h.at("2027-03-08T15:00"), end: h.at("2027-03-08T16:00")),
                                 recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=4"))
        _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            try e.book(req, in: st, by: Author(user: "bob", source: .cli))
        }
        h.press(.char("g")); h.type("2027-03-15"); h.press(.enter)
        h.press(.char("l"), .char("l"), .char("l"))
        for _ in 0..<19 { h.press(.char("j")) }  // 15:00 (30-minute rows from... the grid uses 15-minute rows)
        let r = h.app.targetBooking()
        #expect(r?.series != nil)
        h.press(.char("c"))
        #expect(h.screen.contains("1   only this occurrence") && h.screen.contains("5   this and following occurrences") && h.screen.contains("9   all occurrences"))
        h.press(.char("2"))
        #expect(h.screen.contains("This booking repeats"), "other keys choose nothing")
        h.press(.char("5"))
        #expect(h.screen.contains("Scope: this and following occurrences"))
        h.type("course ends")
        h.press(.enter, .char("y"))
        let series = h.connection.state.series(r!.series!)
        #expect(series.map(\.status) == [.confirmed, .cancelled, .cancelled, .cancelled])
    }

    @Test func searchWithNextAndPreviousMatch() throws {
        let h = try Harness()
        try h.otherDeskBooks("Anna", "2027-03-02T10:00", "2027-03-02T11:00", customer: "Ann Lee")
        h.press(.char("/")); h.type("ann lee"); h.press(.enter)
        #expect(h.lines[0].contains("Tue 2027-03-02"), "first match after the cursor")
        #expect(h.lines[h.lines.count - 2].contains("Match 2 of 2"))
        h.press(.char("n"))
        #expect(h.lines[0].contains("Mon 2027-03-01") && h.lines[h.lines.count - 2].contains("Match 1 of 2"), "wraps around")
        #expect(h.app.targetBooking()?.ref == "B-001")
        h.press(.char("N"))
        #expect(h.lines[0].contains("Tue 2027-03-02") && h.app.targetBooking()?.ref == "B-006")
        h.press(.char("/"), .ctrl("u")); h.type("nobody"); h.press(.enter)
        #expect(h.lines[h.lines.count - 2].contains("No booking matches \"nobody\""))
    }

    @Test func agendaFiltersSortsAndOpensDetail() throws {
        let h = try Harness()
        h.press(.tab, .tab)
        #expect(h.lines[0].contains("[Agenda]"))
        #expect(h.screen.contains("5 bookings"))
        let first = try #require(h.lines.firstIndex { $0.contains("B-001") })
        let second = try #require(h.lines.firstIndex { $0.contains("B-003") })
        #expect(first < second, "time order")
        h.press(.char("f")); h.type("status:tentative"); h.press(.enter)
        #expect(h.screen.contains("1 booking") && h.screen.contains("Bob Stone") && !h.screen.contains("B-001"))
        h.press(.char("f"), .ctrl("u")); h.type("status:bogus"); h.press(.enter)
        #expect(h.screen.contains("unknown status \"bogus\""))
        h.press(.ctrl("u")); h.type("customer:ann"); h.press(.enter)
        #expect(h.screen.contains("B-001") && !h.screen.contains("B-002"))
        h.press(.char("f"), .ctrl("u"), .enter, .char("o"))
        let byCustomer = h.lines.filter { $0.contains("2027-03-01 ") && $0.contains("B-00") }
        #expect(byCustomer.first?.contains("Ann Lee") == true)
        h.press(.enter)
        #expect(h.screen.contains("Booking B-001"))
    }

    @Test func detailShowsEveryFieldAndHistory() throws {
        let h = try Harness()
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.enter)
        let s = h.screen
        for text in ["Reference     B-001", "Status        confirmed", "Resource      Chair 1 (R-002)",
                     "Time          Mon 2027-03-01 09:00–10:00  Europe/London  (1h)", "Customer      Ann Lee (C-001)",
                     "Phone         555-0101", "Version       1", "Source        cli", "alice @ 10.0.0.7 via cli", "Origin        10.0.0.7",
                     "Notes         cut and colour", "History", "v1", "created", "status confirmed"] {
            #expect(s.contains(text), "detail shows \(text)")
        }
        h.press(.char("s"), .char("c"))
        #expect(h.lines[h.lines.count - 2].contains("a confirmed booking cannot become confirmed"))
        h.press(.escape)
        #expect(!h.screen.contains("Booking B-001"))
    }

    @Test func waitlistPanelBooksTheFirstFreeSlot() throws {
        let h = try Harness()
        let s = h.connection.state
        let anna = s.resources.values.first { $0.name == "Anna" }!.id
        let bob = s.customers.values.first { $0.name == "Bob Stone" }!.id
        _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<WaitlistEntry> in
            try e.addToWaitlist(customer: bob, resources: [anna], window: TimeRange(start: h.at("2027-03-02T09:00"), end: h.at("2027-03-02T17:00")),
                                duration: .minutes(60), notes: "any time", in: st, by: Author(user: "bob", source: .cli))
        }
        h.press(.char("w"))
        #expect(h.lines[0].contains("[Waitlist]") && h.screen.contains("W-001  Bob Stone") && h.screen.contains("1h within"))
        h.press(.enter)
        // Issue #20 item 4: Enter asks first, showing the slot.
        #expect(h.screen.contains("Anna · Tue 2027-03-02 09:00–10:00?") && h.connection.state.bookings.count == 5)
        h.press(.char("y"))
        #expect(h.lines[h.lines.count - 2].contains("Booked B-006 from the waitlist: Anna Tue 2027-03-02 09:00–10:00"))
        #expect(h.screen.contains("Nobody is waiting"))
    }

    @Test func ctrlCCancelsFormsAsksBeforeDiscardingAndOffersToQuit() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)
        h.type("Ann")
        h.press(.ctrl("c"))
        #expect(h.screen.contains("Discard this booking form?"))
        h.press(.char("n"))
        #expect(h.screen.contains("New booking") && h.screen.contains("Customer  Ann"))
        h.press(.ctrl("c"), .char("y"))
        #expect(!h.screen.contains("New booking"))
        h.press(.enter, .ctrl("c"))
        #expect(!h.screen.contains("New booking"), "an empty form closes at once")
        h.press(.ctrl("c"))
        #expect(h.screen.contains("Quit Frontdesk?"))
        h.press(.escape)
        #expect(!h.app.finished)
        h.press(.ctrl("c"), .char("y"))
        #expect(h.app.finished)
    }

    @Test func qQuitsAtOnceFromTheGrid() throws {
        let h = try Harness()
        h.press(.char("q"))
        #expect(h.app.finished)
    }

    @Test func readOnlyStoreRefusesWritesAndSaysSo() throws {
        let h = try Harness()
        h.connection.mode = .readOnly("disk full")
        h.press(.char("t"))
        #expect(h.lines.last!.contains("read-only (disk full)"))
        h.press(.char("l"), .char("j"), .enter)
        #expect(!h.screen.contains("New booking"))
        #expect(h.lines[h.lines.count - 2].contains("Read-only"))
    }

    @Test func helpOverlayIsGeneratedFromTheActiveKeyMapIncludingRemaps() throws {
        var keys = KeyMap()
        let warnings = try keys.apply(json: Data(#"{"cancel": "x", "quit": ["Q", "ctrl-q"], "bogus": "z", "undo": "shift-nowhere"}"#.utf8))
        #expect(warnings.contains { $0.contains("unknown action \"bogus\"") } && warnings.contains { $0.contains("unknown key \"shift-nowhere\"") })
        let h = try Harness(keys: keys)
        h.press(.char("?"))
        let s = h.screen
        #expect(s.contains("x                 cancel the booking (asks for a reason)"))
        #expect(s.contains("Q ctrl-q          quit"))
        #expect(s.contains("u                 undo your last change"), "unparseable remap keeps the default")
        h.press(.escape)
        h.press(.char("c"))
        #expect(h.lines[h.lines.count - 2].contains("Key c does nothing here"))
        h.press(.char("l"), .char("j"), .char("j"), .char("j"), .char("x"))
        #expect(h.screen.contains("Cancel B-002"))
    }

    @Test func gotoDateRejectsNonsenseAndAcceptsRelativeDays() throws {
        let h = try Harness()
        h.press(.char("g")); h.type("next tuesday"); h.press(.enter)
        #expect(h.screen.contains("is not a date"))
        h.press(.ctrl("u")); h.type("+3"); h.press(.enter)
        #expect(h.lines[0].contains("Thu 2027-03-04"))
        h.press(.char("t"))
        #expect(h.lines[0].contains("(today)"))
    }
}

import Foundation
