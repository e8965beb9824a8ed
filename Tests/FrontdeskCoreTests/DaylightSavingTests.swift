import Testing
@testable import FrontdeskCore

/// Transition dates worked by hand from the zones' rules:
/// - Europe/London: last Sunday of March 01:00 UTC (GMT→BST), last Sunday of October 01:00 UTC.
/// - America/New_York: second Sunday of March 02:00 local, first Sunday of November 02:00 local.
/// - Australia/Lord_Howe: +10:30 standard, +11:00 summer; ends first Sunday of April 02:00 local
///   (clocks back to 01:30), starts first Sunday of October 02:00 local (forward to 02:30).
@Suite struct DaylightSavingTests {
    func local(_ date: String, _ h: Int, _ m: Int) -> LocalDateTime { LocalDateTime(date: LocalDate(date)!, hour: h, minute: m) }

    @Test func londonGapAndFold() {
        let z = Zone("Europe/London")!
        #expect(z.resolve(local("2027-03-28", 1, 30)) == .nonexistent)
        #expect(z.instant(local("2027-03-28", 0, 59)) == World.t("2027-03-28T00:59:00Z"))
        #expect(z.instant(local("2027-03-28", 2, 0)) == World.t("2027-03-28T01:00:00Z"))
        #expect(z.resolve(local("2027-10-31", 1, 30)) == .ambiguous(first: World.t("2027-10-31T00:30:00Z"), second: World.t("2027-10-31T01:30:00Z")))
        #expect(z.instant(local("2027-10-31", 1, 30)) == World.t("2027-10-31T00:30:00Z"), "ambiguous means the first occurrence")
    }

    @Test func newYorkGapAndFold() {
        let z = Zone("America/New_York")!
        #expect(z.resolve(local("2027-03-14", 2, 30)) == .nonexistent)
        #expect(z.instant(local("2027-03-14", 3, 0)) == World.t("2027-03-14T07:00:00Z"))
        #expect(z.instant(local("2027-03-14", 1, 59)) == World.t("2027-03-14T06:59:00Z"))
        #expect(z.resolve(local("2027-11-07", 1, 30)) == .ambiguous(first: World.t("2027-11-07T05:30:00Z"), second: World.t("2027-11-07T06:30:00Z")))
    }

    @Test func lordHoweHalfHourShift() {
        let z = Zone("Australia/Lord_Howe")!
        // Spring forward 2027-10-03 02:00 → 02:30 (+10:30 → +11:00).
        #expect(z.resolve(local("2027-10-03", 2, 15)) == .nonexistent)
        #expect(z.instant(local("2027-10-03", 1, 59)) == World.t("2027-10-02T15:29:00Z"))
        #expect(z.instant(local("2027-10-03", 2, 30)) == World.t("2027-10-02T15:30:00Z"))
        // Fall back 2027-04-04 02:00 → 01:30 (+11:00 → +10:30): 01:30-01:59 happens twice.
        #expect(z.resolve(local("2027-04-04", 1, 45)) == .ambiguous(first: World.t("2027-04-03T14:45:00Z"), second: World.t("2027-04-03T15:15:00Z")))
        #expect(z.resolve(local("2027-04-04", 2, 0)) == .unique(World.t("2027-04-03T15:30:00Z")))
    }

    @Test func openingHoursFollowTheWallClockOnTransitionDays() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let s = try w.schedule(days: Weekday.allCases)
        let london = try w.resource("London room", zone: "Europe/London", schedule: s)
        let ny = try w.resource("NY room", zone: "America/New_York", schedule: s)
        let lh = try w.resource("Lord Howe room", zone: "Australia/Lord_Howe", schedule: s)
        func hours(_ r: ResourceID, _ from: String, _ to: String) -> [TimeRange] {
            w.state.availability(for: w.state.resources[r]!).openRanges(within: World.r(from, to))
        }
        // Sunday 2027-03-28 London: 09:00 BST = 08:00Z; the day before, 09:00 GMT = 09:00Z.
        #expect(hours(london, "2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z") == [
            World.r("2027-03-27T09:00:00Z", "2027-03-27T17:00:00Z"), World.r("2027-03-28T08:00:00Z", "2027-03-28T16:00:00Z")])
        #expect(hours(london, "2027-10-31T00:00:00Z", "2027-11-01T00:00:00Z") == [World.r("2027-10-31T09:00:00Z", "2027-10-31T17:00:00Z")])
        #expect(hours(ny, "2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z") == [World.r("2027-03-14T13:00:00Z", "2027-03-14T21:00:00Z")])
        #expect(hours(ny, "2027-11-07T00:00:00Z", "2027-11-08T00:00:00Z") == [World.r("2027-11-07T14:00:00Z", "2027-11-07T22:00:00Z")])
        // Lord Howe: 09:00 +11:00 = 22:00Z the day before; after 2027-04-04, 09:00 +10:30 = 22:30Z.
        #expect(hours(lh, "2027-04-03T12:00:00Z", "2027-04-04T12:00:00Z") == [World.r("2027-04-03T22:30:00Z", "2027-04-04T06:30:00Z")])
        #expect(hours(lh, "2027-10-02T12:00:00Z", "2027-10-03T12:00:00Z") == [World.r("2027-10-02T22:00:00Z", "2027-10-03T06:00:00Z")])
    }

    @Test func nonexistentLocalTimeIsATypedError() throws {
        var w = World()
        let ny = try w.resource("NY room", zone: "America/New_York")
        let gap = local("2027-03-14", 2, 30)
        #expect(throws: CoreError.nonexistentLocalTime(gap, zone: Zone("America/New_York")!)) { try w.state.instant(gap, on: ny) }
        #expect(try w.state.instant(local("2027-11-07", 1, 30), on: ny) == World.t("2027-11-07T05:30:00Z"))
    }

    @Test func hoursAcrossMidnightBoundaryInGapStillOpen() throws {
        // A schedule opening at 02:00 on New York's spring-forward day opens at 03:00 (end of gap).
        var w = World(now: "2027-03-01T00:00:00Z")
        let s = try w.schedule(hours: "02:00-06:00", days: [.sunday])
        let ny = try w.resource("NY night", zone: "America/New_York", schedule: s)
        let open = w.state.availability(for: w.state.resources[ny]!).openRanges(within: World.r("2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z"))
        #expect(open == [World.r("2027-03-14T07:00:00Z", "2027-03-14T10:00:00Z")])
    }
}
