import FrontdeskCore

/// Cancelling a booking: asks for a reason; inside the cancellation notice it says so and
/// offers the manager override, which needs its own reason; `y` confirms.
///
/// The reason and the override are two fields with two values: the focused one is marked
/// (`›`) and the hint line always names where Enter and Tab go from it, so typing never lands
/// in the field the hint did not point at.
struct CancelDialog {
    enum Outcome: Equatable { case none, abort, confirm }

    let booking: Booking
    let customerName: String
    let zone: Zone
    let scope: SeriesScope
    /// Inside the cancellation notice: only an override (with a reason) may cancel.
    let late: Bool
    let notice: TimeSpan
    /// Every booking the cancellation covers (the series' for a series scope), by start: the
    /// confirmation says how many, not only the one the cursor was on.
    var covered: [Booking] = []
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
            // Enter in Reason of a late cancellation goes on to Override, as the hint says.
            if late && !overrideFocused && !reason.text.trimming(.whitespaces).isEmpty && override.text.trimming(.whitespaces).isEmpty {
                overrideFocused = true
                error = "An override needs a reason: type the manager's reason in Override."
                return .none
            }
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

    /// Width of the field labels (`› Override` and a space before the value).
    static let labelWidth = 11

    /// The confirmation question: one booking by reference, a series by count and first … last.
    var question: String {
        let override = late ? " with override" : ""
        guard covered.count > 1, let first = covered.first, let last = covered.last else {
            return "Cancel \(booking.ref)\(override)? y yes · n no"
        }
        return "Cancel \(covered.count) bookings of the series (\(first.ref) … \(last.ref))\(override)? y yes · n no"
    }

    /// The hint split at its `·` parts into lines that fit `width`, so no part is clipped.
    func hintLines(width: Int) -> [String] {
        var lines: [String] = []
        for part in hint.split(separator: " · ").map(String.init) {
            if let last = lines.last, DisplayWidth.of(last + " · " + part) <= width { lines[lines.count - 1] = last + " · " + part }
            else { lines.append(part) }
        }
        return lines
    }

    /// Where the keys go from the focused field.
    var hint: String {
        guard late else { return "Enter continue · Esc keep the booking" }
        return overrideFocused ? "Typing goes to Override · Enter continue · Tab back to Reason · Esc keep the booking"
                               : "Typing goes to Reason · Enter or Tab to Override · Esc keep the booking"
    }

    func draw(into grid: inout CellGrid) {
        let box = Box.centred(in: grid, height: late ? 12 : 10, width: 76)
        box.draw(into: &grid, title: "Cancel \(booking.ref)")
        var line = 0
        box.line(line, "\(customerName) · \(Format.range(booking.range, zone))", into: &grid); line += 1
        if scope != .this { box.line(line, "Scope: \(ScopeChoice.label(scope))", into: &grid, role: .dialogTitle) }
        line += 1
        let onReason = !overrideFocused && !confirming, onOverride = overrideFocused && !confirming
        let lw = Self.labelWidth
        grid.putPadded((onReason ? "› " : "  ") + "Reason", row: box.row + 1 + line, col: box.col + 2, width: lw,
                       role: onReason ? .dialogTitle : .dialog)
        reason.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + lw, width: box.innerWidth - lw, focused: onReason)
        line += 1
        if late {
            box.line(line, "Inside the \(notice.text) cancellation notice: only a manager override can cancel.", into: &grid, role: .error)
            line += 1
            grid.putPadded((onOverride ? "› " : "  ") + "Override", row: box.row + 1 + line, col: box.col + 2, width: lw,
                           role: onOverride ? .dialogTitle : .dialog)
            override.draw(into: &grid, row: box.row + 1 + line, col: box.col + 2 + lw, width: box.innerWidth - lw, focused: onOverride)
            line += 1
        }
        line += 1
        if let error { box.line(line, error, into: &grid, role: .error) }
        line += 1
        if confirming {
            box.line(line, question, into: &grid, role: .dialogTitle)
        } else {
            for l in hintLines(width: box.innerWidth) { box.line(line, l, into: &grid, role: .dim); line += 1 }
        }
    }
}
