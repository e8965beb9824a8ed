/// Availability rules kept apart from resources so several resources can share them.
public struct Schedule: Hashable, Sendable, Identifiable {
    public var id: ScheduleID
    public var name: String
    /// Opening intervals per weekday; a weekday missing here is closed.
    public var weekly: [Weekday: [DailyHours]]
    /// Custom hours for single dates; an empty list closes that date.
    public var overrides: [LocalDate: [DailyHours]]
    public var blackouts: [Blackout]
    public var bufferBefore: TimeSpan
    public var bufferAfter: TimeSpan
    public var minimumNotice: TimeSpan
    public var maximumAdvance: TimeSpan?
    public var cancellationNotice: TimeSpan
    public var version: Int

    public init(id: ScheduleID, name: String, weekly: [Weekday: [DailyHours]] = [:], overrides: [LocalDate: [DailyHours]] = [:],
                blackouts: [Blackout] = [], bufferBefore: TimeSpan = .zero, bufferAfter: TimeSpan = .zero,
                minimumNotice: TimeSpan = .zero, maximumAdvance: TimeSpan? = nil, cancellationNotice: TimeSpan = .zero,
                version: Int = 1) {
        self.id = id; self.name = name; self.weekly = weekly; self.overrides = overrides; self.blackouts = blackouts
        self.bufferBefore = bufferBefore; self.bufferAfter = bufferAfter; self.minimumNotice = minimumNotice
        self.maximumAdvance = maximumAdvance; self.cancellationNotice = cancellationNotice; self.version = version
    }

    /// The opening intervals that apply on a local date: its override if any, else its weekday's.
    public func hours(on date: LocalDate) -> [DailyHours] {
        if let o = overrides[date] { return o }
        return weekly[date.weekday] ?? []
    }
}

/// One opening interval on a day, in local wall-clock seconds; `end` may be 86400 ("24:00").
public struct DailyHours: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    /// Creates an interval, or nil unless `0 <= start < end <= 24:00`.
    public init?(start: Int, end: Int) {
        guard start >= 0, end <= 86400, start < end else { return nil }
        self.start = start; self.end = end
    }

    /// Parses `09:00-17:30` (end may be `24:00`).
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let s = DailyHours.parseClock(String(parts[0])), let e = DailyHours.parseClock(String(parts[1])) else { return nil }
        self.init(start: s, end: e)
    }

    /// `HH:MM` to seconds since midnight; `24:00` allowed.
    public static func parseClock(_ text: String) -> Int? {
        let p = text.trimmingSpaces.split(separator: ":")
        guard p.count == 2, p[1].count == 2, (1...2).contains(p[0].count), let h = Int(p[0]), let m = Int(p[1]),
              (0...24).contains(h), (0..<60).contains(m), h < 24 || m == 0 else { return nil }
        return h * 3600 + m * 60
    }

    public var description: String {
        func f(_ s: Int) -> String { "\(pad2(s / 3600)):\(pad2(s / 60 % 60))" }
        return "\(f(start))-\(f(end))"
    }
}

/// A period in which nothing may be booked, whatever the hours say (a holiday, a repair).
public struct Blackout: Hashable, Sendable {
    public var range: TimeRange
    public var reason: String
    public init(range: TimeRange, reason: String) { self.range = range; self.reason = reason }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
