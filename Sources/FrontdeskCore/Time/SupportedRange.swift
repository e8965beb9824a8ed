/// The span of time Frontdesk stores: from 1970-01-01T00:00:00Z up to, not including,
/// 2200-01-01T00:00:00Z.
///
/// Every stored instant (a booking's start and end, hold expiry, history and cancellation times,
/// blackout bounds, a series' UNTIL and each occurrence) and every stored date (schedule
/// overrides, occurrence dates) lies inside it. Files spell times as four-digit-year ISO-8601
/// text, and a value the reader cannot take back would make the journal unreadable for every
/// process; so the engine, the front ends and import refuse anything outside this one range
/// before it is planned, and the store's writer and reader refuse it again.
public enum SupportedRange {
    /// 1970-01-01T00:00:00Z, the first supported instant.
    public static let lowerBound = Instant(seconds: 0)
    /// 2200-01-01T00:00:00Z, the first instant no longer supported.
    public static let upperBound = Instant(seconds: 7_258_118_400)
    /// 1970-01-01, the first supported date.
    public static let firstDate = LocalDate(daysSinceEpoch: 0)
    /// 2199-12-31, the last supported date.
    public static let lastDate = LocalDate(daysSinceEpoch: 7_258_118_400 / 86400 - 1)
    /// The range as people read it in messages and docs.
    public static let text = "1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"

    /// Whether `instant` can be stored.
    @inline(__always)
    public static func contains(_ instant: Instant) -> Bool {
        instant.seconds >= lowerBound.seconds && instant.seconds < upperBound.seconds
    }

    /// Whether both ends of `range` can be stored.
    public static func contains(_ range: TimeRange) -> Bool { contains(range.start) && contains(range.end) }

    /// Whether `date` can be stored.
    public static func contains(_ date: LocalDate) -> Bool {
        let d = date.daysSinceEpoch
        return d >= firstDate.daysSinceEpoch && d <= lastDate.daysSinceEpoch
    }

    /// Throws ``CoreError/outsideSupportedRange(field:value:)`` naming `field` unless `instant` can be stored.
    public static func check(_ instant: Instant, field: String) throws(CoreError) {
        guard contains(instant) else { throw .outsideSupportedRange(field: field, value: instant.iso8601) }
    }

    /// Checks both ends of `range`, naming `startField` or `endField`.
    public static func check(_ range: TimeRange, startField: String = "start", endField: String = "end") throws(CoreError) {
        try check(range.start, field: startField)
        try check(range.end, field: endField)
    }

    /// Throws ``CoreError/outsideSupportedRange(field:value:)`` naming `field` unless `date` can be stored.
    public static func check(_ date: LocalDate, field: String) throws(CoreError) {
        guard contains(date) else { throw .outsideSupportedRange(field: field, value: date.description) }
    }
}
