import Testing
@testable import FrontdeskCore

/// Gaps and folds read from the system's tz database, with the instants written out (they match
/// `zdump -v` for the same years). DaylightSavingTests covers London, New York and Lord Howe
/// in 2027; these add the footer years and the odd zones.
@Suite struct ZoneResolutionTests {
    func local(_ date: String, _ h: Int, _ m: Int, _ s: Int = 0) -> LocalDateTime {
        LocalDateTime(date: LocalDate(date)!, hour: h, minute: m, second: s)
    }
    func t(_ iso: String) -> Instant { World.t(iso) }
    func zone(_ name: String) throws -> Zone { try #require(Zone(name)) }

    @Test func berlin() throws {
        let z = try zone("Europe/Berlin")
        #expect(z.resolve(local("2027-03-28", 2, 30)) == .nonexistent)
        #expect(z.resolve(local("2027-03-28", 1, 59, 59)) == .unique(t("2027-03-28T00:59:59Z")))
        #expect(z.resolve(local("2027-03-28", 3, 0)) == .unique(t("2027-03-28T01:00:00Z")))
        #expect(z.resolve(local("2027-10-31", 2, 30)) == .ambiguous(first: t("2027-10-31T00:30:00Z"), second: t("2027-10-31T01:30:00Z")))
        #expect(z.startOfDay(LocalDate("2027-03-28")!) == t("2027-03-27T23:00:00Z"))
        // 2050 lies past the file's transitions (2037): the footer rule answers.
        #expect(z.resolve(local("2050-03-27", 2, 30)) == .nonexistent)
        #expect(z.resolve(local("2050-10-30", 2, 30)) == .ambiguous(first: t("2050-10-30T00:30:00Z"), second: t("2050-10-30T01:30:00Z")))
    }

    @Test func newYork() throws {
        let z = try zone("America/New_York")
        #expect(z.resolve(local("2050-03-13", 2, 30)) == .nonexistent)
        #expect(z.resolve(local("2050-03-13", 3, 0)) == .unique(t("2050-03-13T07:00:00Z")))
        #expect(z.resolve(local("2050-11-06", 1, 30)) == .ambiguous(first: t("2050-11-06T05:30:00Z"), second: t("2050-11-06T06:30:00Z")))
    }

    @Test func lordHoweHalfHourDaylightSaving() throws {
        let z = try zone("Australia/Lord_Howe")
        #expect(z.resolve(local("2050-10-02", 2, 15)) == .nonexistent)
        #expect(z.resolve(local("2050-10-02", 2, 30)) == .unique(t("2050-10-01T15:30:00Z")))
        #expect(z.resolve(local("2050-04-03", 1, 45)) == .ambiguous(first: t("2050-04-02T14:45:00Z"), second: t("2050-04-02T15:15:00Z")))
        #expect(z.resolve(local("2050-04-03", 2, 0)) == .unique(t("2050-04-02T15:30:00Z")))
    }

    @Test func apiaSkippedTheWholeOf30December2011() throws {
        // -10 until 2011-12-30T10:00Z, then +14: local 29 December 23:59:59 is followed by
        // 31 December 00:00:00.
        let z = try zone("Pacific/Apia")
        #expect(z.resolve(local("2011-12-29", 23, 59, 59)) == .unique(t("2011-12-30T09:59:59Z")))
        for h in [0, 12, 23] { #expect(z.resolve(local("2011-12-30", h, 0)) == .nonexistent) }
        #expect(z.resolve(local("2011-12-31", 0, 0)) == .unique(t("2011-12-30T10:00:00Z")))
        // The missing day starts (and ends) where the next one starts.
        #expect(z.startOfDay(LocalDate("2011-12-30")!) == t("2011-12-30T10:00:00Z"))
        #expect(z.startOfDay(LocalDate("2011-12-31")!) == t("2011-12-30T10:00:00Z"))
        #expect(z.local(t("2011-12-30T10:00:00Z")) == local("2011-12-31", 0, 0))
    }

    @Test func dublinNegativeDaylightSaving() throws {
        // Irish Standard Time (+1) is the standard period; winter GMT is flagged as DST at -1 h.
        let z = try zone("Europe/Dublin")
        for year in ["2027", "2050"] {
            let (march, october) = year == "2027" ? ("2027-03-28", "2027-10-31") : ("2050-03-27", "2050-10-30")
            #expect(z.resolve(local(march, 1, 30)) == .nonexistent, "\(year)")
            #expect(z.resolve(local(march, 2, 0)) == .unique(t(march + "T01:00:00Z")))
            #expect(z.resolve(local(october, 1, 30)) == .ambiguous(first: t(october + "T00:30:00Z"), second: t(october + "T01:30:00Z")))
        }
        #expect(z.rules.period(at: t("2027-01-15T12:00:00Z").seconds) == ZoneRules.Period(offset: 0, isDaylightSaving: true))
        #expect(z.rules.period(at: t("2050-07-15T12:00:00Z").seconds) == ZoneRules.Period(offset: 3600, isDaylightSaving: false))
    }

    @Test func casablancaRamadan() throws {
        // 2027: back from +01 to +00 on 7 February at 03:00, forward again on 14 March at 02:00.
        let z = try zone("Africa/Casablanca")
        #expect(z.resolve(local("2027-02-07", 2, 30)) == .ambiguous(first: t("2027-02-07T01:30:00Z"), second: t("2027-02-07T02:30:00Z")))
        #expect(z.resolve(local("2027-02-07", 3, 0)) == .unique(t("2027-02-07T03:00:00Z")))
        #expect(z.resolve(local("2027-03-14", 2, 30)) == .nonexistent)
        #expect(z.resolve(local("2027-03-14", 3, 0)) == .unique(t("2027-03-14T02:00:00Z")))
        #expect(z.offset(at: t("2027-02-20T12:00:00Z")) == 0)
    }
}
