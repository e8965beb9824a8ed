import Foundation
import FrontdeskCore
import Testing
@testable import FrontdeskTUI

@Suite struct TerminalTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func displayWidthOfCommonRanges() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("李小龍") == 6)
        #expect(DisplayWidth.of("☕") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of(Character("\u{301}")) == 0)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("Zoë") == 3)
    }

    @Test func sanitiserMakesHostileTextVisibleAndHarmless() {
        #expect(TextSanitizer.clean("Eve\u{1B}[31mRED") == "Eve␛[31mRED")
        #expect(TextSanitizer.clean("a\u{202E}b\u{2066}c") == "a�b�c")
        #expect(TextSanitizer.clean("bell\u{07}\u{7F}\u{9B}") == "bell␇␡�")
        #expect(TextSanitizer.clean("two\nlines\ttab") == "two↵lines tab")
        #expect(TextSanitizer.clean("\u{301}x") == "◌\u{301}x")
        #expect(TextSanitizer.clean("Zoë ☕ 李") == "Zoë ☕ 李")
    }

    @Test func hostileNamesOnScreenCarryNoControlCharacters() throws {
        let h = try Harness()
        #expect(h.line("14:00")!.contains("Eve␛[31mRED�lin"))
        let g = h.backend.lastGrid!
        for cell in g.cells {
            for s in g.character(of: cell).unicodeScalars {
                #expect(s.value >= 0x20 && s.value != 0x7F && !(0x80..<0xA0).contains(s.value) && !(0x202A...0x202E).contains(s.value))
            }
        }
    }

    @Test func wideCharactersAreClippedAtColumnEdges() {
        var g = CellGrid(rows: 1, cols: 10)
        g.put("||||||||||", row: 0, col: 0, role: .grid)
        let used = g.put("李小龍", row: 0, col: 1, maxWidth: 5, role: .grid)
        #expect(used == 5)
        #expect(g.text(row: 0) == "|李小 ||||")
        // Overwriting half of a wide character blanks the other half.
        g.put("x", row: 0, col: 2, role: .grid)
        #expect(g.text(row: 0) == "| x小 ||||")
        // The grid edge clips too.
        g.put("ab☕", row: 0, col: 7, role: .grid)
        #expect(g.text(row: 0) == "| x小 |ab")
    }

    @Test func graphemesOfSeveralScalarsKeepTheirCellsAndAFrameResetClearsThem() {
        var g = CellGrid(rows: 2, cols: 12)
        g.put("Zoe\u{301} 👩\u{200D}👩\u{200D}👧 x", row: 0, col: 0, role: .grid)
        #expect(g.text(row: 0) == "Zoe\u{301} 👩\u{200D}👩\u{200D}👧 x")
        #expect(g.character(row: 0, col: 2).unicodeScalars.count == 2, "e + combining acute share one cell")
        #expect(g[0, 4].width == 2 && g[0, 5].width == 0 && g.character(row: 0, col: 7) == "x")
        var scalars: [UInt32] = []
        g.forEachScalar(of: g[0, 4]) { scalars.append($0) }
        #expect(scalars == [0x1F469, 0x200D, 0x1F469, 0x200D, 0x1F467])
        g.put("李x", row: 1, col: 0, role: .grid)
        #expect(g.text(row: 1) == "李x" && g[1, 0].width == 2)
        g.reset(rows: 2, cols: 12)
        #expect(g.text(row: 0) == "" && g.text(row: 1) == "" && g[0, 4].width == 1)
    }

    @Test func longWideNamesStayInsideTheirColumn() throws {
        let h = try Harness(rows: 30, cols: 60)
        let s = h.connection.state
        let c = s.customers.values.first { $0.name == "李小龍" }!
        var long = c; long.name = String(repeating: "龍", count: 40)
        _ = try h.connection.external { (st: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Customer> in
            try e.updateCustomer(long, in: st, by: Author(user: "bob", source: .cli))
        }
        h.press(.char("l"), .char("l"))
        let line = try #require(h.line("10:00"))
        #expect(line.contains("龍龍龍"))
        // The column border after Chair 2 is still in place.
        let (cw, _) = DayGridView.columns(width: 60, count: 4)
        let g = h.backend.lastGrid!
        let r = try #require(h.row("10:00"))
        let borders = (0..<60).filter { g.character(row: r, col: $0) == "│" && g[r, $0].width == 1 }
        #expect(borders.contains(DayGridView.timeWidth + 2 * cw - 1) || borders.count >= 2)
        #expect(DisplayWidth.of(line) <= 60)
    }

    @Test func allFiveThemeFilesParseAndDefineEveryElement() throws {
        for name in ["default", "light", "dark", "high-contrast", "mono"] {
            let t = try Theme.load(name: name, directory: Self.themes)
            #expect(t.name == name)
            #expect(Set(t.styles.keys) == Set(StyleRole.allCases), "\(name) defines every element")
            for cap in [ColorCapability.none, .ansi8, .xterm256] {
                let r = t.resolved(for: cap)
                #expect(r.styles.allSatisfy { (-1...255).contains($0.fg) && (-1...255).contains($0.bg) })
                if cap == .ansi8 { #expect(r.styles.allSatisfy { $0.fg < 8 && $0.bg < 8 }) }
                if cap == .none { #expect(r.styles.allSatisfy { $0.fg == -1 && $0.bg == -1 }) }
            }
        }
        #expect(throws: ThemeError.self) { try Theme.load(name: "neon", directory: Self.themes) }
        #expect(throws: ThemeError.self) { try Theme.parse(Data(##"{"name":"x","elements":{"cursor":{"fg":"#12"}}}"##.utf8)) }
        #expect(throws: ThemeError.self) { try Theme.parse(Data(#"{"name":"x","elements":{"sparkles":{}}}"#.utf8)) }
    }

    @Test func coloursReduceToTheNearestTheTerminalHas() {
        #expect(ThemeColor("#ff0000")!.reduced(to: .xterm256) == 196)
        #expect(ThemeColor("#ff0000")!.reduced(to: .ansi8) == 1)
        #expect(ThemeColor("#ffd700")!.reduced(to: .xterm256) == 220)
        #expect(ThemeColor("#ffd700")!.reduced(to: .ansi8) == 3)
        #expect(ThemeColor("#808080")!.reduced(to: .xterm256) == 244)
        #expect(ThemeColor("208")!.reduced(to: .ansi8) == 3)      // orange → yellow
        #expect(ThemeColor("bright-blue")!.reduced(to: .xterm256) == 12)
        #expect(ThemeColor("bright-blue")!.reduced(to: .ansi8) == 4)
        #expect(ThemeColor("default")!.reduced(to: .xterm256) == -1)
        #expect(ThemeColor("blue")!.reduced(to: .none) == -1)
        #expect(ThemeColor("chartreuse") == nil && ThemeColor("256") == nil)
    }

    @Test func noColorSelectsMono() throws {
        let t = try Theme.select(name: "dark", directory: Self.themes, environment: ["NO_COLOR": "1"])
        #expect(t.name == "mono")
        let dark = try Theme.select(name: "dark", directory: Self.themes, environment: ["NO_COLOR": ""])
        #expect(dark.name == "dark")
        let r = t.resolved(for: .xterm256)
        #expect(r[.cursor].reverse && r[.cursor].fg == -1)
    }

    @Test func keyNamesRoundTrip() {
        for k: KeyEvent in [.char("k"), .char("K"), .char(" "), .ctrl("l"), .shiftUp, .enter, .escape, .backTab, .function(1), .pageDown, .char("[")] {
            #expect(KeyEvent(name: k.name) == k, "\(k.name)")
        }
        #expect(KeyEvent(name: "Shift-Up") == .shiftUp)
        #expect(KeyEvent(name: "ctrl-1") == nil && KeyEvent(name: "hyper-x") == nil)
    }

    @Test func aKeyRemappedToAnotherActionLeavesItsOldAction() {
        var m = KeyMap()
        m.bind(.today, to: [.char("c")])
        #expect(m.action(for: .char("c")) == .today)
        #expect(m.keyNames(.cancelBooking).isEmpty)
        #expect(m.hint(.cancelBooking) == "unbound")
    }

    @Test func colourlessTerminalsGetAttributesOnly() throws {
        let h = try Harness(colors: .none)
        let r = h.runner.styles
        #expect(r.capability == .none && r[.cursor].reverse && r[.header].fg == -1)
    }
}
