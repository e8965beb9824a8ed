import Foundation
import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20 items 10 and 11, second pass: the whole legend at 80 columns, and a first screen
/// where most columns are closed.
@Suite struct SeeingSecondPassTests {
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 2] }
    private func legend(_ h: Harness) -> String { h.lines[h.lines.count - 3] }

    @Test func atEightyColumnsTheLegendShowsEveryEntryWithShortNames() throws {
        let h = try Harness(cols: 80)
        let l = legend(h)
        for e in Legend.entries { #expect(l.contains("\(e.glyph) \(e.short)"), "\(e.name) missing from \(l)") }
        #expect(!l.contains("…"), "\(l)")
        for words in ["✓ done", "✗ cancel", "! no-show", "$ unpaid"] { #expect(l.contains(words), "\(l)") }
        // Full names where there is room.
        let wide = legend(try Harness(cols: 130))
        for e in Legend.entries { #expect(wide.contains("\(e.glyph) \(e.name)"), "\(wide)") }
    }

    /// Adds Van 1 and Car 2, open every day, and shows the first screen again.
    private func withTwoVans(_ h: Harness) throws -> Harness {
        let admin = Author(user: "admin", origin: "test", source: .cli)
        let sid = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Schedule> in
            var fleet = Schedule(id: ScheduleID(""), name: "Fleet hours")
            for d in Weekday.allCases { fleet.weekly[d] = [DailyHours("07:00-21:00")!] }
            return try e.addSchedule(fleet, in: st, by: admin)
        }.id
        for name in ["Van 1", "Car 2"] {
            _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
                try e.addResource(ResourceDraft(name: name, kind: .vehicle, zone: Harness.london, schedule: sid), in: st, by: admin)
            }
        }
        h.app.dataChanged()
        h.app.offerOpenDayIfClosed()
        h.idle()
        return h
    }

    @Test func mostColumnsClosedNamesTheOpenOnesAndOffersTheDayTheOthersOpen() throws {
        let h = try withTwoVans(try Harness(now: "2027-03-07T10:00:00Z"))  // Sunday: the salon (4 columns) is closed
        #expect(message(h).contains("Closed today: 4 of 6 (only Van 1, Car 2 open). Enter: next day the desk opens (Mon 2027-03-08)."),
                "\(message(h))")
        h.press(.enter)
        #expect(h.lines[0].contains("Mon 2027-03-08"), "\(h.lines[0])")
        // At 80 columns the key and the day still fit.
        let n = try withTwoVans(try Harness(now: "2027-03-07T10:00:00Z", cols: 80))
        #expect(message(n).contains("Closed today: 4 of 6 (only Van 1, Car 2 open). Enter: go to Mon 2027-03-08."), "\(message(n))")
        // Half closed or fewer: no message.
        let open = try Harness()
        #expect(open.app.closedDayOffer == nil)
    }
}
