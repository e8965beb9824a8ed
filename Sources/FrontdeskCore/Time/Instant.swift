/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
///
/// Bookings are stored as instants in UTC; every rule is evaluated in the resource's zone.
/// Second resolution is deliberate: nobody books a room to the millisecond, and integer
/// arithmetic keeps the conflict index and the JSON files exact.
public struct Instant: Hashable, Comparable, Sendable {
    /// Seconds since the Unix epoch.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    public static func + (a: Instant, d: TimeSpan) -> Instant { Instant(seconds: a.seconds + d.seconds) }
    public static func - (a: Instant, d: TimeSpan) -> Instant { Instant(seconds: a.seconds - d.seconds) }
    public static func - (a: Instant, b: Instant) -> TimeSpan { TimeSpan(seconds: a.seconds - b.seconds) }
}

/// A length of time in whole seconds.
public struct TimeSpan: Hashable, Comparable, Sendable {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }
    public static func minutes(_ m: Int64) -> TimeSpan { TimeSpan(seconds: m * 60) }
    public static func hours(_ h: Int64) -> TimeSpan { TimeSpan(seconds: h * 3600) }
    public static func days(_ d: Int64) -> TimeSpan { TimeSpan(seconds: d * 86400) }
    public static let zero = TimeSpan(seconds: 0)
    public static func < (a: TimeSpan, b: TimeSpan) -> Bool { a.seconds < b.seconds }
    public static func + (a: TimeSpan, b: TimeSpan) -> TimeSpan { TimeSpan(seconds: a.seconds + b.seconds) }
}

/// A half-open interval `[start, end)` of instants. Touching ranges do not overlap.
public struct TimeRange: Hashable, Sendable {
    public var start: Instant
    public var end: Instant
    public init(start: Instant, end: Instant) { self.start = start; self.end = end }

    public var duration: TimeSpan { end - start }
    public var isEmpty: Bool { end <= start }

    /// True when the two ranges share at least one second; `[a,b)` and `[b,c)` do not, and an
    /// empty or inverted range overlaps nothing.
    public func overlaps(_ other: TimeRange) -> Bool {
        start < other.end && other.start < end && start < end && other.start < other.end
    }
    public func contains(_ other: TimeRange) -> Bool { start <= other.start && other.end <= end }
    public func contains(_ instant: Instant) -> Bool { start <= instant && instant < end }

    /// This range widened by `before` at the start and `after` at the end.
    public func widened(before: TimeSpan, after: TimeSpan) -> TimeRange {
        TimeRange(start: start - before, end: end + after)
    }
}
