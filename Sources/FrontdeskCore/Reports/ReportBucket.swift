/// One group of a report's rows in time: a day, an ISO week, a month, a weekday-hour, or the
/// whole period. Ordered in time (weekday-hours Monday 00:00 first).
public struct ReportBucket: Hashable, Comparable, Sendable {
    public let grouping: ReportGrouping
    /// Day: days since 1970-01-01. Week: days since 1970-01-01 of its Monday. Month:
    /// `year * 12 + month - 1`. Weekday-hour: `weekday index * 24 + hour` (Monday 0). Period: 0.
    public let ordinal: Int64

    public init(grouping: ReportGrouping, ordinal: Int64) {
        self.grouping = grouping
        self.ordinal = ordinal
    }

    public static func < (a: ReportBucket, b: ReportBucket) -> Bool {
        a.grouping == b.grouping ? a.ordinal < b.ordinal : a.grouping.rawValue < b.grouping.rawValue
    }

    /// The first local day of a day, week or month; nil for a weekday-hour or the period.
    public var firstDay: LocalDate? {
        switch grouping {
        case .day, .week: return LocalDate(daysSinceEpoch: ordinal)
        case .month: return LocalDate(year: Int(ordinal / 12), month: Int(ordinal % 12) + 1, day: 1)
        case .weekdayHour, .period: return nil
        }
    }

    /// For a weekday-hour: its weekday and hour.
    public var weekdayHour: (weekday: Weekday, hour: Int)? {
        guard grouping == .weekdayHour else { return nil }
        return (Weekday.allCases[Int(ordinal / 24)], Int(ordinal % 24))
    }

    /// How tables, CSV and JSON name it: `2027-03-01`, `2027-W09`, `2027-03`, `Mon 09:00`, `all`.
    public var label: String {
        switch grouping {
        case .period:
            return "all"
        case .day:
            return LocalDate(daysSinceEpoch: ordinal).description
        case .week:
            // ISO 8601: the week belongs to the year of its Thursday.
            let thursday = LocalDate(daysSinceEpoch: ordinal + 3)
            let jan1 = LocalDate(year: thursday.year, month: 1, day: 1)?.daysSinceEpoch ?? ordinal
            let week = (thursday.daysSinceEpoch - jan1) / 7 + 1
            return "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)"
        case .month:
            return String(firstDay?.description.prefix(7) ?? "")
        case .weekdayHour:
            let (w, h) = weekdayHour ?? (.monday, 0)
            return "\(w.displayName) \(h < 10 ? "0" : "")\(h):00"
        }
    }
}

extension ReportBucket: CustomStringConvertible {
    public var description: String { label }
}
