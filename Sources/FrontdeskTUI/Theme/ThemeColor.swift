import FrontdeskCore

/// A colour as written in a theme: a name, a 256-colour index or `#rrggbb`, reduced to the
/// nearest colour the terminal has.
enum ThemeColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// An xterm palette index 0-255 (names map to 0-15).
    case index(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses `default`, `red`, `bright-red`, `"208"` / 208, `#ff8800`; nil for anything else.
    init?(_ text: String) {
        let t = text.lowercased().trimming(.whitespaces)
        if t == "default" || t == "none" { self = .terminalDefault; return }
        if let i = ThemeColor.names.firstIndex(of: t) { self = .index(i); return }
        if t.hasPrefix("bright-"), let i = ThemeColor.names.firstIndex(of: String(t.dropFirst(7))) { self = .index(i + 8); return }
        if t == "gray" || t == "grey" { self = .index(8); return }
        if let n = Int(t), (0...255).contains(n) { self = .index(n); return }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)); return
        }
        return nil
    }

    /// The palette index to use on a terminal with `capability`, or -1 for the terminal's
    /// default colour (always on colourless terminals).
    func reduced(to capability: ColorCapability) -> Int {
        switch (self, capability) {
        case (_, .none), (.terminalDefault, _): return -1
        case (.index(let i), .xterm256): return i
        case (.rgb(let r, let g, let b), .xterm256): return ThemeColor.nearest256(r, g, b)
        case (.index(let i), .ansi8):
            if i < 16 { return i % 8 }
            let (r, g, b) = ThemeColor.rgbOf256(i)
            return ThemeColor.nearest8(r, g, b)
        case (.rgb(let r, let g, let b), .ansi8): return ThemeColor.nearest8(r, g, b)
        }
    }

    /// The xterm palette's RGB for an index.
    static func rgbOf256(_ i: Int) -> (Int, Int, Int) {
        if i < 16 { return ansi16[i] }
        if i < 232 {
            let n = i - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[n / 36], steps[n / 6 % 6], steps[n % 6])
        }
        let v = 8 + (i - 232) * 10
        return (v, v, v)
    }

    /// Nearest index in the 6×6×6 cube or the grey ramp (16-255), like most terminals do.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        var best = 16, bestD = Int.max
        for i in 16...255 {
            let d = distance(rgbOf256(i), (Int(r), Int(g), Int(b)))
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    /// Nearest of the eight ANSI colours (xterm's RGB values).
    static func nearest8(_ r: Int, _ g: Int, _ b: Int) -> Int {
        var best = 0, bestD = Int.max
        for i in 0..<8 {
            let d = distance(ansi16[i], (r, g, b))
            if d < bestD { bestD = d; best = i }
        }
        return best
    }

    static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int { nearest8(Int(r), Int(g), Int(b)) }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return dr * dr * 3 + dg * dg * 4 + db * db * 2
    }

    /// xterm's default 16 colours.
    static let ansi16: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
}
