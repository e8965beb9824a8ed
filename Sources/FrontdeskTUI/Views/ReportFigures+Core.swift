import FrontdeskCore

extension ReportFigures {
    /// The figures of `kind` over the week from `monday` (in `zone`), made by the report core
    /// from the bookings in `state` (which must hold every booking of the week).
    ///
    /// - Throws: ``ReportError`` from the core (an overflow in a forged record, say).
    /// - Complexity: O(n log n) for n bookings in `state` (see ``ReportBuilder``).
    static func make(_ kind: ReportKind, monday: LocalDate, zone: Zone, state: BookingState, now: Instant) throws(ReportError) -> ReportFigures {
        let period = TimeRange(start: zone.startOfDay(monday), end: zone.startOfDay(monday.adding(days: 7)))
        var figures = ReportFigures(kind: kind, from: monday, to: monday.adding(days: 6))
        let bookings = state.bookings.values
        func name(_ r: ResourceID?) -> String { r.flatMap { state.resources[$0]?.name } ?? "all" }
        func dayLabel(_ b: ReportBucket) -> String { b.firstDay.map(Format.day) ?? b.label }
        switch kind {
        case .utilisation:
            let resources = state.resources.values.filter { !$0.archived }
                .sorted { ($0.ref.count, $0.ref) < ($1.ref.count, $1.ref) }.map(\.id)
            let request = ReportRequest(period: period, grouping: .weekdayHour, zone: zone, resources: resources, now: now)
            let report = try UtilisationReport.make(request, directory: state, bookings: bookings)
            figures.maximum = 1000
            figures.bars = report.byResource.filter { $0.openSeconds > 0 || $0.bookedSeconds > 0 }.map { row in
                .init(label: name(row.resource), value: row.rate.permille ?? 0, valueText: row.rate.text)
            }
            figures.totals = "All resources: \(report.total.rate.text) (\(hours(report.total.bookedSeconds)) booked of \(hours(report.total.openSeconds)) open)"
            figures.emptyText = "No resource is open this week."
            var rows: [ResourceID: UtilisationHeatmap.Row] = [:]
            for row in report.rows {
                guard let r = row.resource, let (weekday, hour) = row.bucket.weekdayHour else { continue }
                var line = rows[r] ?? UtilisationHeatmap.Row(label: name(r))
                line.cells[weekday.index][hour] = row.openSeconds > 0 ? Int(row.rate.permille ?? 0) : nil
                rows[r] = line
            }
            let ordered = report.byResource.compactMap { $0.resource.flatMap { rows[$0] } }
            if !ordered.isEmpty { figures.heatmap = UtilisationHeatmap(rows: ordered) }
        case .noShows:
            let report = try NoShowReport.make(ReportRequest(period: period, grouping: .day, zone: zone, now: now), directory: state, bookings: bookings)
            figures.bars = report.rows.map { .init(label: dayLabel($0.bucket), value: $0.noShows, valueText: "\($0.noShows) of \($0.bookings) (\($0.rate.text))") }
            figures.totals = "Week: \(report.total.noShows) no-shows of \(report.total.bookings) bookings (\(report.total.rate.text))"
                + (report.total.fees > 0 ? ", fees \(money(report.total.fees, report.currency))" : "")
            figures.emptyText = "No customers' bookings this week."
        case .cancellations:
            let report = try CancellationReport.make(ReportRequest(period: period, grouping: .day, zone: zone, now: now), directory: state, bookings: bookings)
            figures.bars = report.rows.map {
                .init(label: dayLabel($0.bucket), value: $0.cancelled, valueText: "\($0.cancelled) of \($0.bookings) (\($0.cancelRate.text)), \($0.late) late")
            }
            figures.totals = "Week: \(report.total.cancelled) cancelled of \(report.total.bookings) (\(report.total.cancelRate.text)), \(report.total.late) late (\(report.total.lateRate.text))"
            figures.emptyText = "No customers' bookings this week."
        case .takings:
            let report = try TakingsReport.make(ReportRequest(period: period, zone: zone, now: now), directory: state, bookings: bookings)
            figures.bars = report.methodTotals.filter { $0.payments != 0 || $0.refunds != 0 }.map {
                .init(label: $0.method?.rawValue ?? "refunds", value: max(0, $0.net), valueText: money($0.net, report.currency))
            }
            let t = report.total
            figures.totals = "Net \(money(t.net, report.currency)) · payments \(money(t.payments, report.currency)) · refunds \(money(t.refunds, report.currency)) · fees charged \(money(t.fees, report.currency))"
            figures.emptyText = "No money taken for this week's bookings."
        case .services:
            let report = try ServicesReport.make(ReportRequest(period: period, zone: zone, now: now), directory: state, bookings: bookings)
            figures.bars = report.byService.filter { $0.bookings > 0 || $0.takings != 0 }.map { row in
                let label = row.service.map { state.services[$0]?.name ?? $0.rawValue } ?? "(no service)"
                return .init(label: label, value: row.bookings, valueText: "\(row.bookings) · \(hours(row.bookedSeconds)) · \(money(row.takings, report.currency))")
            }
            figures.totals = "Week: \(report.total.bookings) bookings, \(hours(report.total.bookedSeconds)), takings \(money(report.total.takings, report.currency))"
            figures.emptyText = "No customers' bookings this week."
        }
        return figures
    }

    /// `31h30m`, `45m`, `0h`.
    static func hours(_ seconds: Int64) -> String {
        let m = seconds / 60
        return m % 60 == 0 ? "\(m / 60)h" : m < 60 ? "\(m)m" : "\(m / 60)h\(m % 60)m"
    }

    /// `12.50 GBP`, or the bare number of minor units when the store has no currency.
    static func money(_ minor: Int64, _ currency: Currency?) -> String {
        currency.map { Money(minorUnits: minor, currency: $0).description } ?? "\(minor)"
    }
}
