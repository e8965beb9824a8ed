import FrontdeskCore

/// The bottom two lines: the last message, then date, user, store state, last refresh. A
/// message too long for its line takes the line above too when the view spares it (the grids'
/// legend), so what a booking costs and its deposit due are read whole at 80 columns.
struct StatusBar {
    let date: LocalDate
    let user: String
    let mode: StorageMode
    let lastRefresh: Instant?
    let zone: Zone
    let message: String?
    let isError: Bool
    let helpKey: String
    /// Whether the line above the message may show its second half (it then covers that line).
    var spareLineAbove = false

    func draw(into grid: inout CellGrid) {
        guard grid.rows >= 2 else { return }
        let role: StyleRole = isError ? .error : .message
        let lines = message.map { Format.wrap($0, width: grid.cols - 1) } ?? []
        if spareLineAbove, grid.rows >= 3, lines.count >= 2 {
            grid.putPadded(" " + lines[0], row: grid.rows - 3, col: 0, width: grid.cols, role: role)
            grid.putPadded(" " + Format.fit(lines.dropFirst().joined(separator: " "), width: grid.cols - 1), row: grid.rows - 2, col: 0,
                           width: grid.cols, role: role)
        } else {
            grid.putPadded(message.map { " " + Format.fit($0, width: grid.cols - 1) } ?? "", row: grid.rows - 2, col: 0, width: grid.cols, role: role)
        }
        let state: String
        switch mode {
        case .live: state = "live"
        case .readOnly(let why): state = "read-only (\(why))"
        case .busy(let holder): state = "busy (\(holder))"
        }
        let refreshed = lastRefresh.map { "refreshed " + Format.clock($0, zone) + ":" + Format.two(Int(zone.local($0).second)) } ?? "not refreshed"
        let line = " \(Format.day(date)) │ \(user) │ \(state) │ \(refreshed) │ \(helpKey) help"
        grid.putPadded(Format.fit(line, width: grid.cols), row: grid.rows - 1, col: 0, width: grid.cols, role: .statusBar)
    }

}
