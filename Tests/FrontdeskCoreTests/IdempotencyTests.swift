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

    /// An import row names its customer by text: the first run creates the customer, a re-run
    /// finds it on file. Both are the same request, recorded by the text as sent.
    @Test func aRowNamingItsCustomerByTextReplaysOnceTheCustomerExists() throws {
        var w = World()
        let room = try w.resource("Room 1")
        var first = BookingRequest(resource: room, customer: .new(name: "Zoë Lee"), range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"),
                                   idempotencyKey: "row-1")
        first.customerText = "Zoë Lee"
        let made = w.commit(try w.engine.book(first, in: w.state, by: w.desk))
        let customer = try #require(made.createdCustomer)
        var rerun = first
        rerun.customer = .existing(customer.id)
        let again = try w.engine.book(rerun, in: w.state, by: w.desk)
        #expect(again.value.replayed)
        #expect(again.transaction.isEmpty)
        #expect(again.value.bookings.map(\.id) == made.bookings.map(\.id))
        #expect(again.value.bookings.map(\.ref) == made.bookings.map(\.ref))
        #expect(w.state.customers.count == 1)
        // Another name under the same key is another request.
        var other = rerun
        other.customerText = "Zoe Lee"
        #expect(throws: CoreError.idempotencyKeyReused(key: "row-1", existing: made.bookings.map(\.id))) {
            try w.engine.book(other, in: w.state, by: w.desk)
        }
    }

    /// Keys stored when the fingerprint recorded the resolved customer (the new customer's
    /// details, or the id found) still replay the row that names the customer by text.
    @Test func keysStoredWithTheResolvedCustomerStillReplay() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let created = BookingRequest(resource: room, customer: .new(name: "Ann"), range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"),
                                     idempotencyKey: "a")
        let made = w.commit(try w.engine.book(created, in: w.state, by: w.desk))
        let ann = try #require(made.createdCustomer).id
        let found = BookingRequest(resource: room, customer: .existing(ann), range: World.r("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"),
                                   idempotencyKey: "b")
        let second = w.commit(try w.engine.book(found, in: w.state, by: w.desk))
        for (request, bookings) in [(created, made.bookings), (found, second.bookings)] {
            var rerun = request
            rerun.customer = .existing(ann)
            rerun.customerText = "Ann"
            let again = try w.engine.book(rerun, in: w.state, by: w.desk)
            #expect(again.value.replayed)
            #expect(again.value.bookings.map(\.id) == bookings.map(\.id))
        }
        #expect(w.state.bookings.count == 2)
    }

    /// A keyed `book` whose key is stored reads the bookings it produced, so the replay can
    /// return them even when they are not in memory.
    @Test func theFootprintOfAStoredKeyNamesItsBookings() throws {
        var w = World()
        let room = try w.resource("Room 1")
        let req = BookingRequest(resource: room, range: World.r("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z"), idempotencyKey: "k")
        #expect(w.engine.footprint(of: .book(req), in: w.state).unresolved.isEmpty)
        let record = IdempotencyRecord(key: "k", fingerprint: BookingEngine.fingerprint(req), bookings: [BookingID("bk_elsewhere")],
                                       createdAt: World.t("2027-02-01T09:00:00Z"))
        w.state.apply(Transaction(at: World.t("2027-02-01T09:00:00Z"), actor: w.desk, mutations: [.idempotencyKey(record)]))
        #expect(w.engine.footprint(of: .book(req), in: w.state).unresolved == [BookingID("bk_elsewhere")])
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
