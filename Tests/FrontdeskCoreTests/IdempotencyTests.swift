import Testing
@testable import FrontdeskCore

@Suite struct IdempotencyTests {
    @Test func sameKeySamePayloadReturnsTheOriginalWithoutWriting() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"), idempotencyKey: "order-77")
        let first = w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        let again = try w.engine.book(req, in: w.state, by: w.desk)
        #expect(again.transaction.isEmpty)
        #expect(again.value.replayed)
        #expect(again.value.bookings.map(\.id) == first.bookings.map(\.id))
        #expect(w.state.bookings.count == 1)
    }

    @Test func sameKeyOtherPayloadIsRefused() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"), idempotencyKey: "order-77")
        let first = w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        var other = req
        other.range = World.r("2027-03-01T11:00:00Z", "2027-03-01T12:00:00Z")
        #expect(throws: CoreError.idempotencyKeyReused(key: "order-77", existing: first.bookings.map(\.id))) {
            try w.engine.book(other, in: w.state, by: w.desk)
        }
    }

    @Test func aRefusedRequestDoesNotBindItsKey() throws {
        var w = World()
        let room = try w.resource("Room 1")
        _ = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        let req = BookingRequest(resource: room, range: World.r("2027-03-01T09:30:00Z", "2027-03-01T10:30:00Z"), idempotencyKey: "k1")
        #expect(throws: CoreError.self) { try w.engine.book(req, in: w.state, by: w.desk) }
        #expect(w.state.idempotencyKeys["k1"] == nil)
        var retry = req
        retry.range = World.r("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
        let ok = w.commit(try w.engine.book(retry, in: w.state, by: w.desk))
        #expect(ok.bookings.count == 1)
    }

    @Test func keysAreKeptThirtyDaysThenPruned() throws {
        var w = World()
        let room = try w.resource("Room 1")
        _ = try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z", key: "k1")
        w.clock.advance(by: .days(29))
        #expect(w.engine.pruneIdempotencyKeys(in: w.state).mutations.isEmpty)
        w.clock.advance(by: .days(1) + .minutes(1))
        w.state.apply(w.engine.pruneIdempotencyKeys(in: w.state))
        #expect(w.state.idempotencyKeys.isEmpty)
    }

    @Test func aKeyPastTheRetentionCountsAsAbsentBeforeItIsPruned() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, range: World.r("2027-05-01T09:00:00Z", "2027-05-01T10:00:00Z"), idempotencyKey: "k1")
        let first = w.commit(try w.engine.book(req, in: w.state, by: w.desk))
        w.clock.advance(by: .days(30))
        #expect(w.engine.liveIdempotencyRecord("k1", in: w.state)?.bookings == first.bookings.map(\.id), "exactly 30 days: still live")
        w.clock.advance(by: .minutes(1))
        #expect(w.state.idempotencyKeys["k1"] != nil, "not pruned yet")
        #expect(w.engine.liveIdempotencyRecord("k1", in: w.state) == nil)
        var other = req
        other.range = World.r("2027-05-01T11:00:00Z", "2027-05-01T12:00:00Z")
        let again = w.commit(try w.engine.book(other, in: w.state, by: w.desk))
        #expect(!again.replayed)
        #expect(again.bookings.map(\.id) != first.bookings.map(\.id))
        #expect(w.state.idempotencyKeys["k1"]?.bookings == again.bookings.map(\.id), "the key is bound anew")
    }
}
