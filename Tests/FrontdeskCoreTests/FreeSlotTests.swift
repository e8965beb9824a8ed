import Testing
@testable import FrontdeskCore

@Suite struct FreeSlotTests {
    @Test func honoursHoursBookingsBuffersAndBlackouts() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let s = try w.schedule(hours: "09:00-12:00") { s in
            s.blackouts = [Blackout(range: World.r("2027-03-01T11:00:00Z", "2027-03-01T11:30:00Z"), reason: "Staff meeting")]
        }
        let room = try w.resource("Room 1", schedule: s, policy: PolicyOverrides(bufferAfter: .minutes(15)))
        _ = try w.book(room, "2027-03-01T09:30:00Z", "2027-03-01T10:00:00Z")
        let slots = w.state.freeSlots(FreeSlotQuery(resources: [room], window: World.r("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z"), duration: .minutes(30)), now: w.clock.now())
        // 09:00 would run into the 09:30 booking (its own 15-min buffer after); after the booking
        // its buffer keeps 10:00-10:15 busy; 11:00-11:30 is blacked out; closing at 12:00.
        #expect(slots.map(\.range.start.iso8601) == [
            "2027-03-01T10:15:00Z", "2027-03-01T10:30:00Z", "2027-03-01T11:30:00Z",
        ])
    }

    @Test func firstFreeSlotOnAnyOfSeveralResources() throws {
        var w = World(now: "2027-03-01T00:00:00Z")
        let a = try w.resource("Chair A")
        let b = try w.resource("Chair B")
        _ = try w.book(a, "2027-03-01T09:00:00Z", "2027-03-01T12:00:00Z")
        _ = try w.book(b, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        let q = FreeSlotQuery(resources: [a, b], window: World.r("2027-03-01T09:00:00Z", "2027-03-01T18:00:00Z"), duration: .hours(1))
        #expect(w.state.firstFreeSlot(q, now: w.clock.now()) == Slot(resource: b, range: World.r("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")))
    }

    @Test func slotsAlignToTheLocalGridAndRespectNotice() throws {
        var w = World(now: "2027-03-01T09:07:00Z")
        let s = try w.schedule { s in s.minimumNotice = .minutes(30) }
        let room = try w.resource("Room 1", zone: "Asia/Kolkata", schedule: s) // +05:30
        let q = FreeSlotQuery(resources: [room], window: World.r("2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z"), duration: .hours(1), limit: 2)
        // Open 09:00-17:00 IST = 03:30-11:30Z; earliest 09:37Z → next 15-min local mark 09:45Z (15:15 IST).
        #expect(w.state.freeSlots(q, now: w.clock.now()).map(\.range.start.iso8601) == ["2027-03-01T09:45:00Z", "2027-03-01T10:00:00Z"])
    }
}
