import FrontdeskCore

/// The bottom two lines: the last message, then date, user, store state, last refresh.
struct StatusBar {
    let date: LocalDate
    let user: String
    let mode: StorageMode
    let lastRefresh: Instant?
    let zone: Zone
    let message: String?
    let isError: Bool
    let helpKey: String

    func draw(into grid: inout CellGrid) {
        guard grid.rows >= 2 else { return }
        grid.putPadded(message.map { " " + Format.fit($0, width: grid.cols - 1) } ?? "", row: grid.rows - 2, col: 0, width: grid.cols, role: isError ? .error : .message)
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
