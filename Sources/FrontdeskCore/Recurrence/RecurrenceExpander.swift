/// One occurrence of a series: its local date in the series' zone and the instant it starts.
public struct Occurrence: Hashable, Sendable {
    public var date: LocalDate
    public var start: Instant

    public init(date: LocalDate, start: Instant) {
        self.date = date
        self.start = start
    }
}

extension RecurrenceRule {
    /// The most occurrences a series may have.
    public static let maximumOccurrences = 500

    /// How long after its first occurrence ends a series' last occurrence may end: the two years
    /// of ``lastAllowedDate(forSeriesStartingOn:)`` with a leap day in each, and a day to spare
    /// for a change of the zone's offset. What a series reads and writes lies within it.
    public static let horizon = TimeSpan.days(366 * 2 + 1)

    /// The last date a series starting on `first` may have an occurrence on: the same local date
    /// two years later (28 February when `first` is 29 February).
    public static func lastAllowedDate(forSeriesStartingOn first: LocalDate) -> LocalDate {
        LocalDate(year: first.year + 2, month: first.month, day: first.day)
            ?? LocalDate(year: first.year + 2, month: first.month, day: first.day - 1)
            ?? first.adding(days: 730)
    }

    /// Expands the rule from DTSTART `first` (a wall-clock time in `zone`) into its occurrences, in order.
    ///
    /// Expansion happens in wall-clock time, so a 09:00 series stays at 09:00 across DST changes;
    /// each local time is then converted to an instant. A time in a spring-forward gap uses the
    /// offset before the gap (RFC 5545 §3.3.5), so it lands after the gap (02:30 becomes 03:30);
    /// a time that happens twice in a fall-back fold means its first, earlier instant.
    ///
    /// `first` is always the first occurrence and counts towards COUNT, even when it does not
    /// match the rule (RFC 5545: DTSTART is the first instance). No occurrence precedes it.
    ///
    /// - Throws: `CoreError.invalidRecurrence` when the rule has neither COUNT nor UNTIL, or UNTIL
    ///   is before `first`; `CoreError.seriesTooLong` when the series would have more than
    ///   ``maximumOccurrences`` occurrences or run past ``lastAllowedDate(forSeriesStartingOn:)``.
    /// - Complexity: O(p · d + n · z), where p is the number of periods up to the two-year limit
    ///   (at most 732 days, 106 weeks or 25 months), d the days per period (1, 7 or ≤ 31), n the
    ///   occurrences returned (≤ 500) and z the cost of one zone lookup. The two-year limit bounds
    ///   the work even for a rule that never matches again.
    public func occurrences(startingAt first: LocalDateTime, in zone: Zone) throws -> [Occurrence] {
        guard count != nil || until != nil else {
            throw CoreError.invalidRecurrence("a series needs COUNT or UNTIL")
        }
        let lastAllowed = Self.lastAllowedDate(forSeriesStartingOn: first.date)
        let time = first.secondOfDay

        func occurrence(on date: LocalDate) -> Occurrence {
            Occurrence(date: date, start: zone.instantOrNextAfterGap(LocalDateTime(date: date, secondOfDay: time)))
        }
        func isAfterUntil(_ o: Occurrence) -> Bool {
            switch until {
            case .instant(let end)?: return o.start > end
            case .date(let end)?: return o.date > end
            case nil: return false
            }
        }

        let start = occurrence(on: first.date)
        if isAfterUntil(start) {
            // RFC 5545 would still emit DTSTART; for a booking this is almost surely a typo.
            throw CoreError.invalidRecurrence("UNTIL \(untilText(in: zone)) is before the first occurrence (\(first.text) \(zone))")
        }
        var result = [start]
        if count == 1 { return result }

        // Periods are numbered from the one holding `first`; `maxOffset` is the last period that
        // starts on or before `lastAllowed`, so the loop cannot run away.
        let firstDay = first.date.daysSinceEpoch
        let limitDays = Int(lastAllowed.daysSinceEpoch - firstDay)
        let maxOffset: Int
        switch frequency {
        case .daily: maxOffset = limitDays
        case .weekly: maxOffset = (limitDays + first.date.weekday.index) / 7
        case .monthly: maxOffset = (lastAllowed.year - first.date.year) * 12 + lastAllowed.month - first.date.month
        }

        var period = 0
        while true {
            // k · interval without overflow: a huge INTERVAL simply ends the loop.
            let (offset, overflow) = period.multipliedReportingOverflow(by: interval)
            guard !overflow, offset <= maxOffset else { break }
            for date in candidates(inPeriodAt: offset, from: first.date) where date > first.date {
                let next = occurrence(on: date)
                if isAfterUntil(next) { return result }
                if date > lastAllowed {
                    throw CoreError.seriesTooLong("the occurrence on \(date) is more than 2 years after the first (\(first.date)); a series must end by \(lastAllowed)")
                }
                result.append(next)
                if result.count > Self.maximumOccurrences {
                    throw CoreError.seriesTooLong("more than \(Self.maximumOccurrences) occurrences (occurrence \(result.count) would be on \(date)); a series may have at most \(Self.maximumOccurrences)")
                }
                if result.count == count { return result }
            }
            period += 1
        }

        // Every date up to `lastAllowed` has been looked at and the series is not over.
        if let count {
            throw CoreError.seriesTooLong("COUNT=\(count) is not reached within 2 years: \(result.count) occurrence\(result.count == 1 ? "" : "s") from \(first.date) to \(lastAllowed); a series must end by \(lastAllowed)")
        }
        // Remaining candidates all fall after `lastAllowed`, so an UNTIL on or before it ends here.
        let untilDate: LocalDate
        switch until {
        case .instant(let end)?: untilDate = zone.local(end).date
        case .date(let end)?: untilDate = end
        case nil: return result // unreachable: COUNT or UNTIL was checked above
        }
        if untilDate <= lastAllowed { return result }
        // The rule might match again before UNTIL; finding out could mean scanning up to year 9999.
        throw CoreError.seriesTooLong("UNTIL \(untilText(in: zone)) is more than 2 years after the first occurrence (\(first.date)); a series must end by \(lastAllowed)")
    }

    /// The dates the rule picks in the period `offset` periods after the one holding `first`, ascending.
    private func candidates(inPeriodAt offset: Int, from first: LocalDate) -> [LocalDate] {
        switch frequency {
        case .daily:
            let day = first.adding(days: offset)
            return matchesWeekdayAndMonthDay(day) ? [day] : []
        case .weekly:
            // Weeks start on Monday (WKST=MO).
            let monday = first.adding(days: offset * 7 - first.weekday.index)
            let weekdays = byDay.isEmpty ? [first.weekday] : byDay.map(\.weekday)
            return (0..<7).map { monday.adding(days: $0) }.filter { weekdays.contains($0.weekday) }
        case .monthly:
            let monthIndex = first.year * 12 + (first.month - 1) + offset
            let year = monthIndex / 12, month = monthIndex % 12 + 1
            let length = LocalDate.daysIn(year: year, month: month)
            return (1...length).compactMap { day -> LocalDate? in
                guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
                if byDay.isEmpty, byMonthDay.isEmpty { return day == first.day ? date : nil }
                // Both lists given means both must match (RFC 5545: BYMONTHDAY expands, BYDAY limits).
                let dayOK = byMonthDay.isEmpty || byMonthDay.contains { $0 > 0 ? $0 == day : length + 1 + $0 == day }
                let weekdayOK = byDay.isEmpty || byDay.contains { $0.matches(date, monthLength: length) }
                return dayOK && weekdayOK ? date : nil
            }
        }
    }

    /// DAILY's filters: BYDAY (never with ordinals here) and BYMONTHDAY each limit the days.
    private func matchesWeekdayAndMonthDay(_ date: LocalDate) -> Bool {
        let length = LocalDate.daysIn(year: date.year, month: date.month)
        let dayOK = byMonthDay.isEmpty || byMonthDay.contains { $0 > 0 ? $0 == date.day : length + 1 + $0 == date.day }
        let weekdayOK = byDay.isEmpty || byDay.contains { $0.weekday == date.weekday }
        return dayOK && weekdayOK
    }

    private func untilText(in zone: Zone) -> String {
        switch until {
        case .instant(let end)?: return "\(end) (\(zone.local(end).text) \(zone))"
        case .date(let end)?: return "\(end)"
        case nil: return "none"
        }
    }
}

extension WeekdayNumber {
    /// Whether `date` is this weekday and, with an ordinal, the nth (or nth-from-last) in its month.
    func matches(_ date: LocalDate, monthLength: Int) -> Bool {
        guard date.weekday == weekday else { return false }
        guard let ordinal else { return true }
        return ordinal > 0 ? (date.day - 1) / 7 + 1 == ordinal : (monthLength - date.day) / 7 + 1 == -ordinal
    }
}
