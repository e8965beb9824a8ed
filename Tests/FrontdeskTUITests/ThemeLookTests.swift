import Foundation
import FrontdeskCore
import Testing
@testable import FrontdeskTUI

/// Issue #20 item 9, second pass: in every theme file, at 256 and 8 colours and without colour,
/// the cursor and a slot selection look unlike every status, free time, closed hours, blackouts
/// and buffers (drawn in the closed style), and a booking that has a fill keeps it at 8 colours.
@Suite struct ThemeLookTests {
    /// The roles a cursor or a selection must never be mistaken for; buffers use `.closed`.
    static let others: [(String, StyleRole)] = BookingStatus.allCases.map { ($0.rawValue, StyleRole.status($0)) }
        + [("free", .free), ("closed", .closed), ("blackout", .blackout), ("buffer", .closed)]

    /// Where a style's colour shows: its background, or its foreground when reversed
    /// (-1 the terminal's background, -2 the terminal's foreground).
    static func shownBackground(_ s: ResolvedStyle) -> Int { s.reverse ? (s.fg == -1 ? -2 : s.fg) : s.bg }

    /// True when two shown palette colours read as the same: equal, or (both known) of the same
    /// hue family (within 30°) when both are coloured, or of close lightness when both are grey.
    /// Gold (220) and pale yellow (229) are "the same yellow".
    static func similar(_ a: Int, _ b: Int) -> Bool {
        if a == b { return true }
        if a < 0 || b < 0 { return false }
        let (ha, sa, va) = hsv(ThemeColor.rgbOf256(a)), (hb, sb, vb) = hsv(ThemeColor.rgbOf256(b))
        if sa >= 0.15 && sb >= 0.15 { let d = abs(ha - hb); return min(d, 360 - d) < 30 }
        if sa < 0.15 && sb < 0.15 { return abs(va - vb) < 0.25 }
        return false
    }

    /// Hue in degrees, saturation and value 0…1.
    static func hsv(_ c: (Int, Int, Int)) -> (Double, Double, Double) {
        let r = Double(c.0) / 255, g = Double(c.1) / 255, b = Double(c.2) / 255
        let mx = max(r, g, b), mn = min(r, g, b), d = mx - mn
        var h = 0.0
        if d > 0 {
            if mx == r { h = 60 * ((g - b) / d).truncatingRemainder(dividingBy: 6) }
            else if mx == g { h = 60 * ((b - r) / d + 2) }
            else { h = 60 * ((r - g) / d + 4) }
        }
        if h < 0 { h += 360 }
        return (h, mx == 0 ? 0 : d / mx, mx)
    }

    static func attrs(_ s: ResolvedStyle) -> [Bool] { [s.bold, s.underline, s.reverse, s.dim] }

    static func themeFiles() throws -> [(String, Theme)] {
        let dir = TerminalTests.themes
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map { ($0, try Theme.parse(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0)), file: $0)) }
    }

    @Test func cursorAndSelectionLookUnlikeEveryStatusAndShadingAt256And8ColoursAndMono() throws {
        let files = try Self.themeFiles()
        #expect(files.count >= 5)
        for (file, theme) in files {
            for cap in [ColorCapability.xterm256, .ansi8] {
                let t = theme.resolved(for: cap)
                for mover in [StyleRole.cursor, .selection] {
                    for (name, role) in Self.others {
                        let a = Self.shownBackground(t[mover]), b = Self.shownBackground(t[role])
                        #expect(!Self.similar(a, b), "\(file) at \(cap): \(mover) (\(a)) reads like \(name) (\(b))")
                    }
                }
                let c = t[.cursor], s = t[.selection]
                #expect(!Self.similar(Self.shownBackground(c), Self.shownBackground(s)) || Self.attrs(c) != Self.attrs(s),
                        "\(file) at \(cap): the cursor looks like a selection")
            }
            // No colour at all: the attributes must differ.
            let mono = theme.resolved(for: .none)
            for (name, role) in Self.others {
                #expect(Self.attrs(mono[.cursor]) != Self.attrs(mono[role]), "\(file) without colour: cursor vs \(name)")
                #expect(Self.attrs(mono[.selection]) != Self.attrs(mono[role]), "\(file) without colour: selection vs \(name)")
            }
            #expect(Self.attrs(mono[.cursor]) != Self.attrs(mono[.selection]), "\(file) without colour: cursor vs selection")
        }
    }

    @Test func aFilledBookingKeepsItsFillAndReadableNameAt8Colours() throws {
        for (file, theme) in try Self.themeFiles() {
            let t256 = theme.resolved(for: .xterm256), t8 = theme.resolved(for: .ansi8)
            for status in BookingStatus.allCases {
                let role = StyleRole.status(status)
                if Self.shownBackground(t256[role]) != Self.shownBackground(t256[.free]) {
                    #expect(Self.shownBackground(t8[role]) != Self.shownBackground(t8[.free]),
                            "\(file) at 8 colours: \(status) has the free background \(Self.shownBackground(t8[role]))")
                }
                for t in [t256, t8] where !t[role].reverse && t[role].fg >= 0 {
                    #expect(t[role].fg != t[role].bg, "\(file) at \(t.capability): \(status)'s name is the colour of its fill")
                }
            }
        }
    }

    @Test func eightColourFieldsReplaceTheColoursOnlyOn8ColourTerminals() throws {
        let json = ##"{"name":"t","elements":{"confirmed":{"fg":"#000000","bg":"#afffaf","bg8":"green","fg8":"black"}}}"##
        let theme = try Theme.parse(Data(json.utf8))
        #expect(theme.resolved(for: .ansi8)[.confirmed].bg == 2)
        #expect(theme.resolved(for: .xterm256)[.confirmed].bg == 157)
        let bad = #"{"name":"t","elements":{"free":{"bg8":"nope"}}}"#
        #expect(throws: ThemeError.self) { try Theme.parse(Data(bad.utf8)) }
    }
}
