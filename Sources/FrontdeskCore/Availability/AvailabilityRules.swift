/// A schedule read in one resource's time zone: when it is open, and when it is blacked out.
///
/// Hours are wall-clock times, so a 09:00-17:00 day is 8 hours long in UTC on a DST day too, and
/// a boundary that falls in a spring-forward gap moves to the end of the gap.
public struct AvailabilityRules: Sendable {
    public let schedule: Schedule?
    public let zone: Zone

    public init(schedule: Schedule?, zone: Zone) { self.schedule = schedule; self.zone = zone }

    /// Opening time within `range`, merged and clipped, ignoring blackouts.
    ///
    /// - Complexity: O(d·h) for d local days in the range and h intervals per day.
    public func openRanges(within range: TimeRange) -> [TimeRange] {
        guard let schedule else { return range.isEmpty ? [] : [range] }
        guard !range.isEmpty else { return [] }
        // One day of margin either side: a local day can start up to 14 h away from UTC midnight.
        let first = zone.local(range.start).date.adding(days: -1)
        let last = zone.local(range.end).date.adding(days: 1)
        var raw: [TimeRange] = []
        var day = first
        while day <= last {
            for h in schedule.hours(on: day) {
                let r = TimeRange(start: zone.boundary(day, secondOfDay: h.start), end: zone.boundary(day, secondOfDay: h.end))
                if !r.isEmpty { raw.append(r) }
            }
            day = day.adding(days: 1)
        }
        return TimeRange.merge(raw).compactMap { $0.clipped(to: range) }
    }

    /// Blackouts that overlap `range`.
    public func blackouts(overlapping range: TimeRange) -> [Blackout] {
        (schedule?.blackouts ?? []).filter { $0.range.overlaps(range) }
    }

    /// Bookable time within `range`: open and not blacked out.
    public func bookableRanges(within range: TimeRange) -> [TimeRange] {
        TimeRange.subtract(blackouts(overlapping: range).map(\.range), from: openRanges(within: range))
    }

    /// True when the whole range lies inside one stretch of opening hours.
    public func isOpen(for range: TimeRange) -> Bool {
        openRanges(within: range).contains { $0.contains(range) }
    }
}

extension TimeRange {
    /// The part of this range inside `bounds`, or nil when they do not overlap.
    func clipped(to bounds: TimeRange) -> TimeRange? {
        let r = TimeRange(start: Swift.max(start, bounds.start), end: Swift.min(end, bounds.end))
        return r.isEmpty ? nil : r
    }

    /// Sorts and joins overlapping or touching ranges.
    static func merge(_ ranges: [TimeRange]) -> [TimeRange] {
        var out: [TimeRange] = []
        for r in ranges.sorted(by: { $0.start < $1.start }) where !r.isEmpty {
            if let last = out.last, r.start <= last.end {
                out[out.count - 1].end = Swift.max(last.end, r.end)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// `from` (sorted, disjoint) minus every range in `holes`.
    static func subtract(_ holes: [TimeRange], from: [TimeRange]) -> [TimeRange] {
        let cuts = merge(holes)
        guard !cuts.isEmpty else { return from }
        var out: [TimeRange] = []
        for r in from {
            var cursor = r.start
            for c in cuts where c.end > cursor && c.start < r.end {
                if c.start > cursor { out.append(TimeRange(start: cursor, end: c.start)) }
                cursor = Swift.max(cursor, c.end)
            }
            if cursor < r.end { out.append(TimeRange(start: cursor, end: r.end)) }
        }
        return out
    }
}
