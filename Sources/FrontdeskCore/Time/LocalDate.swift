/// A calendar date with no time zone (proleptic Gregorian).
public struct LocalDate: Hashable, Comparable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Creates a date, or nil when the fields do not name a real day (e.g. 2027-02-30).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(year: year, month: month),
              (1...9999).contains(year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil_from_days).
    public init(daysSinceEpoch days: Int64) {
        let d = CivilDays.date(days)
        year = Int(d.year); month = Int(d.month); day = Int(d.day)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        CivilDays.days(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let idx = Int((daysSinceEpoch + 3).floorMod(7)) // 0 = Monday
        return Weekday.allCases[idx]
    }

    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    /// Adds months, or nil when the day does not exist in the target month (RFC 5545 skips those).
    public func adding(months: Int) -> LocalDate? {
        let total = year * 12 + (month - 1) + months
        return LocalDate(year: total / 12, month: total % 12 + 1, day: day)
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        // A date is ten ASCII bytes; anything else (a date and time, most often) is not one.
        guard text.utf8.count == 10 else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

extension LocalDate: CustomStringConvertible {
    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + pad2(month) + "-" + pad2(day)
    }
}

extension Int64 {
    func floorMod(_ d: Int64) -> Int64 { let r = self % d; return r < 0 ? r + d : r }
}

/// A day of the week, Monday first (ISO 8601).
public enum Weekday: String, CaseIterable, Sendable, Comparable {
    case monday = "MO", tuesday = "TU", wednesday = "WE", thursday = "TH", friday = "FR", saturday = "SA", sunday = "SU"

    public var index: Int { Weekday.allCases.firstIndex(of: self)! }
    public static func < (a: Weekday, b: Weekday) -> Bool { a.index < b.index }

    /// Three-letter English abbreviation as staff type it: `mon`.
    public var shortName: String {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][index]
    }

    /// The abbreviation as screens and tables print it, capitalised: `Mon` (the TUI's day
    /// headers and every CLI table and line agree; `shortName` stays the typed and JSON form).
    public var displayName: String {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index]
    }

    /// Accepts `mon`, `monday`, `MO` (any case).
    public init?(name: String) {
        let n = name.lowercased()
        if let w = Weekday(rawValue: name.uppercased()) { self = w; return }
        guard let w = Weekday.allCases.first(where: { n == $0.shortName || n == $0.fullName }) else { return nil }
        self = w
    }

    public var fullName: String { ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][index] }
}
