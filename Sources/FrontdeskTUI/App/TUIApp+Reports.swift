import FrontdeskCore

extension TUIApp {
    /// The reports this account may see: those of money (takings, services) only for roles
    /// that may read takings.
    var reportKinds: [ReportKind] {
        ReportKind.allCases.filter { connection.allows($0.accessAction) }
    }

    /// `R`: the Reports view on the shown date's week.
    func openReports() {
        view = .reports
        anchorSecond = nil; selecting = false
        if !reportKinds.contains(reportKind) { reportKind = .utilisation }
    }

    /// Left and right in the Reports view: the previous or next report.
    func switchReport(by delta: Int) {
        let kinds = reportKinds
        guard !kinds.isEmpty else { return }
        let i = kinds.firstIndex(of: reportKind) ?? 0
        reportKind = kinds[(i + delta + kinds.count) % kinds.count]
    }

    /// The Monday of the shown date's week.
    var reportMonday: LocalDate { date.adding(days: -date.weekday.index) }

    func drawReports(into g: inout CellGrid, height: Int) {
        drawHeader(into: &g, detail: "week of \(reportMonday)")
        if !reportKinds.contains(reportKind) { reportKind = .utilisation }
        let hint = "\(letterHint(.left))/\(letterHint(.right)) report · \(letterHint(.prevWeek)) \(letterHint(.nextWeek)) week"
        ReportsView(figures: reportFigures(), kinds: reportKinds, hint: hint).draw(into: &g, top: 1, height: height)
    }

    /// An action's first one-character key (`h` rather than `left`), else its first key.
    private func letterHint(_ action: Action) -> String {
        keys.keyNames(action).first { $0.count == 1 } ?? keys.hint(action)
    }

    /// The shown report over the shown week, after reading every resource's bookings of the
    /// week (and a day either side, for bookings and buffers across its edges). A report the
    /// core refuses shows its reason in place of the figures. Cached like the day layout, so
    /// a frame that changes neither the report, the week nor the data builds nothing.
    func reportFigures() -> ReportFigures {
        let monday = reportMonday
        loadAllResources(from: monday.adding(days: -1), days: 9)
        if let c = cachedReport, c.kind == reportKind, c.monday == monday, c.generation == generation { return c.figures }
        var figures: ReportFigures
        do {
            figures = try ReportFigures.make(reportKind, monday: monday, zone: zone, state: state, now: now)
        } catch {
            figures = ReportFigures(kind: reportKind, from: monday, to: monday.adding(days: 6))
            figures.emptyText = "This report cannot be made: \(error)"
        }
        cachedReport = (reportKind, monday, generation, figures)
        return figures
    }
}
