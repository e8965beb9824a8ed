import Testing
import FrontdeskCore
@testable import FrontdeskTUI

/// The Reports view at the desk (fixed clock, `SalonFixture`: Mon–Sat 09:00–17:00, 48 h open a
/// week per resource; Chair 1 booked 1 h 30 min, Chair 2 2 h, Anna 1 h, Salon floor none, all on
/// Mon 2027-03-01): `R` opens the week's utilisation with bars and a heatmap, `l`/`h` switch
/// reports, `}` moves a week, takings are left out for a role that may not read them.
@Suite struct ReportsViewTests {
    @Test func rOpensTheWeeksUtilisationPerResourceWithAHeatmap() throws {
        let h = try Harness()
        h.press(.char("R"))
        #expect(h.lines[0].contains("[Reports]") && h.lines[0].contains("week of 2027-03-01"), "\(h.screen)")
        #expect(h.screen.contains("Reports: [Utilisation] No-shows Cancellations Takings Services · h/l report · { } week"), "\(h.screen)")
        #expect(h.screen.contains("Utilisation · Mon 2027-03-01 to Sun 2027-03-07"), "\(h.screen)")
        func bar(_ name: String) -> String? { h.lines.first { $0.hasPrefix(" " + name + " ") && $0.contains("%") } }
        #expect(bar("Chair 1")?.hasSuffix("3.1%") == true && bar("Chair 1")?.contains("█") == true, "\(h.screen)")
        #expect(bar("Chair 2")?.hasSuffix("4.2%") == true, "\(h.screen)")
        #expect(bar("Anna")?.hasSuffix("2.1%") == true, "\(h.screen)")
        #expect(bar("Salon floor")?.hasSuffix("0.0%") == true, "\(h.screen)")
        #expect(h.screen.contains("All resources: 2.3% (4h30m booked of 192h open)"), "\(h.screen)")
        // Heatmap: Chair 1 on Monday 09:00 (booked) █, 10:00 free, 11:00 half ▒; Sunday closed.
        let heat = try #require(h.lines.last { $0.hasPrefix(" Chair 1") && $0.contains("·") }, "\(h.screen)")
        #expect(heat.hasPrefix(" Chair 1     █ ▒      "), "\(heat)")
        #expect(heat.hasSuffix("········"), "Sunday closed: \(heat)")
        #expect(h.screen.contains("Legend: · closed  [ ] 0%  ░ to 25%  ▒ to 50%  ▓ to 75%  █ over 75%"))
        #expect(h.screen.contains("Each day 09:00–17:00, one column per hour"))
    }

    @Test func lAndHSwitchReportsAndBracesMoveTheWeek() throws {
        let h = try Harness()
        h.press(.char("R"), .char("l"))
        #expect(h.screen.contains("[No-shows]") && h.screen.contains("No-shows · Mon 2027-03-01"), "\(h.screen)")
        #expect(h.screen.contains("Week: 0 no-shows of 5 bookings (0.0%)"), "\(h.screen)")
        h.press(.char("l"))
        #expect(h.screen.contains("[Cancellations]") && h.screen.contains("Week: 0 cancelled of 5"), "\(h.screen)")
        h.press(.char("l"), .char("l"))
        #expect(h.screen.contains("[Services]") && h.screen.contains("(no service)"), "\(h.screen)")
        h.press(.char("l"))
        #expect(h.screen.contains("[Utilisation]"))
        h.press(.char("h"))
        #expect(h.screen.contains("[Services]"))
        h.press(.char("h"), .char("h"), .char("h"), .char("h"))
        h.press(.char("}"))
        #expect(h.screen.contains("Utilisation · Mon 2027-03-08 to Sun 2027-03-14"), "\(h.screen)")
        #expect(h.screen.contains("All resources: 0.0%"), "\(h.screen)")
        h.press(.char("{"), .char("{"))
        #expect(h.screen.contains("Mon 2027-02-22 to Sun 2027-02-28"), "\(h.screen)")
    }

    @Test func tabReachesReportsAfterTheWaitlist() throws {
        let h = try Harness()
        h.press(.char("w"), .tab)
        #expect(h.lines[0].contains("[Reports]") && h.screen.contains("[Utilisation]"), "\(h.screen)")
        h.press(.tab)
        #expect(h.lines[0].contains("[Day]"))
    }

    @Test func aViewerSeesNoTakingsOrServicesMoney() throws {
        let h = try Harness(access: RolesTUITests.viewer())
        h.press(.char("R"))
        #expect(h.screen.contains("Reports: [Utilisation] No-shows Cancellations ·"), "\(h.screen)")
        #expect(!h.screen.contains("Takings") && !h.screen.contains("Services"))
        h.press(.char("l"), .char("l"), .char("l"))
        #expect(h.screen.contains("[Utilisation]"), "three steps come back round: \(h.screen)")
        let manager = try Harness(access: Access(user: "carol", role: .manager, admins: ["root"]))
        manager.press(.char("R"))
        #expect(manager.screen.contains("Takings") && manager.screen.contains("Services"))
    }

    @Test func itFitsEightyColumnsAndReadsInMono() throws {
        let h = try Harness(rows: 30, cols: 80, colors: .none)
        h.press(.char("R"))
        for l in h.lines { #expect(DisplayWidth.of(l) <= 80) }
        #expect(h.screen.contains("4.2%") && h.screen.contains("█"), "\(h.screen)")
        #expect(h.screen.contains("Legend: · closed"), "\(h.screen)")
        #expect(h.screen.contains("one column per"), "\(h.screen)")
        // The key hints are not cut: after the tabs where they fit, else after the period.
        #expect(h.screen.contains("h/l report · { } week"), "\(h.screen)")
        #expect(h.lines[1].hasSuffix("Services") || h.lines[1].contains("{ } week"), "\(h.lines[1])")

    }
}
