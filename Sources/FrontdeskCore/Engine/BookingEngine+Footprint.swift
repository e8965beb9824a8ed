extension BookingEngine {
    /// What planning `change` against `state` reads: the ranges and resources whose bookings
    /// must be loaded first. Storage calls it after catching up and before the plan runs, so a
    /// booking another desk moved meanwhile is read where it is now.
    ///
    /// A series may reach ``RecurrenceRule/horizon`` past its first occurrence; every range is
    /// widened by the largest buffer any schedule or resource sets, plus a day, and ranges that
    /// then overlap are joined.
    ///
    /// - Complexity: O(r log r + s + b), r the request's bookings, s the schedules and
    ///   resources (for the largest buffer), b the related resources.
    public func footprint(of change: ChangeRequest, in state: BookingState) -> Footprint {
        var ranges: [TimeRange] = []
        var resources: [ResourceID]? = []
        var unresolved: [BookingID] = []
        /// The booking's current range and resource, or a note to find it first.
        func existing(_ id: BookingID) -> Booking? {
            guard let b = state.bookings[id] else { unresolved.append(id); return nil }
            return b
        }
        func series(_ request: BookingRequest) -> TimeRange {
            guard request.recurrence != nil else { return request.range }
            return TimeRange(start: request.range.start, end: request.range.end + RecurrenceRule.horizon)
        }
        switch change {
        case .book(let request):
            ranges = [series(request)]
            resources = [request.resource]
        case .importBookings(let requests):
            ranges = requests.map(series)
            resources = requests.map(\.resource)
        case .cancel(let id), .setStatus(let id), .restore(let id):
            if let b = existing(id) { ranges = [b.range]; resources = [b.resource] }
        case .edit(let id):
            _ = existing(id)
        case .reschedule(let id, let to, let target, let scope):
            if let b = existing(id) {
                // A series moves as a whole: its later occurrences land up to the horizon away.
                ranges = scope == .this ? [b.range, to]
                    : [TimeRange(start: min(b.start, to.start), end: max(b.end, to.end) + RecurrenceRule.horizon)]
                resources = [b.resource] + (target.map { [$0] } ?? [])
            }
        case .bookFromWaitlist(let id):
            if let e = state.waitlist[id] { ranges = [e.window]; resources = e.resources }
        case .sweep(let span):
            ranges = [span]
            resources = nil
        case .directory:
            break
        }
        guard !ranges.isEmpty else { return Footprint(unresolved: unresolved) }
        let widen = Duration(seconds: Self.largestBuffer(in: state).seconds + 86400)
        return Footprint(ranges: Self.coalesced(ranges.map { $0.widened(before: widen, after: widen) }),
                         resources: resources.map { Self.withRelated($0, in: state) }, unresolved: unresolved)
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
    private static func withRelated(_ resources: [ResourceID], in state: BookingState) -> [ResourceID] {
        var set = Set<ResourceID>()
        for r in resources { set.formUnion(state.related(to: r)) }
        return set.sorted()
    }

    /// The largest buffer any schedule or resource sets.
    static func largestBuffer(in state: BookingState) -> Duration {
        var m: Int64 = 0
        for s in state.schedules.values { m = max(m, s.bufferBefore.seconds, s.bufferAfter.seconds) }
        for r in state.resources.values { m = max(m, r.policy.bufferBefore?.seconds ?? 0, r.policy.bufferAfter?.seconds ?? 0) }
        return Duration(seconds: m)
    }
}
