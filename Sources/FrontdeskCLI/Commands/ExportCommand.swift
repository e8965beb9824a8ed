import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore
import FrontdeskTUI
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk export --format csv|json|ics`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export bookings as CSV, JSON or iCalendar.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "csv, json or ics.") var format: String
    @Option(help: "Resource filter.") var resource: String?
    @Option(help: "Customer filter.") var customer: String?
    @Option(help: "From (default: everything).") var from: String?
    @Option(help: "To.") var to: String?
    @Option(help: "Status filter.") var status: String?
    @Option(help: "Write here instead of stdout (mode 0600; written to a temp file, then renamed).") var output: String?
    @Flag(help: "On a damaged store, export what is readable and name what is missing (stderr; JSON: in the output) instead of refusing.")
    var allowPartial = false

    func run() throws {
        if output != nil { try CallerFiles.refuseInSecureExecution("--output", instead: "write to standard output: frontdesk export … > FILE") }
        let f = format.lowercased()
        guard ["csv", "json", "ics"].contains(f) else { throw CLIError.invalidInput(field: "format", message: "\"\(format)\" is not csv, json or ics") }
        let session = try StorageSession.open(global, for: .exportBookings)
        var q = BookingQuery(resource: resource, customer: customer, from: from, to: to, status: status)
        q.everythingByDefault = true
        q.allowPartial = allowPartial
        let (bookings, state, missing) = try q.runReportingMissing(session.store, clock: session.clock)
        for m in missing { Console.err("frontdesk: partial export: missing \(m)") }
        let text: String
        switch f {
        case "csv":
            var lines = [(ImportCommand.columns + ImportCommand.optionalColumns + ["id", "ref", "version"]).joined(separator: ",")]
            for b in bookings {
                let zone = state.resources[b.resource]?.zone ?? .utc
                // `resources` only for a booking of several, by reference: a name may hold `;`.
                let held = b.otherResources.isEmpty ? "" : b.resources.map { state.resources[$0]?.ref ?? $0.rawValue }.joined(separator: ";")
                let row = [state.resources[b.resource]?.name ?? b.resource.rawValue, b.customer.flatMap { state.customers[$0]?.name } ?? "",
                           Format.localISO(b.start, zone), Format.localISO(b.end, zone), b.status.rawValue, b.idempotencyKey ?? "", b.notes,
                           held, b.service.map { state.services[$0]?.name ?? $0.rawValue } ?? "",
                           b.id.rawValue, b.ref, String(b.version)]
                lines.append(row.map(CSV.field).joined(separator: ","))
            }
            text = lines.joined(separator: "\n") + "\n"
        case "json":
            let list = bookings.map { BookingJSON($0, state: state) }
            if missing.isEmpty {
                text = Format.prettyJSON(list) + "\n"
            } else {
                // A partial export is an object, so it cannot be taken for the complete array.
                let partial: JSONTree = ["partial": .bool(true), "missing": .array(missing.map { .string($0) }), "bookings": list.json]
                text = Format.prettyJSON(partial) + "\n"
            }
        default:
            text = ICalendarWriter.calendar(bookings, state: state, now: session.clock.now())
        }
        guard let output else { StandardStream.output.write(text); return }
        try PrivateFile.write(Array(text.utf8), to: output)
        if !global.json { Console.err("wrote \(bookings.count) bookings to \(output)") }
    }
}
