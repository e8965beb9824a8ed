import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

/// `frontdesk waitlist add|list|book|remove`.
struct WaitlistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "waitlist", abstract: "Customers waiting for a slot.",
                                                    subcommands: [Add.self, List.self, Book.self, Remove.self])

    static func entry(_ text: String, in state: BookingState) throws -> WaitlistEntry {
        if let e = state.waitlist[WaitlistEntryID(text)] { return e }
        if let e = state.waitlist.values.first(where: { $0.ref.lowercased() == text.lowercased() }) { return e }
        throw CoreError.notFound(kind: "waitlist entry", id: text)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Put a customer on the waitlist.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Customer id, reference or name.") var customer: String
        @Option(help: "Any of these resources (comma-separated).") var resource: String?
        @Option(help: "A catalog service instead of --resource and --duration: offered when a whole combination of resources frees.")
        var service: String?
        @Option(help: "Window start.") var from: String
        @Option(help: "Window end.") var to: String
        @Option(help: "Length wanted.") var duration: String?
        @Option(help: "Notes.") var notes: String?
        func run() throws {
            if service != nil, resource != nil || duration != nil {
                throw CLIError.usage("--service takes its resources and length from the catalog: leave out --resource and --duration")
            }
            if service == nil, resource == nil || duration == nil {
                throw CLIError.usage("say what is wanted: --resource R --duration D, or --service NAME")
            }
            let session = try StorageSession.open(global, for: .manageWaitlist)
            let state = session.store.state
            let c = try Resolver.customer(customer, in: session.store)
            if let service {
                let s = try state.service(named: service)
                let z = state.candidates(for: s).first?.zone ?? Session.displayZone
                let window = TimeRange(start: try InputParsing.instant(from, field: "from", zone: z), end: try InputParsing.instant(to, field: "to", zone: z))
                let actor = session.actor, n = notes ?? ""
                let e = try session.store.write("waitlist add", .directory) { state, engine throws(CoreError) in
                    try engine.addServiceToWaitlist(customer: c.id, service: s.id, window: window, notes: n, in: state, by: actor)
                }
                WaitlistPrinter.print([e], session.store.state, json: global.json)
                return
            }
            guard let resource, let duration else { return }
            let rs = try Resolver.resources(resource, in: state)
            let z = rs[0].zone
            let window = TimeRange(start: try InputParsing.instant(from, field: "from", zone: z), end: try InputParsing.instant(to, field: "to", zone: z))
            let d = try InputParsing.duration(duration, field: "duration")
            let actor = session.actor, n = notes ?? ""
            let e = try session.store.write("waitlist add", .directory) { state, engine throws(CoreError) in
                try engine.addToWaitlist(customer: c.id, resources: rs.map(\.id), window: window, duration: d, notes: n, in: state, by: actor)
            }
            WaitlistPrinter.print([e], session.store.state, json: global.json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List open waitlist entries.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Include fulfilled and removed entries.") var all = false
        func run() throws {
            let session = try StorageSession.open(global, for: .readDiary)
            try session.requireComplete() // a damaged journal may hold changes to what is listed
            try session.loadWaitlistCustomers() // the entries' customers, for their names
            let state = session.store.state
            // Entries made within the same second keep the order of their references.
            WaitlistPrinter.print(state.waitlist.values.filter { all || $0.isOpen }.sorted { ($0.createdAt, $0.ref) < ($1.createdAt, $1.ref) }, state, json: global.json)
        }
    }

    struct Book: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "book", abstract: "Turn an entry into a booking (first free slot, or --start).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Entry id or reference.") var entry: String
        @Option(help: "Start of the slot to take (default: the first that fits).") var start: String?
        @Option(help: "Resource for --start (default: the entry's first).") var resource: String?
        func run() throws {
            let session = try StorageSession.open(global, for: .manageWaitlist)
            let e = try WaitlistCommand.entry(entry, in: session.store.state)
            var slot: Slot?
            if let start {
                let r = try resource.map { try Resolver.resource($0, in: session.store.state) } ?? session.store.state.resources[e.resources[0]]!
                let s = try InputParsing.instant(start, field: "start", zone: r.zone)
                slot = Slot(resource: r.id, range: TimeRange(start: s, end: s + e.duration))
                // Checked here so the message names the flag typed (the engine calls it "slot").
                guard e.resources.contains(r.id) else {
                    throw CLIError.invalidInput(field: "resource", message: "\(Format.safe(r.name)) is not one of the entry's resources")
                }
                guard e.window.contains(TimeRange(start: s, end: s + e.duration)) else {
                    throw CLIError.invalidInput(field: "start", message: "\(Format.local(s, r.zone)) + \(e.duration.text) does not fit the entry's window \(Format.local(e.window.start, r.zone)) – \(Format.local(e.window.end, r.zone))")
                }
            }
            let actor = session.actor, chosen = slot
            let out = try session.store.write("waitlist book", .bookFromWaitlist(e.id)) { state, engine throws(CoreError) in
                try engine.bookFromWaitlist(e.id, slot: chosen, in: state, by: actor)
            }
            printBookings(out.bookings, session.store, json: global.json, verb: "Booked")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Withdraw an entry.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Entry id or reference.") var entry: String
        func run() throws {
            let session = try StorageSession.open(global, for: .manageWaitlist)
            let e = try WaitlistCommand.entry(entry, in: session.store.state)
            let actor = session.actor
            let done = try session.store.write("waitlist remove", .directory) { state, engine throws(CoreError) in try engine.removeFromWaitlist(e.id, in: state, by: actor) }
            _ = try session.store.customer(id: done.customer) // for its name
            WaitlistPrinter.print([done], session.store.state, json: global.json)
        }
    }
}

enum WaitlistPrinter {
    /// An entry as `--json` prints it; `fulfilled_by` is left out while the entry is unfulfilled.
    static func json(_ e: WaitlistEntry, _ state: BookingState) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(e.id.rawValue)
        o["ref"] = .string(e.ref)
        o["customer"] = .string(e.customer.rawValue)
        o["customer_name"] = .string(state.customers[e.customer]?.name ?? "?")
        o["resources"] = .array(e.resources.map { .string($0.rawValue) })
        o["window_start"] = .string(e.window.start.iso8601)
        o["window_end"] = .string(e.window.end.iso8601)
        o["duration"] = .string(e.duration.text)
        o["notes"] = .string(e.notes)
        o["fulfilled_by"] = .optional(e.fulfilledBy?.rawValue)
        if let s = e.service {
            o["service"] = .string(s.rawValue)
            o["service_name"] = .string(state.services[s]?.name ?? s.rawValue)
        }
        o["open"] = .bool(e.isOpen)
        return .object(o)
    }

    static func print(_ list: [WaitlistEntry], _ state: BookingState, json: Bool) {
        if json {
            let items = list.map { Self.json($0, state) }
            Console.out(items.count == 1 ? Format.json(items[0]) : Format.json(items))
            return
        }
        if list.isEmpty { Console.out("Nobody is waiting."); return }
        Console.out(Format.table(["REF", "CUSTOMER", "RESOURCES", "WINDOW", "LENGTH"], list.map { e in
            let z = state.resources[e.resources[0]]?.zone ?? .utc
            let wanted = e.service.map { "service " + (state.services[$0]?.name ?? $0.rawValue) }
                ?? e.resources.map { state.resources[$0]?.name ?? "?" }.joined(separator: ",")
            return [e.ref, state.customers[e.customer]?.name ?? "?", wanted,
                    "\(Format.local(e.window.start, z)) – \(Format.local(e.window.end, z))", e.duration.text]
        }))
    }
}
