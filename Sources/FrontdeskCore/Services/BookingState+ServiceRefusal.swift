extension BookingState {
    /// The first policy refusal for booking `booked` (kept as `buffered` with its buffers) on
    /// `resource` at `now`, if any: the rule ``BookingEngine`` enforces when it books.
    ///
    /// Order: blackout, opening hours (both over the buffered time), minimum notice, maximum
    /// advance (over the booked time) — the most specific first. `checkWindow` false leaves
    /// out notice and advance.
    ///
    /// - Complexity: O(d + b): d days of hours, b blackouts of the resource's schedule.
    public func policyRefusal(_ resource: Resource, booked: TimeRange, buffered: TimeRange, now: Instant, checkWindow: Bool = true) -> CoreError? {
        let rules = availability(for: resource)
        if let b = rules.blackouts(overlapping: buffered).first {
            return .blackout(resource: resource.name, reason: b.reason, range: b.range)
        }
        if !rules.isOpen(for: buffered) { return .outsideOpeningHours(resource: resource.name, range: buffered) }
        guard checkWindow else { return nil }
        let p = policy(for: resource.id)
        if p.minimumNotice.seconds > 0 {
            if booked.start < now + p.minimumNotice {
                return .insideMinimumNotice(resource: resource.name, notice: p.minimumNotice, start: booked.start)
            }
        } else if booked.end <= now {
            // With no notice required, a walk-in already under way may be booked; a slot
            // entirely in the past may not.
            return .insideMinimumNotice(resource: resource.name, notice: .zero, start: booked.start)
        }
        if let adv = p.maximumAdvance, booked.start > now + adv {
            return .beyondMaximumAdvance(resource: resource.name, limit: adv, start: booked.start)
        }
        return nil
    }

    /// The refusal for a combination ``chooseResources(for:at:fixed:preferred:now:policies:)``
    /// could not find, saying why: when a combination would be free but for the resources'
    /// rules (hours, blackouts, notice, advance), the rule of the first resource it keeps out
    /// (the fixed, then the preferred, then by reference) — a refusal a manager's override
    /// can pass; otherwise ``refusal(_:service:start:)``, the requirement nothing free fills.
    ///
    /// - Complexity: one more choice without policies, and one fit check per candidate.
    public func refusal(_ failure: ResourceChooser.Failure, service s: Service, start: Instant, fixed: [ResourceID], preferred: [ResourceID],
                        now: Instant, policies: Bool) -> CoreError {
        guard policies, case .success = chooseResources(for: s, at: start, fixed: fixed, preferred: preferred, now: now, policies: false) else {
            return refusal(failure, service: s, start: start)
        }
        let pool = candidates(for: s)
        let suspects: [Resource]
        switch failure {
        case .fixedNotFree(let id), .fixedMatchesNothing(let id):
            suspects = resources[id].map { [$0] } ?? []
        case .notEnough(let i):
            suspects = pool.filter { s.requirements[i].matches($0) }
        case .fixedDoNotFit:
            suspects = fixed.compactMap { resources[$0] } + pool
        }
        let rank = Dictionary((fixed + preferred).enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let ordered = suspects.enumerated().sorted { (rank[$0.element.id] ?? Int.max, $0.offset) < (rank[$1.element.id] ?? Int.max, $1.offset) }
        let booked = s.range(startingAt: start), buffered = s.footprint(startingAt: start)
        for (_, r) in ordered where !serviceFits(s, on: r.id, at: start, now: now) {
            if let why = policyRefusal(r, booked: booked, buffered: buffered, now: now) { return why }
        }
        return refusal(failure, service: s, start: start)
    }
}
