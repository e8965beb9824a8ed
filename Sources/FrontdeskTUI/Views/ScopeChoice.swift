import FrontdeskCore

/// Which occurrences of a recurring booking a change covers, chosen explicitly.
///
/// The keys are `1` (this), `5` (this and following) and `9` (all): far apart on both the
/// number row and the keypad, so a slip of the finger cannot turn "this one" into "all"
/// (calcurse #495), and none of them is a command key elsewhere, so muscle memory from the
/// grid (t for today, a/f …) cannot fire a scope by accident.
struct ScopeChoice {
    enum Purpose {
        case cancel(Booking)
        case move(Booking, to: TimeRange, resource: ResourceID)
    }
    enum Outcome: Equatable { case none, abort, chosen(SeriesScope) }

    let purpose: Purpose
    let title: String

    static func label(_ s: SeriesScope) -> String {
        switch s {
        case .this: "only this occurrence"
        case .following: "this and following occurrences"
        case .all: "all occurrences"
        }
    }

    func handle(_ key: KeyEvent) -> Outcome {
        switch key {
        case .char("1"): .chosen(.this)
        case .char("5"): .chosen(.following)
        case .char("9"): .chosen(.all)
        case .escape: .abort
        default: .none
        }
    }

    func draw(into grid: inout CellGrid) {
        let box = Box.centred(in: grid, height: 8, width: 52)
        box.draw(into: &grid, title: title)
        box.line(0, "This booking repeats. Change which?", into: &grid)
        box.line(2, "1   \(Self.label(.this))", into: &grid)
        box.line(3, "5   \(Self.label(.following))", into: &grid)
        box.line(4, "9   \(Self.label(.all))", into: &grid)
        box.line(5, "Esc  never mind", into: &grid, role: .dim)
    }
}
