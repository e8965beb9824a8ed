import Foundation
import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20 "Seeing": what a new receptionist reads on screen without colour, without a
/// manual and on a small or closed-day screen (items 8-14).
@Suite struct SeeingTests {
    private func message(_ h: Harness) -> String { h.lines[h.lines.count - 2] }
    private func legend(_ h: Harness) -> String { h.lines[h.lines.count - 3] }
    private func ch(_ h: Harness, _ row: Int, _ col: Int) -> Character { h.backend.lastGrid!.character(row: row, col: col) }

    // MARK: 8 — a non-colour mark over a booking's whole length

    @Test func everyStatusHasItsOwnMarkOnEveryRowOfItsBlock() throws {
        let h = try Harness(colors: .none)
        let x = DayGridView.timeWidth + DayGridView.columns(width: 130, count: 4).width  // Chair 1
        // B-001 Ann Lee, confirmed, 09:00-10:00: the two label rows and the two rows after.
        for t in ["09:00", "09:15", "09:30", "09:45"] {
            let r = try #require(h.row(t))
            #expect(ch(h, r, x) == StatusMark.of(.confirmed), "\(t): \(h.lines[r])")
        }
        let r10 = try #require(h.row("10:00"))
        #expect(ch(h, r10, x) != StatusMark.of(.confirmed), "the block ends at 10:00")
        // B-002 Bob Stone, tentative, 11:00-11:30.
        for t in ["11:00", "11:15"] { #expect(ch(h, try #require(h.row(t)), x) == StatusMark.of(.tentative)) }
        // The marks differ from each other and from free and shaded cells.
        let marks = BookingStatus.allCases.map(StatusMark.of)
        #expect(Set(marks).count == marks.count)
        #expect(!marks.contains(" ") && !marks.contains("░") && !marks.contains("▒"))
    }

    // MARK: 9 — the cursor unlike every status in every theme

    /// Where a style's colour shows: its background, or its foreground when reversed
    /// (-1 the terminal's background, -2 the terminal's foreground).
    private func shownBackground(_ s: ResolvedStyle) -> Int { s.reverse ? (s.fg == -1 ? -2 : s.fg) : s.bg }

    @Test func theCursorLooksUnlikeEveryStatusInEveryThemeFile() throws {
        let dir = TerminalTests.themes
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 5)
        // Every status, free time, and a focused text field (whose cursor cell is the cursor).
        let others: [StyleRole] = BookingStatus.allCases.map(StyleRole.status) + [.free, .fieldFocus]
        for file in files {
            let theme = try Theme.parse(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)), file: file)
            for cap in [ColorCapability.xterm256, .ansi8] {
                let t = theme.resolved(for: cap)
                for role in others {
                    #expect(shownBackground(t[.cursor]) != shownBackground(t[role]),
                            "\(file) at \(cap): the cursor's colour is \(role)'s")
                }
            }
            // No colour at all: the attributes must differ.
            let mono = theme.resolved(for: .none)
            func attrs(_ s: ResolvedStyle) -> [Bool] { [s.bold, s.underline, s.reverse, s.dim] }
            for role in others + [.selection] { #expect(attrs(mono[.cursor]) != attrs(mono[role]), "\(file) without colour: cursor vs \(role)") }
        }
        // The built-in default mirrors themes/default.json.
        let file = try Theme.load(name: "default", directory: dir)
        #expect(file.style(.cursor) == Theme.builtInDefault.style(.cursor))
    }

    // MARK: 10 — legend and full status names

    @Test func aLegendLineNamesTheShadingsAndEveryStatusMark() throws {
        let h = try Harness()
        let l = legend(h)
        for words in ["░ closed", "▒ blackout", "┃ confirmed", "┆ tentative", "$ pending payment", "✓ completed", "✗ cancelled", "! no-show"] {
            #expect(l.contains(words), "\(l)")
        }
        h.press(.tab)  // week view keeps it
        #expect(legend(h).contains("░ closed"))
        // Narrow: whole entries only, then "…".
        let n = try Harness(cols: 50)
        let short = legend(n)
        #expect(short.hasSuffix("…") && short.contains("▒ blackout"), "\(short)")
        let words = Set(Legend.entries.flatMap { ($0.name + " " + $0.short).split(separator: " ").map(String.init) } + Legend.entries.map { String($0.glyph) } + ["…"])
        for w in short.split(separator: " ") { #expect(words.contains(String(w)), "clipped word \(w) in \(short)") }
    }

    @Test func narrowWeekColumnsShowTheFullStatusNameNotAClippedOne() throws {
        let h = try Harness()
        h.press(.char("l"), .tab)  // Chair 1's week
        let r = try #require(h.row("09:15"))
        #expect(h.lines[r].contains("confirmed"), "\(h.lines[r])")
        #expect(!h.lines[r].contains("confir ") && !h.lines[r].contains("· conf"), "\(h.lines[r])")
    }

    // MARK: 11 — a closed first screen

    @Test func aClosedTodaySaysSoAndEnterGoesToTheNextOpenDay() throws {
        let h = try Harness(now: "2027-03-07T10:00:00Z")  // a Sunday; the demo opens Mon-Sat
        #expect(h.lines[0].contains("Sun 2027-03-07 (today)"))
        #expect(message(h).contains("The desk is closed today (Sun 2027-03-07). Enter goes to the next open day, Mon 2027-03-08."),
                "\(message(h))")
        h.press(.enter)
        #expect(h.lines[0].contains("Mon 2027-03-08"), "\(h.lines[0])")
        #expect(!h.screen.contains("New booking"))
        let r = try #require(h.row("09:00"))
        #expect(h.backend.lastGrid!.role(row: r, col: DayGridView.timeWidth) == .cursor)
        // The offer is one key: any other key drops it, and an open day makes none.
        let o = try Harness(now: "2027-03-07T10:00:00Z")
        o.press(.char("j"), .enter)
        #expect(o.lines[0].contains("Sun 2027-03-07"))
        let open = try Harness()
        #expect(!message(open).contains("closed"))
        #expect(open.app.closedDayOffer == nil)
        // A resource without opening hours (always bookable) does not keep the desk open.
        let v = try Harness(now: "2027-03-07T10:00:00Z")
        let admin = Author(user: "admin", origin: "test", source: .cli)
        _ = try v.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
            try e.addResource(ResourceDraft(name: "Van 1", kind: .equipment, zone: Harness.london), in: st, by: admin)
        }
        v.app.dataChanged()
        v.app.offerOpenDayIfClosed()
        #expect(v.app.closedDayOffer == LocalDate("2027-03-08"))
        #expect(v.app.message?.contains("(resources without opening hours stay bookable)") == true, "\(v.app.message ?? "")")
    }

    // MARK: 12 — search starts empty

    @Test func aNewSearchStartsEmptyWithThePreviousOneOnUp() throws {
        let h = try Harness()
        h.press(.char("/")); h.type("Lee"); h.press(.enter)
        #expect(message(h).contains("Match 1 of 1 for \"Lee\""), "\(message(h))")
        h.press(.char("/"))
        #expect(message(h).contains("Search (Up: \"Lee\"):"), "\(message(h))")
        h.type("Bob"); h.press(.enter)
        #expect(message(h).contains("for \"Bob\": B-002 Bob Stone"), "\(message(h))")
        h.press(.char("/"), .up)
        #expect(message(h).hasSuffix("Bob"), "\(message(h))")
        h.press(.ctrl("u"), .ctrl("p"), .enter)
        #expect(message(h).contains("for \"Bob\""), "\(message(h))")
    }

    // MARK: 13 — too small

    @Test func whileTooSmallOnlyQuitAndRedrawAct() throws {
        let h = try Harness(rows: 10, cols: 40)
        #expect(h.screen.contains("Terminal too small"))
        let before = h.app.cursorSecond
        h.press(.char("j"), .enter, .char("]"), .char("/"))
        h.backend.size = (40, 130)
        h.press(.resize)
        #expect(!h.screen.contains("New booking") && !h.screen.contains("Search"), "\(h.screen)")
        #expect(h.app.cursorSecond == before && h.lines[0].contains("Mon 2027-03-01"))
        h.backend.size = (10, 40)
        h.press(.resize)
        for l in h.lines where !l.isEmpty { #expect(!l.hasSuffix("wa") && l.count <= 40, "\(l)") }
        #expect(h.screen.contains("other keys wait") || h.screen.contains("…"), "\(h.screen)")
        let drawn = h.backend.invalidations
        h.press(.ctrl("l"))
        #expect(h.backend.invalidations == drawn + 1)
        h.press(.char("q"))
        #expect(h.app.finished)
    }

    // MARK: 14 — words, reasons, grammar, key names, dates and offsets

    @Test func helpLinesWrapInsteadOfClippingMidWord() throws {
        let h = try Harness(cols: 50)
        h.press(.char("?"))
        var seen = h.screen
        for _ in 0..<60 { h.press(.char("j")); seen += "\n" + h.screen }
        #expect(seen.contains("(done),") && seen.contains("no-show"), "\(seen)")
    }

    @Test func hintsAreShortenedAtAWordNotInsideOne() throws {
        let h = try Harness(cols: 57)
        h.press(.char("l"), .char("k"), .char("k"), .char("k"), .char("k"), .enter)  // B-001's detail
        #expect(h.screen.contains("Booking B-001"))
        let hint = try #require(h.line("Esc close"))
        #expect(!hint.contains("s st") || hint.contains("s status"), "\(hint)")
        #expect(hint.contains("…"), "\(hint)")
        #expect(Format.fit("Esc close · j/k scroll · c cancel", width: 20) == "Esc close …")
    }

    @Test func bookingIntoABlackoutNamesItsReason() throws {
        let h = try Harness()
        let admin = Author(user: "admin", origin: "test", source: .cli)
        try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Schedule> in
            var s = st.schedules.values.first!
            s.blackouts.append(Blackout(range: TimeRange(start: h.at("2027-03-01T16:00"), end: h.at("2027-03-01T17:00")), reason: "Fire drill"))
            return try e.updateSchedule(s, in: st, by: admin)
        }
        h.press(.char("l"))
        for _ in 0..<23 { h.press(.char("j")) }  // 16:00
        #expect(h.line("16:00")!.contains("▒"))
        h.press(.enter)
        #expect(h.screen.contains("blacked out at 16:00 on Mon 2027-03-01: Fire drill."), "\(h.screen)")
    }

    @Test func unnamedKeysGetARealName() throws {
        let h = try Harness()
        h.press(.named("ctrl-down"))
        #expect(message(h).contains("Ctrl-Down does nothing here"), "\(message(h))")
        h.press(.char("x"))
        #expect(message(h).contains("Key x does nothing here"))
        #expect(TerminfoKey.event(capability: "kDN5") == .named("ctrl-down"))
        #expect(TerminfoKey.event(capability: "kLFT3") == .named("alt-left"))
        #expect(TerminfoKey.event(capability: "KEY_IC") == .named("insert"))
        #expect(TerminfoKey.event(capability: "kXYZ5") == nil)
        #expect(KeyEvent(name: "ctrl-down") == .named("ctrl-down"))
        #expect(KeyEvent.unknown(999).label == "An unnamed key (code 999)")
    }

    @Test func rangesShowTheEndDateAndOffsetsAcrossAClockChange() throws {
        let london = Harness.london
        let long = TimeRange(start: Instant(iso8601: "2027-03-01T10:00:00Z")!, end: Instant(iso8601: "2028-04-04T10:00:00Z")!)
        #expect(Format.range(long, london) == "Mon 2027-03-01 10:00–2028-04-04 11:00")
        // 01:30 BST to 01:00 GMT on the night the clocks go back.
        let dst = TimeRange(start: Instant(iso8601: "2027-10-31T00:30:00Z")!, end: Instant(iso8601: "2027-10-31T01:00:00Z")!)
        #expect(Format.range(dst, london) == "Sun 2027-10-31 01:30 +01:00–01:00 +00:00")
        let plain = TimeRange(start: Instant(iso8601: "2027-03-01T09:00:00Z")!, end: Instant(iso8601: "2027-03-01T09:30:00Z")!)
        #expect(Format.range(plain, london) == "Mon 2027-03-01 09:00–09:30")
    }
}
