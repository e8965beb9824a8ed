import ArgumentParser
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk report utilisation|no-shows|cancellations|takings|services`: a report over a
/// period, as a table, `--json` or `--csv` (``ReportTables``), made by the reports core from
/// the partitions of the period only, each booking decoded to its report fields
/// (``Store/scanReportedBookings(resources:range:into:_:)``).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Utilisation, no-shows, cancellations, takings or services over a period.",
        discussion: """
        utilisation: booked time (buffers included) over open time (hours less blackouts) per resource. \
        no-shows, cancellations: rates among customers' bookings starting in the period. takings: payments, \
        refunds (negative) and fees by payment method and by service; services: bookings, hours and takings \
        per service (both need a manager). --from and --to take dates (--to includes its day) or times (--to \
        is then exclusive); groups are read in --tz, else the zone the resources share, else the display zone.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "utilisation, no-shows, cancellations, takings or services.") var kind: String
    @Option(help: "First day (YYYY-MM-DD) or time.") var from: String
    @Option(help: "Last day, included (YYYY-MM-DD), or the time it ends at.") var to: String
    @Option(help: "Only these resources (id, reference or name; repeat or comma-separate).") var resource: [String] = []
    @Option(help: "Group by day, week, month or weekday-hour (default: the whole period).") var by: String?
    @Option(help: "The zone days, weeks and hours are read in (an IANA name).") var tz: String?
    @Flag(help: "Comma-separated values, one line per row, with a header.") var csv = false

    func validate() throws {
        if csv && global.json { throw ValidationError("--csv and --json cannot be used together") }
    }

    /// The access action each report needs: money is for managers.
    static func action(for kind: ReportKind) -> AccessAction {
        switch kind {
        case .utilisation, .noShows, .cancellations: .readReports
        case .takings, .services: .readTakings
        }
    }

    func run() throws {
        guard let kind = ReportKind(rawValue: kind.lowercased()) else {
            throw CLIError.invalidInput(field: "report", message: "\"\(Format.safe(kind))\" is not a report; use one of \(ReportKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let grouping: ReportGrouping
        if let by {
            guard let g = ReportGrouping(rawValue: by.lowercased()), g != .period else {
                throw CLIError.invalidInput(field: "by", message: "\"\(Format.safe(by))\" is not a grouping; use day, week, month or weekday-hour")
            }
            grouping = g
        } else {
            grouping = .period
        }
        let session = try StorageSession.open(global, for: Self.action(for: kind))
        let store = session.store
        try session.requireComplete()
        let state = store.state
        var resources: [Resource]? = nil
        if !resource.isEmpty {
            var seen: Set<ResourceID> = []
            resources = try resource.flatMap { try Resolver.resources($0, in: state) }.filter { seen.insert($0.id).inserted }
        }
        let zone = try tz.map { try InputParsing.zone($0) } ?? Self.sharedZone(resources ?? Array(state.resources.values)) ?? Session.displayZone
        let start = try InputParsing.instant(from, field: "from", zone: zone)
        let end: Instant
        if let day = LocalDate(to.trimming(.whitespaces)) {
            let last = try InputParsing.date(day.description, field: "to")
            end = zone.startOfDay(last.adding(days: 1))
        } else {
            end = try InputParsing.instant(to, field: "to", zone: zone)
        }
        guard end > start else {
            throw CLIError.invalidInput(field: "to", message: "\(Format.safe(to)) is before --from \(Format.safe(from)); the period must end after it starts")
        }
        let request = ReportRequest(period: TimeRange(start: start, end: end), grouping: grouping, zone: zone,
                                    resources: resources?.map(\.id), now: session.clock.now())
        do {
            let empty = try ReportBuilder(request, directory: state)
            let builder = try Self.scan(store, request, into: empty)
            let tables = ReportTables(state: store.state, format: global.json ? .json : csv ? .csv : .text)
            switch kind {
            case .utilisation: Console.out(tables.render(try builder.utilisation()))
            case .noShows: Console.out(tables.render(try builder.noShows()))
            case .cancellations: Console.out(tables.render(try builder.cancellations()))
            case .takings: Console.out(tables.render(try builder.takings()))
            case .services: Console.out(tables.render(try builder.services()))
            }
        } catch let e as ReportError {
            switch e {
            case .emptyPeriod: throw CLIError.invalidInput(field: "to", message: e.description)
            case .unknownResource(let r): throw CoreError.notFound(kind: "resource", id: r.rawValue)
            // Only a forged or damaged record holds such amounts: never a report that passes for complete.
            case .currencyMismatch, .overflow: throw StoreError.incomplete(missing: "a report over these bookings: \(e.description)")
            }
        }
    }

    /// `builder` with every booking of the request's resources that the period needs: a data
    /// directory's partitions decoded to report fields
    /// (``Store/scanReportedBookings(resources:range:into:_:)``); another storage's bookings
    /// within the period widened by the longest buffer and a day, which the builder filters.
    static func scan(_ store: any BookingStorage, _ request: ReportRequest, into builder: ReportBuilder) throws -> ReportBuilder {
        if let files = store as? Store {
            return try files.scanReportedBookings(resources: request.resources, range: request.period, into: { builder }) { b, booking in b.add(booking) }
        }
        let state = store.state
        let buffers = state.resources.keys.flatMap { r in [state.policy(for: r).bufferBefore, state.policy(for: r).bufferAfter] }
            + state.services.values.flatMap { [$0.bufferBefore, $0.bufferAfter] }
        let margin = (buffers.max() ?? .zero) + .days(1)
        let reach = TimeRange(start: request.period.start - margin, end: request.period.end + margin)
        try store.load(resources: request.resources, range: reach)
        let wanted = request.resources.map(Set.init)
        var b = builder
        b.add(contentsOf: store.state.bookings.values
            .filter { booking in booking.range.overlaps(reach) && (wanted.map { booking.resources.contains(where: $0.contains) } ?? true) }
            .sorted { ($0.start, $0.id.rawValue) < ($1.start, $1.id.rawValue) })
        return b
    }

    /// The zone every one of `resources` is in, or nil when they differ or there are none.
    static func sharedZone(_ resources: [Resource]) -> Zone? {
        guard let first = resources.first?.zone, resources.allSatisfy({ $0.zone == first }) else { return nil }
        return first
    }
}
