import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// `H` shows the history of the booking under the cursor, else of the resource of the cursor's
/// column (with its schedule and blackouts), drawn safely, with a fixed clock.
@Suite struct HistoryKeyTests {
    @Test func bookingHistoryUnderTheCursor() throws {
        let h = try Harness()
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.char("H"))
        let s = h.screen
        #expect(s.contains("History of B-001"), "\(s)")
        #expect(s.contains("alice @ 10.0.0.7 via cli  booking created"))
        #expect(s.contains("Esc close"))
        h.press(.escape)
        #expect(!h.screen.contains("History of B-001"))
        // From the open detail too.
        h.press(.enter, .char("H"))
        #expect(h.screen.contains("History of B-001"))
    }

    @Test func resourceHistoryWithItsScheduleAndBlackouts() throws {
        let h = try Harness()
        h.press(.char("l"))
        h.app.cursorSecond = 16 * 3600 + 30 * 60
        h.idle()
        let r = try #require(h.app.cursorResource)
        #expect(r.name == "Chair 1")
        let other = Author(user: "bob", origin: "10.0.0.9", source: .cli)
        try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
            var edited = s.resources[r.id]!
            edited.policy.bufferAfter = .minutes(10)
            return try e.updateResource(edited, in: s, by: other)
        }
        let sid = try #require(r.schedule)
        try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Schedule> in
            var sc = s.schedules[sid]!
            sc.blackouts.append(Blackout(range: TimeRange(start: h.at("2027-03-05T09:00"), end: h.at("2027-03-05T12:00")), reason: "Repair"))
            return try e.updateSchedule(sc, in: s, by: other)
        }
        h.idle()
        h.press(.char("H"))
        let s = h.screen
        #expect(s.contains("History of Chair 1 (R-002)"), "\(s)")
        #expect(s.contains("v2  2027-03-01 10:20  bob @ 10.0.0.9 via cli  resource updated"), "\(s)")
        #expect(s.contains("buffer after none → 10m"))
        #expect(s.contains("blackout blackout added"))
        #expect(s.contains("reason: Repair"))
        h.press(.char("j"), .char("k"), .escape)
        #expect(!h.screen.contains("History of Chair 1"))
    }

    /// Text from older files may hold what the core refuses today: drawn, never obeyed.
    @Test func hostileTextIsDrawnSafely() throws {
        let entry = AuditEntry(at: Instant(iso8601: "2027-03-01T10:00:00Z")!, actor: Author(user: "x\u{1B}[2J", source: .cli), entity: .customer,
                               id: "cus_evil", ref: "C-0EV", version: 2, action: "updated", changes: ["name \"Eve\u{202E}lin\""], reason: "r\u{7}")
        var grid = CellGrid(rows: 12, cols: 100)
        HistoryView(state: HistoryView.State(title: "History of C-0EV", lines: HistoryView.lines([entry], zone: .utc))).draw(into: &grid)
        let text = (0..<12).map { grid.text(row: $0) }.joined(separator: "\n")
        #expect(text.contains("customer updated") && text.contains("Eve"))
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
    }

    @Test func helpListsTheKey() throws {
        let h = try Harness()
        h.press(.char("?"))
        #expect(h.screen.contains("H                 history of the booking, else the resource"))
    }
}
