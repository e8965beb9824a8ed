import FrontdeskCLI
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskStore

extension APIHandlers {
    /// `GET /v1/bookings/{id}`: the booking with its `ETag`.
    func booking(_ id: String, _ r: APIRequest) async throws -> APIReply {
        try r.authorize(.readDiary)
        return try await read { store in
            let b = try APIBridge.booking(id, in: store)
            return .json(200, Self.json(b, store.state), headers: [Self.etag(b)])
        }
    }

    /// `GET /v1/bookings?resource=&customer=&from=&to=&status=&limit=&cursor=`: bookings in
    /// start order (then id), `limit` a page (default 50, at most 500), `next_cursor` for the
    /// page after (null on the last).
    func listBookings(_ r: APIRequest) async throws -> APIReply {
        try r.authorize(.readDiary)
        let q = r.query
        for k in q.keys.sorted() where !["resource", "customer", "from", "to", "status", "limit", "cursor"].contains(k) {
            throw ServerError.invalidField(field: k, message: "unknown query parameter; this endpoint takes resource, customer, from, to, status, limit, cursor")
        }
        let limit = try Self.limit(q["limit"], default: 50, max: 500)
        var cursor: (Int64, String)?
        if let c = q["cursor"] {
            let parts = c.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let s = Int64(parts[0]) else { throw ServerError.invalidField(field: "cursor", message: "not a cursor this server gave") }
            cursor = (s, String(parts[1]))
        }
        let after = cursor
        return try await read { store in
            let (all, state) = try APIBridge.list(store, clock: APIBridge.clock, resource: q["resource"], customer: q["customer"],
                                                  from: q["from"], to: q["to"], status: q["status"])
            let sorted = all.sorted { ($0.start.seconds, $0.id.rawValue) < ($1.start.seconds, $1.id.rawValue) }
            let rest = after.map { a in sorted.filter { ($0.start.seconds, $0.id.rawValue) > a } } ?? sorted
            let page = Array(rest.prefix(limit))
            let next: JSONTree = rest.count > limit ? .string("\(page.last!.start.seconds)_\(page.last!.id.rawValue)") : .null
            return .json(200, ["items": .array(page.map { Self.json($0, state) }), "next_cursor": next])
        }
    }

    /// `GET /v1/availability?resource=|service=&from=&to=&duration=&limit=`: free start times
    /// with every policy applied, as `frontdesk free` finds them.
    func availability(_ r: APIRequest) async throws -> APIReply {
        try r.authorize(.readDiary)
        let q = r.query
        for k in q.keys.sorted() where !["resource", "service", "from", "to", "duration", "limit"].contains(k) {
            throw ServerError.invalidField(field: k, message: "unknown query parameter; this endpoint takes resource, service, from, to, duration, limit")
        }
        guard let fromText = q["from"] else { throw ServerError.invalidField(field: "from", message: "required") }
        guard let toText = q["to"] else { throw ServerError.invalidField(field: "to", message: "required") }
        if let serviceText = q["service"] {
            if q["resource"] != nil || q["duration"] != nil {
                throw ServerError.invalidField(field: q["resource"] != nil ? "resource" : "duration", message: "a service sets the resources and the length; leave it out")
            }
            let limit = try Self.limit(q["limit"], default: 200, max: 2000)
            return try await read { store in
                let s = try APIBridge.service(serviceText, in: store.state)
                let zone = store.state.candidates(for: s).first?.zone ?? .utc
                let window = TimeRange(start: try APIBridge.instant(fromText, field: "from", zone: zone), end: try APIBridge.instant(toText, field: "to", zone: zone))
                guard window.end > window.start else { throw ServerError.invalidField(field: "to", message: "must be after from") }
                let (starts, state) = try APIBridge.serviceStarts(store, clock: APIBridge.clock, service: s, window: window, limit: limit)
                return .json(200, ["slots": .array(starts.map { st -> JSONTree in
                    let held = st.resources.flatMap { $0 }
                    return ["resource": .string(held[0].rawValue), "resource_name": .string(state.resources[held[0]]?.name ?? held[0].rawValue),
                            "resources": .array(held.map { .string($0.rawValue) }),
                            "resource_names": .array(held.map { .string(state.resources[$0]?.name ?? $0.rawValue) }),
                            "service": .string(s.id.rawValue), "service_name": .string(s.name),
                            "start": .string(st.range.start.iso8601), "end": .string(st.range.end.iso8601)]
                })])
            }
        }
        guard let resourceText = q["resource"] else { throw ServerError.invalidField(field: "resource", message: "required (comma-separated for several), or service") }
        guard let durationText = q["duration"] else { throw ServerError.invalidField(field: "duration", message: "required, e.g. 45m") }
        let limit = try Self.limit(q["limit"], default: 200, max: 2000)
        return try await read { store in
            let resources = try resourceText.split(separator: ",").map { try APIBridge.resource(String($0), in: store.state) }
            let zone = resources[0].zone
            let window = TimeRange(start: try APIBridge.instant(fromText, field: "from", zone: zone), end: try APIBridge.instant(toText, field: "to", zone: zone))
            guard window.end > window.start else { throw ServerError.invalidField(field: "to", message: "must be after from") }
            let d = try APIBridge.duration(durationText, field: "duration")
            let (slots, state) = try APIBridge.freeSlots(store, clock: APIBridge.clock, resources: resources, window: window, duration: d, limit: limit)
            return .json(200, ["slots": .array(slots.prefix(limit).map { s -> JSONTree in
                ["resource": .string(s.resource.rawValue), "resource_name": .string(state.resources[s.resource]?.name ?? s.resource.rawValue),
                 "start": .string(s.range.start.iso8601), "end": .string(s.range.end.iso8601)]
            })])
        }
    }

    /// `GET /v1/resources`: every resource, in reference order.
    func resources(_ r: APIRequest) async throws -> APIReply {
        try r.authorize(.readDiary)
        return try await read { store in
            let state = store.state
            let list = state.resources.values.sorted { $0.ref < $1.ref }
            return .json(200, ["items": .array(list.map { APIBridge.resourceJSON($0, state: state) })])
        }
    }

    /// `GET /v1/customers?search=`: customers (desk role and up: they carry contact details).
    func customers(_ r: APIRequest) async throws -> APIReply {
        try r.authorize(.readContactDetails)
        let search = r.query["search"]
        for k in r.query.keys.sorted() where k != "search" {
            throw ServerError.invalidField(field: k, message: "unknown query parameter; this endpoint takes search")
        }
        return try await read { store in
            .json(200, ["items": .array(try APIBridge.customers(store, search: search, contact: true).map(APIBridge.customerJSON))])
        }
    }

    /// A page size from the query.
    static func limit(_ text: String?, default d: Int, max m: Int) throws -> Int {
        guard let text else { return d }
        guard let n = Int(text), (1...m).contains(n) else { throw ServerError.invalidField(field: "limit", message: "must be 1 to \(m)") }
        return n
    }
}
