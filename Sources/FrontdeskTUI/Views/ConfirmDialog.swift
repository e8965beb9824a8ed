/// A yes/no question: `y` yes; `n` or Esc no.
struct ConfirmDialog {
    enum Purpose { case quit, discardForm }
    enum Outcome: Equatable { case none, yes, no }

    let purpose: Purpose
    let question: String
    /// What to go back to on "no" (the form being discarded).
    var resume: Overlay?

    func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .char("y"), .char("Y"): .yes
        case .char("n"), .char("N"), .escape, .ctrl("c"): .no
        default: .none
        }
    }

    func draw(into grid: inout CellGrid) {
        let box = Box.centred(in: grid, height: 5, width: max(30, DisplayWidth.of(question) + 6))
        box.draw(into: &grid, title: "Confirm")
        box.line(0, question, into: &grid)
        box.line(2, "y yes · n no", into: &grid, role: .dim)
    }
}
