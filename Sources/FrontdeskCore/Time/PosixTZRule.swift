/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`: the footer of a TZif file, which
/// gives the offsets after the file's last transition.
///
/// Grammar (POSIX.1-2017 §8.3 with the RFC 8536 §3.3.1 extensions):
/// `std offset [dst [offset] [,start[/time],end[/time]]]`, where a name is three or more
/// letters or `<...>` around three or more of `A–Z a–z 0–9 + -`; an offset is
/// `[+-]hh[:mm[:ss]]` west of UTC (`EST5` is UTC−5), 0–24 hours; a date is `Jn` (1–365, 29
/// February never counted), `n` (0–365, counted) or `Mm.w.d` (weekday `d`, 0 = Sunday, of
/// week `w` of month `m`, week 5 meaning the last); a time is `[+-]hh[:mm[:ss]]` with hours
/// −167 to 167 (the RFC's extension), default 02:00. `start`'s time is read in standard time,
/// `end`'s in daylight-saving time. The names are checked but not kept: nothing shows them.
///
/// A rule with a daylight-saving name but no dates takes the United States' rules
/// (`M3.2.0,M11.1.0`), as glibc does when it has no `posixrules` file; TZif footers always
/// carry dates.
struct PosixTZRule: Hashable, Sendable {
    /// The period in force while daylight-saving time is not.
    let standard: ZoneRules.Period
    /// When daylight-saving time applies; nil for a zone without it.
    let daylight: Daylight?

    /// The daylight-saving period and the yearly dates that begin and end it.
    struct Daylight: Hashable, Sendable {
        let period: ZoneRules.Period
        let start: Change
        let end: Change
    }

    /// A yearly change: a day of the year and a wall-clock time on it.
    struct Change: Hashable, Sendable {
        let day: Day
        /// Seconds after the local midnight that starts `day`, −167 h to 167 h.
        let time: Int64
    }

    /// The three ways to name a day of the year.
    enum Day: Hashable, Sendable {
        /// `Jn`: day 1–365 of the year, 29 February never counted (J60 is always 1 March).
        case julian(Int)
        /// `n`: day 0–365 of the year, 29 February counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `weekday` (0 = Sunday) of week `week` (1–5, 5 = last) of `month`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    /// True when each year's two changes fall inside that year (read in standard time), so
    /// that ``period(at:)`` needs only the year of the instant (and the one before it, early in
    /// the year). False for rules whose extended times may cross New Year, such as all-year
    /// DST's `J365/25`.
    let changesStayInTheirYear: Bool

    init(standard: ZoneRules.Period, daylight: Daylight?) {
        self.standard = standard
        self.daylight = daylight
        if let daylight {
            let saving = Int64(daylight.period.offset - standard.offset)
            changesStayInTheirYear = PosixTZRule.staysInYear(daylight.start, shift: 0)
                && PosixTZRule.staysInYear(daylight.end, shift: -saving)
        } else {
            changesStayInTheirYear = true
        }
    }

    /// Whether `change`, moved by `shift` seconds into standard time, lies within its year
    /// in every year: its earliest second at or after 1 January 00:00, its latest before the
    /// 365th day ends (a leap year's last day is left out, which only costs the fast path).
    private static func staysInYear(_ change: Change, shift: Int64) -> Bool {
        let first: Int64, last: Int64   // zero-based day of the year, earliest and latest
        switch change.day {
        case .julian(let n): first = Int64(n - 1); last = Int64(n)
        case .zeroBased(let n): first = Int64(n); last = Int64(n)
        case .monthWeekDay(let month, _, _):
            first = daysSinceEpoch(year: 2001, month: Int64(month), day: 1) - daysSinceEpoch(year: 2001, month: 1, day: 1)
            last = daysSinceEpoch(year: 2000, month: Int64(month), day: 1) - daysSinceEpoch(year: 2000, month: 1, day: 1)
                + Int64(daysIn(month: month, leap: true)) - 1
        }
        return first * 86400 + change.time + shift >= 0 && last * 86400 + change.time + shift < 365 * 86400
    }

    /// Parses a rule; nil for anything that does not follow the grammar above.
    init?(_ text: String) {
        var copy = text
        guard let rule = copy.withUTF8({ PosixTZRule(utf8: $0) }) else { return nil }
        self = rule
    }

    /// Parses a rule from its bytes (a TZif footer); nil when they do not follow the grammar.
    init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        var s = Scanner(bytes: bytes)
        guard s.name(), let stdWest = s.hms(maxHours: 24) else { return nil }
        let standard = ZoneRules.Period(offset: Int32(-stdWest), isDaylightSaving: false)
        if s.atEnd {
            self.init(standard: standard, daylight: nil)
            return
        }
        guard s.name() else { return nil }
        var dstWest = stdWest - 3600
        if !s.atEnd, s.peek != UInt8(ascii: ",") {
            guard let west = s.hms(maxHours: 24) else { return nil }
            dstWest = west
        }
        let start: Change, end: Change
        if s.atEnd {
            start = Change(day: .monthWeekDay(month: 3, week: 2, weekday: 0), time: 7200)
            end = Change(day: .monthWeekDay(month: 11, week: 1, weekday: 0), time: 7200)
        } else {
            guard s.take(UInt8(ascii: ",")), let a = s.change(),
                  s.take(UInt8(ascii: ",")), let b = s.change(), s.atEnd else { return nil }
            start = a; end = b
        }
        let period = ZoneRules.Period(offset: Int32(-dstWest), isDaylightSaving: true)
        self.init(standard: standard, daylight: Daylight(period: period, start: start, end: end))
    }

    /// The period in force at `t` (seconds since the epoch).
    ///
    /// When the rule's changes stay in their year, the year of `t` decides: between its two
    /// changes the earlier one holds, after both the later one, and before both the later
    /// change of the year before. Otherwise the latest change at or before `t` among the
    /// years around it holds, so that extended times (up to ±167 h) crossing New Year count.
    ///
    /// - Complexity: O(1): two to four date computations (eight for rules whose changes cross
    ///   New Year), no allocation.
    func period(at t: Int64) -> ZoneRules.Period {
        guard let daylight else { return standard }
        // The calendar repeats every 400 years; folding far instants into 1970-2370 keeps every
        // product below in range and changes nothing.
        var t = t
        if t < -(1 << 50) || t > (1 << 50) { t = t.floorMod(PosixTZRule.fourHundredYears) }
        let local = t + Int64(standard.offset)
        // Constant divisors, so the compiler multiplies instead of dividing.
        let year = PosixTZRule.year(containing: local >= 0 ? local / 86400 : (local - 86399) / 86400)
        if changesStayInTheirYear {
            let (start, end) = changes(in: year, daylight)
            // On a tie (start == end, a rule with no DST in practice) the end wins.
            if t >= max(start, end) { return start > end ? daylight.period : standard }
            if t >= min(start, end) { return start <= end ? daylight.period : standard }
            let (lastStart, lastEnd) = changes(in: year - 1, daylight)
            return lastStart > lastEnd ? daylight.period : standard
        }
        // The latest change at or before t; on a tie the later year's change wins, so that a
        // rule which ends daylight-saving time exactly when the next year's begins (RFC 8536's
        // all-year DST, `EST5EDT,0/0,J365/25`) stays in daylight-saving time. Two years back:
        // a change pushed days into the next year can come after that year's first change.
        var best = Int64.min
        var inDaylight = false
        for y in year - 2...year + 1 {
            let (start, end) = changes(in: y, daylight)
            // Within a year the earlier change is applied first, so the later one wins ties.
            let first = start <= end ? (start, true) : (end, false)
            let second = start <= end ? (end, false) : (start, true)
            if first.0 <= t, first.0 >= best { best = first.0; inDaylight = first.1 }
            if second.0 <= t, second.0 >= best { best = second.0; inDaylight = second.1 }
        }
        if best == Int64.min {
            // No change of those years lies at or before t (only with extreme times): the
            // years before ended like every year does.
            let (start, end) = changes(in: year - 1, daylight)
            inDaylight = start > end
        }
        return inDaylight ? daylight.period : standard
    }

    /// The instants (seconds since the epoch) at which daylight-saving time starts and ends
    /// in `year`; nil for a rule without daylight-saving time.
    func changes(in year: Int64) -> (start: Int64, end: Int64)? {
        daylight.map { changes(in: year, $0) }
    }

    private func changes(in year: Int64, _ daylight: Daylight) -> (start: Int64, end: Int64) {
        let start = PosixTZRule.day(daylight.start.day, in: year) * 86400 + daylight.start.time - Int64(standard.offset)
        let end = PosixTZRule.day(daylight.end.day, in: year) * 86400 + daylight.end.time - Int64(daylight.period.offset)
        return (start, end)
    }

    // MARK: Calendar arithmetic on any year (LocalDate stops at 1...9999)

    static let fourHundredYears: Int64 = 146_097 * 86400

    static func isLeap(_ y: Int64) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// Days since 1970-01-01 of `day` in `year`.
    @inline(__always)
    static func day(_ day: Day, in year: Int64) -> Int64 {
        switch day {
        case .julian(let n):
            return daysSinceEpoch(year: year, month: 1, day: 1) + Int64(n - 1) + (isLeap(year) && n >= 60 ? 1 : 0)
        case .zeroBased(let n):
            return daysSinceEpoch(year: year, month: 1, day: 1) + Int64(n)
        case .monthWeekDay(let month, let week, let weekday):
            let first = daysSinceEpoch(year: year, month: Int64(month), day: 1)
            let firstWeekday = Int(((first + 4) % 7 + 7) % 7)   // 1970-01-01 was a Thursday (4)
            var d = (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            if d >= daysIn(month: month, leap: isLeap(year)) { d -= 7 }   // week 5 in a month with four of that weekday
            return first + Int64(d)
        }
    }

    static func daysIn(month: Int, leap: Bool) -> Int {
        switch month {
        case 2: return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a date, for any year whose days fit in an Int64.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        CivilDays.days(year: year, month: month, day: day)
    }

    /// The year of the day `days` after 1970-01-01.
    static func year(containing days: Int64) -> Int64 {
        CivilDays.date(days).year
    }
}

extension PosixTZRule {
    /// A cursor over the rule's bytes; every read checks the end first.
    fileprivate struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var atEnd: Bool { i >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[i] }

        mutating func take(_ c: UInt8) -> Bool {
            guard peek == c else { return false }
            i += 1
            return true
        }

        /// A zone abbreviation: three or more letters, or `<...>` around three or more of
        /// letters, digits, `+` and `-`.
        mutating func name() -> Bool {
            if take(UInt8(ascii: "<")) {
                let from = i
                while let c = peek, isAlphanumeric(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i += 1 }
                return i - from >= 3 && take(UInt8(ascii: ">"))
            }
            let from = i
            while let c = peek, isLetter(c) { i += 1 }
            return i - from >= 3
        }

        /// `[+-]hh[:mm[:ss]]` in seconds; hours `0...maxHours`, one to three digits.
        mutating func hms(maxHours: Int64) -> Int64? {
            var sign: Int64 = 1
            if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
            guard let h = number(maxDigits: maxHours >= 100 ? 3 : 2), h <= maxHours else { return nil }
            var total = h * 3600
            if take(UInt8(ascii: ":")) {
                guard let m = twoDigits(), m < 60 else { return nil }
                total += m * 60
                if take(UInt8(ascii: ":")) {
                    guard let sec = twoDigits(), sec < 60 else { return nil }
                    total += sec
                }
            }
            return sign * total
        }

        /// `date[/time]`.
        mutating func change() -> Change? {
            let day: Day
            if take(UInt8(ascii: "J")) {
                guard let n = number(maxDigits: 3), (1...365).contains(n) else { return nil }
                day = .julian(Int(n))
            } else if take(UInt8(ascii: "M")) {
                guard let m = number(maxDigits: 2), (1...12).contains(m), take(UInt8(ascii: ".")),
                      let w = number(maxDigits: 1), (1...5).contains(w), take(UInt8(ascii: ".")),
                      let d = number(maxDigits: 1), (0...6).contains(d) else { return nil }
                day = .monthWeekDay(month: Int(m), week: Int(w), weekday: Int(d))
            } else {
                guard let n = number(maxDigits: 3), (0...365).contains(n) else { return nil }
                day = .zeroBased(Int(n))
            }
            var time: Int64 = 7200
            if take(UInt8(ascii: "/")) {
                guard let t = hms(maxHours: 167) else { return nil }
                time = t
            }
            return Change(day: day, time: time)
        }

        /// One to `maxDigits` decimal digits.
        mutating func number(maxDigits: Int) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                guard count < maxDigits else { return nil }
                value = value * 10 + Int64(c - UInt8(ascii: "0"))
                count += 1; i += 1
            }
            return count > 0 ? value : nil
        }

        /// Exactly two decimal digits.
        mutating func twoDigits() -> Int64? {
            let from = i
            guard let n = number(maxDigits: 2), i - from == 2 else { return nil }
            return n
        }

        func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        func isAlphanumeric(_ c: UInt8) -> Bool { isLetter(c) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
    }
}
