import Testing
@testable import FrontdeskCore

@Suite struct TimeTests {
    @Test func isoRoundTrip() throws {
        let i = try #require(Instant(iso8601: "2027-03-01T09:00:00Z"))
        #expect(i.iso8601 == "2027-03-01T09:00:00Z")
        #expect(Instant(iso8601: "2027-03-01T10:00:00+01:00") == i)
        #expect(Instant(iso8601: "2027-03-01T04:00-0500") == i)
        #expect(Instant(iso8601: "2027-13-01T09:00:00Z") == nil)
        #expect(Instant(iso8601: "2027-02-29T09:00:00Z") == nil)
        #expect(Instant(iso8601: "2027-03-01T24:00:00Z") == nil)
        #expect(Instant(iso8601: "2027-03-01 09:00") == nil, "no offset: not an instant")
        #expect(Instant(iso8601: "1969-12-31T23:59:59Z")?.seconds == -1)
    }

    @Test func isoTextIsWrittenFieldByField() {
        #expect(Instant(seconds: 0).iso8601 == "1970-01-01T00:00:00Z")
        #expect(Instant(seconds: -1).iso8601 == "1969-12-31T23:59:59Z")
        #expect(Instant(seconds: 1_803_898_862).iso8601 == "2027-03-01T11:01:02Z")
        #expect(Instant(seconds: 253_402_300_799).iso8601 == "9999-12-31T23:59:59Z")
        #expect(Instant(seconds: -62_135_596_800).iso8601 == "0001-01-01T00:00:00Z")
        // Beyond four-digit years the general path writes what it always did, and it parses back.
        #expect(Instant(seconds: 253_402_300_800).iso8601.hasPrefix("10000-01-01T00:00:00"))
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let i = Instant(seconds: Int64(x >> 30) % 253_402_300_800 - 62_135_596_800 / 2)
            let text = i.iso8601
            #expect(text.utf8.count == 20 && Instant(iso8601: text) == i, "\(i.seconds) → \(text)")
        }
    }

    @Test func civilDays() {
        for days in Int64(-800_000)...Int64(-799_000) { #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days) }
        for days in Int64(0)...Int64(30_000) where days % 7 == 0 { #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days) }
        #expect(LocalDate(year: 2027, month: 3, day: 1)!.weekday == .monday)
        #expect(LocalDate(year: 2024, month: 2, day: 29)!.weekday == .thursday)
        #expect(LocalDate(year: 2027, month: 1, day: 31)!.adding(months: 1) == nil)
    }
}

@Suite struct TimeRangeTests {
    @Test func emptyAndInvertedRangesOverlapNothing() {
        let outer = TimeRange(start: Instant(seconds: 0), end: Instant(seconds: 10))
        #expect(!TimeRange(start: Instant(seconds: 5), end: Instant(seconds: 5)).overlaps(outer))
        #expect(!outer.overlaps(TimeRange(start: Instant(seconds: 5), end: Instant(seconds: 5))))
        #expect(!TimeRange(start: Instant(seconds: 7), end: Instant(seconds: 3)).overlaps(outer))
        #expect(TimeRange(start: Instant(seconds: 9), end: Instant(seconds: 11)).overlaps(outer))
        #expect(!TimeRange(start: Instant(seconds: 10), end: Instant(seconds: 11)).overlaps(outer))
    }

    @Test func durationTextRoundTrip() {
        #expect(TimeSpan(text: "45m") == .minutes(45))
        #expect(TimeSpan(text: "1h30m") == .minutes(90))
        #expect(TimeSpan(text: "2d") == .days(2))
        #expect(TimeSpan(text: "1h 15m") == .minutes(75))
        #expect(TimeSpan(text: "10") == nil)
        #expect(TimeSpan(text: "m") == nil)
        #expect(TimeSpan(text: "5x") == nil)
        #expect(TimeSpan(text: "") == nil)
        #expect(TimeSpan(text: "99999999999999999999d") == nil)
        #expect(TimeSpan.minutes(90).text == "1h30m")
        #expect(TimeSpan.days(2).text == "2d")
    }
}
