import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// The customer view (#24): `C` on a booking, in its detail, with no booking (a prompt), and F2
/// in the form's customer field; the facts `customer show` prints (``CustomerSummary``),
/// contact details only for roles that may see them, Esc back to where it was opened.
@Suite struct CustomerViewTests {
    static let other = Author(user: "bob", origin: "10.0.0.9", source: .cli)

    /// Pounds, a price on Ann's B-001 with £10 paid, and a no-show of Ann's last week.
    static func priced(_ h: Harness) throws {
        try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Currency> in try e.setCurrency("GBP", in: s, by: other) }
        let b = h.booking("B-001")
        try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Booking> in
            try e.setPrice(b.id, PriceDraft(price: 3800, noShowFee: 1500, reason: "list"), in: s, by: other)
        }
        try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<PaymentOutcome> in
            try e.pay(b.id, amount: 1000, method: .card, in: s, by: other)
        }
        h.idle()
    }

    @Test func keyCShowsTheCustomerOfTheBookingUnderTheCursor() throws {
        let h = try Harness()
        try Self.priced(h)
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.char("C"))
        let s = h.screen
        for text in ["Customer C-001 Ann Lee", "Phone: 555-0101", "Paid: 10.00 GBP   Due: 28.00 GBP",
                     "Bookings: 0 upcoming, 1 past   No-shows: 0   Late cancellations: 0", "B-001  2027-03-01 09:00  Chair 1  confirmed  balance 28.00 GBP",
                     "Esc back"] {
            #expect(s.contains(text), "\(text)\n\(s)")
        }
        h.press(.escape)
        #expect(!h.screen.contains("Customer C-001"))
        // From the open detail, Esc goes back to the detail.
        h.press(.enter)
        let detail = h.screen
        h.press(.char("C"))
        #expect(h.screen.contains("Customer C-001 Ann Lee"))
        h.press(.escape)
        #expect(!h.screen.contains("Customer C-001") && h.screen == detail, "\(h.screen)")
    }

    @Test func theSameFactsAsTheSummaryAndScrolling() throws {
        let h = try Harness(rows: 14, cols: 100)
        try Self.priced(h)
        let ann = try #require(h.booking("B-001").customer)
        // Twelve past visits, imported as history (the last a no-show): more lines than the box holds.
        let r = h.booking("B-001").resource
        for day in 1...12 {
            let start = h.at("2027-02-01T09:00") + .days(Int64(day))
            var request = BookingRequest(resource: r, customer: .existing(ann), range: TimeRange(start: start, end: start + .minutes(30)),
                                         status: day == 12 ? .noShow : .completed)
            request.importedHistory = true
            let req = request
            _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in try e.book(req, in: s, by: Self.other) }
        }
        h.idle()
        let c = try #require(h.connection.state.customers[ann])
        let all = try h.connection.bookings(ofCustomer: ann, range: TimeRange(start: Instant(seconds: 0), end: SupportedRange.upperBound))
        let summary = try CustomerSummary.make(customer: c, bookings: all, now: h.clock.now(), currency: Currency(code: "GBP"), historyLimit: CustomerView.pastShown)
        // B-001 (09:00-10:00) is over at 10:20 too.
        #expect(summary.noShows == 1 && summary.pastCount == 13)
        let lines = CustomerView.lines(summary, zone: Harness.london, state: h.connection.state, contact: true)
        #expect(lines.contains("Bookings: 0 upcoming, 13 past   No-shows: 1   Late cancellations: 0"), "\(lines)")

        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.char("C"))
        #expect(h.screen.contains("No-shows: 1") && !h.screen.contains("2027-02-02 09:00"), "\(h.screen)")
        for _ in 0..<30 { h.press(.char("j")) }
        #expect(h.screen.contains("2027-02-02 09:00"), "the oldest visit scrolls into view\n\(h.screen)")
        #expect(h.app.overlay.map { if case .customer = $0 { true } else { false } } == true)
        h.press(.escape)
    }

    @Test func withNoBookingItAsksForTheCustomer() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"))   // Chair 1 at 10:30: free
        h.press(.char("C"))
        #expect(h.screen.contains("Customer (name, reference, phone or e-mail):"))
        h.type("nobody at all")
        h.press(.enter)
        #expect(h.screen.contains("no customer \"nobody at all\""), "\(h.screen)")
        h.press(.ctrl("u"))
        h.type("C-002")
        h.press(.enter)
        #expect(h.screen.contains("Customer C-002 Bob Stone") && h.screen.contains("B-002"), "\(h.screen)")
        h.press(.escape)
        #expect(!h.screen.contains("Customer C-002"))
    }

    @Test func f2InTheFormShowsTheChosenCustomerAndEscReturnsToTheForm() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)
        h.type("Ann")
        h.press(.function(2))
        #expect(h.screen.contains("Customer C-001 Ann Lee"), "\(h.screen)")
        h.press(.escape)
        #expect(h.screen.contains("New booking") && h.screen.contains("Ann"), "\(h.screen)")
        h.press(.escape)
    }

    @Test func aViewerSeesNoContactDetails() throws {
        let h = try Harness(access: Access(user: "carol", role: .viewer))
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.char("C"))
        #expect(h.screen.contains("Customer C-001 Ann Lee") && !h.screen.contains("555-0101"), "\(h.screen)")
    }

    @Test func helpListsTheKey() throws {
        let h = try Harness()
        h.press(.char("?"))
        #expect(h.screen.contains("C                 customer record of the booking"), "\(h.screen)")
    }
}
