import Foundation
import FrontdeskCore
import Synchronization
import Testing

/// One behaviour suite, run on every backend (in memory, the file store, PostgreSQL), so the
/// backends cannot drift: each case asserts what the engine and the storage together must do,
/// and fails on whichever backend does otherwise.
@Suite("Backend behaviour", .serialized)
struct BackendBehaviourTests {
    static func with(_ backend: Backend, _ body: (Fixture) throws -> Void) throws {
        let f = try backend.make()
        defer { f.cleanup() }
        try body(f)
    }

    @Test("a booking is stored and a second handle reads it", arguments: Backend.allCases)
    func book(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            let ann = try f.customer("Ann Lee")
            let b = try f.book(BookingRequest(resource: room, customer: .existing(ann), range: Fixture.slot(hours: 10))).bookings[0]
            #expect(b.status == .confirmed && b.customer == ann)
            let reader = try f.other?() ?? f.storage
            let read = try #require(try reader.booking(idOrRef: b.ref))
            #expect(read == b)
            #expect(try reader.resolveCustomer("ann lee").id == ann)
        }
    }

    @Test("a conflict is refused naming the other booking, its buffer included", arguments: Backend.allCases)
    func conflictWithBuffer(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1", bufferAfter: .minutes(15))
            let first = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 10))).bookings[0]
            for range in [Fixture.slot(hours: 10, minutes: 30), TimeRange(start: first.end + .minutes(5), end: first.end + .minutes(45))] {
                do {
                    _ = try f.book(BookingRequest(resource: room, range: range))
                    Issue.record("\(backend): \(range) was booked over \(first.ref)")
                } catch CoreError.conflict(let others) {
                    #expect(others.map(\.id) == [first.id], "\(backend)")
                }
            }
            // Just after the buffer is free.
            _ = try f.book(BookingRequest(resource: room, range: TimeRange(start: first.end + .minutes(15), end: first.end + .minutes(45))))
        }
    }

    @Test("a lapsed hold does not block: a booking inside its slot or buffer cancels it as expired in the same write", arguments: Backend.allCases)
    func lapsedHoldGivesWay(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1", bufferAfter: .minutes(30))
            var request = BookingRequest(resource: room, range: Fixture.slot(hours: 10))
            request.status = .pendingPayment
            request.hold = .minutes(15)
            let hold = try f.book(request).bookings[0]
            // Still held: the slot and its buffer are taken.
            do {
                _ = try f.book(BookingRequest(resource: room, range: TimeRange(start: hold.end + .minutes(10), end: hold.end + .minutes(40))))
                Issue.record("\(backend): booked inside a live hold's buffer")
            } catch CoreError.conflict(let others) {
                #expect(others.map(\.id) == [hold.id], "\(backend)")
            }
            f.clock.advance(by: .minutes(20))
            // Lapsed: the buffer, then the slot itself, are booked; the database agrees.
            let inBuffer = try f.book(BookingRequest(resource: room, range: TimeRange(start: hold.end + .minutes(10), end: hold.end + .minutes(40))))
            #expect(inBuffer.bookings[0].status == .confirmed)
            _ = try f.book(BookingRequest(resource: room, range: TimeRange(start: hold.start, end: hold.start + .minutes(30))))
            let reader = try f.other?() ?? f.storage
            let swept = try #require(try reader.booking(idOrRef: hold.ref))
            #expect(swept.status == .cancelled, "\(backend)")
            #expect(swept.history.last?.action == "hold_expired", "\(backend)")
        }
    }

    @Test("cancelling frees the slot", arguments: Backend.allCases)
    func cancelFrees(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            let b = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 9))).bookings[0]
            let cancelled = try f.write(.cancel(b.id)) { s, e throws(CoreError) in try e.cancel(b.id, reason: "ill", in: s, by: Backend.desk) }
            #expect(cancelled.map(\.status) == [.cancelled])
            let again = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 9))).bookings[0]
            #expect(again.id != b.id)
            if let other = try f.other?() {
                #expect(try other.booking(idOrRef: b.ref)?.status == .cancelled)
                #expect(try other.booking(idOrRef: again.ref)?.status == .confirmed)
            }
        }
    }

    @Test("a change made from a version another desk has replaced is refused", arguments: Backend.shared)
    func staleVersion(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            let b = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 9))).bookings[0]
            let other = try #require(try f.other?())
            let seen = try #require(try other.booking(idOrRef: b.ref))
            _ = try f.write(.edit(b.id)) { s, e throws(CoreError) in try e.edit(b.id, notes: "first", in: s, by: Backend.desk) }
            do {
                _ = try other.write("edit", .edit(b.id)) { s, e throws(CoreError) in
                    try e.edit(b.id, notes: "late", expectVersion: seen.version, in: s, by: Backend.desk)
                }
                Issue.record("\(backend): a stale edit was stored")
            } catch {
                guard case .staleVersion(_, let expected, let current)? = other.describe(error).refusal else { Issue.record("\(error)"); return }
                #expect(expected == seen.version && current == seen.version + 1)
            }
            #expect(try f.other?().booking(idOrRef: b.ref)?.notes == "first")
        }
    }

    @Test("a replayed idempotency key gives the first answer; reused with another request it is refused", arguments: Backend.allCases)
    func idempotency(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            var request = BookingRequest(resource: room, range: Fixture.slot(hours: 9))
            request.idempotencyKey = "web-42"
            let first = try f.book(request)
            let replay = try f.book(request)
            #expect(replay.replayed && !first.replayed)
            #expect(replay.bookings.map(\.id) == first.bookings.map(\.id))
            // From another desk too.
            if let other = try f.other?() {
                let fromOther = try other.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Backend.desk) }
                #expect(fromOther.replayed && fromOther.bookings.map(\.id) == first.bookings.map(\.id))
            }
            var different = request
            different.range = Fixture.slot(hours: 12)
            #expect(throws: CoreError.self) { try f.book(different) }
            do { _ = try f.book(different) } catch CoreError.idempotencyKeyReused(let key, let existing) {
                #expect(key == "web-42" && existing == first.bookings.map(\.id))
            }
            try f.storage.load(resources: [room], range: TimeRange(start: Backend.now, end: Backend.now + .days(30)))
            #expect(f.storage.state.bookings.count == 1)
        }
    }

    @Test("a weekly series is booked, and cancelling from its second occurrence reaches the rest", arguments: Backend.allCases)
    func recurrence(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            var request = BookingRequest(resource: room, range: Fixture.slot(hours: 9))
            request.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=4")
            let series = try f.book(request).bookings
            #expect(series.count == 4)
            let reader = try f.other?() ?? f.storage
            _ = try reader.write("cancel", .cancel(series[1].id, scope: .following)) { s, e throws(CoreError) in
                try e.cancel(series[1].id, reason: "moving", scope: .following, in: s, by: Backend.desk)
            }
            let last = try f.other?() ?? f.storage
            #expect(try series.map { try last.booking(idOrRef: $0.ref)?.status } == [.confirmed, .cancelled, .cancelled, .cancelled])
            // The third week's slot is free again.
            _ = try f.book(BookingRequest(resource: room, range: series[2].range))
        }
    }

    @Test("a waitlist entry is booked into a free slot of its window and marked fulfilled", arguments: Backend.allCases)
    func waitlist(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            let ann = try f.customer("Ann Lee")
            let window = TimeRange(start: Backend.now + .days(3), end: Backend.now + .days(3) + .hours(3))
            _ = try f.book(BookingRequest(resource: room, range: TimeRange(start: window.start, end: window.start + .hours(1))))
            let entry = try f.write(.directory) { s, e throws(CoreError) in
                try e.addToWaitlist(customer: ann, resources: [room], window: window, duration: .hours(1), in: s, by: Backend.desk)
            }
            let reader = try f.other?() ?? f.storage
            _ = try reader.refresh()
            let booked = try reader.write("waitlist book", .bookFromWaitlist(entry.id)) { s, e throws(CoreError) in
                try e.bookFromWaitlist(entry.id, in: s, by: Backend.desk)
            }.bookings[0]
            #expect(booked.customer == ann && booked.start >= window.start + .hours(1) && booked.end <= window.end)
            let last = try f.other?() ?? f.storage
            #expect(last.state.waitlist[entry.id]?.fulfilledBy == booked.id)
        }
    }

    @Test("a payment is recorded on the booking and read back", arguments: Backend.allCases)
    func money(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            _ = try f.write(.directory) { s, e throws(CoreError) in try e.setCurrency("EUR", in: s, by: Backend.desk) }
            var request = BookingRequest(resource: room, range: Fixture.slot(hours: 9))
            request.price = PriceDraft(price: 4500, reason: "list price")
            let b = try f.book(request).bookings[0]
            let paid = try f.write(.edit(b.id)) { s, e throws(CoreError) in
                try e.pay(b.id, amount: 4500, method: .card, reference: "T-1", idempotencyKey: "pay-1", in: s, by: Backend.desk)
            }
            #expect(!paid.replayed)
            let again = try f.write(.edit(b.id)) { s, e throws(CoreError) in
                try e.pay(b.id, amount: 4500, method: .card, reference: "T-1", idempotencyKey: "pay-1", in: s, by: Backend.desk)
            }
            #expect(again.replayed)
            let reader = try f.other?() ?? f.storage
            let charges = try #require(try reader.booking(idOrRef: b.ref)?.charges)
            #expect(try charges.paid() == 4500 && charges.currency.code == "EUR")
        }
    }

    @Test("roles are stored, and the last admin cannot be removed", arguments: Backend.allCases)
    func roles(_ backend: Backend) throws {
        try Self.with(backend) { f in
            _ = try f.write(.directory) { s, e throws(CoreError) in try e.setStaff(.user("ann"), role: .admin, in: s, by: Backend.desk) }
            _ = try f.write(.directory) { s, e throws(CoreError) in try e.setStaff(.user("bob"), role: .desk, in: s, by: Backend.desk) }
            // A store may start with an admin of its own (the file store's creator): removed,
            // so that ann is the last one.
            for g in f.storage.state.staff.values where g.role == .admin && g.subject != .user("ann") {
                _ = try f.write(.directory) { s, e throws(CoreError) in try e.setStaff(g.subject, role: nil, in: s, by: Backend.desk) }
            }
            #expect(throws: CoreError.lastAdmin(subject: "ann")) {
                try f.write(.directory) { s, e throws(CoreError) in try e.setStaff(.user("ann"), role: nil, in: s, by: Backend.desk) }
            }
            _ = try f.write(.directory) { s, e throws(CoreError) in try e.setStaff(.user("bob"), role: nil, in: s, by: Backend.desk) }
            let reader = try f.other?() ?? f.storage
            #expect(reader.state.staff[.user("ann")]?.role == .admin)
            #expect(reader.state.staff[.user("bob")] != nil && reader.state.staff[.user("bob")]?.role == nil)
        }
    }

    @Test("refresh sees a booking another handle made, and a subscriber is called", arguments: Backend.shared)
    func refreshAndSubscribe(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            let other = try #require(try f.other?())
            let week = TimeRange(start: Backend.now, end: Backend.now + .days(14))
            try other.load(resources: [room], range: week)
            #expect(try other.refresh() == false)
            let called = Atomic<Int>(0)
            let subscription = other.subscribe { called.add(1, ordering: .relaxed) }
            defer { subscription.cancel() }
            let b = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 9))).bookings[0]
            // The wait only keeps a broken build from hanging; it is no timing check.
            let end = Date().addingTimeInterval(60)
            while called.load(ordering: .relaxed) == 0 && Date() < end { usleep(10_000) }
            #expect(called.load(ordering: .relaxed) > 0)
            #expect(try other.refresh() == true)
            #expect(other.state.bookings[b.id] == b)
        }
    }

    @Test("a booking across the end of a month cannot be overlapped from the next month", arguments: Backend.allCases)
    func monthBoundary(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            // 2027-01-31T23:00Z to 2027-02-01T01:00Z.
            let start = Instant(seconds: 1_801_436_400)
            let first = try f.book(BookingRequest(resource: room, range: TimeRange(start: start, end: start + .hours(2)))).bookings[0]
            let reader = try f.other?() ?? f.storage
            do {
                _ = try reader.write("book", .book(BookingRequest(resource: room, range: TimeRange(start: start + .minutes(90), end: start + .hours(3))))) {
                    s, e throws(CoreError) in try e.book(BookingRequest(resource: room, range: TimeRange(start: start + .minutes(90), end: start + .hours(3))), in: s, by: Backend.desk)
                }
                Issue.record("\(backend): booked over \(first.ref) across the month's end")
            } catch {
                guard case .conflict(let others)? = reader.describe(error).refusal else { Issue.record("\(error)"); return }
                #expect(others.map(\.id) == [first.id])
            }
        }
    }

    @Test("customers are found by name prefix, phone and reference on a fresh handle", arguments: Backend.allCases)
    func customers(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let ann = try f.customer("Ann Lee", phone: "+44 20 7946 0001")
            _ = try f.customer("Annabel Smith")
            _ = try f.customer("Bob Stone")
            let reader = try f.other?() ?? f.storage
            #expect(try reader.customers(namePrefix: "ann", limit: 10).map(\.name) == ["Ann Lee", "Annabel Smith"])
            #expect(try reader.customers(namePrefix: "sto", limit: 10).map(\.name) == ["Bob Stone"])
            #expect(try reader.resolveCustomer("+44 20 7946 0001").id == ann)
            let c = try #require(try reader.customer(id: ann))
            #expect(try reader.resolveCustomer(c.ref).id == ann)
            #expect(throws: CoreError.self) { try reader.resolveCustomer("Nobody Here") }
        }
    }

    @Test("audit entries of the changes are kept", arguments: Backend.allCases)
    func audit(_ backend: Backend) throws {
        try Self.with(backend) { f in
            let room = try f.resource("Room 1")
            _ = try f.book(BookingRequest(resource: room, range: Fixture.slot(hours: 9)))
            let reader = try f.other?() ?? f.storage
            let entries = try reader.auditEntries(AuditQuery())
            #expect(entries.contains { $0.entity == .resource })
            #expect(entries.contains { $0.entity == .booking })
        }
    }
}
