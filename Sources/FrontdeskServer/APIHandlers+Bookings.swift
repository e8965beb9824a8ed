import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore

extension APIHandlers {
    /// The members `POST /v1/bookings` takes.
    static let bookingMembers: Set<String> = ["resource", "service", "start", "end", "duration", "customer", "new_customer", "status", "hold", "notes"]

    /// `POST /v1/bookings` with `Idempotency-Key`: 201 with `Location` and `ETag`; a replay
    /// of the same key and request answers the first request's 201 exactly, with
    /// `Idempotent-Replayed: true`. Committed with the other bookings queued on the writer lane
    /// (``WriterLane``) on a file store, in a transaction of its own on a database.
    func createBooking(_ r: APIRequest) async throws -> APIReply {
        let o = try r.members(allowed: Self.bookingMembers)
        guard let key = r.headers["idempotency-key"] else {
            throw ServerError.invalidField(field: "Idempotency-Key", message: "this header is required: a client key that makes a retry book once")
        }
        let prefix = Self.keyPrefix(r.token.name)
        guard !key.isEmpty, key.utf8.count + prefix.utf8.count <= TextRules.maximumKeyBytes else {
            throw ServerError.invalidField(field: "Idempotency-Key",
                                           message: "must be 1 to \(TextRules.maximumKeyBytes - prefix.utf8.count) bytes for this token")
        }
        let serviceText = try APIRequest.string(o, "service")
        let resourceText = try APIRequest.string(o, "resource")
        if serviceText == nil && resourceText == nil {
            throw ServerError.invalidField(field: "resource", message: "required: the resource's id, reference or name (or a service)")
        }
        guard let startText = try APIRequest.string(o, "start") else {
            throw ServerError.invalidField(field: "start", message: "required: ISO-8601 with an offset, or wall-clock time in the resource's zone")
        }
        let endText = try APIRequest.string(o, "end")
        let durationText = try APIRequest.string(o, "duration")
        let customerText = try APIRequest.string(o, "customer")
        let statusText = try APIRequest.string(o, "status")
        let holdText = try APIRequest.string(o, "hold")
        let notes = try APIRequest.string(o, "notes") ?? ""
        var newCustomer: (name: String, phone: String?, email: String?)?
        if let nc = o["new_customer"], nc != .null {
            guard case .object(let n) = nc else { throw ServerError.invalidField(field: "new_customer", message: "must be an object {name, phone, email}") }
            for k in n.keys.sorted() where !["name", "phone", "email"].contains(k) {
                throw ServerError.invalidField(field: "new_customer.\(k)", message: "unknown member; new_customer takes name, phone, email")
            }
            guard let name = try APIRequest.string(n, "name") else { throw ServerError.invalidField(field: "new_customer.name", message: "required") }
            newCustomer = (name, try APIRequest.string(n, "phone"), try APIRequest.string(n, "email"))
        }
        if customerText != nil && newCustomer != nil { throw ServerError.invalidField(field: "customer", message: "give customer or new_customer, not both") }
        if customerText == nil && newCustomer == nil {
            throw ServerError.invalidField(field: "customer", message: "required: an existing customer's id (customer) or new_customer {name, phone, email}")
        }
        try r.authorize(.book)
        let storeKey = prefix + key
        try inFlight.begin(storeKey, shown: key)
        defer { inFlight.end(storeKey) }
        let actor = r.actor
        let access = r.access
        let nc = newCustomer
        if let serviceText {
            if endText != nil || durationText != nil {
                throw ServerError.invalidField(field: durationText != nil ? "duration" : "end", message: "a service sets the length; leave out end and duration")
            }
            return await lanes.book(access) { store in
                // The state is read in a scope of its own: a copy of it still alive while the
                // group is written makes applying the booking copy every table (copy-on-write).
                let request: ServiceBookingRequest, change: ChangeRequest
                do {
                    let state = store.state
                    let s = try APIBridge.service(serviceText, in: state)
                    let fixed = try resourceText.map { [try APIBridge.resource($0, in: state)] } ?? []
                    let zone = fixed.first?.zone ?? state.candidates(for: s).first?.zone ?? .utc
                    let start = try APIBridge.instant(startText, field: "start", zone: zone)
                    let choice: CustomerChoice
                    var preferred: [ResourceID] = []
                    if let customerText {
                        let c = try APIBridge.customer(customerText, in: store)
                        choice = .existing(c.id)
                        preferred = try APIBridge.recentResources(of: c.id, before: start, in: store)
                    } else {
                        choice = .new(name: nc!.name, phone: nc!.phone, email: nc!.email)
                    }
                    request = ServiceBookingRequest(
                        service: s.id, start: start, customer: choice, fixed: fixed.map(\.id), preferred: preferred,
                        status: try statusText.map { try APIBridge.status($0, field: "status") } ?? .confirmed,
                        hold: try holdText.map { try APIBridge.duration($0, field: "hold") }, notes: notes, idempotencyKey: storeKey)
                    change = BookingEngine.change(for: request, in: state)
                }
                return GroupedWrite(change: change, access: access) { state, engine throws(CoreError) in
                    try Self.booked(try engine.bookService(request, in: state, by: actor), key: storeKey, state: state)
                }
            }
        }
        return await lanes.book(access) { store in
            // `store.state` is not kept in a local: a copy still alive while the group is
            // written makes applying the booking copy every table (copy-on-write).
            let res = try APIBridge.resource(resourceText!, in: store.state)
            let s = try APIBridge.instant(startText, field: "start", zone: res.zone)
            let e = try APIBridge.end(start: s, end: endText, duration: durationText, zone: res.zone)
            let choice: CustomerChoice
            if let customerText { choice = .existing(try APIBridge.customer(customerText, in: store).id) }
            else { choice = .new(name: nc!.name, phone: nc!.phone, email: nc!.email) }
            let request = BookingRequest(
                resource: res.id, customer: choice, range: TimeRange(start: s, end: e),
                status: try statusText.map { try APIBridge.status($0, field: "status") } ?? .confirmed,
                hold: try holdText.map { try APIBridge.duration($0, field: "hold") }, notes: notes, idempotencyKey: storeKey)
            return GroupedWrite(change: .book(request), access: access) { state, engine throws(CoreError) in
                try Self.booked(try engine.book(request, in: state, by: actor), key: storeKey, state: state)
            }
        }
    }

    /// The 201 answer to a booking request, rendered while it is planned: `Location`, `ETag`,
    /// the booking as created. Its exact bytes go into the key's idempotency record in the same
    /// journal record as the booking, so a replay (`Idempotent-Replayed: true`) answers them
    /// again however the booking changed since. A key bound by a build that kept no answer
    /// replays the booking as it is now.
    static func booked(_ planned: Planned<BookingOutcome>, key: String, state: BookingState) throws(CoreError) -> Planned<APIReply> {
        let outcome = planned.value
        guard let b = outcome.bookings.first else { throw CoreError.notFound(kind: "booking", id: key) }
        let location = ("Location", "/v1/bookings/\(b.id.rawValue)")
        var tx = planned.transaction
        if outcome.replayed {
            if let text = state.idempotencyKeys[key]?.response {
                let bytes = Array(text.utf8)
                let version = (try? JSONTree(parsing: bytes))?.objectValue?["version"]?.doubleValue.map { Int($0) } ?? b.version
                return Planned(transaction: tx, value: APIReply(status: 201, headers: [location, ("ETag", "\"\(version)\""), ("Idempotent-Replayed", "true")],
                                                                body: .null, raw: bytes))
            }
            return Planned(transaction: tx, value: .json(201, json(b, state), headers: [location, etag(b), ("Idempotent-Replayed", "true")]))
        }
        var body = json(b, state)
        // A customer created with the booking is not in `state` yet: its name comes from the plan.
        if let c = outcome.createdCustomer, b.customer == c.id, case .object(var o) = body {
            o["customer_name"] = .string(c.name)
            body = .object(o)
        }
        let bytes = body.serialized()
        for (i, m) in tx.mutations.enumerated() {
            if case .idempotencyKey(var record) = m, record.key == key {
                record.response = String(decoding: bytes, as: UTF8.self)
                tx.mutations[i] = .idempotencyKey(record)
            }
        }
        return Planned(transaction: tx, value: APIReply(status: 201, headers: [location, etag(b)], body: body, raw: bytes))
    }

    /// What `POST /v1/bookings/{id}/ACTION` does.
    enum Action: String, CaseIterable {
        case cancel, reschedule, confirm, complete
        case noShow = "no-show"
    }

    /// `POST /v1/bookings/{id}/cancel|reschedule|confirm|complete|no-show` with `If-Match`:
    /// 200 with the booking and its new `ETag`; a stale `If-Match` is 412 with the current
    /// version, a missing one 428.
    func change(_ id: String, _ action: Action, _ r: APIRequest) async throws -> APIReply {
        let expect = try r.ifMatchVersion()
        let o: [String: JSONTree]
        switch action {
        case .cancel: o = try r.members(allowed: ["reason", "scope"], required: false)
        case .reschedule: o = try r.members(allowed: ["start", "end", "duration", "resource", "scope"])
        case .confirm, .complete, .noShow: o = try r.members(allowed: [], required: false)
        }
        let reason = try APIRequest.string(o, "reason") ?? ""
        let scopeText = try APIRequest.string(o, "scope")
        guard let scope = SeriesScope(rawValue: (scopeText ?? "this").lowercased()) else {
            throw ServerError.invalidField(field: "scope", message: "use this, following or all")
        }
        let startText = try APIRequest.string(o, "start")
        let endText = try APIRequest.string(o, "end")
        let durationText = try APIRequest.string(o, "duration")
        let resourceText = try APIRequest.string(o, "resource")
        if action == .reschedule && startText == nil { throw ServerError.invalidField(field: "start", message: "required: the new start") }
        switch action {
        case .cancel: try r.authorize(.cancel)
        case .reschedule: try r.authorize(.move)
        case .confirm, .complete, .noShow: try r.authorize(.changeStatus)
        }
        let actor = r.actor
        let access = r.access
        return try await write(access) { store in
            let b = try APIBridge.booking(id, in: store)
            switch action {
            case .cancel:
                _ = try Self.commit(store, access, "api cancel", .cancel(b.id, scope: scope)) { state, engine throws(CoreError) in
                    try engine.cancel(b.id, reason: reason, scope: scope, expectVersion: expect, in: state, by: actor)
                }
            case .reschedule:
                let target = try resourceText.map { try APIBridge.resource($0, in: store.state) }
                let zone = target?.zone ?? store.state.resources[b.resource]?.zone ?? .utc
                let s = try APIBridge.instant(startText!, field: "start", zone: zone)
                let e = endText == nil && durationText == nil ? s + b.range.duration
                    : try APIBridge.end(start: s, end: endText, duration: durationText, zone: zone)
                let range = TimeRange(start: s, end: e)
                _ = try Self.commit(store, access, "api reschedule", .reschedule(b.id, to: range, resource: target?.id, scope: scope)) { state, engine throws(CoreError) in
                    try engine.reschedule(b.id, to: range, resource: target?.id, scope: scope, expectVersion: expect, in: state, by: actor)
                }
            case .confirm, .complete, .noShow:
                let status: BookingStatus = action == .confirm ? .confirmed : action == .complete ? .completed : .noShow
                _ = try Self.commit(store, access, "api " + status.rawValue, .setStatus(b.id)) { state, engine throws(CoreError) in
                    try engine.setStatus(b.id, to: status, expectVersion: expect, in: state, by: actor)
                }
            }
            let now = try APIBridge.booking(b.id.rawValue, in: store)
            return .json(200, Self.json(now, store.state), headers: [Self.etag(now)])
        }
    }
}
