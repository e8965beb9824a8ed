import Testing
@testable import FrontdeskCore

/// `BookingEngine.footprint(of:in:)`: what a change reads, computed by the engine itself so
/// that no front end predicts time ranges, resources or the series horizon.
@Suite struct FootprintTests {
    static let day = TimeSpan.days(1)

    /// `range` widened by a day (no buffers set) at both ends.
    static func widened(_ range: TimeRange, by d: TimeSpan = day) -> TimeRange { range.widened(before: d, after: d) }

    @Test func aSingleBookingReadsItsRangeWidenedByADayOnItsResource() throws {
        var w = World()
        let room = try w.resource("Room")
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let f = w.engine.footprint(of: .book(BookingRequest(resource: room, range: range)), in: w.state)
        #expect(f.ranges == [Self.widened(range)])
        #expect(f.resources == [room])
        #expect(f.unresolved.isEmpty)
    }

    @Test func aSeriesReachesTheExpandersHorizon() throws {
        var w = World()
        let room = try w.resource("Room")
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        var request = BookingRequest(resource: room, range: range)
        request.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=104")
        let f = w.engine.footprint(of: .book(request), in: w.state)
        #expect(f.ranges == [Self.widened(TimeRange(start: range.start, end: range.end + RecurrenceRule.horizon))])
        // The horizon covers the last date the expander allows, with its whole booking.
        let first = LocalDate("2027-03-02")!
        let last = RecurrenceRule.lastAllowedDate(forSeriesStartingOn: first)
        let lastEnd = Zone.utc.instant(LocalDateTime(date: last, hour: 11, minute: 0))!
        #expect(f.ranges[0].end >= lastEnd)
        // The longest two years (a leap day in them) still fit.
        let leap = RecurrenceRule.lastAllowedDate(forSeriesStartingOn: LocalDate("2027-03-01")!)
        #expect(Int64(leap.daysSinceEpoch - LocalDate("2027-03-01")!.daysSinceEpoch) * 86400 < RecurrenceRule.horizon.seconds)
    }

    @Test func aCancelReadsTheBookingsRangeOnItsResource() throws {
        var w = World()
        let room = try w.resource("Room")
        let b = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        for change in [ChangeRequest.cancel(b.id), .setStatus(b.id), .restore(b.id)] {
            let f = w.engine.footprint(of: change, in: w.state)
            #expect(f.ranges == [Self.widened(b.range)], "\(change)")
            #expect(f.resources == [room], "\(change)")
        }
        // Editing notes reads the booking only.
        #expect(w.engine.footprint(of: .edit(b.id), in: w.state) == Footprint())
    }

    @Test func keyedRequestsNameTheKeysTheyCheck() throws {
        var w = World()
        let room = try w.resource("Room")
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let b = BookingRequest(resource: room, range: range, idempotencyKey: "b")
        let a = BookingRequest(resource: room, range: range, idempotencyKey: "a")
        let none = BookingRequest(resource: room, range: range)
        #expect(w.engine.footprint(of: .bookMany([b, a, none, b]), in: w.state).idempotencyKeys == ["a", "b"])
        #expect(w.engine.footprint(of: .batch([.book(b), .book(none)]), in: w.state).idempotencyKeys == ["b"])
        #expect(w.engine.footprint(of: .book(none), in: w.state).idempotencyKeys.isEmpty)
        #expect(!Footprint(idempotencyKeys: ["a"]).isEmpty)
    }

    @Test func aRescheduleCoversWhereTheBookingIsAndWhereItGoes() throws {
        var w = World()
        let a = try w.resource("A")
        let other = try w.resource("B")
        let b = try w.book(a, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let to = World.r("2027-03-20T10:00:00Z", "2027-03-20T11:00:00Z")
        let f = w.engine.footprint(of: .reschedule(b.id, to: to, resource: other, scope: .this), in: w.state)
        #expect(f.ranges == [Self.widened(b.range), Self.widened(to)])
        #expect(f.resources == [a, other].sorted())
        // A series move reaches the horizon past the later of the two.
        let all = w.engine.footprint(of: .reschedule(b.id, to: to, resource: nil, scope: .following), in: w.state)
        #expect(all.ranges == [Self.widened(TimeRange(start: b.start, end: to.end + RecurrenceRule.horizon))])
        #expect(all.resources == [a])
        // Overlapping ranges are read once.
        let near = World.r("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        let joined = w.engine.footprint(of: .reschedule(b.id, to: near, resource: nil, scope: .this), in: w.state)
        #expect(joined.ranges == [TimeRange(start: b.start - Self.day, end: near.end + Self.day)])
    }

    @Test func buffersWidenTheRanges() throws {
        var w = World()
        let sid = try w.schedule(days: Weekday.allCases) { $0.bufferAfter = .minutes(30) }
        let room = try w.resource("Room", schedule: sid)
        try w.resource("Van", policy: PolicyOverrides(bufferBefore: .hours(2)))
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let f = w.engine.footprint(of: .book(BookingRequest(resource: room, range: range)), in: w.state)
        // The largest buffer anywhere (the van's two hours) plus a day.
        #expect(f.ranges == [Self.widened(range, by: .days(1) + .hours(2))])
    }

    @Test func relatedResourcesAreRead() throws {
        var w = World()
        let floor = try w.resource("Floor")
        let chair = try w.resource("Chair", parent: floor)
        try w.resource("Elsewhere")
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let f = w.engine.footprint(of: .book(BookingRequest(resource: chair, range: range)), in: w.state)
        #expect(f.resources == [floor, chair].sorted())
    }

    @Test func aChangeToMoreOfASeriesReadsTheWholeSeries() throws {
        var w = World()
        let room = try w.resource("Room")
        var request = BookingRequest(resource: room, range: World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z"))
        request.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=3")
        let first = w.commit(try w.engine.book(request, in: w.state, by: w.desk)).bookings[0]
        let to = World.r("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        #expect(w.engine.footprint(of: .cancel(first.id, scope: .all), in: w.state).series == [first.id])
        #expect(w.engine.footprint(of: .cancel(first.id, scope: .following), in: w.state).series == [first.id])
        #expect(w.engine.footprint(of: .reschedule(first.id, to: to, resource: nil, scope: .all), in: w.state).series == [first.id])
        // One occurrence reads only itself.
        #expect(w.engine.footprint(of: .cancel(first.id), in: w.state).series.isEmpty)
        #expect(w.engine.footprint(of: .reschedule(first.id, to: to, resource: nil, scope: .this), in: w.state).series.isEmpty)
        // A booking outside any series has none to read.
        let single = try w.book(room, "2027-03-05T10:00:00Z", "2027-03-05T11:00:00Z")
        #expect(w.engine.footprint(of: .cancel(single.id, scope: .all), in: w.state).series.isEmpty)
    }

    @Test func aBookingNotInMemoryIsFoundFirst() throws {
        let w = World()
        let id = BookingID("bk_elsewhere")
        let f = w.engine.footprint(of: .cancel(id), in: w.state)
        #expect(f.unresolved == [id])
        #expect(f.ranges.isEmpty)
        #expect(!f.isEmpty)
    }

    @Test func waitlistSweepDirectoryAndBatches() throws {
        var w = World()
        let a = try w.resource("A")
        let b = try w.resource("B")
        let c = try w.customer("Ann Lee")
        let window = World.r("2027-03-02T09:00:00Z", "2027-03-02T17:00:00Z")
        let entry = w.commit(try w.engine.addToWaitlist(customer: c, resources: [a, b], window: window, duration: .minutes(30), in: w.state, by: w.desk))
        let f = w.engine.footprint(of: .bookFromWaitlist(entry.id), in: w.state)
        #expect(f.ranges == [Self.widened(window)])
        #expect(f.resources == [a, b].sorted())
        // A sweep reads every resource.
        let sweep = w.engine.footprint(of: .sweep(window), in: w.state)
        #expect(sweep.ranges == [Self.widened(window)])
        #expect(sweep.resources == nil)
        // Reference data reads no bookings.
        #expect(w.engine.footprint(of: .directory, in: w.state).isEmpty)
        // An import reads what its rows read, joined where they meet.
        let rows = (0..<40).map { i -> BookingRequest in
            let start = World.t("2027-03-02T09:00:00Z") + .hours(Int64(i))
            return BookingRequest(resource: i % 2 == 0 ? a : b, range: TimeRange(start: start, end: start + .minutes(30)))
        }
        let many = w.engine.footprint(of: .bookMany(rows), in: w.state)
        #expect(many.ranges == [TimeRange(start: rows[0].range.start - Self.day, end: rows[39].range.end + Self.day)])
        #expect(many.resources == [a, b].sorted())
        #expect(w.engine.footprint(of: .batch(rows.map(ChangeRequest.book)), in: w.state) == many)
        let far = BookingRequest(resource: a, range: World.r("2027-06-01T09:00:00Z", "2027-06-01T10:00:00Z"))
        #expect(w.engine.footprint(of: .bookMany([rows[0], far]), in: w.state).ranges == [Self.widened(rows[0].range), Self.widened(far.range)])
    }
}
