import FrontdeskCore

/// What the Reports view draws for one report over one week: bars, totals and, for
/// utilisation, the heatmap. Made from the report core's answer (``TUIApp/reportFigures()``),
/// or by hand in tests, so the view depends on no report arithmetic.
struct ReportFigures: Equatable {
    var kind: ReportKind
    /// The first and last day covered.
    var from: LocalDate
    var to: LocalDate
    var bars: [BarChart.Bar] = []
    /// A full bar's value (1000 for per-mille rates); nil: the largest bar.
    var maximum: Int64? = nil
    /// One line under the bars: the report's totals.
    var totals: String = ""
    var heatmap: UtilisationHeatmap? = nil
    /// Said instead of bars when there are none (`Nothing booked this week.`).
    var emptyText: String = "Nothing to report this week."

    /// `37.5%` for 375 per mille.
    static func percent(permille: Int64) -> String { "\(permille / 10).\(permille % 10)%" }
}

extension UtilisationHeatmap: Equatable {
    static func == (a: UtilisationHeatmap, b: UtilisationHeatmap) -> Bool { a.rows == b.rows && a.hours == b.hours }
}
