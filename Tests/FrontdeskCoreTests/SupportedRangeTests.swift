import Foundation
import Testing
@testable import FrontdeskCore

/// Every engine entry point refuses instants and dates outside ``SupportedRange``, naming the
/// field, and plans nothing; values at the edges are accepted.
@Suite struct SupportedRangeTests {
    /// The refusal `body` throws, if any.
    func refusal(_ body: () throws -> Void) -> CoreError? {
        do { try body(); return nil } catch let e as CoreError { return e } catch { return nil }
    }

    /// The field of an `outsideSupportedRange` refusal, or nil for anything else.
    func rangeField(_ body: () throws -> Void) -> String? {
        if case .outsideSupportedRange(let field, _)? = refusal(body) { return field }
        return nil
    }

    @Test func boundsAreThoseDocumented() {
        #expect(SupportedRange.lowerBound == Instant(iso8601: "1970-01-01T00:00:00Z"))
        #expect(SupportedRange.upperBound == Instant(iso8601: "2200-01-01T00:00:00Z"))
        #expect(SupportedRange.firstDate.description == "1970-01-01")
        #expect(SupportedRange.lastDate.description == "2199-12-31")
        #expect(SupportedRange.contains(Instant(seconds: 0)))
        #expect(!SupportedRange.contains(Instant(seconds: -1)))
        #expect(SupportedRange.contains(Instant(iso8601: "2199-12-31T23:59:59Z")!))
        #expect(!SupportedRange.contains(Instant(iso8601: "2200-01-01T00:00:00Z")!))
        #expect(CoreError.outsideSupportedRange(field: "start", value: "x").category == .invalidInput)
        #expect(CoreError.outsideSupportedRange(field: "start", value: "x").description.contains("1970-01-01T00:00:00Z to 2199-12-31T23:59:59Z"))
    }

    @Test func bookRefusesStartEndAndHoldOutsideTheRange() throws {
        var w = World()
        let room = try w.resource("Room")
        func book(_ a: String, _ b: String, status: BookingStatus = .confirmed, hold: TimeSpan? = nil) throws {
            _ = try w.engine.book(BookingRequest(resource: room, range: World.r(a, b), status: status, hold: hold), in: w.state, by: w.desk)
        }
        #expect(rangeField { try book("9999-12-31T23:50:00Z", "9999-12-31T23:55:00Z") } == "start")
        // The case: 23:50 plus two hours is in year 10000.
        let far = World.t("9999-12-31T23:50:00Z")
        #expect(rangeField {
            _ = try w.engine.book(BookingRequest(resource: room, range: TimeRange(start: far, end: far + .hours(2))), in: w.state, by: w.desk)
        } == "start")
        #expect(rangeField { try book("2199-12-31T23:00:00Z", "2200-01-01T00:00:00Z") } == "end")
        #expect(rangeField { try book("2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z", status: .pendingPayment, hold: .days(365 * 200)) } == "hold")
        #expect(w.state.bookings.isEmpty)
        // The last second is bookable.
        try w.book(room, "2199-12-31T23:00:00Z", "2199-12-31T23:59:59Z")
        #expect(w.state.bookings.count == 1)
    }

    @Test func wallClockTimesInFarZonesAreRefused() throws {
        var w = World()
        let la = try w.resource("LA room", zone: "America/Los_Angeles")
        let tokyo = try w.resource("Tokyo room", zone: "Asia/Tokyo")
        // 9999-12-31 23:00 in Los Angeles is already year 10000 in UTC.
        let laStart = try w.state.instant(LocalDateTime(date: LocalDate("9999-12-31")!, hour: 23, minute: 0, second: 0), on: la)
        #expect(rangeField {
            _ = try w.engine.book(BookingRequest(resource: la, range: TimeRange(start: laStart, end: laStart + .hours(1))), in: w.state, by: w.desk)
        } == "start")
        // 0001-01-01 00:00 in Tokyo, with a manager override (which lifts policies, never the range).
        let tokyoStart = try w.state.instant(LocalDateTime(date: LocalDate("0001-01-01")!, hour: 0, minute: 0, second: 0), on: tokyo)
        #expect(rangeField {
            _ = try w.engine.book(BookingRequest(resource: tokyo, range: TimeRange(start: tokyoStart, end: tokyoStart + .hours(1)), overrideReason: "x"),
                                  in: w.state, by: w.desk)
        } == "start")
        #expect(w.state.bookings.isEmpty)
    }

    @Test func aSeriesCrossingTheRangeIsRefusedWhole() throws {
        var w = World()
        let room = try w.resource("Room")
        #expect(rangeField {
            _ = try w.engine.book(BookingRequest(resource: room, range: World.r("2199-12-20T09:00:00Z", "2199-12-20T10:00:00Z"),
                                                 recurrence: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=20")), in: w.state, by: w.desk)
        } == "repeat")
        // Even with skip-conflicts: the range is not a conflict to skip.
        #expect(rangeField {
            _ = try w.engine.book(BookingRequest(resource: room, range: World.r("2199-12-20T09:00:00Z", "2199-12-20T10:00:00Z"),
                                                 recurrence: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=20"), skipConflicts: true), in: w.state, by: w.desk)
        } == "repeat")
        #expect(w.state.bookings.isEmpty)
        // UNTIL itself must lie inside the range, as a date or a UTC time.
        #expect(rangeField { _ = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=99991231") } == "repeat UNTIL")
        #expect(rangeField { _ = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=22000101T000000Z") } == "repeat UNTIL")
        #expect(rangeField { _ = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=19691231") } == "repeat UNTIL")
        #expect(throws: Never.self) { try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=21991231") }
        // A series ending on the last day is fine.
        let out = w.commit(try w.engine.book(BookingRequest(resource: room, range: World.r("2199-12-29T09:00:00Z", "2199-12-29T10:00:00Z"),
                                                            recurrence: try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=21991231")), in: w.state, by: w.desk))
        #expect(out.bookings.count == 3)
    }

    @Test func rescheduleRefusesTheTargetAndEveryMovedOccurrence() throws {
        var w = World()
        let room = try w.resource("Room")
        let b = try w.book(room, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        #expect(rangeField {
            _ = try w.engine.reschedule(b.id, to: World.r("9999-12-31T23:50:00Z", "9999-12-31T23:55:00Z"), in: w.state, by: w.desk)
        } == "start")
        #expect(rangeField {
            _ = try w.engine.reschedule(b.id, to: World.r("2199-12-31T23:00:00Z", "2200-01-01T01:00:00Z"), in: w.state, by: w.desk)
        } == "end")
        // A weekly series moved so that its later occurrences would cross the bound.
        let series = w.commit(try w.engine.book(BookingRequest(resource: room, range: World.r("2199-11-04T09:00:00Z", "2199-11-04T10:00:00Z"),
                                                               recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=4")), in: w.state, by: w.desk))
        #expect(rangeField {
            _ = try w.engine.reschedule(series.bookings[0].id, to: World.r("2199-12-16T09:00:00Z", "2199-12-16T10:00:00Z"), scope: .all,
                                        in: w.state, by: w.desk)
        } == "start")
        #expect(w.state.bookings[b.id]?.version == 1)
        #expect(w.state.bookings[series.bookings[3].id]?.start == World.t("2199-11-25T09:00:00Z"))
    }

    @Test func waitlistSchedulesAndBlackoutsStayInside() throws {
        var w = World()
        let room = try w.resource("Room")
        let ann = try w.customer("Ann")
        #expect(rangeField {
            _ = try w.engine.addToWaitlist(customer: ann, resources: [room], window: World.r("2199-12-31T00:00:00Z", "2200-01-02T00:00:00Z"),
                                           duration: .hours(1), in: w.state, by: w.desk)
        } == "to")
        #expect(rangeField {
            _ = try w.engine.addToWaitlist(customer: ann, resources: [room], window: TimeRange(start: Instant(seconds: -3600), end: Instant(seconds: 3600)),
                                           duration: .hours(1), in: w.state, by: w.desk)
        } == "from")
        #expect(rangeField {
            try w.schedule { $0.blackouts = [Blackout(range: World.r("2199-12-31T00:00:00Z", "2300-01-01T00:00:00Z"), reason: "far")] }
        } == "blackout to")
        #expect(rangeField { try w.schedule { $0.overrides[LocalDate("2200-01-01")!] = [] } } == "date")
        #expect(rangeField { try w.schedule { $0.overrides[LocalDate("1969-12-31")!] = [] } } == "date")
        let id = try w.schedule { $0.overrides[LocalDate("2199-12-31")!] = [] }
        var s = try #require(w.state.schedules[id])
        s.blackouts = [Blackout(range: TimeRange(start: Instant(seconds: -10), end: Instant(seconds: 10)), reason: "before")]
        #expect(rangeField { _ = try w.engine.updateSchedule(s, in: w.state, by: w.desk) } == "blackout from")
        #expect(w.state.waitlist.isEmpty)
    }

    /// The text of a time outside the range stays available for messages; the store's schema
    /// writer and readers refuse such times (SchemaGoldenTests.timesOutsideTheRangeAreRefusedBothWays).
    @Test func textOutsideTheRangeStaysAvailable() throws {
        #expect(Instant(seconds: 7_258_118_400).iso8601 == "2200-01-01T00:00:00Z")
        #expect(!SupportedRange.contains(Instant(seconds: 7_258_118_400)) && !SupportedRange.contains(Instant(seconds: -1)))
        #expect(SupportedRange.contains(Instant(iso8601: "2199-12-31T23:59:59Z")!))
    }
}
