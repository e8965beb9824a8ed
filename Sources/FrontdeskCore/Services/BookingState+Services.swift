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
        BookingView(state: self, now: now).serviceFits(service, on: resource, at: start, policies: policies)
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
