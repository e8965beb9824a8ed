import Testing
@testable import FrontdeskCore

@Suite struct SeriesTests {
    func weekly(_ w: inout World, _ room: ResourceID, _ rule: String, skip: Bool = false) throws -> Planned<BookingOutcome> {
        try w.engine.book(BookingRequest(resource: room, range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"),
                                         recurrence: try RecurrenceRule(parsing: rule), skipConflicts: skip), in: w.state, by: w.desk)
    }

    @Test func seriesSharesAnIdAndKeepsLocalTimeAcrossDST() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let room = try w.resource("London room", zone: "Europe/London")
        let out = w.commit(try weekly(&w, room, "FREQ=WEEKLY;COUNT=6"))
        #expect(out.bookings.count == 6)
        #expect(Set(out.bookings.compactMap(\.series)).count == 1)
        // 09:00 GMT until 2027-03-28, then 09:00 BST = 08:00Z.
        #expect(out.bookings.map(\.start.iso8601) == [
            "2027-03-01T09:00:00Z", "2027-03-08T09:00:00Z", "2027-03-15T09:00:00Z", "2027-03-22T09:00:00Z",
            "2027-03-29T08:00:00Z", "2027-04-05T08:00:00Z"])
        #expect(out.bookings.map(\.occurrenceDate?.description) == ["2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22", "2027-03-29", "2027-04-05"])
        #expect(Set(out.bookings.map(\.ref)).count == 6)
    }

    @Test func allOrNothingReportsEveryConflictingOccurrence() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let room = try w.resource("Room")
        let a = try w.book(room, "2027-03-08T09:30:00Z", "2027-03-08T10:30:00Z")
        let b = try w.book(room, "2027-03-22T08:00:00Z", "2027-03-22T09:15:00Z")
        do {
            _ = try weekly(&w, room, "FREQ=WEEKLY;COUNT=4")
            Issue.record("expected conflicts")
        } catch let CoreError.seriesConflicts(map) {
            #expect(map.keys.sorted().map(\.description) == ["2027-03-08", "2027-03-22"])
            #expect(map[LocalDate("2027-03-08")!]?.map(\.id) == [a.id])
            #expect(map[LocalDate("2027-03-22")!]?.map(\.id) == [b.id])
            #expect(CoreError.seriesConflicts(map).description.hasPrefix("2 occurrences of the series conflict (nothing was booked"))
            let one = [LocalDate("2027-03-08")!: map[LocalDate("2027-03-08")!]!]
            #expect(CoreError.seriesConflicts(one).description.hasPrefix("1 occurrence of the series conflicts (nothing was booked"))
        }
        #expect(w.state.bookings.count == 2, "nothing of the series was kept")
        let skipped = w.commit(try weekly(&w, room, "FREQ=WEEKLY;COUNT=4", skip: true))
        #expect(skipped.bookings.map(\.occurrenceDate?.description) == ["2027-03-01", "2027-03-15"])
        #expect(skipped.skipped.map(\.date.description) == ["2027-03-08", "2027-03-22"])
    }

    @Test func cancelScopesThisFollowingAll() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let room = try w.resource("Room")
        let s = w.commit(try weekly(&w, room, "FREQ=WEEKLY;COUNT=5")).bookings
        _ = w.commit(try w.engine.cancel(s[1].id, reason: "holiday", scope: .this, in: w.state, by: w.desk))
        #expect(w.state.series(s[0].series!).map(\.status) == [.confirmed, .cancelled, .confirmed, .confirmed, .confirmed])
        let following = w.commit(try w.engine.cancel(s[3].id, reason: "moving", scope: .following, in: w.state, by: w.desk))
        #expect(following.map(\.id) == [s[3].id, s[4].id])
        #expect(w.state.series(s[0].series!).map(\.status) == [.confirmed, .cancelled, .confirmed, .cancelled, .cancelled])
        let all = w.commit(try w.engine.cancel(s[2].id, reason: "done", scope: .all, in: w.state, by: w.desk))
        #expect(Set(all.map(\.id)) == [s[0].id, s[2].id])
        #expect(w.state.series(s[0].series!).allSatisfy { $0.status == .cancelled })
    }

    @Test func rescheduleFollowingShiftsEachOccurrenceByTheSameWallClockAmount() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let room = try w.resource("NY room", zone: "America/New_York")
        // 09:00 EST = 14:00Z weekly from Monday 2027-03-01, across the 2027-03-14 transition.
        let s = w.commit(try w.engine.book(BookingRequest(resource: room, range: World.r("2027-03-01T14:00:00Z", "2027-03-01T15:00:00Z"),
                                                          recurrence: try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=4")), in: w.state, by: w.desk)).bookings
        #expect(s.map(\.start.iso8601) == ["2027-03-01T14:00:00Z", "2027-03-08T14:00:00Z", "2027-03-15T13:00:00Z", "2027-03-22T13:00:00Z"])
        // Move the second to 10:30-11:00 local on the same day, with the following ones.
        let moved = w.commit(try w.engine.reschedule(s[1].id, to: World.r("2027-03-08T15:30:00Z", "2027-03-08T16:00:00Z"), scope: .following,
                                                     in: w.state, by: w.desk))
        #expect(moved.map(\.start.iso8601) == ["2027-03-08T15:30:00Z", "2027-03-15T14:30:00Z", "2027-03-22T14:30:00Z"])
        #expect(moved.allSatisfy { $0.range.duration == .minutes(30) })
        #expect(w.state.bookings[s[0].id]?.start == s[0].start)
    }

    @Test func seriesLimitsAreRefused() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let room = try w.resource("Room")
        #expect(throws: CoreError.self) { try weekly(&w, room, "FREQ=DAILY;COUNT=501") }
        #expect(throws: CoreError.self) { try weekly(&w, room, "FREQ=MONTHLY;UNTIL=20300101") }
        #expect(throws: CoreError.self) { try weekly(&w, room, "FREQ=WEEKLY") }
        #expect(w.state.bookings.isEmpty)
    }
}
