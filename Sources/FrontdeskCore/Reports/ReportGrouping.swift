/// How a report's rows are grouped in time, in the report's zone (`--by`).
public enum ReportGrouping: String, CaseIterable, Hashable, Sendable {
    /// One group for the whole period (no `--by`).
    case period
    /// Local calendar days.
    case day
    /// ISO weeks, Monday to Sunday.
    case week
    /// Calendar months.
    case month
    /// Weekday and hour of day together (`Mon 09:00`), across the whole period: the heatmap's cells.
    case weekdayHour = "weekday-hour"

    /// The values `--by` takes (every case but `period`, which is its absence).
    public static var byValues: [ReportGrouping] { [.day, .week, .month, .weekdayHour] }

    /// The group `instant` falls in, read in `zone`.
    ///
    /// - Complexity: O(log z) in the zone's transitions.
    public func bucket(at instant: Instant, in zone: Zone) -> ReportBucket {
        switch self {
        case .period:
            return ReportBucket(grouping: .period, ordinal: 0)
        case .day:
            return ReportBucket(grouping: .day, ordinal: zone.local(instant).date.daysSinceEpoch)
        case .week:
            let d = zone.local(instant).date
            return ReportBucket(grouping: .week, ordinal: d.daysSinceEpoch - Int64(d.weekday.index))
        case .month:
            let d = zone.local(instant).date
            return ReportBucket(grouping: .month, ordinal: Int64(d.year) * 12 + Int64(d.month - 1))
        case .weekdayHour:
            let l = zone.local(instant)
            return ReportBucket(grouping: .weekdayHour, ordinal: Int64(l.date.weekday.index * 24 + l.hour))
        }
    }

    /// The first instant after `instant` that lies in another group than `instant` may (the
    /// next local midnight, Monday, first of the month or hour, or a change of the zone's
    /// offset inside the hour); every instant in between is in `instant`'s group.
    ///
    /// - Complexity: O(log z) in the zone's transitions; O(log² z) when the offset changes inside the hour.
    func nextBoundary(after instant: Instant, in zone: Zone) -> Instant {
        switch self {
        case .period:
            return Instant(seconds: Int64.max)
        case .day:
            return zone.startOfDay(zone.local(instant).date.adding(days: 1))
        case .week:
            let d = zone.local(instant).date
            return zone.startOfDay(d.adding(days: 7 - d.weekday.index))
        case .month:
            let d = zone.local(instant).date
            let next = d.month == 12 ? LocalDate(year: d.year + 1, month: 1, day: 1) : LocalDate(year: d.year, month: d.month + 1, day: 1)
            // Year 9999's December has no next month; the supported range ends long before.
            return next.map { zone.startOfDay($0) } ?? Instant(seconds: Int64.max)
        case .weekdayHour:
            let offset = zone.offset(at: instant)
            let local = zone.local(instant)
            let candidate = Instant(seconds: instant.seconds + Int64(3600 - local.secondOfDay % 3600))
            guard zone.offset(at: Instant(seconds: candidate.seconds - 1)) != offset else { return candidate }
            // The offset changes inside this hour: the group ends where it does.
            var lo = instant.seconds, hi = candidate.seconds - 1
            while lo + 1 < hi {
                let mid = lo + (hi - lo) / 2
                if zone.offset(at: Instant(seconds: mid)) == offset { lo = mid } else { hi = mid }
            }
            return Instant(seconds: hi)
        }
    }

    /// Calls `body` with each group `range` passes through and the seconds of `range` in it,
    /// in time order.
    ///
    /// - Complexity: O(g log z) for g groups crossed.
    public func split(_ range: TimeRange, in zone: Zone, _ body: (ReportBucket, Int64) -> Void) {
        var t = range.start
        while t < range.end {
            let next = nextBoundary(after: t, in: zone)
            let end = next < range.end ? next : range.end
            body(bucket(at: t, in: zone), end.seconds - t.seconds)
            t = end
        }
    }
}
