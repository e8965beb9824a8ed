extension BookingEngine {
    /// What planning `change` against `state` reads: the ranges and resources whose bookings
    /// must be loaded first, and the idempotency keys it looks up. Storage calls it after catching up and before the plan runs, so a
    /// booking another desk moved meanwhile is read where it is now.
    ///
    /// A series may reach ``RecurrenceRule/horizon`` past its first occurrence; every range is
    /// widened by the largest buffer any schedule or resource sets, plus a day, and ranges that
    /// then overlap are joined.
    ///
    /// - Complexity: O(r log r + s + b + k log k), r the ranges the request names, s the
    ///   schedules and resources (for the largest buffer), b the related resources, k the keys.
    public func footprint(of change: ChangeRequest, in state: BookingState) -> Footprint {
        var reads = Reads()
        reads.collect(change, in: state)
        let keys = reads.keys.isEmpty ? [] : Array(Set(reads.keys)).sorted()
        let customers = reads.customers.sorted()
        guard !reads.ranges.isEmpty else {
            return Footprint(unresolved: reads.unresolved, series: reads.series, idempotencyKeys: keys, customers: customers)
        }
        let widen = TimeSpan(seconds: Self.largestBuffer(in: state).seconds + 86400)
        return Footprint(ranges: Self.coalesced(reads.ranges.map { $0.widened(before: widen, after: widen) }),
                         resources: reads.resources.map { Self.withRelated($0, in: state) }, unresolved: reads.unresolved,
                         series: reads.series, idempotencyKeys: keys, customers: customers)
    }

    /// What a request names, before widening: its ranges, its resources (nil: all), the
    /// bookings it names that are not in the state, those whose whole series it reads, and
    /// the idempotency keys it checks.
    private struct Reads {
        var ranges: [TimeRange] = []
        var resources: Set<ResourceID>? = []
        var unresolved: [BookingID] = []
        var series: [BookingID] = []
        var keys: [String] = []
        var customers: Set<CustomerID> = []

        mutating func collect(_ change: ChangeRequest, in state: BookingState) {
            switch change {
            case .book(let request):
                ranges.append(Self.series(request))
                resources?.formUnion(request.resources)
                if case .existing(let c)? = request.customer { customers.insert(c) }
                if let key = request.idempotencyKey {
                    keys.append(key)
                    // A replay returns the bookings the key produced, wherever they are now.
                    if let bound = state.idempotencyKeys[key] {
                        for id in bound.bookings { _ = existing(id, in: state) }
                    }
                }
            case .bookMany(let requests):
                for r in requests {
                    ranges.append(Self.series(r))
                    resources?.formUnion(r.resources)
                    if let k = r.idempotencyKey { keys.append(k) }
                    if case .existing(let c)? = r.customer { customers.insert(c) }
                }
            case .batch(let changes):
                for c in changes { collect(c, in: state) }
            case .cancel(let id, let scope):
                guard let b = existing(id, in: state) else { break }
                read(b.range, on: b.resources)
                if scope != .this && b.series != nil { series.append(id) }
            case .setStatus(let id), .restore(let id):
                if let b = existing(id, in: state) { read(b.range, on: b.resources) }
            case .edit(let id):
                _ = existing(id, in: state)
            case .reschedule(let id, let to, let target, let scope):
                move(id, to: to, onto: target.map { [$0] } ?? [], scope: scope, in: state)
            case .rescheduleOnto(let id, let to, let targets, let scope):
                move(id, to: to, onto: targets, scope: scope, in: state)
            case .bookFromWaitlist(let id):
                guard let e = state.waitlist[id] else { break }
                customers.insert(e.customer)
                ranges.append(e.window)
                resources?.formUnion(e.resources)
            case .sweep(let span):
                ranges.append(span)
                resources = nil
            case .directory:
                break
            }
        }

        mutating func read(_ range: TimeRange, on held: [ResourceID]) {
            ranges.append(range)
            resources?.formUnion(held)
        }

        /// A move reads the booking's old place and its new one, on every resource it holds
        /// and every one it is to hold.
        mutating func move(_ id: BookingID, to: TimeRange, onto targets: [ResourceID], scope: SeriesScope, in state: BookingState) {
            guard let b = existing(id, in: state) else { return }
            // A series moves as a whole: its later occurrences land up to the horizon away.
            if scope == .this {
                ranges += [b.range, to]
            } else {
                ranges.append(TimeRange(start: min(b.start, to.start), end: max(b.end, to.end) + RecurrenceRule.horizon))
            }
            resources?.formUnion(b.resources)
            resources?.formUnion(targets)
            if scope != .this && b.series != nil { series.append(id) }
        }

        /// The booking, or a note to find it first.
        mutating func existing(_ id: BookingID, in state: BookingState) -> Booking? {
            guard let b = state.bookings[id] else { unresolved.append(id); return nil }
            return b
        }

        /// A request's range, reaching to the horizon for a series.
        static func series(_ request: BookingRequest) -> TimeRange {
            guard request.recurrence != nil else { return request.range }
            return TimeRange(start: request.range.start, end: request.range.end + RecurrenceRule.horizon)
        }
    }

    /// `ranges` sorted, with overlapping or touching ones joined: an import's thousands of
    /// rows become the few spans they cover.
    private static func coalesced(_ ranges: [TimeRange]) -> [TimeRange] {
        guard ranges.count > 1 else { return ranges }
        var out: [TimeRange] = []
        for r in ranges.sorted(by: { $0.start < $1.start }) {
            if let last = out.last, r.start <= last.end {
                out[out.count - 1].end = max(last.end, r.end)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// `resources` with their parents and children, each once, sorted.
    private static func withRelated(_ resources: Set<ResourceID>, in state: BookingState) -> [ResourceID] {
        var set = Set<ResourceID>()
        for r in resources { set.formUnion(state.related(to: r)) }
        return set.sorted()
    }

    /// The largest buffer any schedule, resource or service sets (a service's is kept on its
    /// bookings).
    static func largestBuffer(in state: BookingState) -> TimeSpan {
        var m: Int64 = 0
        for s in state.services.values { m = max(m, s.bufferBefore.seconds, s.bufferAfter.seconds) }
        for s in state.schedules.values { m = max(m, s.bufferBefore.seconds, s.bufferAfter.seconds) }
        for r in state.resources.values { m = max(m, r.policy.bufferBefore?.seconds ?? 0, r.policy.bufferAfter?.seconds ?? 0) }
        return TimeSpan(seconds: m)
    }
}
