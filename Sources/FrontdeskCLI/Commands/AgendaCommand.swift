import ArgumentParser
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// `frontdesk agenda --date D`: the day's printable run sheet, one section (one printed page)
/// per resource.
struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda",
        abstract: "Print a day's run sheet per resource (text or HTML).",
        discussion: """
        Per resource, the day's bookings in start order (cancelled ones left out): times in the \
        resource's zone, customer, service, phone (only for roles that may read contact details), \
        notes and the amount still due. HTML prints one resource per page.
        """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The day (in each resource's zone); default today.", valueName: "YYYY-MM-DD|today")) var date: String?
    @Option(help: "Only these resources (id, reference or name; repeat or comma-separate); they are printed even when nothing is booked.")
    var resource: [String] = []
    @Option(help: "text (default) or html.") var format: String = "text"
    @Option(help: "Write here instead of stdout (mode 0600; written to a temp file, then renamed).") var output: String?

    func run() throws {
        if output != nil { try CallerFiles.refuseInSecureExecution("--output", instead: "write to standard output: frontdesk agenda … > FILE") }
        let kind = format.lowercased()
        guard kind == "text" || kind == "html" else {
            throw CLIError.invalidInput(field: "format", message: "\"\(Format.safe(format))\" is not text or html")
        }
        if global.json && kind == "html" { throw CLIError.usage("--json prints JSON; leave out --format html") }
        let session = try StorageSession.open(global, for: .readDiary)
        let store = session.store
        try session.requireComplete()
        let state0 = store.state
        let named = try resource.flatMap { try Resolver.resources($0, in: state0) }
        var seen: Set<ResourceID> = []
        let chosen = (named.isEmpty ? Self.byReference(state0.resources.values.filter { !$0.archived }) : named)
            .filter { seen.insert($0.id).inserted }
        let day: LocalDate
        if let date, date.lowercased() != "today" {
            day = try InputParsing.date(date, field: "date")
        } else {
            day = (chosen.first?.zone ?? Session.displayZone).local(session.clock.now()).date
        }
        // Every zone's day lies within a day and a bit of UTC's; the sheet keeps each
        // resource's own day.
        let range = TimeRange(start: Zone.utc.startOfDay(day.adding(days: -1)), end: Zone.utc.startOfDay(day.adding(days: 2)))
        if !chosen.isEmpty {
            try session.load(resources: chosen.map(\.id), range: range)
        }
        for id in Set(store.state.bookings.values.compactMap(\.customer)) where store.state.customers[id] == nil {
            _ = try store.customer(id: id)
        }
        let sheet = AgendaSheet.build(state: store.state, date: day, resources: chosen,
                                      contact: session.access.allows(.readContactDetails), keepEmpty: !named.isEmpty)
        let text = global.json ? Format.json(sheet.json) + "\n" : kind == "html" ? sheet.html() : sheet.text()
        guard let output else { StandardStream.output.write(text); return }
        try PrivateFile.write(Array(text.utf8), to: output)
        if !global.json { Console.err("wrote the agenda for \(day) (\(sheet.sections.count) resources) to \(output)") }
    }

    /// Resources in reference order, as the day grid shows them (`R-002` before `R-010`).
    static func byReference(_ list: some Sequence<Resource>) -> [Resource] {
        list.sorted { ($0.ref.count, $0.ref) < ($1.ref.count, $1.ref) }
    }
}
