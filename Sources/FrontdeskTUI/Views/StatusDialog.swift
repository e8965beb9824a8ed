import FrontdeskCore

/// Changing a booking's status: c confirm, t tentative, d completed (done), x no-show.
struct StatusDialog {
    enum Outcome: Equatable { case none, abort, chosen(BookingStatus) }

    let booking: Booking
    static let choices: [(Character, BookingStatus)] = [("c", .confirmed), ("t", .tentative), ("d", .completed), ("x", .noShow)]

    func handle(_ key: KeyEvent) -> Outcome {
        if key == .escape { return .abort }
        guard case .char(let c) = key, let hit = Self.choices.first(where: { $0.0 == c }) else { return .none }
        return .chosen(hit.1)
    }

    func draw(into grid: inout CellGrid) {
        let box = Box.centred(in: grid, height: 9, width: 50)
        box.draw(into: &grid, title: "Status of \(booking.ref)")
        box.line(0, "Now: \(Format.status(booking.status))", into: &grid)
        for (i, (key, status)) in Self.choices.enumerated() {
            let allowed = booking.status.canMove(to: status)
            box.line(2 + i, "\(key)   \(Format.status(status))" + (allowed ? "" : "  (not from \(Format.status(booking.status)))"),
                     into: &grid, role: allowed ? .dialog : .dim)
        }
        box.line(6, "Esc  never mind", into: &grid, role: .dim)
    }
}
