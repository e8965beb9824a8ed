import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20, second pass on the dialogs: a cancelled booking's detail, a series cancellation,
/// the waitlist header and the late-cancel layout say what the keys really do.
@Suite struct DialogSecondPassTests {
    @Test func aCancelledBookingsDetailOffersNoCancelOrMove() throws {
        let h = try Harness()
        let b2 = h.booking("B-002")
        _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<[Booking]> in
            try e.cancel(b2.id, reason: "away", overrideReason: "manager ok", in: st, by: Author(user: "bob", source: .cli))
        }
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1 11:00, the cancelled B-002
        h.press(.enter, .ctrl("o"))
        #expect(h.screen.contains("Booking B-002"), "\(h.screen)")
        let hint = h.line("Esc close") ?? ""
        #expect(!hint.contains("c cancel") && !hint.contains("m move") && !hint.contains("s status"), "\(hint)")
        #expect(hint.contains("cancelled: no further changes"), "\(hint)")
        // A confirmed booking's detail still offers them.
        let h2 = try Harness()
        h2.press(.char("l"), .char("k"), .char("k"), .char("k"), .char("k"))  // Chair 1 09:15, B-001
        h2.press(.enter)
        #expect(h2.screen.contains("Booking B-001") && (h2.line("Esc close") ?? "").contains("c cancel · m move"), "\(h2.screen)")
    }

    @Test func cancellingAWholeSeriesSaysHowManyAndWhich() throws {
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
        for _ in 0..<19 { h.press(.char("j")) }          // 15:00, B-007
        h.press(.char("c"), .char("9"))                   // the whole series
        h.type("moved away"); h.press(.enter)
        #expect(h.screen.contains("Cancel 4 bookings of the series (B-006 … B-009)? y yes"), "\(h.screen)")
        h.press(.char("y"))
        #expect((6...9).allSatisfy { h.booking("B-00\($0)").status == .cancelled })
    }

    @Test func theWaitlistHeaderSaysEnterAsksFirst() throws {
        let h = try Harness()
        h.press(.char("w"))
        #expect(h.screen.contains("Enter shows the first free slot, y books it") && !h.screen.contains("Enter books"), "\(h.screen)")
    }

    @Test func theLateCancelOverrideHasAGapAndTheHintIsWhole() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1 11:00, B-002, inside the 24 h notice
        h.press(.char("c"))
        h.type("client called")
        h.press(.enter)                                   // on to Override
        h.type("boss")
        #expect(h.screen.contains("› Override boss") && !h.screen.contains("Overrideboss"), "\(h.screen)")
        #expect(h.screen.contains("  Reason   client called"), "\(h.screen)")
        #expect(h.screen.contains("Typing goes to Override · Enter continue · Tab back to Reason"), "\(h.screen)")
        #expect(h.screen.contains("Esc keep the booking"), "the Esc part is not clipped: \(h.screen)")
    }
}
