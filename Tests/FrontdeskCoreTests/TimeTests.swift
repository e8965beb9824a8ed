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

    @Test func civilDays() {
        for days in Int64(-800_000)...Int64(-799_000) { #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days) }
        for days in Int64(0)...Int64(30_000) where days % 7 == 0 { #expect(LocalDate(daysSinceEpoch: days).daysSinceEpoch == days) }
        #expect(LocalDate(year: 2027, month: 3, day: 1)!.weekday == .monday)
        #expect(LocalDate(year: 2024, month: 2, day: 29)!.weekday == .thursday)
        #expect(LocalDate(year: 2027, month: 1, day: 31)!.adding(months: 1) == nil)
    }
}
