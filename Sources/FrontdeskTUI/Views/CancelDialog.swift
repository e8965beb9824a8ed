import FrontdeskCore

/// Cancelling a booking: asks for a reason; inside the cancellation notice it says so and
/// offers the manager override, which needs its own reason; `y` confirms.
struct CancelDialog {
    enum Outcome: Equatable { case none, abort, confirm }

    let booking: Booking
    let customerName: String
    let zone: Zone
    let scope: SeriesScope
    /// Inside the cancellation notice: only an override (with a reason) may cancel.
    let late: Bool
    let notice: Duration
    var reason = TextField(maxLength: 500)
    var override = TextField(maxLength: 200)
    var overrideFocused = false
    var confirming = false
    var error: String?

    var hasInput: Bool { !reason.text.isEmpty || !override.text.isEmpty }

    mutating func handle(_ key: KeyEvent) -> Outcome {
        if confirming {
            switch key {
            case .char("y"), .char("Y"): return .confirm
            case .char("n"), .char("N"), .escape: confirming = false; return .none
            default: return .none
            }
        }
        switch key {
        case .escape: return .abort
        case .tab, .backTab, .up, .down:
            if late { overrideFocused.toggle() }
            return .none
        case .enter:
            if reason.text.trimming(.whitespaces).isEmpty {
                error = "Give a reason for the cancellation."
                overrideFocused = false
                return .none
            }
            if late && override.text.trimming(.whitespaces).isEmpty {
                error = "An override needs a reason (or Esc to keep the booking)."
                overrideFocused = true
                return .none
            }
            error = nil
            confirming = true
            return .none
        default:
            if overrideFocused { _ = override.handle(key) } else { _ = reason.handle(key) }
            return .none
        }
    }

    func draw(into grid: inout CellGrid) {
        let box = Box.centred(in: grid, height: late ? 12 : 10, width: 76)
        box.draw(into: &grid, title: "Cancel \(booking.ref)")
        var line = 0
        box.line(line, "\(customerName) · \(Format.range(booking.range, zone))", into: &grid); line += 1
        if scope != .this { box.line(line, "Scope: \(ScopeChoice.label(scope))", into: &grid, role: .dialogTitle) }
        line += 1
        grid.putPadded("Reason", row: box.row + 1 + line, col: box.col + 2, width: 10, role: .dialog)
        reason.draw(into: &grid, row: box.row + 1 + line, col: box.col + 12, width: box.innerWidth - 10, focused: !overrideFocused && !confirming)
        line += 1
        if late {
            box.line(line, "Inside the \(notice.text) cancellation notice: only a manager override can cancel.", into: &grid, role: .error)
            line += 1
            grid.putPadded("Override", row: box.row + 1 + line, col: box.col + 2, width: 10, role: .dialog)
            override.draw(into: &grid, row: box.row + 1 + line, col: box.col + 12, width: box.innerWidth - 10, focused: overrideFocused && !confirming)
            line += 1
        }
        line += 1
        if let error { box.line(line, error, into: &grid, role: .error) }
        line += 1
        if confirming {
            box.line(line, "Cancel \(booking.ref)\(late ? " with override" : "")? y yes · n no", into: &grid, role: .dialogTitle)
        } else {
            box.line(line, "Enter continue · Esc keep the booking" + (late ? " · Tab override field" : ""), into: &grid, role: .dim)
        }
    }
}
