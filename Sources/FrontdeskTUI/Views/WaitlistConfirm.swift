import FrontdeskCore

/// Asks before a waitlist entry is booked, showing the slot it would get, so that nothing is
/// booked into a slot nobody has looked at. `y` books exactly that slot.
struct WaitlistConfirm {
    enum Outcome: Equatable { case none, yes, no }

    let entry: WaitlistEntry
    let slot: Slot
    let customerName: String
    let resourceName: String
    let zone: Zone

    func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .char("y"), .char("Y"): .yes
        case .char("n"), .char("N"), .escape, .ctrl("c"): .no
        default: .none
        }
    }

    /// The question, with the entry's notes (a wish such as "afternoon preferred").
    var lines: [String] {
        var out = ["Book \(entry.ref) \(customerName):", "\(resourceName) · \(Format.range(slot.range, zone))?"]
        if !entry.notes.isEmpty { out.append("Notes: \(entry.notes)") }
        return out
    }

    func draw(into grid: inout CellGrid) {
        let text = lines
        let width = min(max(40, (text.map { DisplayWidth.of($0) }.max() ?? 0) + 6), max(20, grid.cols - 2))
        let box = Box.centred(in: grid, height: text.count + 4, width: width)
        box.draw(into: &grid, title: "Book from the waitlist")
        for (i, l) in text.enumerated() { box.line(i, l, into: &grid) }
        box.line(text.count + 1, "y book this slot · n or Esc no", into: &grid, role: .dim)
    }
}
