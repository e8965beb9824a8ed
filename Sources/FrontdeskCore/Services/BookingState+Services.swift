extension BookingState {
    /// The service named `text`: its id, else its name ignoring case (a service not archived
    /// before an archived one of the same name).
    ///
    /// - Throws: ``CoreError/notFound(kind:id:)``.
    public func service(named text: String) throws(CoreError) -> Service {
        let t = text.trimmingSpaces
        if let s = services[ServiceID(t)] { return s }
        let found = services.values.filter { $0.name.lowercased() == t.lowercased() }
            .sorted { ($0.archived ? 1 : 0, $0.id) < ($1.archived ? 1 : 0, $1.id) }
        guard let s = found.first else { throw .notFound(kind: "service", id: t) }
        return s
    }

    /// Whether `resource` can take `service` starting at `start` at `now`: not archived; the
    /// buffered time open and not blacked out; the start inside the booking window; nothing
    /// that blocks the resource (a related one's booking, with its own buffers) overlapping
    /// the buffered time, and the booked time clear under the resource's own buffers as
    /// `book` checks it. With `policies` false (an override), hours, blackouts and the window
    /// are not asked; conflicts always are.
    ///
    /// - Complexity: O(d + r·(log n + k)): d days of hours, r related resources, k bookings
    ///   near the time.
    public func serviceFits(_ service: Service, on resource: ResourceID, at start: Instant, now: Instant, policies: Bool = true) -> Bool {
        guard let r = resources[resource], !r.archived else { return false }
        let booked = service.range(startingAt: start), buffered = service.footprint(startingAt: start)
        if policies {
            let rules = availability(for: r)
            if !rules.blackouts(overlapping: buffered).isEmpty || !rules.isOpen(for: buffered) { return false }
            let p = policy(for: resource)
            if p.minimumNotice.seconds > 0 {
                if booked.start < now + p.minimumNotice { return false }
            } else if booked.end <= now {
                return false
            }
            if let adv = p.maximumAdvance, booked.start > now + adv { return false }
        }
        let view = BookingView(state: self, now: now)
        if !view.blockers(on: resource, range: booked).isEmpty { return false }
        for other in related(to: resource) {
            for id in intervals.overlapping(buffered, on: other, in: .blocking) {
                if let b = bookings[id], b.blocks(at: now) { return false }
            }
        }
        return true
    }

    /// Services not archived whose name, or its rest from a later word, starts with `text`,
    /// ignoring case, accents and spacing (search-as-you-type: "cut" and "blow" both find
    /// "Cut & blow-dry"); those whose whole name starts with it first, then by name. At most
    /// `limit`; empty text finds every service.
    ///
    /// - Complexity: O(s · w) for s services of w words each.
    public func services(matching text: String, limit: Int) -> [Service] {
        let prefix = CustomerKey.foldedName(text)
        let found = services.values.filter { !$0.archived }.compactMap { s in
            CustomerKey.searchKey(s.name, prefix: prefix).map { (key: $0, service: s) }
        }
        return found.sorted { ($0.key, $0.service.id) < ($1.key, $1.service.id) }.prefix(limit).map(\.service)
    }

    /// The resources a booking of `service` from `start` would hold, one list per requirement
    /// (``ResourceChooser``): `fixed` ones first, then `preferred` ones that are free, then by
    /// reference; each free as ``serviceFits(_:on:at:now:policies:)`` says. The booking engine
    /// books what this returns, and a form shows it before booking.
    ///
    /// - Complexity: that of ``ResourceChooser/choose(_:among:fixed:preferred:isFree:)`` with
    ///   one fit check per candidate resource.
    public func chooseResources(for service: Service, at start: Instant, fixed: [ResourceID] = [], preferred: [ResourceID] = [],
                                now: Instant, policies: Bool = true) -> Result<[[ResourceID]], ResourceChooser.Failure> {
        ResourceChooser.choose(service.requirements, among: candidates(for: service), fixed: fixed, preferred: preferred) {
            serviceFits(service, on: $0, at: start, now: now, policies: policies)
        }
    }

    /// The resources that could fill requirement `index` of `service` from `start`: matching
    /// it, not archived, and free for the service's time and buffers; in reference order (what
    /// a picker offers in place of the chosen one).
    public func freeResources(for service: Service, requirement index: Int, at start: Instant, now: Instant,
                              policies: Bool = true) -> [Resource] {
        guard service.requirements.indices.contains(index) else { return [] }
        let requirement = service.requirements[index]
        return candidates(for: service).filter { requirement.matches($0) && serviceFits(service, on: $0.id, at: start, now: now, policies: policies) }
    }

    /// The refusal for a combination ``chooseResources(for:at:fixed:preferred:now:policies:)``
    /// could not find, naming the resource or requirement that failed.
    public func refusal(_ failure: ResourceChooser.Failure, service s: Service, start: Instant) -> CoreError {
        switch failure {
        case .fixedMatchesNothing(let id):
            let name = resources[id]?.name ?? id.rawValue
            return .invalidInput(field: "resource", message: "\(name) fills none of what \"\(s.name)\" needs (\(s.requirements.map(\.description).joined(separator: ", ")))")
        case .fixedNotFree(let id):
            return .noResourcesFit(service: s.name, requirement: resources[id]?.name ?? id.rawValue, start: start)
        case .notEnough(let i):
            return .noResourcesFit(service: s.name, requirement: s.requirements[i].description, start: start)
        case .fixedDoNotFit:
            return .noResourcesFit(service: s.name, requirement: "resources beside those named", start: start)
        }
    }

    /// The resources that could ever take `service` (matching one of its requirements, not
    /// archived), in reference order.
    public func candidates(for service: Service) -> [Resource] {
        resources.values.filter { r in !r.archived && service.requirements.contains { $0.matches(r) } }
            .sorted { ($0.ref, $0.id) < ($1.ref, $1.id) }
    }

    /// Start times within `window` where the whole service fits (every requirement met at
    /// once by different free resources), stepping from `window.start` aligned to local
    /// midnight in `zone` by `step` (nil: the shortest slot of the candidate resources); the
    /// booked time lies inside the window. At most `limit` (nil: all).
    ///
    /// - Complexity: O(t · (c · f + C)) for t steps in the window, c candidate resources, f the
    ///   cost of ``serviceFits(_:on:at:now:policies:)`` and C the chooser's.
    public func serviceStarts(_ service: Service, within window: TimeRange, now: Instant, zone: Zone,
                              step: TimeSpan? = nil, limit: Int? = nil) -> [ServiceStart] {
        let pool = candidates(for: service)
        guard !pool.isEmpty, service.duration.seconds > 0 else { return [] }
        let stepSeconds = max(60, step?.seconds ?? pool.map(\.slotLength.seconds).min() ?? 900)
        var t = window.start
        let rem = Int64(zone.local(t).secondOfDay) % stepSeconds
        if rem != 0 { t = t + TimeSpan(seconds: stepSeconds - rem) }
        var out: [ServiceStart] = []
        while t + service.duration <= window.end {
            let at = t
            if case .success(let chosen) = ResourceChooser.choose(service.requirements, among: pool, isFree: {
                serviceFits(service, on: $0, at: at, now: now)
            }) {
                out.append(ServiceStart(range: service.range(startingAt: at), resources: chosen))
                if let limit, out.count >= limit { break }
            }
            t = t + TimeSpan(seconds: stepSeconds)
        }
        return out
    }
}
