import FrontdeskCore

extension TUIApp {
    /// The reports this account may see: takings only for roles that may read them.
    var reportKinds: [ReportKind] {
        ReportKind.allCases.filter { $0 != .takings || mayReadTakings }
    }

    /// Whether the account's role may read the takings report.
    var mayReadTakings: Bool { connection.allows(.refund) }

    /// `R`: the Reports view on the shown date's week.
    func openReports() {
        view = .reports
        if !reportKinds.contains(reportKind) { reportKind = .utilisation }
    }

    /// Left and right in the Reports view: the previous or next report.
    func switchReport(by delta: Int) {
        let kinds = reportKinds
        let i = kinds.firstIndex(of: reportKind) ?? 0
        reportKind = kinds[(i + delta + kinds.count) % kinds.count]
    }

    /// The Monday of the shown date's week.
    var reportMonday: LocalDate { date.adding(days: -date.weekday.index) }

    func drawReports(into g: inout CellGrid, height: Int) {
        drawHeader(into: &g, detail: "week of \(reportMonday)")
        if !reportKinds.contains(reportKind) { reportKind = .utilisation }
        let hint = "\(keys.hint(.left))/\(keys.hint(.right)) report · \(keys.hint(.prevWeek)) \(keys.hint(.nextWeek)) week"
        ReportsView(figures: reportFigures(), kinds: reportKinds, hint: hint).draw(into: &g, top: 1, height: height)
    }

    /// The shown report over the shown week, after reading every resource's bookings of the week.
    func reportFigures() -> ReportFigures {
        let monday = reportMonday
        loadAllResources(from: monday, days: 7)
        return ReportFigures(kind: reportKind, from: monday, to: monday.adding(days: 6))
    }
}
