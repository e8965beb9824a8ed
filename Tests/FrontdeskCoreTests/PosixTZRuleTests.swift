import Testing
@testable import FrontdeskCore

/// The footer rules of TZif files, checked against change instants worked out by hand (and
/// matching `zdump -v -c 2050,2051` for the zones that use them).
@Suite struct PosixTZRuleTests {
    func t(_ iso: String) -> Int64 { Instant(iso8601: iso)!.seconds }

    /// The offset just before and at `change`.
    func around(_ rule: PosixTZRule, _ change: String) -> (Int32, Int32) {
        (rule.period(at: t(change) - 1).offset, rule.period(at: t(change)).offset)
    }

    @Test func centralEurope() throws {
        let rule = try #require(PosixTZRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        #expect(rule.standard == ZoneRules.Period(offset: 3600, isDaylightSaving: false))
        #expect(rule.daylight?.period == ZoneRules.Period(offset: 7200, isDaylightSaving: true))
        // Last Sundays of March and October 2050: 27 March 02:00 CET, 30 October 03:00 CEST.
        #expect(around(rule, "2050-03-27T01:00:00Z") == (3600, 7200))
        #expect(around(rule, "2050-10-30T01:00:00Z") == (7200, 3600))
        #expect(rule.period(at: t("2050-07-01T00:00:00Z")).isDaylightSaving)
        #expect(!rule.period(at: t("2050-01-01T00:00:00Z")).isDaylightSaving)
    }

    @Test func newYorkWithDefaultTimes() throws {
        let rule = try #require(PosixTZRule("EST5EDT,M3.2.0,M11.1.0"))
        #expect(around(rule, "2050-03-13T07:00:00Z") == (-18000, -14400))
        #expect(around(rule, "2050-11-06T06:00:00Z") == (-14400, -18000))
    }

    @Test func dublinNegativeDaylightSaving() throws {
        // Irish Standard Time is summer time; winter GMT is the "daylight-saving" period at -1 h.
        let rule = try #require(PosixTZRule("IST-1GMT0,M10.5.0,M3.5.0/1"))
        #expect(rule.standard.offset == 3600)
        #expect(rule.daylight?.period.offset == 0)
        #expect(around(rule, "2050-03-27T01:00:00Z") == (0, 3600))
        #expect(around(rule, "2050-10-30T01:00:00Z") == (3600, 0))
        #expect(rule.period(at: t("2050-01-15T12:00:00Z")).isDaylightSaving)
    }

    @Test func southernHemisphereAndHalfHours() throws {
        let lordHowe = try #require(PosixTZRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0"))
        #expect(around(lordHowe, "2050-04-02T15:00:00Z") == (39600, 37800))
        #expect(around(lordHowe, "2050-10-01T15:30:00Z") == (37800, 39600))
        #expect(lordHowe.period(at: t("2050-01-01T00:00:00Z")).offset == 39600, "summer spans New Year")
        let chatham = try #require(PosixTZRule("<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"))
        #expect(chatham.standard.offset == Int32(12 * 3600 + 45 * 60))
        #expect(chatham.daylight?.period.offset == Int32(13 * 3600 + 45 * 60), "one hour ahead when not given")
    }

    @Test func extendedAndNegativeHours() throws {
        // America/Nuuk: changes at -01:00 and 00:00 local, i.e. 01:00 UTC on both dates.
        let nuuk = try #require(PosixTZRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0"))
        #expect(around(nuuk, "2050-03-27T01:00:00Z") == (-7200, -3600))
        #expect(around(nuuk, "2050-10-30T01:00:00Z") == (-3600, -7200))
        // Palestine: Saturday after the fourth Thursday at 02:00, written as Thursday 50:00.
        let gaza = try #require(PosixTZRule("EET-2EEST,M3.4.4/50,M10.4.4/50"))
        // 2050: fourth Thursdays are 24 March and 27 October; +50 h is Saturday 02:00 local.
        #expect(around(gaza, "2050-03-26T00:00:00Z") == (7200, 10800))
        #expect(around(gaza, "2050-10-28T23:00:00Z") == (10800, 7200))
        // Egypt: last Thursday of October at 24:00 (Friday 00:00 EEST).
        let cairo = try #require(PosixTZRule("EET-2EEST,M4.5.5/0,M10.5.4/24"))
        #expect(around(cairo, "2050-10-27T21:00:00Z") == (10800, 7200))
    }

    @Test func allYearDaylightSaving() throws {
        // RFC 8536 §3.3.1: DST from 1 January 00:00 to 31 December 25:00 is in force all year.
        let rule = try #require(PosixTZRule("EST5EDT,0/0,J365/25"))
        for iso in ["2050-01-01T05:00:00Z", "2050-01-01T04:59:59Z", "2050-06-01T00:00:00Z", "2050-12-31T23:59:59Z", "2052-02-29T12:00:00Z"] {
            #expect(rule.period(at: t(iso)).offset == -14400, "\(iso)")
        }
    }

    @Test func julianAndZeroBasedDays() throws {
        // J60 is 1 March in every year; zero-based 59 is 1 March, or 29 February in a leap year.
        let julian = try #require(PosixTZRule("AAA0BBB,J60/0,J300/0"))
        #expect(around(julian, "2051-03-01T00:00:00Z") == (0, 3600))
        #expect(around(julian, "2052-03-01T00:00:00Z") == (0, 3600))
        let zeroBased = try #require(PosixTZRule("AAA0BBB,59/0,300/0"))
        #expect(around(zeroBased, "2051-03-01T00:00:00Z") == (0, 3600))
        #expect(around(zeroBased, "2052-02-29T00:00:00Z") == (0, 3600))
    }

    @Test func fixedOffsets() throws {
        #expect(PosixTZRule("<+01>-1")?.period(at: 0) == ZoneRules.Period(offset: 3600, isDaylightSaving: false))
        #expect(PosixTZRule("UTC0")?.period(at: 12345).offset == 0)
        #expect(PosixTZRule("<-0930>9:30")?.standard.offset == Int32(-(9 * 3600 + 30 * 60)))
        #expect(PosixTZRule("<+0545>-5:45")?.daylight == nil)
    }

    @Test func defaultsForOmittedParts() throws {
        // No DST offset: one hour ahead of standard time; no dates: the United States' rules.
        let rule = try #require(PosixTZRule("EST5EDT"))
        #expect(rule.daylight?.period.offset == -14400)
        #expect(around(rule, "2050-03-13T07:00:00Z") == (-18000, -14400))
    }

    @Test func farInstantsNeitherTrapNorDrift() throws {
        let rule = try #require(PosixTZRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        _ = rule.period(at: .max)
        _ = rule.period(at: .min)
        // 400 Gregorian years later every change falls on the same instant plus 146,097 days.
        let shift = Int64(146_097) * 86400
        for base in [t("2050-03-27T01:00:00Z"), t("2050-10-30T01:00:00Z")] {
            for k: Int64 in [1, 1000, 1_000_000, -1000] {
                #expect(rule.period(at: base - 1 + k * shift) == rule.period(at: base - 1))
                #expect(rule.period(at: base + k * shift) == rule.period(at: base))
            }
        }
    }

    /// The period from every change of the seven years around `t`, in order: the latest at or
    /// before `t` wins, a later year's or (within a year) the later change winning ties.
    func bruteForce(_ rule: PosixTZRule, _ t: Int64) -> ZoneRules.Period {
        guard let daylight = rule.daylight else { return rule.standard }
        let year = PosixTZRule.year(containing: t.floorDiv(86400))
        var changes: [(at: Int64, daylight: Bool)] = []
        for y in year - 3...year + 3 {
            let (start, end) = rule.changes(in: y)!
            changes += start <= end ? [(start, true), (end, false)] : [(end, false), (start, true)]
        }
        let last = changes.enumerated().filter { $0.element.at <= t }.max { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        return last?.element.daylight == true ? daylight.period : rule.standard
    }

    @Test func periodAgreesWithEveryChangeInOrder() throws {
        // Every footer with DST in tzdata 2025b, and rules whose changes cross New Year.
        let rules = [
            "CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT,M3.2.0,M11.1.0", "EET-2EEST,M3.5.0/3,M10.5.0/4", "WET0WEST,M3.5.0/1,M10.5.0",
            "GMT0BST,M3.5.0/1,M10.5.0", "AEST-10AEDT,M10.1.0,M4.1.0/3", "NZST-12NZDT,M9.5.0,M4.1.0/3", "EET-2EEST,M3.4.4/50,M10.4.4/50",
            "ACST-9:30ACDT,M10.1.0,M4.1.0/3", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0", "NST3:30NDT,M3.2.0,M11.1.0", "IST-2IDT,M3.4.4/26,M10.5.0",
            "IST-1GMT0,M10.5.0,M3.5.0/1", "EET-2EEST,M4.5.5/0,M10.5.4/24", "EET-2EEST,M3.5.0/0,M10.5.0/0", "CST5CDT,M3.2.0/0,M11.1.0/1",
            "<-06>6<-05>,M9.1.6/22,M4.1.6/22", "<-04>4<-03>,M9.1.6/24,M4.1.6/24", "<-03>3<-02>,M3.2.0,M11.1.0", "<-01>1<+00>,M3.5.0/0,M10.5.0/1",
            "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "<+11>-11<+12>,M10.1.0,M4.1.0/3", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
            "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",
            "EST5EDT,0/0,J365/25", "XXX3YYY,J1/-100,J365/160", "XXX-13YYY,M1.1.0/-20,M12.5.6/100", "XXX0YYY,0/-167,365/167",
        ]
        var rng = SplitMix64(seed: 0x7E57)
        for text in rules {
            let rule = try #require(PosixTZRule(text), "\(text)")
            var instants = (0..<400).map { _ in Int64.random(in: -5_000_000_000...20_000_000_000, using: &rng) }
            for y: Int64 in [1999, 2000, 2023, 2024, 2100] {
                let (start, end) = rule.changes(in: y)!
                for c in [start, end] { instants += [c - 1, c, c + 1] }
            }
            for t in instants {
                #expect(rule.period(at: t) == bruteForce(rule, t), "\(text) at \(t)")
            }
        }
    }

    @Test(arguments: [
        "", "EST", "E5", "ES5", "EST5EDT,M3.2.0", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0",
        "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,M3.0.0,M11.1.0", "EST5EDT,J0,J100", "EST5EDT,J366,J100",
        "EST5EDT,366,100", "EST25", "EST-25", "<+0>0", "<+03-3", "<>0", "EST5EDT,M3.2.0/168,M11.1.0",
        "EST5:60", "EST5:3", "EST5:30:6", "EST5EDT,M3.2.0,M11.1.0,", "EST5EDT,M3.2.0,M11.1.0x",
        " EST5", "EST5 ", "EST5EDT4x", "EST5EDT,M3.2.0/,M11.1.0", "EST5EDT,M3..0,M11.1.0", "EST5EDT,M3.2.0;M11.1.0",
        "EST 5", "EST5EDT,,", "<EST5", "EST5EDT,M3.2.0,M11.1.0/2:3", "ÉST5", "EST123",
    ])
    func refusesMalformedRules(_ text: String) {
        #expect(PosixTZRule(text) == nil, "\"\(text)\"")
    }
}
