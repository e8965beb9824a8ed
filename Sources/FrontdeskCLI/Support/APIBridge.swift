import FrontdeskCore
import FrontdeskJSON
import FrontdeskStore

/// What the HTTP API (`FrontdeskServer`) shares with the command line, so both read input,
/// print bookings and name errors the same way: each member forwards to the command line's
/// own code.
package enum APIBridge {
    /// A booking as `--json` prints it (``BookingJSON``).
    package static func bookingJSON(_ b: Booking, state: BookingState) -> JSONTree { BookingJSON(b, state: state).json }
    /// A resource as `resource show --json` prints it.
    package static func resourceJSON(_ r: Resource, state: BookingState) -> JSONTree { ResourcePrinter.json(r, state) }
    /// A customer as `customer list --json` prints it.
    package static func customerJSON(_ c: Customer) -> JSONTree { CustomerPrinter.json(c) }
    /// A resource by id, reference or exact name (``Resolver/resource(_:in:)``).
    package static func resource(_ text: String, in state: BookingState) throws -> Resource { try Resolver.resource(text, in: state) }
    /// A catalog service by id or name (``BookingState/service(named:)``).
    package static func service(_ text: String, in state: BookingState) throws -> Service { try state.service(named: text) }
    /// The resources a customer's recent bookings held, most recent first: the stylist they
    /// saw last is tried first when a service is booked (as `book --service` does).
    package static func recentResources(of customer: CustomerID, before start: Instant, in store: any BookingStorage) throws -> [ResourceID] {
        try store.recentResources(of: customer, before: start)
    }
    /// Start times where the whole service fits, as `free --service` finds them (its
    /// candidate resources loaded first), and the state they were read from.
    package static func serviceStarts(_ store: any BookingStorage, clock: any WallClock, service: Service, window: TimeRange,
                                      limit: Int) throws -> ([ServiceStart], BookingState) {
        let pool = store.state.candidates(for: service)
        do {
            let margin = TimeSpan(seconds: service.bufferBefore.seconds + service.bufferAfter.seconds) + .days(1)
            try store.load(resources: pool.map(\.id), range: TimeRange(start: window.start - margin, end: window.end + margin))
        } catch let e as StoreError { throw Store.asIncomplete(e) }
        let state = store.state
        let zone = pool.first?.zone ?? .utc
        return (state.serviceStarts(service, within: window, now: clock.now(), zone: zone, limit: limit), state)
    }
    /// A customer by id, reference or name (``Resolver/customer(_:in:)``).
    package static func customer(_ text: String, in store: any BookingStorage) throws -> Customer { try Resolver.customer(text, in: store) }
    /// A booking by id or reference, refusing on a damaged store (as `show` does).
    package static func booking(_ text: String, in store: any BookingStorage) throws -> Booking { try findBooking(text, in: store) }
    /// An instant: ISO-8601 with an offset, or wall-clock time in `zone`.
    package static func instant(_ text: String, field: String, zone: Zone) throws -> Instant {
        try InputParsing.instant(text, field: field, zone: zone)
    }
    /// A positive duration (`45m`, `1h30m`).
    package static func duration(_ text: String, field: String) throws -> TimeSpan { try InputParsing.duration(text, field: field) }
    /// A booking status by its stored name.
    package static func status(_ text: String, field: String) throws -> BookingStatus { try InputParsing.status(text, field: field) }
    /// The end of a booking from `end` or `duration`, exactly one (``BookingTimes/end(start:end:duration:zone:)``).
    package static func end(start: Instant, end: String?, duration: String?, zone: Zone) throws -> Instant {
        try BookingTimes.end(start: start, end: end, duration: duration, zone: zone)
    }

    /// Bookings matching `list`'s filters, in start order, and the state they were read from.
    package static func list(_ store: any BookingStorage, clock: any WallClock, resource: String?, customer: String?, from: String?, to: String?,
                             status: String?) throws -> ([Booking], BookingState) {
        try BookingQuery(resource: resource, customer: customer, from: from, to: to, status: status).run(store, clock: clock)
    }

    /// Free slots as `free` finds them.
    package static func freeSlots(_ store: any BookingStorage, clock: any WallClock, resources: [Resource], window: TimeRange,
                                  duration: TimeSpan, limit: Int?) throws -> ([Slot], BookingState) {
        try (store as? Store)?.requireComplete()
        do {
            try store.load(resources: resources.map(\.id), range: TimeRange(start: window.start - .days(1), end: window.end + .days(1)))
        } catch let e as StoreError { throw Store.asIncomplete(e) }
        let state = store.state
        return (state.freeSlots(FreeSlotQuery(resources: resources.map(\.id), window: window, duration: duration, limit: limit), now: clock.now()), state)
    }

    /// Customers whose name has a word starting with `search`, or whose reference (and, with
    /// `contact`, phone or e-mail) is `search`, as `customer list --search` finds them.
    package static func customers(_ store: any BookingStorage, search: String?, contact: Bool) throws -> [Customer] {
        try (store as? Store)?.requireComplete()
        let list: [Customer]
        if let search {
            var found: [CustomerID: Customer] = [:]
            for c in try store.customers(namePrefix: search, limit: Int.max) { found[c.id] = c }
            var keys = [CustomerKey.reference(search)]
            if contact, let p = CustomerKey.phoneKey(search), search.unicodeScalars.allSatisfy({ !$0.properties.isAlphabetic }) { keys.append(p) }
            if contact, let e = CustomerKey.emailKey(search) { keys.append(e) }
            for key in keys { for c in try store.customers(key: key) { found[c.id] = c } }
            list = Array(found.values)
        } else {
            list = try store.allCustomers()
        }
        return list.sorted { ($0.name.lowercased(), $0.ref) < ($1.name.lowercased(), $1.ref) }
    }

    /// Store options as every command opens the store with (lock timeout, compaction interval).
    package static func storeOptions(user: String) -> StoreOptions { Session.storeOptions(user: user) }
    /// The clock every command reads.
    package static var clock: any WallClock { Session.clock }

    /// How the command line names an error: its exit code, its `--json` error code
    /// (`conflict`, `stale_version`, `policy`, `not_found`, `busy`, `io`, …), the message
    /// (times in the resources' zones of `state`) and the JSON details (`conflicts_with`,
    /// `current_version`).
    package static func describe(_ error: Error, state: BookingState?) -> (exit: Int32, code: String, message: String, extra: [String: JSONTree]) {
        var (exit, code, message, extra) = FrontdeskMain.classify(error)
        let core: CoreError? = (error as? CoreError) ?? { if case .core(let c)? = error as? StoreError { return c } else { return nil } }()
        if let core { message = core.commandLineMessage(in: state) }
        if exit == ExitStatus.usage { code = "invalid_input" }
        return (exit, code, message, extra)
    }
}
