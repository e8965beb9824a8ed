import ArgumentParser
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

extension BookCommand {
    /// `book --service NAME --start T --customer C [--resource R …]`: the service's duration,
    /// its resources chosen (``BookingEngine/bookService(_:in:by:)``), the customer's most
    /// recent resources tried first; `--price … --reason` (a manager) in place of the service's.
    func runService() throws {
        guard let service else { return }
        if end != nil || duration != nil { throw CLIError.usage("--service sets the length; leave out --end and --duration") }
        if rrule != nil { throw CLIError.usage("--repeat is not available with --service; book a series with --resource") }
        let given = [customer.map { _ in "--customer" }, newCustomer.map { _ in "--new-customer" }, block.map { _ in "--block" }].compactMap { $0 }
        if given.count > 1 { throw CLIError.usage("give one of \(given.joined(separator: ", ")), not \(given.count == 2 ? "both" : "several")") }
        let session = try StorageSession.open(global, for: .book)
        if override != nil { try session.authorize(.overridePolicy) }
        if money.given { try session.authorize(.setPrice) }
        let state = session.store.state
        let s = try state.service(named: service)
        let fixed = try resources.map { try Resolver.resource($0, in: state) }
        let zone = fixed.first?.zone ?? state.candidates(for: s).first?.zone ?? Session.displayZone
        let startAt = try InputParsing.instant(start, field: "start", zone: zone)
        var notesText = notes ?? ""
        if let block {
            let reason = try TextRules.name(block, field: "block", maxLength: 200)
            notesText = notesText.isEmpty ? "Blocked: \(reason)" : "Blocked: \(reason)\n\(notesText)"
        }
        var choice: CustomerChoice?
        var preferred: [ResourceID] = []
        if let customer {
            let c = try Resolver.customer(customer, in: session.store)
            choice = .existing(c.id)
            preferred = try session.store.recentResources(of: c.id, before: startAt)
        }
        if let newCustomer {
            try TextRules.name(newCustomer, field: "new-customer")
            choice = .new(name: newCustomer, phone: phone, email: email)
        }
        if given.isEmpty {
            throw CLIError.usage("say who the booking is for: --customer NAME|REF|ID (an existing customer), --new-customer NAME [--phone P] [--email E], or --block REASON (time with no customer)")
        }
        let request = ServiceBookingRequest(
            service: s.id, start: startAt, customer: choice, fixed: fixed.map(\.id), preferred: preferred,
            status: try status.map { try InputParsing.status($0) } ?? .confirmed,
            hold: try InputParsing.optionalDuration(hold, field: "hold", allowZero: false),
            notes: notesText, idempotencyKey: try InputParsing.idempotencyKey(idempotencyKey), overrideReason: override,
            price: try money.draft(state: state))
        let actor = session.actor
        let outcome = try session.store.write("book", BookingEngine.change(for: request, in: state)) { state, engine throws(CoreError) in
            try engine.bookService(request, in: state, by: actor)
        }
        report(outcome, after: session.store.state)
    }
}
