import FrontdeskCore

/// Open waitlist entries, oldest first; Enter shows the first free slot that fits and asks before booking it.
struct WaitlistView {
    let entries: [WaitlistEntry]
    let state: BookingState
    let selected: Int

    /// Open entries, oldest first.
    static func entries(in state: BookingState) -> [WaitlistEntry] {
        state.waitlist.values.filter(\.isOpen).sorted { ($0.createdAt, $0.ref) < ($1.createdAt, $1.ref) }
    }

    func draw(into grid: inout CellGrid, top: Int, height: Int) {
        grid.putPadded(" Waitlist · \(entries.count) waiting · Enter shows the first free slot, y books it", row: top, col: 0,
                       width: grid.cols, role: .columnHeader)
        if entries.isEmpty { grid.put("  Nobody is waiting.", row: top + 2, col: 0, role: .dim); return }
        for (i, e) in entries.enumerated() where i < height - 1 {
            let names = e.resources.map { state.resources[$0]?.name ?? $0.rawValue }.joined(separator: ", ")
            let zone = e.resources.first.flatMap { state.resources[$0]?.zone } ?? .utc
            let who = state.customers[e.customer]?.name ?? e.customer.rawValue
            let line = " \(e.ref)  \(who)  · \(e.duration.text) within \(Format.range(e.window, zone)) · \(names)  \(e.notes)"
            grid.putPadded(line, row: top + 1 + i, col: 0, width: grid.cols, role: i == selected ? .cursor : .grid)
        }
    }
}
