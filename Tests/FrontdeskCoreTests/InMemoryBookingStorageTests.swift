import Testing
import Synchronization
@testable import FrontdeskCore

/// `InMemoryBookingStorage`: the core's own `BookingStorage`, which the TUI tests drive.
@Suite struct InMemoryBookingStorageTests {
    static func storage() throws -> (InMemoryBookingStorage, ResourceID, World) {
        var w = World()
        let room = try w.resource("Room")
        return (InMemoryBookingStorage(state: w.state, engine: w.engine), room, w)
    }

    @Test func aWriteIsPlannedAgainstTheStateAndApplied() throws {
        let (storage, room, w) = try Self.storage()
        let range = World.r("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let request = BookingRequest(resource: room, range: range)
        let outcome = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: w.desk) }
        #expect(storage.state.bookings[outcome.bookings[0].id] == outcome.bookings[0])
        #expect(storage.writes == ["book"])
        #expect(storage.changes == [.book(request)])
        // A refusal stores nothing and comes back as the planner's error.
        do {
            _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: w.desk) }
            Issue.record("a double booking was stored")
        } catch {
            let (refusal, _) = storage.describe(error)
            guard case .conflict? = refusal else { Issue.record("\(error)"); return }
        }
        #expect(storage.writes == ["book"])
        #expect(storage.state.bookings.count == 1)
    }

    @Test func readOnlyRefusesWrites() throws {
        let (storage, _, w) = try Self.storage()
        storage.mode = .readOnly("disk full")
        #expect(throws: StorageRefusal.self) {
            try storage.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: w.desk) }
        }
        #expect(storage.state.customers.isEmpty)
        #expect(storage.writes.isEmpty)
    }

    @Test func anotherDesksChangeIsAnnouncedAndReportedByRefresh() throws {
        let (storage, _, w) = try Self.storage()
        let calls = Mutex(0)
        let subscription = storage.subscribe { calls.withLock { $0 += 1 } }
        #expect(!storage.refresh())
        let c = try storage.external { s, e throws(CoreError) in try e.addCustomer(name: "Bob Stone", in: s, by: w.desk) }
        #expect(calls.withLock { $0 } == 1)
        #expect(storage.state.customers[c.id] != nil)
        #expect(storage.refresh())
        #expect(!storage.refresh())
        // A cancelled watch hears nothing more.
        subscription.cancel()
        _ = try storage.external { s, e throws(CoreError) in try e.addCustomer(name: "Li Wei", in: s, by: w.desk) }
        #expect(calls.withLock { $0 } == 1)
        #expect(storage.refresh())
    }
}
