import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// The TUI cannot reach days outside the supported range, and the booking form's refusals of
/// times outside it are shown in the status line with nothing written.
@Suite struct SupportedRangeTUITests {
    /// The status message: its line, after the line above it, which a message too long for
    /// one line takes too in the grid.
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 3] + " " + h.lines[h.lines.count - 2] }

    @Test func goToDateRefusesDaysOutsideTheRange() throws {
        let h = try Harness()
        for text in ["2200-01-01", "1969-12-31", "9999-12-31", "+99999999999", "-999999"] {
            h.press(.char("g")); h.type(text); h.press(.enter)
            #expect(h.screen.contains("outside the supported range"), "\(text): \(h.screen)")
            #expect(h.lines[0].contains("2027-03-01"), "\(text) moved the view")
            h.press(.escape)
        }
        h.press(.char("g")); h.type("2199-12-31"); h.press(.enter)
        #expect(h.lines[0].contains("2199-12-31"), "\(h.lines[0])")
    }

    @Test func dayAndWeekKeysStopAtTheEdges() throws {
        let h = try Harness(date: LocalDate("2199-12-31")!)
        #expect(h.lines[0].contains("2199-12-31"))
        h.press(.char("]"))
        #expect(h.lines[0].contains("2199-12-31"))
        #expect(message(h).contains("outside the supported range"), "\(message(h))")
        h.press(.char("}"))
        #expect(h.lines[0].contains("2199-12-31"))
        h.press(.char("["))
        #expect(h.lines[0].contains("2199-12-30"))

        let early = try Harness(date: LocalDate("1970-01-01")!)
        early.press(.char("{"))
        #expect(early.lines[0].contains("1970-01-01"))
        #expect(message(early).contains("outside the supported range"), "\(message(early))")
    }

    @Test func theFormRefusesASeriesCrossingTheRangeInTheStatusLine() throws {
        let h = try Harness(date: LocalDate("2199-12-30")!)
        h.press(.char("l"), .char("j"), .enter)          // Chair 1, 10:30
        #expect(h.screen.contains("New booking"), "\(h.screen)")
        h.type("Ann")
        h.press(.tab, .tab, .tab, .tab)                   // duration, status, notes, repeat
        h.type("FREQ=DAILY;COUNT=5")
        h.press(.enter)
        #expect(h.screen.contains("New booking"), "the form stays open")
        #expect(message(h).contains("outside the supported range"), "\(message(h))")
        #expect(h.connection.writes.isEmpty)
        h.press(.ctrl("u")); h.type("FREQ=DAILY;UNTIL=22000105")
        h.press(.enter)
        #expect(h.screen.contains("New booking"))
        #expect(h.screen.contains("outside the supported range"), "\(h.screen)")
        #expect(h.connection.writes.isEmpty)
    }

    @Test func theFormRefusesInvisibleAndStackedTextInTheStatusLine() throws {
        let h = try Harness()
        let customersBefore = h.connection.state.customers.count
        h.press(.char("l"), .char("j"), .enter)          // Chair 1, 10:30
        h.type("Carla\u{202E}Diaz")
        h.press(.enter)
        #expect(h.screen.contains("New booking"), "the form stays open")
        #expect(message(h).lowercased().contains("customer") && message(h).contains("U+202E"), "\(message(h))")
        h.press(.ctrl("u")); h.type("C" + String(repeating: "\u{301}", count: 12) + "arla")
        h.press(.enter)
        #expect(message(h).contains("combining marks"), "\(message(h))")
        #expect(h.connection.writes.isEmpty && h.connection.state.customers.count == customersBefore)
    }
}
