import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20, second pass on the booking form: the pre-filled duration is replaced by typing,
/// hints follow the focus, the live check is the engine's own, and blocked time is asked for.
@Suite struct BookingFormSecondPassTests {
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 2] }

    /// The line of the form the hint is on (the last dim line inside the box).
    private func hint(_ h: Harness) -> String { h.lines.last { $0.contains("Esc cancel") } ?? "" }

    @Test func typingIntoThePrefilledDurationReplacesItAndTheHintFollowsTheField() throws {
        let h = try Harness()
        h.press(.char("l"), .char("l"), .char("l"))      // Anna (30-minute slots), 10:15
        for _ in 0..<7 { h.press(.char("j")) }           // 12:00
        h.press(.enter)
        #expect(hint(h).contains("Type a name · ↑↓ pick"), "\(hint(h))")
        h.type("Ann")
        h.press(.tab)                                     // Duration, "30m" selected
        #expect(hint(h).contains("Type to replace") && !hint(h).contains("↑↓ pick"), "\(hint(h))")
        h.type("45m")
        #expect(h.screen.contains("Anna · Mon 2027-03-01 12:00–12:45") && !h.screen.contains("30m45m"), "\(h.screen)")
        h.press(.tab)                                     // Status
        #expect(hint(h).contains("←→ change status"), "\(hint(h))")
        h.press(.backTab)                                 // Duration again: selected again
        h.press(.backspace)                               // Backspace edits in place: "45"
        #expect(h.screen.contains("12:00–12:45") && hint(h).contains("←→ ⌫ edit"), "\(h.screen)")
        h.type("m")
        h.press(.enter)
        #expect(h.connection.state.booking(ref: "B-006")?.range == TimeRange(start: h.at("2027-03-01T12:00"), end: h.at("2027-03-01T12:45")), "\(message(h))")
    }

    @Test func theLiveCheckCountsOpeningHoursAndBlackouts() throws {
        let h = try Harness()
        h.press(.char("l"), .char("l"), .char("l"))      // Anna, 10:15
        for _ in 0..<25 { h.press(.char("j")) }          // 16:30 (closes at 17:00)
        h.press(.enter)
        #expect(h.screen.contains("Anna · Mon 2027-03-01 16:30–17:00") && h.screen.contains("  free "), "\(h.screen)")
        h.press(.tab); h.type("90")
        #expect(h.screen.contains("Not bookable: Anna is closed for part of Mon 2027-03-01 16:30–18:00"), "\(h.screen)")
        #expect(!h.screen.contains("  free "))

        let b = try Harness()
        let admin = Author(user: "admin", origin: "test", source: .cli)
        try b.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Schedule> in
            var s = st.schedules.values.first!
            s.blackouts.append(Blackout(range: TimeRange(start: b.at("2027-03-01T15:00"), end: b.at("2027-03-01T15:30")), reason: "Fire drill"))
            return try e.updateSchedule(s, in: st, by: admin)
        }
        b.press(.char("l"), .char("l"), .char("l"))
        for _ in 0..<17 { b.press(.char("j")) }          // 14:30
        b.press(.enter)
        #expect(b.screen.contains("Anna · Mon 2027-03-01 14:30–15:00") && b.screen.contains("  free "), "\(b.screen)")
        b.press(.tab); b.type("60")
        #expect(b.screen.contains("Not bookable: Anna is unavailable") && b.screen.contains("Fire drill"), "\(b.screen)")
    }

    @Test func blockedTimeIsBookedOnlyWhenChosenAndWithAReason() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)           // Chair 1, 10:30
        #expect(h.screen.contains("New booking") && !h.screen.contains("› no customer"), "nothing is pre-selected: \(h.screen)")
        h.press(.enter)                                   // Enter, Enter must not book blocked time
        #expect(h.screen.contains("New booking") && h.connection.writes.isEmpty)
        #expect(h.screen.contains("Customer: type a name to find or create one, or ↓ to choose blocked time"), "\(h.screen)")
        h.press(.down)
        #expect(h.screen.contains("› no customer (blocked time)") && h.screen.contains("Reason"), "\(h.screen)")
        h.press(.enter)
        #expect(h.screen.contains("Blocked time needs a reason") && h.connection.writes.isEmpty, "\(h.screen)")
        h.type("Staff meeting")
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"), "\(message(h))")
        #expect(b.customer == nil && b.notes == "Blocked: Staff meeting", "\(message(h))")
    }
}
