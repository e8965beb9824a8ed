import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskStore

/// Finds a booking by id or reference anywhere in the store (loading its partition).
func findBooking(_ text: String, in storage: any BookingStorage) throws -> Booking {
    let found: Booking?
    if let store = storage as? Store {
        // On a damaged store "not found" (or an old version) could be a booking that cannot be read.
        try store.requireComplete()
        do { found = try store.booking(idOrRef: text.trimming(.whitespaces)) } catch { throw Store.asIncomplete(error) }
    } else {
        found = try storage.booking(idOrRef: text.trimming(.whitespaces))
    }
    guard let b = found else {
        throw CoreError.notFound(kind: "booking", id: text)
    }
    return b
}

func printBookings(_ list: [Booking], _ store: any BookingStorage, json: Bool, verb: String) {
    let state = store.state
    if json {
        Console.out(list.count == 1 ? Format.json(BookingJSON(list[0], state: state)) : Format.json(list.map { BookingJSON($0, state: state) }))
    } else {
        for b in list { Console.out("\(verb) " + BookingLine.text(b, state: state)) }
    }
}

func parseScope(_ text: String?) throws -> SeriesScope {
    guard let text else { return .this }
    guard let s = SeriesScope(rawValue: text.lowercased()) else {
        throw CLIError.invalidInput(field: "scope", message: "\"\(text)\" is not a scope; use this, following or all")
    }
    return s
}

/// `frontdesk cancel`.
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a booking (or more of its series).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Why (kept in the history).") var reason: String?
    @Option(help: "this, following or all (for a recurring booking).") var scope: String?
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?
    @Option(help: "Manager override for a late cancellation, with the reason.") var override: String?

    func run() throws {
        let session = try StorageSession.open(global, for: .cancel)
        if override != nil { try session.authorize(.overridePolicy) }
        let b = try findBooking(id, in: session.store)
        let scope = try parseScope(self.scope)
        let actor = session.actor
        let (reason, expect, override) = (self.reason ?? "", expectVersion, self.override)
        let done = try session.store.write("cancel", .cancel(b.id, scope: scope)) { state, engine throws(CoreError) in
            try engine.cancel(b.id, reason: reason, scope: scope, expectVersion: expect, overrideReason: override, in: state, by: actor)
        }
        printBookings(done, session.store, json: global.json, verb: "Cancelled")
    }
}

/// `frontdesk reschedule`.
struct RescheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reschedule", abstract: "Move a booking to a new time (or resource).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "New start.") var start: String
    @Option(help: "New end (or --duration; default keeps the length).") var end: String?
    @Option(help: "New length.") var duration: String?
    @Option(help: "Move onto this resource; repeat for a booking holding several (the set given replaces every resource it held).")
    var resource: [String] = []
    @Option(help: "this, following or all.") var scope: String?
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?
    @Option(help: "Manager override of policy refusals (and of a late move out of the cancellation notice), with the reason.") var override: String?

    func run() throws {
        let session = try StorageSession.open(global, for: .move)
        if override != nil { try session.authorize(.overridePolicy) }
        let b = try findBooking(id, in: session.store)
        let targets = try resource.map { try Resolver.resource($0, in: session.store.state) }
        let target = targets.first
        let zone = target?.zone ?? session.store.state.resources[b.resource]?.zone ?? .utc
        let s = try InputParsing.instant(start, field: "start", zone: zone)
        let e = (end == nil && duration == nil) ? s + b.range.duration : try BookingTimes.end(start: s, end: end, duration: duration, zone: zone)
        // With neither --end nor --duration the length is kept: the start given is what moved it out.
        try InputParsing.supported(e, field: end != nil ? "end" : duration != nil ? "duration" : "start")
        let scope = try parseScope(self.scope)
        let actor = session.actor
        let (expect, override) = (expectVersion, self.override)
        let range = TimeRange(start: s, end: e)
        let ids = targets.isEmpty ? nil : targets.map(\.id)
        let change = ids.map { ChangeRequest.rescheduleOnto(b.id, to: range, resources: $0, scope: scope) }
            ?? ChangeRequest.reschedule(b.id, to: range, resource: nil, scope: scope)
        let done = try session.store.write("reschedule", change) { state, engine throws(CoreError) in
            try engine.reschedule(b.id, to: range, resources: ids, scope: scope, expectVersion: expect, overrideReason: override, in: state, by: actor)
        }
        printBookings(done, session.store, json: global.json, verb: "Moved")
    }
}

/// Shared body of confirm / complete / no-show.
struct StatusChange {
    static func run(_ global: GlobalOptions, id: String, to status: BookingStatus, expectVersion: Int?, verb: String) throws {
        let session = try StorageSession.open(global, for: .changeStatus)
        let b = try findBooking(id, in: session.store)
        let actor = session.actor
        let done = try session.store.write(status.rawValue, .setStatus(b.id)) { state, engine throws(CoreError) in
            try engine.setStatus(b.id, to: status, expectVersion: expectVersion, in: state, by: actor)
        }
        printBookings([done], session.store, json: global.json, verb: verb)
    }
}

struct ConfirmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "confirm", abstract: "Confirm a tentative or held booking.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?
    func run() throws { try StatusChange.run(global, id: id, to: .confirmed, expectVersion: expectVersion, verb: "Confirmed") }
}

struct CompleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "complete", abstract: "Mark a started booking as completed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?
    func run() throws { try StatusChange.run(global, id: id, to: .completed, expectVersion: expectVersion, verb: "Completed") }
}

struct NoShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "no-show", abstract: "Mark a started booking as a no-show.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String
    @Option(help: "Refuse unless the booking is still at this version.") var expectVersion: Int?
    func run() throws { try StatusChange.run(global, id: id, to: .noShow, expectVersion: expectVersion, verb: "No-show") }
}

/// `frontdesk show`: every field and the full history.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a booking with its full history.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Booking id or reference.") var id: String

    func run() throws {
        let session = try StorageSession.open(global, for: .readDiary)
        let b = try findBooking(id, in: session.store)
        let state = session.store.state
        if global.json { Console.out(Format.json(BookingJSON(b, state: state, withHistory: true))); return }
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        var lines: [(String, String)] = [
            ("Reference", b.ref), ("Id", b.id.rawValue),
            (b.otherResources.isEmpty ? "Resource" : "Resources", b.resources.map { id in
                state.resources[id].map { "\($0.name) (\($0.ref))" } ?? "? (\(id.rawValue))" }.joined(separator: " + ")),
            ("Customer", b.customer.flatMap { state.customers[$0].map(session.access.visible).map { "\($0.name) (\($0.ref))" + ($0.phone.map { ", \($0)" } ?? "") } } ?? "(blocked time)"),
            ("When", Format.span(b.range, zone)),
            ("UTC", "\(b.start) – \(b.end)"), ("Status", b.status.rawValue), ("Version", String(b.version)),
            ("Created", "\(Format.local(b.createdAt, zone)) by \(b.createdBy.user) from \(b.createdBy.origin) via \(b.createdBy.source.rawValue)"),
            ("Updated", "\(Format.local(b.updatedAt, zone)) by \(b.updatedBy.user) from \(b.updatedBy.origin) via \(b.updatedBy.source.rawValue)"),
        ]
        if let s = b.service { lines.insert(("Service", state.services[s].map { "\($0.name) (\(s.rawValue))" } ?? s.rawValue), at: 3) }
        if b.bufferBefore.seconds > 0 || b.bufferAfter.seconds > 0 {
            lines.append(("Buffers", "\(b.bufferBefore.text) before, \(b.bufferAfter.text) after (its own, beside each resource's)"))
        }
        if !b.notes.isEmpty { lines.append(("Notes", b.notes)) }
        if let s = b.series { lines.append(("Series", "\(s) (occurrence \(b.occurrenceDate?.description ?? "?"))")) }
        if let h = b.holdExpiresAt { lines.append(("Hold until", Format.local(h, zone))) }
        if let c = b.cancellation { lines.append(("Cancelled", "\(Format.local(c.at, zone)) by \(c.by): \(c.reason)\(c.late ? " (late)" : "")")) }
        if let k = b.idempotencyKey { lines.append(("Idempotency key", k)) }
        if let o = b.overrideReason { lines.append(("Override", o)) }
        lines += MoneyOutput.lines(b)
        for (k, v) in lines { Console.out(Format.safe(k.padded(toLength: 16) + v)) }
        let ledger = MoneyOutput.ledgerLines(b, zone: zone)
        if !ledger.isEmpty {
            Console.out("Payments")
            for l in ledger { Console.out(Format.safe(l)) }
        }
        Console.out("History")
        for h in b.history {
            Console.out(Format.safe("  v\(h.version)  \(Format.local(h.at, zone))  \(h.actor.user)@\(h.actor.origin) (\(h.actor.source.rawValue))  \(h.action): \(h.changes.joined(separator: "; "))"))
        }
    }
}
