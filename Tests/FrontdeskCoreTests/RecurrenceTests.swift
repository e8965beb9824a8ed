import Foundation
import Testing
@testable import FrontdeskCore

// Every expected date and instant below was worked out by hand (calendar and tz rules), never by
// calling the code under test. 2027-03-01 is a Monday; the 1st of each 2027 month falls on:
// Jan Fri, Feb Mon, Mar Mon, Apr Thu, May Sat, Jun Tue, Jul Thu, Aug Sun, Sep Wed, Oct Fri, Nov Mon.

private func at(_ date: String, _ hour: Int = 9, _ minute: Int = 0) throws -> LocalDateTime {
    LocalDateTime(date: try #require(LocalDate(date)), hour: hour, minute: minute)
}

private func expand(_ rule: String, from date: String, _ hour: Int = 9, _ minute: Int = 0, zone: String = "UTC") throws -> [Occurrence] {
    try RecurrenceRule(parsing: rule).occurrences(startingAt: at(date, hour, minute), in: try #require(Zone(zone)))
}

private func dates(_ rule: String, from date: String, zone: String = "UTC") throws -> [String] {
    try expand(rule, from: date, zone: zone).map(\.date.description)
}

private func starts(_ rule: String, from date: String, _ hour: Int = 9, _ minute: Int = 0, zone: String) throws -> [String] {
    try expand(rule, from: date, hour, minute, zone: zone).map(\.start.iso8601)
}

private let supported = "(supported: FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY)"
private let notAWeekday = "is not a weekday (expected MO, TU, WE, TH, FR, SA or SU, optionally with an ordinal such as 1MO or -1FR)"

@Suite struct RecurrenceTests {
    // MARK: Parsing

    @Test(arguments: [
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6", "FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6"),
        ("rrule:freq=monthly;byday=-1fr;until=20270301", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270301"),
        ("FREQ=DAILY;INTERVAL=3;UNTIL=20270310T090000Z", "FREQ=DAILY;INTERVAL=3;UNTIL=20270310T090000Z"),
        ("COUNT=4;BYDAY=FR,MO;FREQ=WEEKLY;INTERVAL=1", "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4"),
        ("FREQ=MONTHLY;BYMONTHDAY=15,-1,1,15;COUNT=3", "FREQ=MONTHLY;BYMONTHDAY=-1,1,15;COUNT=3"),
        ("FREQ=MONTHLY;BYDAY=+1MO,MO,-2SU;COUNT=2", "FREQ=MONTHLY;BYDAY=-2SU,MO,1MO;COUNT=2"),
        ("FREQ=WEEKLY;WKST=mo;COUNT=2", "FREQ=WEEKLY;COUNT=2"),
        ("FREQ=DAILY;COUNT=2;", "FREQ=DAILY;COUNT=2"),
        (" FREQ=DAILY; BYDAY=SA,SU; BYMONTHDAY=13; UNTIL=20271231t235959z ", "FREQ=DAILY;BYDAY=SA,SU;BYMONTHDAY=13;UNTIL=20271231T235959Z"),
        ("FREQ=DAILY", "FREQ=DAILY"),
    ])
    func canonicalTextRoundTrips(input: String, canonical: String) throws {
        let rule = try RecurrenceRule(parsing: input)
        #expect(rule.text == canonical)
        #expect(try RecurrenceRule(parsing: rule.text) == rule)
        #expect(try RecurrenceRule(parsing: "RRULE:" + canonical) == rule)
    }

    @Test func parsedFields() throws {
        let monthly = try RecurrenceRule(parsing: "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR,1MO;UNTIL=20270301")
        #expect(monthly.frequency == .monthly)
        #expect(monthly.interval == 2)
        #expect(monthly.byDay == [WeekdayNumber(.friday, ordinal: -1), WeekdayNumber(.monday, ordinal: 1)])
        #expect(monthly.byMonthDay == [])
        #expect(monthly.count == nil)
        #expect(monthly.until == .date(try #require(LocalDate(year: 2027, month: 3, day: 1))))

        let daily = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20270310T093000Z")
        #expect(daily.interval == 1)
        #expect(daily.until == .instant(try #require(Instant(iso8601: "2027-03-10T09:30:00Z"))))

        // Same meaning, different spelling: equal values and equal hashes.
        let a = try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=FR,MO,MO;COUNT=4")
        let b = try RecurrenceRule(parsing: "count=4;byday=mo,fr;freq=weekly;interval=1")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a != (try RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=5")))
    }

    @Test func weekdayNumberText() {
        #expect(WeekdayNumber("1mo") == WeekdayNumber(.monday, ordinal: 1))
        #expect(WeekdayNumber("+2TU") == WeekdayNumber(.tuesday, ordinal: 2))
        #expect(WeekdayNumber("-1FR")?.description == "-1FR")
        #expect(WeekdayNumber("SU") == WeekdayNumber(.sunday))
        #expect(WeekdayNumber("MON") == nil)
        #expect(WeekdayNumber("1") == nil)
        #expect(WeekdayNumber("--1FR") == nil)
        #expect(WeekdayNumber("100MO") == nil)
    }

    @Test(arguments: [
        ("", "the rule is empty"),
        ("RRULE:", "the rule is empty"),
        ("COUNT=2", "FREQ is missing (expected DAILY, WEEKLY or MONTHLY)"),
        ("FREQ=fortnightly;COUNT=2", "unknown FREQ \"fortnightly\" (expected DAILY, WEEKLY or MONTHLY)"),
        ("FREQ=YEARLY;COUNT=2", "FREQ=YEARLY is not supported (expected DAILY, WEEKLY or MONTHLY)"),
        ("FREQ=hourly;COUNT=2", "FREQ=HOURLY is not supported (expected DAILY, WEEKLY or MONTHLY)"),
        ("FREQ=DAILY;BYHOUR=9;COUNT=2", "BYHOUR is not supported \(supported)"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;COUNT=2", "BYSETPOS is not supported \(supported)"),
        ("FREQ=DAILY;BYMONTH=3;COUNT=2", "BYMONTH is not supported \(supported)"),
        ("FREQ=DAILY;COLOUR=red", "unknown part \"COLOUR\" \(supported)"),
        ("FREQ=WEEKLY;WKST=SU;COUNT=2", "WKST=SU is not supported (weeks start on Monday)"),
        ("FREQ=DAILY;COUNT=2;UNTIL=20270301", "COUNT and UNTIL cannot both be given"),
        ("FREQ=DAILY;INTERVAL=0;COUNT=2", "INTERVAL must be at least 1, got 0"),
        ("FREQ=DAILY;INTERVAL=-2;COUNT=2", "INTERVAL must be at least 1, got -2"),
        ("FREQ=DAILY;INTERVAL=two;COUNT=2", "INTERVAL must be a whole number, got \"two\""),
        ("FREQ=DAILY;COUNT=0", "COUNT must be at least 1, got 0"),
        ("FREQ=DAILY;COUNT=1.5", "COUNT must be a whole number, got \"1.5\""),
        ("FREQ=WEEKLY;BYDAY=MO,XY;COUNT=2", "BYDAY entry \"XY\" \(notAWeekday)"),
        ("FREQ=WEEKLY;BYDAY=MO,,FR;COUNT=2", "BYDAY entry \"\" \(notAWeekday)"),
        ("FREQ=WEEKLY;BYDAY=monday;COUNT=2", "BYDAY entry \"monday\" \(notAWeekday)"),
        ("FREQ=WEEKLY;BYDAY=1MO;COUNT=2", "BYDAY entry \"1MO\" has an ordinal, which only FREQ=MONTHLY allows"),
        ("FREQ=DAILY;BYDAY=-1fr;COUNT=2", "BYDAY entry \"-1FR\" has an ordinal, which only FREQ=MONTHLY allows"),
        ("FREQ=MONTHLY;BYDAY=6MO;COUNT=2", "BYDAY entry \"6MO\" has ordinal 6; use 1 to 5 (from the start of the month) or -1 to -5 (from its end)"),
        ("FREQ=MONTHLY;BYDAY=0MO;COUNT=2", "BYDAY entry \"0MO\" has ordinal 0; use 1 to 5 (from the start of the month) or -1 to -5 (from its end)"),
        ("FREQ=MONTHLY;BYMONTHDAY=32;COUNT=2", "BYMONTHDAY entry \"32\" must be 1 to 31 or -1 to -31"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,0;COUNT=2", "BYMONTHDAY entry \"0\" must be 1 to 31 or -1 to -31"),
        ("FREQ=MONTHLY;BYMONTHDAY=-32;COUNT=2", "BYMONTHDAY entry \"-32\" must be 1 to 31 or -1 to -31"),
        ("FREQ=WEEKLY;BYMONTHDAY=1;COUNT=2", "BYMONTHDAY cannot be used with FREQ=WEEKLY"),
        ("FREQ=DAILY;COUNT=2;count=3", "COUNT is given twice"),
        ("FREQ=DAILY;freq=WEEKLY;COUNT=2", "FREQ is given twice"),
        ("FREQ=;COUNT=2", "FREQ has an empty value"),
        ("FREQ=DAILY;BYDAY=;COUNT=2", "BYDAY has an empty value"),
        ("FREQ=DAILY;COUNT", "part \"COUNT\" is not KEY=VALUE"),
        ("FREQ=DAILY;=3", "part \"=3\" has no name before '='"),
        ("FREQ=DAILY;UNTIL=2027-03-01", "UNTIL \"2027-03-01\" is not a UTC date-time like 20270301T090000Z or a date like 20270301"),
        ("FREQ=DAILY;UNTIL=20270301T0900Z", "UNTIL \"20270301T0900Z\" is not a UTC date-time like 20270301T090000Z or a date like 20270301"),
        ("FREQ=DAILY;UNTIL=20270230", "UNTIL \"20270230\" is not a real date"),
        ("FREQ=DAILY;UNTIL=20270301T090000", "UNTIL \"20270301T090000\" must be in UTC (end with Z), like 20270301T090000Z"),
        ("FREQ=DAILY;UNTIL=20270301T250000Z", "UNTIL \"20270301T250000Z\" is not a real time of day"),
    ])
    func parseErrorsNameThePart(input: String, message: String) {
        #expect(throws: CoreError.invalidRecurrence(message)) { try RecurrenceRule(parsing: input) }
    }

    @Test func memberwiseInitValidatesLikeTheParser() throws {
        #expect(throws: CoreError.invalidRecurrence("BYDAY entry \"1MO\" has an ordinal, which only FREQ=MONTHLY allows")) {
            try RecurrenceRule(frequency: .weekly, byDay: [WeekdayNumber(.monday, ordinal: 1)], count: 2)
        }
        #expect(throws: CoreError.invalidRecurrence("COUNT and UNTIL cannot both be given")) {
            try RecurrenceRule(frequency: .daily, count: 2, until: .date(LocalDate(year: 2027, month: 3, day: 1)!))
        }
        let built = try RecurrenceRule(frequency: .monthly, byDay: [WeekdayNumber(.friday, ordinal: -1)], count: 6)
        #expect(built == (try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6")))
    }

    @Test func canonicalTextReadsBack() throws {
        let rule = try RecurrenceRule(parsing: "rrule:byday=we,mo;freq=weekly;count=6")
        #expect(rule.text == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6")
        #expect(try RecurrenceRule(parsing: rule.text) == rule)

        do {
            _ = try RecurrenceRule(parsing: "FREQ=YEARLY;COUNT=2")
            Issue.record("parsing an unsupported rule should fail")
        } catch CoreError.invalidRecurrence(let message) {
            #expect(message == "FREQ=YEARLY is not supported (expected DAILY, WEEKLY or MONTHLY)")
        }
    }

    // MARK: Expansion

    @Test func weeklyByDayFromAWednesday() throws {
        // Monday 1 March is before DTSTART (Wednesday 3 March) and is not produced.
        #expect(try dates("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=6", from: "2027-03-03")
            == ["2027-03-03", "2027-03-05", "2027-03-08", "2027-03-10", "2027-03-12", "2027-03-15"])
    }

    @Test func weeklyWithoutByDayUsesTheStartWeekday() throws {
        #expect(try dates("FREQ=WEEKLY;INTERVAL=2;COUNT=3", from: "2027-03-03") == ["2027-03-03", "2027-03-17", "2027-03-31"])
    }

    @Test func weeklyIntervalCountsWeeksFromMonday() throws {
        // Week of 1 March: Tue 2 is before DTSTART, Thu 4 counts; then the weeks of 15 and 29 March.
        #expect(try dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5", from: "2027-03-03")
            == ["2027-03-03", "2027-03-04", "2027-03-16", "2027-03-18", "2027-03-30"])
    }

    @Test func startThatDoesNotMatchStillCountsFirst() throws {
        #expect(try dates("FREQ=WEEKLY;BYDAY=MO;COUNT=3", from: "2027-03-03") == ["2027-03-03", "2027-03-08", "2027-03-15"])
    }

    @Test func monthlyLastFridayForSixMonths() throws {
        #expect(try dates("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", from: "2027-01-29")
            == ["2027-01-29", "2027-02-26", "2027-03-26", "2027-04-30", "2027-05-28", "2027-06-25"])
    }

    @Test func monthlyFirstMonday() throws {
        #expect(try dates("FREQ=MONTHLY;BYDAY=1MO;COUNT=4", from: "2027-02-01") == ["2027-02-01", "2027-03-01", "2027-04-05", "2027-05-03"])
    }

    @Test func monthlyPlainWeekdayMeansEveryOneInTheMonth() throws {
        #expect(try dates("FREQ=MONTHLY;BYDAY=MO;COUNT=6", from: "2027-03-01")
            == ["2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29", "2027-04-05"])
    }

    @Test func monthly31stSkipsShortMonths() throws {
        let expected = ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31"]
        #expect(try dates("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5", from: "2027-01-31") == expected)
        // Without BYMONTHDAY the start's day of month is used, with the same skipping.
        #expect(try dates("FREQ=MONTHLY;COUNT=5", from: "2027-01-31") == expected)
    }

    @Test func monthlyNegativeMonthDayCountsFromTheEnd() throws {
        #expect(try dates("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4", from: "2027-01-31") == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"])
        #expect(try dates("FREQ=MONTHLY;BYMONTHDAY=1,-1;COUNT=4", from: "2027-02-01") == ["2027-02-01", "2027-02-28", "2027-03-01", "2027-03-31"])
    }

    @Test func monthlyByDayAndMonthDayMustBothMatch() throws {
        // Friday the 13th: in 2027 only August (1 Aug is a Sunday) until 2028-10-13.
        #expect(try dates("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=2", from: "2027-08-13") == ["2027-08-13", "2028-10-13"])
    }

    @Test func dailyIntervalUntilADateIsInclusive() throws {
        #expect(try dates("FREQ=DAILY;INTERVAL=3;UNTIL=20270310", from: "2027-03-01") == ["2027-03-01", "2027-03-04", "2027-03-07", "2027-03-10"])
        #expect(try dates("FREQ=DAILY;INTERVAL=3;UNTIL=20270309", from: "2027-03-01") == ["2027-03-01", "2027-03-04", "2027-03-07"])
    }

    @Test func dailyByDayFilters() throws {
        #expect(try dates("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=6", from: "2027-03-05")
            == ["2027-03-05", "2027-03-08", "2027-03-09", "2027-03-10", "2027-03-11", "2027-03-12"])
    }

    @Test func untilAsUTCTimeIsInclusiveAndComparedAsAnInstant() throws {
        // 09:00 EST is 14:00Z, so the 3 March occurrence starts exactly at UNTIL.
        #expect(try dates("FREQ=DAILY;UNTIL=20270303T140000Z", from: "2027-03-01", zone: "America/New_York")
            == ["2027-03-01", "2027-03-02", "2027-03-03"])
        #expect(try dates("FREQ=DAILY;UNTIL=20270303T135959Z", from: "2027-03-01", zone: "America/New_York")
            == ["2027-03-01", "2027-03-02"])
        // In UTC the same 09:00 series is already past 08:59:59Z on 3 March.
        #expect(try dates("FREQ=DAILY;UNTIL=20270303T085959Z", from: "2027-03-01") == ["2027-03-01", "2027-03-02"])
    }

    @Test func untilBeforeStartIsRefused() throws {
        #expect(throws: CoreError.invalidRecurrence("UNTIL 2027-02-01 is before the first occurrence (2027-03-01 09:00 UTC)")) {
            try expand("FREQ=DAILY;UNTIL=20270201", from: "2027-03-01")
        }
    }

    @Test func countOfOneIsJustTheStart() throws {
        let occurrences = try expand("FREQ=MONTHLY;BYDAY=1MO;COUNT=1", from: "2027-03-03", 10, 15, zone: "Europe/London")
        #expect(occurrences == [Occurrence(date: LocalDate(year: 2027, month: 3, day: 3)!, start: Instant(iso8601: "2027-03-03T10:15:00Z")!)])
    }

    // MARK: Daylight saving

    @Test func londonKeepsNineOClockAcrossBothTransitions() throws {
        // BST starts Sunday 28 March 2027 and ends Sunday 31 October 2027.
        #expect(try starts("FREQ=WEEKLY;COUNT=2", from: "2027-03-21", zone: "Europe/London")
            == ["2027-03-21T09:00:00Z", "2027-03-28T08:00:00Z"])
        #expect(try starts("FREQ=WEEKLY;COUNT=2", from: "2027-10-24", zone: "Europe/London")
            == ["2027-10-24T08:00:00Z", "2027-10-31T09:00:00Z"])
        // One series spanning both: first (GMT), second (BST), ..., last two across the autumn change.
        let series = try starts("FREQ=WEEKLY;UNTIL=20271107", from: "2027-03-21", zone: "Europe/London")
        #expect(series.count == 34)
        #expect(series.prefix(2) == ["2027-03-21T09:00:00Z", "2027-03-28T08:00:00Z"])
        #expect(series.suffix(3) == ["2027-10-24T08:00:00Z", "2027-10-31T09:00:00Z", "2027-11-07T09:00:00Z"])
    }

    @Test func newYorkKeepsNineOClockAcrossBothTransitions() throws {
        // EDT starts Sunday 14 March 2027 and ends Sunday 7 November 2027.
        #expect(try starts("FREQ=WEEKLY;BYDAY=SU;COUNT=2", from: "2027-03-07", zone: "America/New_York")
            == ["2027-03-07T14:00:00Z", "2027-03-14T13:00:00Z"])
        #expect(try starts("FREQ=WEEKLY;BYDAY=SU;COUNT=2", from: "2027-10-31", zone: "America/New_York")
            == ["2027-10-31T13:00:00Z", "2027-11-07T14:00:00Z"])
    }

    @Test func lordHoweShiftsByHalfAnHour() throws {
        // +11:00 in summer, +10:30 in winter; summer ends Sunday 4 April and starts Sunday 3 October 2027.
        #expect(try starts("FREQ=WEEKLY;COUNT=2", from: "2027-03-28", zone: "Australia/Lord_Howe")
            == ["2027-03-27T22:00:00Z", "2027-04-03T22:30:00Z"])
        #expect(try starts("FREQ=WEEKLY;COUNT=2", from: "2027-09-26", zone: "Australia/Lord_Howe")
            == ["2027-09-25T22:30:00Z", "2027-10-02T22:00:00Z"])
        // 02:15 on 3 October is in the 02:00-02:30 gap: read with +10:30 it is 15:45Z (02:45 summer time).
        #expect(try starts("FREQ=DAILY;COUNT=2", from: "2027-10-02", 2, 15, zone: "Australia/Lord_Howe")
            == ["2027-10-01T15:45:00Z", "2027-10-02T15:45:00Z"])
        // 01:45 on 4 April happens twice (01:30-02:00 repeats); the first is at +11:00.
        #expect(try starts("FREQ=DAILY;COUNT=2", from: "2027-04-03", 1, 45, zone: "Australia/Lord_Howe")
            == ["2027-04-02T14:45:00Z", "2027-04-03T14:45:00Z"])
    }

    @Test func newYorkSpringForwardGapUsesTheOffsetBeforeIt() throws {
        // 02:30 on 14 March does not exist; read as EST (-05:00) it is 07:30Z, i.e. 03:30 EDT.
        let occurrences = try expand("FREQ=DAILY;COUNT=3", from: "2027-03-13", 2, 30, zone: "America/New_York")
        #expect(occurrences.map(\.start.iso8601) == ["2027-03-13T07:30:00Z", "2027-03-14T07:30:00Z", "2027-03-15T06:30:00Z"])
        #expect(occurrences.map(\.date.description) == ["2027-03-13", "2027-03-14", "2027-03-15"], "the date stays the local date asked for")
    }

    @Test func newYorkFallBackFoldMeansTheFirstOccurrence() throws {
        // 01:30 on 7 November happens at 05:30Z (EDT) and again at 06:30Z (EST); the first wins.
        #expect(try starts("FREQ=DAILY;COUNT=3", from: "2027-11-06", 1, 30, zone: "America/New_York")
            == ["2027-11-06T05:30:00Z", "2027-11-07T05:30:00Z", "2027-11-08T06:30:00Z"])
    }

    // MARK: Limits

    @Test func aSeriesMustEnd() throws {
        #expect(throws: CoreError.invalidRecurrence("a series needs COUNT or UNTIL")) {
            try expand("FREQ=WEEKLY;BYDAY=MO", from: "2027-03-01")
        }
    }

    @Test func exactly500OccurrencesAreAccepted() throws {
        let all = try dates("FREQ=DAILY;COUNT=500", from: "2027-03-01")
        #expect(all.count == 500)
        // 306 days from 1 March to 1 January 2028, then 193 more (2028 is a leap year): 12 July.
        #expect(all.last == "2028-07-12")
    }

    @Test func occurrence501IsRefused() throws {
        #expect(throws: CoreError.seriesTooLong("more than 500 occurrences (occurrence 501 would be on 2028-07-13); a series may have at most 500")) {
            try expand("FREQ=DAILY;COUNT=501", from: "2027-03-01")
        }
        #expect(throws: CoreError.seriesTooLong("more than 500 occurrences (occurrence 501 would be on 2028-07-13); a series may have at most 500")) {
            try expand("FREQ=DAILY;UNTIL=20281231", from: "2027-03-01")
        }
    }

    @Test func twoYearsToTheDayIsTheLastAllowedDate() throws {
        let monthly = try dates("FREQ=MONTHLY;COUNT=25", from: "2027-03-01")
        #expect(monthly.count == 25)
        #expect(monthly.last == "2029-03-01")
        // 104 weeks = 728 days after Monday 2027-03-01.
        #expect(try dates("FREQ=WEEKLY;COUNT=105", from: "2027-03-01").last == "2029-02-26")
        #expect(RecurrenceRule.lastAllowedDate(forSeriesStartingOn: LocalDate(year: 2028, month: 2, day: 29)!) == LocalDate(year: 2030, month: 2, day: 28))
    }

    @Test func moreThanTwoYearsIsRefused() throws {
        #expect(throws: CoreError.seriesTooLong("COUNT=26 is not reached within 2 years: 25 occurrences from 2027-03-01 to 2029-03-01; a series must end by 2029-03-01")) {
            try expand("FREQ=MONTHLY;COUNT=26", from: "2027-03-01")
        }
        #expect(throws: CoreError.seriesTooLong("COUNT=106 is not reached within 2 years: 105 occurrences from 2027-03-01 to 2029-03-01; a series must end by 2029-03-01")) {
            try expand("FREQ=WEEKLY;COUNT=106", from: "2027-03-01")
        }
        // The week of Monday 26 February 2029 holds the limit; its Friday is one day past it.
        #expect(throws: CoreError.seriesTooLong("the occurrence on 2029-03-02 is more than 2 years after the first (2027-03-01); a series must end by 2029-03-01")) {
            try expand("FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20290305", from: "2027-03-01")
        }
        #expect(throws: CoreError.seriesTooLong("UNTIL 2029-03-10 is more than 2 years after the first occurrence (2027-03-01); a series must end by 2029-03-01")) {
            try expand("FREQ=DAILY;INTERVAL=2;UNTIL=20290310", from: "2027-03-01")
        }
        // Every other day from 2027-03-01 lands on 2029-02-28 (day 730) and next on 2029-03-02.
        #expect(try dates("FREQ=DAILY;INTERVAL=2;UNTIL=20290301", from: "2027-03-01").last == "2029-02-28")
    }

    @Test func aRuleThatNeverMatchesAgainStopsAtTheHorizon() throws {
        // Every 12 months from April: April never has a 31st, so only DTSTART ever occurs.
        #expect(throws: CoreError.seriesTooLong("COUNT=2 is not reached within 2 years: 1 occurrence from 2027-04-10 to 2029-04-10; a series must end by 2029-04-10")) {
            try expand("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;COUNT=2", from: "2027-04-10")
        }
        #expect(throws: CoreError.seriesTooLong("UNTIL 2035-01-01 is more than 2 years after the first occurrence (2027-04-10); a series must end by 2029-04-10")) {
            try expand("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;UNTIL=20350101", from: "2027-04-10")
        }
        #expect(try dates("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31;UNTIL=20281231", from: "2027-04-10") == ["2027-04-10"])
        // An absurd INTERVAL must not overflow; nothing after DTSTART is within reach.
        #expect(try dates("FREQ=MONTHLY;INTERVAL=9223372036854775807;UNTIL=20280101", from: "2027-04-10") == ["2027-04-10"])
        #expect(try dates("FREQ=WEEKLY;INTERVAL=9223372036854775807;UNTIL=20280101", from: "2027-04-10") == ["2027-04-10"])
    }
}
