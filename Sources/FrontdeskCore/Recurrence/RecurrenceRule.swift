/// A recurrence rule: the subset of RFC 5545 RRULE that booking series need.
///
/// Supported parts: `FREQ` (DAILY, WEEKLY, MONTHLY), `INTERVAL`, `BYDAY` (ordinals such as `1MO`
/// or `-1FR` only with MONTHLY), `BYMONTHDAY`, `COUNT`, `UNTIL`, and `WKST=MO` (the only week
/// start). A value is always valid: both initialisers check every part, and the lists are sorted
/// and de-duplicated so that two rules meaning the same thing compare equal and print the same.
public struct RecurrenceRule: Hashable, Sendable, CustomStringConvertible {
    /// The period unit the rule repeats over.
    public enum Frequency: String, Hashable, Sendable, CaseIterable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY"
    }

    /// Where the series ends when it is bounded by UNTIL rather than COUNT.
    public enum Until: Hashable, Sendable {
        /// `UNTIL=20270301T090000Z`: occurrences starting at or before this instant.
        case instant(Instant)
        /// `UNTIL=20270301`: occurrences on or before this local date in the series' zone.
        case date(LocalDate)
    }

    public let frequency: Frequency
    /// Repeat every `interval` periods (days, weeks or months); at least 1.
    public let interval: Int
    /// Weekdays, optionally with an ordinal within the month; sorted, no duplicates.
    public let byDay: [WeekdayNumber]
    /// Days of the month, 1...31 or -31...-1 (counting from the month's end); sorted, no duplicates.
    public let byMonthDay: [Int]
    /// The number of occurrences, DTSTART included; never set together with `until`.
    public let count: Int?
    /// The inclusive end of the series; never set together with `count`.
    public let until: Until?

    /// Creates a rule from its parts, refusing combinations RFC 5545 or this subset forbids.
    ///
    /// A rule with neither `count` nor `until` is accepted here (it is a valid RRULE), but
    /// expanding it is refused: a booking series must end.
    public init(frequency: Frequency, interval: Int = 1, byDay: [WeekdayNumber] = [], byMonthDay: [Int] = [],
                count: Int? = nil, until: Until? = nil) throws {
        guard interval >= 1 else { throw CoreError.invalidRecurrence("INTERVAL must be at least 1, got \(interval)") }
        if let count, count < 1 { throw CoreError.invalidRecurrence("COUNT must be at least 1, got \(count)") }
        if count != nil, until != nil { throw CoreError.invalidRecurrence("COUNT and UNTIL cannot both be given") }
        switch until {
        case .instant(let t) where !SupportedRange.contains(t):
            throw CoreError.outsideSupportedRange(field: "repeat UNTIL", value: t.iso8601)
        case .date(let d) where !SupportedRange.contains(d):
            throw CoreError.outsideSupportedRange(field: "repeat UNTIL", value: d.description)
        default: break
        }
        for entry in byDay {
            guard let ordinal = entry.ordinal else { continue }
            guard frequency == .monthly else {
                throw CoreError.invalidRecurrence("BYDAY entry \"\(entry)\" has an ordinal, which only FREQ=MONTHLY allows")
            }
            // RFC 5545 allows ±53 for YEARLY; within a month only the 1st to 5th exist.
            guard (1...5).contains(abs(ordinal)) else {
                throw CoreError.invalidRecurrence("BYDAY entry \"\(entry)\" has ordinal \(ordinal); use 1 to 5 (from the start of the month) or -1 to -5 (from its end)")
            }
        }
        for day in byMonthDay where !(1...31).contains(abs(day)) {
            throw CoreError.invalidRecurrence("BYMONTHDAY entry \"\(day)\" must be 1 to 31 or -1 to -31")
        }
        if frequency == .weekly, !byMonthDay.isEmpty {
            // RFC 5545 §3.3.10: BYMONTHDAY MUST NOT be specified when FREQ is WEEKLY.
            throw CoreError.invalidRecurrence("BYMONTHDAY cannot be used with FREQ=WEEKLY")
        }
        self.frequency = frequency
        self.interval = interval
        self.byDay = Array(Set(byDay)).sorted()
        self.byMonthDay = Array(Set(byMonthDay)).sorted()
        self.count = count
        self.until = until
    }

    /// Parses an RRULE such as `RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6`.
    ///
    /// The `RRULE:` prefix is optional and keys and values are case-insensitive. Every refusal is
    /// a `CoreError.invalidRecurrence` whose message names the part that is wrong.
    public init(parsing text: String) throws {
        var body = text.trimmingSpaces
        if body.uppercased().hasPrefix("RRULE:") { body = String(body.dropFirst("RRULE:".count)) }
        guard !body.trimmingSpaces.isEmpty else { throw CoreError.invalidRecurrence("the rule is empty") }

        var values: [String: String] = [:]
        // Empty segments (a trailing `;`) carry nothing, so they are skipped rather than refused.
        for segment in body.split(separator: ";") where !String(segment).trimmingSpaces.isEmpty {
            guard let eq = segment.firstIndex(of: "=") else {
                throw CoreError.invalidRecurrence("part \"\(segment)\" is not KEY=VALUE")
            }
            let key = String(segment[..<eq]).trimmingSpaces.uppercased()
            // Values keep their case so messages quote what was typed; each parser upper-cases.
            let value = String(segment[segment.index(after: eq)...]).trimmingSpaces
            guard !key.isEmpty else { throw CoreError.invalidRecurrence("part \"\(segment)\" has no name before '='") }
            guard Self.supportedParts.contains(key) || key == "WKST" else {
                if Self.unsupportedParts.contains(key) {
                    throw CoreError.invalidRecurrence("\(key) is not supported (supported: \(Self.supportedParts.joined(separator: ", ")))")
                }
                throw CoreError.invalidRecurrence("unknown part \"\(key)\" (supported: \(Self.supportedParts.joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw CoreError.invalidRecurrence("\(key) is given twice") }
            guard !value.isEmpty else { throw CoreError.invalidRecurrence("\(key) has an empty value") }
            values[key] = value
        }

        guard let freqText = values["FREQ"] else {
            throw CoreError.invalidRecurrence("FREQ is missing (expected DAILY, WEEKLY or MONTHLY)")
        }
        guard let frequency = Frequency(rawValue: freqText.uppercased()) else {
            if ["YEARLY", "HOURLY", "MINUTELY", "SECONDLY"].contains(freqText.uppercased()) {
                throw CoreError.invalidRecurrence("FREQ=\(freqText.uppercased()) is not supported (expected DAILY, WEEKLY or MONTHLY)")
            }
            throw CoreError.invalidRecurrence("unknown FREQ \"\(freqText)\" (expected DAILY, WEEKLY or MONTHLY)")
        }
        // Weeks always start on Monday here, so WKST=MO is accepted (and dropped) and nothing else is.
        if let wkst = values["WKST"], wkst.uppercased() != "MO" {
            throw CoreError.invalidRecurrence("WKST=\(wkst.uppercased()) is not supported (weeks start on Monday)")
        }

        func wholeNumber(_ key: String) throws -> Int? {
            guard let text = values[key] else { return nil }
            guard let n = Int(text) else { throw CoreError.invalidRecurrence("\(key) must be a whole number, got \"\(text)\"") }
            return n
        }
        let interval = try wholeNumber("INTERVAL") ?? 1
        let count = try wholeNumber("COUNT")
        let until = try values["UNTIL"].map(Self.parseUntil)

        let byDay: [WeekdayNumber] = try values["BYDAY"].map { list in
            try list.split(separator: ",", omittingEmptySubsequences: false).map { token -> WeekdayNumber in
                guard let entry = WeekdayNumber(String(token)) else {
                    throw CoreError.invalidRecurrence("BYDAY entry \"\(token)\" is not a weekday (expected MO, TU, WE, TH, FR, SA or SU, optionally with an ordinal such as 1MO or -1FR)")
                }
                return entry
            }
        } ?? []
        let byMonthDay: [Int] = try values["BYMONTHDAY"].map { list in
            try list.split(separator: ",", omittingEmptySubsequences: false).map { token -> Int in
                guard let day = Int(token), (1...31).contains(abs(day)) else {
                    throw CoreError.invalidRecurrence("BYMONTHDAY entry \"\(token)\" must be 1 to 31 or -1 to -31")
                }
                return day
            }
        } ?? []

        try self.init(frequency: frequency, interval: interval, byDay: byDay, byMonthDay: byMonthDay, count: count, until: until)
    }

    /// The canonical RRULE text (no `RRULE:` prefix); parsing it gives back an equal rule.
    public var text: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.description).joined(separator: ",")) }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if let count { parts.append("COUNT=\(count)") }
        switch until {
        case .instant(let i)?:
            let t = LocalDateTime(secondsSinceEpochAsUTC: i.seconds)
            parts.append("UNTIL=\(Self.basicDate(t.date))T\(pad2(t.hour))\(pad2(t.minute))\(pad2(t.second))Z")
        case .date(let d)?:
            parts.append("UNTIL=\(Self.basicDate(d))")
        case nil:
            break
        }
        return parts.joined(separator: ";")
    }

    public var description: String { text }

    static let supportedParts = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY"]
    /// RFC 5545 parts this subset refuses by name, so the message says "not supported" rather than "unknown".
    static let unsupportedParts: Set<String> = ["BYSECOND", "BYMINUTE", "BYHOUR", "BYWEEKNO", "BYYEARDAY", "BYMONTH", "BYSETPOS", "RSCALE", "SKIP"]

    /// `YYYYMMDD` (RFC 5545 DATE) or `YYYYMMDDTHHMMSSZ` (UTC DATE-TIME).
    static func parseUntil(_ text: String) throws -> Until {
        let chars = Array(text.uppercased().utf8)
        func number(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= chars.count, chars[r].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(String(decoding: chars[r], as: UTF8.self))
        }
        let shapeMessage = "UNTIL \"\(text)\" is not a UTC date-time like 20270301T090000Z or a date like 20270301"
        guard chars.count >= 8, let y = number(0..<4), let m = number(4..<6), let d = number(6..<8) else {
            throw CoreError.invalidRecurrence(shapeMessage)
        }
        guard let date = LocalDate(year: y, month: m, day: d) else {
            throw CoreError.invalidRecurrence("UNTIL \"\(text)\" is not a real date")
        }
        if chars.count == 8 { return .date(date) }
        guard chars.count >= 15, chars[8] == UInt8(ascii: "T"), let hh = number(9..<11), let mm = number(11..<13),
              let ss = number(13..<15) else { throw CoreError.invalidRecurrence(shapeMessage) }
        if chars.count == 15 {
            // A floating time would be read in whichever zone the series uses; RFC 5545 requires UTC here.
            throw CoreError.invalidRecurrence("UNTIL \"\(text)\" must be in UTC (end with Z), like 20270301T090000Z")
        }
        guard chars.count == 16, chars[15] == UInt8(ascii: "Z") else { throw CoreError.invalidRecurrence(shapeMessage) }
        guard hh < 24, mm < 60, ss < 60 else { throw CoreError.invalidRecurrence("UNTIL \"\(text)\" is not a real time of day") }
        let local = LocalDateTime(date: date, hour: hh, minute: mm, second: ss)
        return .instant(Instant(seconds: local.secondsSinceEpochAsUTC))
    }

    static func basicDate(_ d: LocalDate) -> String {
        let y = String(d.year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + pad2(d.month) + pad2(d.day)
    }
}

/// A BYDAY entry: a weekday, optionally with its ordinal within the month (`1MO`, `-1FR`).
public struct WeekdayNumber: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let weekday: Weekday
    /// 1 is the first such weekday of the month, -1 the last; nil means every one.
    public let ordinal: Int?

    public init(_ weekday: Weekday, ordinal: Int? = nil) {
        self.weekday = weekday
        self.ordinal = ordinal
    }

    /// Parses `MO`, `1MO`, `+2TU`, `-1FR` (any case). The ordinal's range is checked by the rule,
    /// which knows the frequency; nil for anything that is not that shape.
    public init?(_ text: String) {
        let upper = text.trimmingSpaces.uppercased()
        guard upper.count >= 2, let weekday = Weekday(rawValue: String(upper.suffix(2))) else { return nil }
        let prefix = upper.dropLast(2)
        if prefix.isEmpty {
            self.init(weekday)
            return
        }
        // An optional sign, then one or two digits; `0MO` passes here and the rule refuses it.
        let digits = prefix.first == "+" || prefix.first == "-" ? prefix.dropFirst() : prefix
        guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(prefix) else { return nil }
        self.init(weekday, ordinal: n)
    }

    public var description: String { (ordinal.map(String.init) ?? "") + weekday.rawValue }

    /// By ordinal (a plain weekday counts as 0), then weekday; only there to make the order canonical.
    public static func < (a: WeekdayNumber, b: WeekdayNumber) -> Bool {
        (a.ordinal ?? 0, a.weekday.index) < (b.ordinal ?? 0, b.weekday.index)
    }
}
