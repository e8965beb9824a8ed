import ArgumentParser
import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI
import FrontdeskStore

/// `frontdesk book`: one booking or a recurring series.
struct BookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "book", abstract: "Book a resource for a customer (or block time).")

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("resource"), parsing: .singleValue,
            help: "Resource id, reference or name; repeat to hold several at once (stylist and chair), the first its home. With --service: the resources it must use.")
    var resources: [String] = []
    @Option(help: "A catalog service: its duration, buffers and resources (chosen unless --resource fixes them).") var service: String?
    @Option(help: "Start: 2027-03-01 09:00 (resource-local) or ISO-8601 with offset.") var start: String
    @Option(help: "End (or give --duration).") var end: String?
    @Option(help: "Length: 45m, 1h30m, 2d.") var duration: String?
    @Option(help: "Existing customer id, reference or name (or --new-customer, or --block).") var customer: String?
    @Option(help: "Create this customer with the booking.") var newCustomer: String?
    @Option(help: ArgumentHelp("Block the time with no customer, giving the reason (kept in the notes).", valueName: "reason")) var block: String?
    @Option(help: "Phone for --new-customer.") var phone: String?
    @Option(help: "E-mail for --new-customer.") var email: String?
    @Option(help: "pending_payment, tentative or confirmed (default); history: completed, cancelled, no_show.") var status: String?
    @Option(help: "Hold length for pending_payment (default 15m).") var hold: String?
    @Option(help: "Client key: the same key and request books once.") var idempotencyKey: String?
    @Option(name: .customLong("repeat"), help: "RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10.") var rrule: String?
    @Flag(help: "For a series: book what fits and report the rest.") var skipConflicts = false
    @Option(help: "Notes.") var notes: String?
    @Option(help: "Manager override of policy refusals, with the reason.") var override: String?
    @OptionGroup var money: PriceOptions

    /// The first `--resource` (the booking's home).
    var resource: String? { resources.first }

    func validate() throws {
        if service == nil && resources.isEmpty {
            throw ValidationError("Missing expected argument '--resource <resource>' (or give --service)")
        }
    }

    func run() throws {
        if service != nil { return try runService() }
        let session = try StorageSession.open(global, for: .book)
        if override != nil { try session.authorize(.overridePolicy) }
        if money.given { try session.authorize(.setPrice) }
        let state = session.store.state
        let held = try resources.map { try Resolver.resource($0, in: state) }
        guard let res = held.first else { throw CLIError.usage("give --resource (repeat it to hold several resources)") }
        let s = try InputParsing.instant(start, field: "start", zone: res.zone)
        let e = try BookingTimes.end(start: s, end: end, duration: duration, zone: res.zone)
        var choice: CustomerChoice?
        let given = [customer.map { _ in "--customer" }, newCustomer.map { _ in "--new-customer" }, block.map { _ in "--block" }].compactMap { $0 }
        if given.count > 1 { throw CLIError.usage("give one of \(given.joined(separator: ", ")), not \(given.count == 2 ? "both" : "several")") }
        var notesText = notes ?? ""
        if let block {
            let reason = try TextRules.name(block, field: "block", maxLength: 200)
            notesText = notesText.isEmpty ? "Blocked: \(reason)" : "Blocked: \(reason)\n\(notesText)"
        }
        if let customer { choice = .existing(try Resolver.customer(customer, in: session.store).id) }
        if let newCustomer {
            // Checked here too, so the message names the flag given (the engine calls it "customer").
            try TextRules.name(newCustomer, field: "new-customer")
            choice = .new(name: newCustomer, phone: phone, email: email)
        }
        var request = BookingRequest(
            resource: res.id, customer: choice, range: TimeRange(start: s, end: e),
            status: try status.map { try InputParsing.status($0) } ?? .confirmed,
            hold: try InputParsing.optionalDuration(hold, field: "hold", allowZero: false),
            notes: notesText, idempotencyKey: try InputParsing.idempotencyKey(idempotencyKey),
            recurrence: try rrule.map { text throws in try RecurrenceRule(parsing: text) },
            skipConflicts: skipConflicts, overrideReason: override)
        request.price = try money.draft(state: state)
        request.otherResources = held.dropFirst().map(\.id)
        // Blocked time is asked for by name: a forgotten --customer must not book a slot nobody
        // holds. Checked after every other field, so a bad value is still named first.
        if given.isEmpty {
            throw CLIError.usage("say who the booking is for: --customer NAME|REF|ID (an existing customer), --new-customer NAME [--phone P] [--email E], or --block REASON (time with no customer)")
        }
        let actor = session.actor
        let outcome = try session.store.write("book", .book(request)) { state, engine throws(CoreError) in
            try engine.book(request, in: state, by: actor)
        }
        report(outcome, after: session.store.state)
    }

    /// Prints what a booking request produced (text, or `--json`), named as in `after`.
    func report(_ outcome: BookingOutcome, after: BookingState) {
        if global.json {
            // A replay is the first response's bookings, each marked as replayed.
            func tree(_ b: Booking) -> JSONTree {
                guard outcome.replayed, case .object(var o) = BookingJSON(b, state: after).json else { return BookingJSON(b, state: after).json }
                o["replayed"] = .bool(true)
                return .object(o)
            }
            if outcome.bookings.count == 1 && rrule == nil {
                Console.out(Format.json(tree(outcome.bookings[0])))
            } else {
                Console.out(Format.json(outcome.bookings.map(tree)))
            }
            return
        }
        let verb = outcome.replayed ? "Already booked" : "Booked"
        for b in outcome.bookings { Console.out("\(verb) " + BookingLine.text(b, state: after)) }
        for s in outcome.skipped { Console.out("Skipped \(s.date): \(s.error)") }
    }
}

/// End of a requested range: `--end` or `--duration`, exactly one.
enum BookingTimes {
    static func end(start: Instant, end: String?, duration: String?, zone: Zone) throws -> Instant {
        switch (end, duration) {
        case (let e?, nil): return try InputParsing.instant(e, field: "end", zone: zone)
        case (nil, let d?):
            let e = start + (try InputParsing.duration(d, field: "duration"))
            try InputParsing.supported(e, field: "duration")
            return e
        case (nil, nil): throw CLIError.usage("give --end or --duration")
        case (_?, _?): throw CLIError.usage("give --end or --duration, not both")
        }
    }
}

/// One booking on one line, in its resource's local time.
enum BookingLine {
    static func text(_ b: Booking, state: BookingState) -> String {
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        let who = b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)"
        let names = b.otherResources.isEmpty ? r?.name ?? b.resource.rawValue : state.resourceNames(b.resources)
        return Format.safe("\(b.ref)  \(names)  \(Format.spanLine(b.range, zone))  \(who)  \(b.status)  v\(b.version)")
    }
}
