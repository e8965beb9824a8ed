import FrontdeskCore
import Testing
@testable import FrontdeskTUI

@Suite struct GridTests {
    @Test func opensOnTheCurrentSlotOfTheFirstResourceToday() throws {
        let h = try Harness()
        #expect(h.lines[0].contains("Day · Mon 2027-03-01 (today) · Europe/London"))
        #expect(h.lines[1].contains("Salon floor") && h.lines[1].contains("Chair 1") && h.lines[1].contains("Anna"))
        let r = try #require(h.row("10:15"))
        #expect(h.lines[r].hasPrefix("10:15▸"), "now-line marks 10:15")
        #expect(h.backend.lastGrid!.role(row: r, col: DayGridView.timeWidth) == .cursor)
        #expect(h.backend.lastGrid!.role(row: r - 1, col: DayGridView.timeWidth) != .cursor)
        #expect(h.line("09:00")!.contains("Ann Lee"))
        #expect(h.line("09:15")!.contains("B-001 · confirmed"))
        #expect(h.lines.last!.contains("carol") && h.lines.last!.contains("live") && h.lines.last!.contains("refreshed 10:20:00"))
    }

    @Test func opensAtOpeningTimeOnAnotherDateAndShadesClosedDays() throws {
        let h = try Harness(date: LocalDate("2027-03-02")!)
        let r = try #require(h.row("09:00"))
        #expect(h.backend.lastGrid!.role(row: r, col: DayGridView.timeWidth) == .cursor)
        #expect(h.lines[0].contains("Tue 2027-03-02") && !h.lines[0].contains("today"))
        // Sunday: every resource closed, so the grid falls back to 08:00-18:00, all shaded.
        h.press(.char("}"), .char("["), .char("["))
        #expect(h.lines[0].contains("Sun 2027-03-07"))
        let layout = h.app.dayLayout()
        #expect(layout.startSecond == 8 * 3600 && layout.rowCount == 40)
        #expect(h.row("08:00") != nil)
        #expect(h.line("12:00")!.contains("░░░░"))
    }

    @Test func movementKeysAndSelection() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"))
        let r = try #require(h.row("10:30"))
        let x = DayGridView.timeWidth + DayGridView.columns(width: 130, count: 4).width
        #expect(h.backend.lastGrid!.role(row: r, col: x) == .cursor)
        h.press(.shiftDown)
        #expect(h.backend.lastGrid!.role(row: r, col: x) == .selection)
        h.press(.enter)
        #expect(h.screen.contains("Chair 1 · Mon 2027-03-01 10:30–11:00"))
        h.press(.escape, .shiftDown)
        h.press(.enter)
        #expect(h.lines[h.lines.count - 2].contains("The selection overlaps B-002"))
    }

    @Test func bookThroughEnterAndTheForm() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)
        #expect(h.screen.contains("New booking"))
        h.type("Bo")
        #expect(h.screen.contains("› Bob Stone  C-002"))
        #expect(h.screen.contains("+ create new customer \"Bo\""))
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        #expect(h.line("10:30")!.contains("Bob Stone"))
        #expect(h.lines[h.lines.count - 2].contains("Booked B-006 for Bob Stone: Chair 1 Mon 2027-03-01 10:30–10:45"))
        #expect(h.connection.writes == ["book"])
        #expect(h.booking("B-006").createdBy.source == .tui)
    }

    @Test func bookANewCustomerWithStatusAndNotes() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)
        h.type("Carla Diaz")
        h.press(.down, .tab, .tab, .tab, .tab, .right, .tab)  // phone, e-mail, duration, status (→ tentative), notes
        h.type("first visit")
        h.press(.enter)
        let b = h.booking("B-006")
        #expect(b.status == .tentative && b.notes == "first visit")
        #expect(h.connection.state.customers[b.customer!]?.name == "Carla Diaz")
        #expect(h.line("10:30")!.contains("Carla Diaz"))
    }

    @Test func conflictWhileTheFormIsOpenKeepsItFilledAndNamesTheHolder() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .enter)
        h.type("Ann")
        h.press(.tab, .tab, .tab)                         // duration, status, notes
        h.type("window seat")
        try h.otherDeskBooks("Chair 1", "2027-03-01T10:30", "2027-03-01T11:00", customer: "Bob Stone", user: "bob")
        h.press(.enter)
        #expect(h.screen.contains("New booking"), "the form stays open")
        #expect(h.screen.contains("Customer  Ann") && h.screen.contains("window seat"))
        let msg = h.lines[h.lines.count - 2]
        #expect(msg.contains("Slot taken") && msg.contains("Bob Stone") && msg.contains("held by bob") && msg.contains("10:30–11:00"))
        h.press(.escape)
        #expect(h.line("10:30")!.contains("Bob Stone"), "the grid shows the other desk's booking")
    }

    @Test func liveRefreshShowsOtherDesksChangesWithoutAKeypress() throws {
        let h = try Harness()
        #expect(!h.line("15:00")!.contains("Ann Lee"))
        try h.otherDeskBooks("Anna", "2027-03-01T15:00", "2027-03-01T16:00", customer: "Ann Lee")
        h.idle()
        #expect(h.line("15:00")!.contains("Ann Lee"))
    }

    @Test func moveWithArrowsAndEnterThenUndoMovesBack() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1, 11:00: B-002 Bob Stone
        h.press(.char("m"))
        #expect(h.lines[0].contains("MOVING"))
        for _ in 0..<4 { h.press(.char("j")) }  // 12:00
        h.press(.char("l"))                      // Chair 2
        #expect(h.line("12:00")!.contains("→ Bob Stone"))
        h.press(.enter)
        // B-002 starts inside the 24 h cancellation notice: moving it is late (issue #20 item 7).
        #expect(h.screen.contains("Late move: manager override reason") && h.booking("B-002").start == h.at("2027-03-01T11:00"))
        h.type("manager: client asked")
        h.press(.enter)
        #expect(h.booking("B-002").start == h.at("2027-03-01T12:00"))
        #expect(h.booking("B-002").lateReschedule && h.booking("B-002").overrideReason == "manager: client asked")
        #expect(h.lines[h.lines.count - 2].contains("Moved B-002 to Chair 2 Mon 2027-03-01 12:00–12:30 (late, override recorded)."))
        #expect(h.line("12:00")!.contains("Bob Stone") && !h.line("11:00")!.contains("Bob Stone"))
        h.press(.char("u"))
        #expect(h.booking("B-002").start == h.at("2027-03-01T11:00"))
        #expect(h.booking("B-002").version == 3, "undo is a new change")
        #expect(h.lines[h.lines.count - 2].contains("Undone: moved B-002 back"))
        #expect(h.booking("B-001").start == h.at("2027-03-01T09:00"), "other bookings untouched")
    }

    @Test func statusChangeAndItsUndo() throws {
        let h = try Harness()
        h.press(.char("l"), .char("j"), .char("j"), .char("j"))  // Chair 1 11:00, B-002 tentative
        h.press(.char("s"))
        #expect(h.screen.contains("Status of B-002") && h.screen.contains("c   confirmed"))
        h.press(.char("c"))
        #expect(h.booking("B-002").status == .confirmed)
        #expect(h.line("11:15")!.contains("B-002 · confirmed"))
        h.press(.char("u"))
        #expect(h.booking("B-002").status == .tentative)
    }

    @Test func undoOfABookingCancelsIt() throws {
        let h = try Harness(now: "2027-02-20T10:00:00Z", date: LocalDate("2027-03-01")!)
        h.press(.char("l"), .char("l"), .char("l"), .enter)  // Anna 09:00
        h.type("Zo")
        h.press(.enter)
        let made = h.booking("B-006")
        #expect(made.status == .confirmed)
        h.press(.char("u"))
        #expect(h.booking("B-006").status == .cancelled)
        #expect(h.lines[h.lines.count - 2].contains("Undone: cancelled 1 booking"))
        h.press(.char("u"))
        #expect(h.lines[h.lines.count - 2].contains("Nothing to undo"))
    }

    @Test func resizeDownToTooSmallAndBackNeverCrashes() throws {
        let h = try Harness()
        for (r, c) in [(8, 40), (1, 1), (0, 0), (11, 200), (12, 50), (40, 130)] {
            h.backend.size = (r, c)
            h.press(.resize)
            #expect(h.app.size == (r, c))
            if r < TUIApp.minRows || c < TUIApp.minCols {
                if r >= 4 { #expect(h.screen.contains("Terminal too small")) }
            } else {
                #expect(h.lines[0].contains("Frontdesk"))
                #expect(h.lines.allSatisfy { DisplayWidth.of($0) <= c })
            }
        }
        #expect(h.line("09:00")!.contains("Ann Lee"))
    }

    @Test func narrowTerminalScrollsResourcesSideways() throws {
        let h = try Harness(rows: 30, cols: 50)
        #expect(h.lines[1].contains("Salon flo") && !h.lines[1].contains("Anna") && h.lines[1].hasSuffix("▶"))
        h.press(.char("l"), .char("l"), .char("l"))
        #expect(h.lines[1].contains("Anna") && !h.lines[1].contains("Salon") && h.lines[1].hasPrefix("◀"))
    }

    @Test func weekViewShowsOneResourceOverSevenDays() throws {
        let h = try Harness()
        h.press(.char("l"), .tab)
        #expect(h.lines[0].contains("Week") && h.lines[0].contains("Chair 1"))
        for d in ["Mon 1", "Tue 2", "Wed 3", "Thu 4", "Fri 5", "Sat 6", "Sun 7"] { #expect(h.lines[1].contains(d)) }
        #expect(h.line("09:00")!.contains("Ann Lee"))
        #expect(h.line("12:00")!.hasSuffix("░░░░│"), "Sunday is closed")
        h.press(.char("l"))
        #expect(h.lines[0].contains("Tue 2027-03-02"))
    }

    @Test func resourceFilterByKindAndParent() throws {
        let h = try Harness()
        h.press(.char("f"))  // first kind in reference order: room (Salon floor)
        #expect(h.lines[1].contains("Salon floor") && !h.lines[1].contains("Chair 1"))
        h.press(.char("f"), .char("f"), .char("f"))  // equipment, staff, then children of Salon floor
        #expect(h.lines[1].contains("Chair 1") && h.lines[1].contains("Chair 2") && !h.lines[1].contains("Anna"))
    }
}

@Suite struct HierarchyShadingTests {
    @Test func aParentColumnShowsTimeTakenByItsChildrenAndRefusesIt() throws {
        let h = try Harness()
        // B-001 is on Chair 1 09:00-10:00; Chair 1 sits inside "Salon floor" (the first column).
        let nine = try #require(h.line("09:00"))
        #expect(nine.contains("↳ Chair 1"), "\(nine)")
        #expect(try #require(h.line("09:15")).contains("╎"))
        #expect(!(try #require(h.line("10:15")).contains("↳")))
        // Chair 2's 10:00-11:00 booking shows on the floor too.
        #expect(try #require(h.line("10:00")).contains("↳ Chair 2"))
        // Enter on such a cell explains instead of opening a form that would be refused.
        for _ in 0..<20 { h.press(.char("k")) }          // up to the first row (09:00)
        h.press(.enter)
        #expect(!h.screen.contains("New booking"))
        #expect(h.screen.contains("Salon floor is taken by B-001 on Chair 1."), "\(h.screen)")
    }
}

@Suite struct LoadingTests {
    /// Ten more rooms than fit: opening the day reads only the columns on screen (with their
    /// related resources); moving right reads each new column before it is drawn.
    @Test func theDayGridLoadsOnlyTheColumnsItCanShow() throws {
        let h = try Harness(rows: 30, cols: 60)
        let admin = Author(user: "setup", source: .cli)
        for i in 1...10 {
            _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
                try e.addResource(ResourceDraft(name: "Room \(i)", kind: .room, zone: Harness.london), in: s, by: admin)
            }
        }
        h.idle()
        let rs = h.app.resources
        #expect(rs.count == 14)
        let loaded = { Set(h.connection.loads.compactMap { $0 }.flatMap { $0 }) }
        let (_, visible) = DayGridView.columns(width: 60, count: 14)
        #expect(visible == 4)
        let firstWindow = Set(rs.prefix(visible).map(\.id))
        #expect(firstWindow.isSubset(of: loaded()))
        #expect(!loaded().contains(rs[6].id) && !loaded().contains(rs[13].id), "columns off screen are not read")
        for _ in 0..<6 { h.press(.char("l")) }
        #expect(loaded().contains(rs[6].id), "a column is read before it is drawn")
        #expect(h.lines[1].contains(rs[6].name))
        #expect(!loaded().contains(rs[13].id))
        // A search by customer is the storage's, across every resource: no column is read for it.
        h.press(.char("/")); h.type("Lee"); h.press(.enter)
        #expect(h.lines[h.lines.count - 2].contains("Ann Lee"), "found: \(h.lines[h.lines.count - 2])")
        #expect(!loaded().contains(rs[13].id))
        // A resource's name is not in the storage's index: such a search reads every resource's day.
        h.press(.char("/")); h.type(rs[13].name); h.press(.enter)
        #expect(loaded().contains(rs[13].id))
        // The agenda needs every resource over its period.
        h.press(.tab, .tab)
        #expect(h.app.view == .agenda && h.lines[0].contains("Agenda"))
        #expect(Set(rs.map(\.id)).isSubset(of: loaded()))
    }
}
