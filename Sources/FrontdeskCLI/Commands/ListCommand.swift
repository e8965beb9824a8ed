import ArgumentParser
import FrontdeskCore
import FrontdeskTUI
import FrontdeskJSON
import FrontdeskStore

/// `frontdesk list`: bookings matching filters, in start order.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List bookings.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Resource id, reference or name (comma-separated for several).") var resource: String?
    @Option(help: "Customer id, reference or name.") var customer: String?
    @Option(help: "From (default: today's start in the display zone).") var from: String?
    @Option(help: "To (default: 7 days after --from).") var to: String?
    @Option(help: "Only this status (comma-separated for several).") var status: String?
    @Option(help: "Only bookings whose reference, notes or customer's name have words starting with each word of this text (any case and accents); across all dates unless --from or --to is given.")
    var search: String?

    func run() throws {
        let session = try StorageSession.open(global, for: .readDiary)
        var query = BookingQuery(resource: resource, customer: customer, from: from, to: to, status: status)
        query.search = search
        let (bookings, state) = try query.run(session.store, clock: session.clock)
        if global.json { Console.out(Format.json(bookings.map { BookingJSON($0, state: state) })); return }
        if bookings.isEmpty { Console.out("No bookings."); return }
        Console.out(Self.table(bookings, state: state))
    }

    /// Bookings as `list` prints them: one row each, times in their resource's zone.
    static func table(_ bookings: [Booking], state: BookingState) -> String {
        let rows = bookings.map { b -> [String] in
            let r = state.resources[b.resource]
            let z = r?.zone ?? .utc
            let (start, end) = Format.spanEnds(b.range, z, weekdays: false)
            let names = b.otherResources.isEmpty ? r?.name ?? "?" : state.resourceNames(b.resources)
            return [b.ref, start, end, names, b.customer.flatMap { state.customers[$0]?.name } ?? "(blocked)",
                    b.status.rawValue, "v\(b.version)", b.notes.split(separator: "\n").first.map(String.init) ?? ""]
        }
        return Format.table(["REF", "START", "END", "RESOURCE", "CUSTOMER", "STATUS", "VER", "NOTES"], rows)
    }
}

/// Filters shared by `list` and `export`.
struct BookingQuery {
    var resource: String?
    var customer: String?
    var from: String?
    var to: String?
    var status: String?
    /// With no --from: everything (export) rather than from today (list).
    var everythingByDefault = false
    /// Answer from what is readable instead of refusing when data the answer depends on failed
    /// verification (`export --allow-partial`); `missing` then says what was left out.
    var allowPartial = false
    /// Only bookings matching this search text (`Store.search`); with neither --from nor --to,
    /// across all dates.
    var search: String?

    func run(_ store: any BookingStorage, clock: any WallClock) throws -> ([Booking], BookingState) {
        let (list, state, _) = try runReportingMissing(store, clock: clock)
        return (list, state)
    }

    /// The bookings, the state they were read from, and (only with `allowPartial`) what could
    /// not be read, one line each. Without `allowPartial` a damaged store fails with
    /// `StoreError.incomplete` naming what is missing. On another storage (PostgreSQL) every
    /// read is whole or fails, so nothing is reported missing.
    func runReportingMissing(_ store: any BookingStorage, clock: any WallClock) throws -> ([Booking], BookingState, [String]) {
        var missing: [String] = []
        let files = store as? Store
        if allowPartial {
            if let m = files?.missingRecords { missing.append(m) }
        } else {
            try files?.requireComplete()
        }
        /// A file store's damaged partition as "incomplete", naming what is missing.
        func incomplete(_ error: any Error) -> any Error { (error as? StoreError).map(Store.asIncomplete) ?? error }
        let state0 = store.state
        let resources = try resource.map { try Resolver.resources($0, in: state0) }
        let zone = resources?.first?.zone ?? Session.displayZone
        let customerID = try customer.map { try Resolver.customer($0, in: store).id }
        let statuses = try status.map { try Set($0.split(separator: ",").map { try InputParsing.status(String($0)) }) }
        let start: Instant
        if let from { start = try InputParsing.instant(from, field: "from", zone: zone) }
        else if everythingByDefault { start = Instant(seconds: 0) }
        else { start = zone.startOfDay(zone.local(clock.now()).date) }
        let end: Instant
        if let to { end = try InputParsing.instant(to, field: "to", zone: zone) }
        else if everythingByDefault && from == nil { end = Instant(seconds: 253_402_300_799) }
        else { end = start + .days(7) }
        guard end > start else { throw CLIError.invalidInput(field: "to", message: "must be after --from") }
        let range = TimeRange(start: start, end: end)
        if let search {
            let wanted = resources.map { Set($0.map(\.id)) }
            let within = from == nil && to == nil ? nil : range
            let found: [Booking]
            do { found = try store.search(text: search, range: within, limit: Int.max) } catch { throw incomplete(error) }
            let list = found.filter { b in
                (wanted.map { w in b.resources.contains(where: w.contains) } ?? true) && (customerID == nil || b.customer == customerID)
                    && (statuses?.contains(b.status) ?? true)
            }.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
            return (list, store.state, missing)
        }
        if let customerID, !allowPartial {
            // One customer: their index entries name the partitions to read (docs/STORAGE.md,
            // "Customer index"), instead of every resource's partitions in the range.
            let wanted = resources.map { Set($0.map(\.id)) }
            let found: [Booking]
            do { found = try store.bookings(ofCustomer: customerID, range: range) } catch { throw incomplete(error) }
            let list = found.filter { b in (wanted.map { w in b.resources.contains(where: w.contains) } ?? true) && (statuses?.contains(b.status) ?? true) }
            return (list, store.state, missing)
        }
        if allowPartial, let files {
            missing += try files.loadReadable(resources: resources?.map(\.id), range: range)
        } else {
            do { try store.load(resources: resources?.map(\.id), range: range) } catch { throw incomplete(error) }
        }
        let state = store.state
        let wanted = resources.map { Set($0.map(\.id)) }
        let list = state.bookings.values.filter { b in
            b.range.overlaps(range) && (wanted.map { w in b.resources.contains(where: w.contains) } ?? true) && (customerID == nil || b.customer == customerID)
                && (statuses?.contains(b.status) ?? true)
        }.sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
        return (list, state, missing)
    }
}

/// `frontdesk free`: free start times.
struct FreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "free", abstract: "Find free slots on one or more resources, or start times for a service.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Resources, comma-separated: free slots on each. Repeat --resource for times when all of them are free at once (for a booking holding them all).")
    var resource: [String] = []
    @Option(help: "A catalog service: start times where all of it fits (instead of --resource and --duration).") var service: String?
    @Option(help: "Window start.") var from: String
    @Option(help: "Window end.") var to: String
    @Option(help: "Length wanted: 45m, 1h.") var duration: String?
    @Flag(help: "Only the first free slot on any of them.") var first = false
    @Option(help: "At most this many slots.") var limit: Int?

    func validate() throws {
        if service != nil {
            if !resource.isEmpty || duration != nil { throw ValidationError("--service sets the resources and the length; leave out --resource and --duration") }
        } else {
            if resource.isEmpty { throw ValidationError("Missing expected argument '--resource <resource>' (or give --service)") }
            if duration == nil { throw ValidationError("Missing expected argument '--duration <duration>'") }
        }
    }

    func run() throws {
        let session = try StorageSession.open(global, for: .readDiary)
        try session.requireComplete()
        if let service { return try serviceStarts(service, session: session) }
        guard let duration else { return }
        let together = resource.count > 1
        let resources = together ? try resource.map { try Resolver.resource($0, in: session.store.state) }
                                 : try Resolver.resources(resource.first ?? "", in: session.store.state)
        let zone = resources[0].zone
        let window = TimeRange(start: try InputParsing.instant(from, field: "from", zone: zone), end: try InputParsing.instant(to, field: "to", zone: zone))
        guard window.end > window.start else { throw CLIError.invalidInput(field: "to", message: "must be after --from") }
        let d = try InputParsing.duration(duration, field: "duration")
        try session.load(resources: resources.map(\.id), range: TimeRange(start: window.start - .days(1), end: window.end + .days(1)))
        let state = session.store.state
        let query = FreeSlotQuery(resources: resources.map(\.id), window: window, duration: d, limit: first ? 1 : limit)
        let slots: [Slot]
        if together {
            var q = query
            if first { q.limit = 1 }
            slots = state.freeSlots(together: q, now: session.clock.now())
        } else {
            slots = first ? state.firstFreeSlot(query, now: session.clock.now()).map { [$0] } ?? [] : state.freeSlots(query, now: session.clock.now())
        }
        if together && global.json {
            Console.out(Format.json(slots.map { s -> JSONTree in
                let r = state.resources[s.resource]!
                return ["resource": .string(s.resource.rawValue), "resource_name": .string(r.name),
                        "resources": .array(resources.map { .string($0.id.rawValue) }),
                        "resource_names": .array(resources.map { .string($0.name) }),
                        "start": .string(s.range.start.iso8601), "end": .string(s.range.end.iso8601),
                        "start_local": .string(Format.localISO(s.range.start, r.zone)), "end_local": .string(Format.localISO(s.range.end, r.zone))]
            }))
            return
        }
        if together && !slots.isEmpty {
            Console.out(Format.table(["RESOURCES", "START", "END"], slots.map { s in
                let r = state.resources[s.resource]!
                return [resources.map(\.name).joined(separator: " + "), Format.local(s.range.start, r.zone), Format.clock(s.range.end, r.zone)]
            }))
            return
        }
        if global.json {
            Console.out(Format.json(slots.map { s -> JSONTree in
                let r = state.resources[s.resource]!
                return ["resource": .string(s.resource.rawValue), "resource_name": .string(r.name),
                        "start": .string(s.range.start.iso8601), "end": .string(s.range.end.iso8601),
                        "start_local": .string(Format.localISO(s.range.start, r.zone)), "end_local": .string(Format.localISO(s.range.end, r.zone))]
            }))
            return
        }
        if slots.isEmpty { Console.out("No free slot of \(d.text) in that window."); return }
        Console.out(Format.table(["RESOURCE", "START", "END"], slots.map { s in
            let r = state.resources[s.resource]!
            return [r.name, Format.local(s.range.start, r.zone), Format.clock(s.range.end, r.zone)]
        }))
    }
}

extension FreeCommand {
    /// `free --service NAME --from --to`: start times where every requirement of the service is
    /// met at once, each with the resources `book --service` would choose.
    func serviceStarts(_ name: String, session: StorageSession) throws {
        let s = try session.store.state.service(named: name)
        let pool = session.store.state.candidates(for: s)
        let zone = pool.first?.zone ?? Session.displayZone
        let window = TimeRange(start: try InputParsing.instant(from, field: "from", zone: zone), end: try InputParsing.instant(to, field: "to", zone: zone))
        guard window.end > window.start else { throw CLIError.invalidInput(field: "to", message: "must be after --from") }
        if let limit, limit < 1 { throw CLIError.invalidInput(field: "limit", message: "must be at least 1") }
        let margin = TimeSpan(seconds: s.bufferBefore.seconds + s.bufferAfter.seconds) + .days(1)
        try session.load(resources: pool.map(\.id), range: TimeRange(start: window.start - margin, end: window.end + margin))
        let state = session.store.state
        let starts = state.serviceStarts(s, within: window, now: session.clock.now(), zone: zone, limit: first ? 1 : limit)
        func names(_ ids: [[ResourceID]]) -> [String] { ids.flatMap { $0 }.map { state.resources[$0]?.name ?? $0.rawValue } }
        if global.json {
            Console.out(Format.json(starts.map { st -> JSONTree in
                ["service": .string(s.id.rawValue), "service_name": .string(s.name),
                 "start": .string(st.range.start.iso8601), "end": .string(st.range.end.iso8601),
                 "start_local": .string(Format.localISO(st.range.start, zone)), "end_local": .string(Format.localISO(st.range.end, zone)),
                 "resources": .array(st.resources.flatMap { $0 }.map { .string($0.rawValue) }),
                 "resource_names": .array(names(st.resources).map { .string($0) })]
            }))
            return
        }
        if starts.isEmpty { Console.out(Format.safe("No start time for \(s.name) (\(s.duration.text)) in that window.")); return }
        Console.out(Format.table(["START", "END", "RESOURCES"], starts.map { st in
            [Format.local(st.range.start, zone), Format.clock(st.range.end, zone), names(st.resources).joined(separator: " + ")]
        }))
    }
}
