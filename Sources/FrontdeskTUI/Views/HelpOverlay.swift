/// The help screen, generated from the active key map (so remapped keys show as they are).
struct HelpOverlay {
    let keys: KeyMap
    let scroll: Int
    /// Actions the account's role cannot take: left out.
    var hidden: Set<Action> = []

    /// Every line: one per action with its keys, then the keys of forms and dialogs.
    static func lines(_ keys: KeyMap, hidden: Set<Action> = []) -> [String] {
        var out: [String] = []
        for a in Action.allCases where !hidden.contains(a) {
            let names = keys.keyNames(a)
            let shown = names.isEmpty ? "(unbound)" : names.joined(separator: " ")
            out.append(pad(shown, 18) + a.summary)
        }
        out += [
            "",
            "In forms and dialogs (fixed):",
            pad("enter", 18) + "save / continue",
            pad("esc  ctrl-c", 18) + "cancel the form or dialog",
            pad("tab  shift-tab", 18) + "next / previous field",
            pad("y  n", 18) + "confirm / refuse",
            pad("1  5  9", 18) + "repeating bookings: this / following / all",
            pad("c t d x", 18) + "status: confirmed, tentative, completed (done), no-show",
            pad("left  right", 18) + "booking form: another free resource for a service; payment: method, payment or refund",
            "",
            "In the grid (also the line under it):",
        ]
        out += Legend.helpLines.map { "  " + $0 }
        return out
    }

    /// Every line wrapped to `width` columns at spaces (continuations under the description),
    /// so nothing is cut mid-word.
    static func lines(_ keys: KeyMap, width: Int, hidden: Set<Action> = []) -> [String] {
        lines(keys, hidden: hidden).flatMap { Format.wrap($0, width: width, indent: 18) }
    }

    /// The box's inner width on a screen `cols` wide.
    static func innerWidth(cols: Int) -> Int { max(0, min(cols - 2, 76) - 4) }

    private static func pad(_ s: String, _ w: Int) -> String {
        s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count)
    }

    func draw(into grid: inout CellGrid) {
        let all = Self.lines(keys, width: Self.innerWidth(cols: grid.cols), hidden: hidden)
        let box = Box.centred(in: grid, height: min(grid.rows - 2, all.count + 3), width: min(grid.cols - 2, 76))
        box.draw(into: &grid, title: "Keys — Esc closes")
        for i in 0..<max(0, box.capacity - 1) {
            let k = scroll + i
            guard k < all.count else { break }
            box.line(i, all[k], into: &grid)
        }
        box.line(box.capacity - 1, "j/k scroll · keys file: docs/KEYS.md", into: &grid, role: .dim)
    }
}
