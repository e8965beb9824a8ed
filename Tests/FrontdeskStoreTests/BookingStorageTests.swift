import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore

/// The storage boundary is real: one scenario, written only against `BookingStorage`, gives
/// the same bookings, refusals and events on the file store as in memory.
@Suite struct BookingStorageTests {
    static let desk = Author(user: "carol", origin: "local", source: .tui)

    /// What the scenario saw, comparable across backends.
    struct Seen: Equatable {
        var bookings: [Booking]
        var refusals: [String]
        var mode: StorageMode
    }

    /// Adds a resource and a customer, books, is refused a double booking, books a weekly
    /// series, moves a booking, cancels the series from its second occurrence, and reads a range.
    static func scenario<S: BookingStorage>(_ storage: S) throws -> Seen {
        var refusals: [String] = []
        let room = try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: .utc), in: s, by: desk)
        }.id
        let ann = try storage.write("customer add", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: desk) }.id
        func book(_ request: BookingRequest) throws -> BookingOutcome? {
            do {
                return try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: desk) }
            } catch {
                // The refusal is the same everywhere; how it is phrased is each backend's own.
                let (refusal, message) = storage.describe(error)
                guard let refusal else { throw error }
                #expect(message.contains("B-001"), "\(message)")
                refusals.append("\(refusal)")
                return nil
            }
        }
        let start = Support.now + .days(10)
        let first = BookingRequest(resource: room, customer: .existing(ann), range: TimeRange(start: start, end: start + .hours(1)))
        let single = try #require(try book(first)).bookings[0]
        #expect(try book(first) == nil)
        var weekly = BookingRequest(resource: room, customer: .existing(ann), range: TimeRange(start: start + .hours(2), end: start + .hours(3)))
        weekly.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=4")
        let series = try #require(try book(weekly)).bookings
        #expect(series.count == 4)
        let to = TimeRange(start: start + .hours(5), end: start + .hours(6))
        _ = try storage.write("reschedule", .reschedule(single.id, to: to, resource: nil, scope: .this)) { s, e throws(CoreError) in
            try e.reschedule(single.id, to: to, in: s, by: desk)
        }
        _ = try storage.write("cancel", .cancel(series[1].id, scope: .following)) { s, e throws(CoreError) in
            try e.cancel(series[1].id, reason: "moving away", scope: .following, in: s, by: desk)
        }
        try storage.load(resources: [room], range: TimeRange(start: start - .days(1), end: start + .days(40)))
        #expect(try storage.booking(idOrRef: single.ref)?.id == single.id)
        #expect(try storage.booking(idOrRef: " \(series[2].id.rawValue) ")?.status == .cancelled)
        #expect(try storage.booking(idOrRef: "B-NONE") == nil)
        _ = try storage.refresh()
        let bookings = storage.state.bookings.values.sorted { $0.id < $1.id }
        return Seen(bookings: bookings, refusals: refusals, mode: storage.mode)
    }

    static func engine() -> BookingEngine {
        BookingEngine(clock: FixedClock(Support.now), ids: SequentialIdentifierSource())
    }

    @Test func theSameScenarioGivesTheSameResultInMemoryAndOnDisk() throws {
        let memory = try Self.scenario(InMemoryBookingStorage(state: BookingState(), engine: Self.engine()))
        let dir = Support.tempDir("boundary")
        defer { Support.remove(dir) }
        var options = Support.options()
        options.identifiers = SequentialIdentifierSource()
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: options)
        let disk = try Self.scenario(store)
        #expect(memory.refusals.count == 1)
        #expect(memory.refusals == disk.refusals)
        #expect(memory.bookings.count == 5)
        #expect(memory.bookings.filter { $0.status == .cancelled }.count == 3)
        #expect(memory.bookings == disk.bookings)
        #expect(memory.mode == .live && disk.mode == .live)
        // And what the file store acknowledged is on disk.
        let reopened = try Support.reopen(dir)
        #expect(reopened.state.bookings.values.sorted { $0.id < $1.id } == disk.bookings)
    }

    /// A change whose booking is not in memory: the store finds it by id before loading the
    /// footprint, so a cancel works on a store that loaded nothing yet.
    @Test func aBookingNotLoadedYetIsFoundBeforeTheFootprintIsRead() throws {
        let dir = Support.tempDir("boundary-unresolved")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let b = try Support.book(store, r, Support.slot(3))
        try store.compact()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(lazy.state.bookings[b.id] == nil)
        #expect(lazy.engine.footprint(of: .cancel(b.id), in: lazy.state).unresolved == [b.id])
        let cancelled = try lazy.write("cancel", .cancel(b.id)) { s, e throws(CoreError) in
            try e.cancel(b.id, reason: "test", in: s, by: Support.actor)
        }
        #expect(cancelled.map(\.id) == [b.id])
        #expect(lazy.state.bookings[b.id]?.status == .cancelled)
    }

    /// Cancelling a whole series from a store that has only its first month in memory (as the
    /// desk has after showing one week) reaches every occurrence.
    @Test func aSeriesChangeLoadsEveryOccurrenceFirst() throws {
        let dir = Support.tempDir("boundary-series")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        var request = BookingRequest(resource: r, range: Support.slot(0))
        request.recurrence = try RecurrenceRule(parsing: "FREQ=WEEKLY;COUNT=10")
        let series = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings
        #expect(series.count == 10)
        try store.compact()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try lazy.load(resources: [r], range: series[0].range)
        #expect(lazy.state.bookings[series[0].id] != nil)
        #expect(lazy.state.bookings[series[9].id] == nil)
        let cancelled = try lazy.write("cancel", .cancel(series[0].id, scope: .all)) { s, e throws(CoreError) in
            try e.cancel(series[0].id, reason: "closing", scope: .all, in: s, by: Support.actor)
        }
        #expect(Set(cancelled.map(\.id)) == Set(series.map(\.id)))
        let reopened = try Support.reopen(dir)
        #expect(series.allSatisfy { reopened.state.bookings[$0.id]?.status == .cancelled })
    }

    /// A write that gives up waiting for the lock leaves the store busy, naming the holder;
    /// the next write that gets the lock makes it live again.
    @Test func busyIsTheModeAfterALockTimeout() throws {
        let dir = Support.tempDir("boundary-busy")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        var options = Support.options()
        options.lockTimeout = 0.05
        let other = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        try store.lock.acquire(operation: "hold", user: "bob", timeout: 1)
        do {
            _ = try other.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: Support.actor) }
            Issue.record("the write did not wait for the lock")
        } catch {
            guard case .busy = error else { Issue.record("\(error)"); return }
        }
        store.lock.release()
        guard case .busy(let holder) = other.mode else { Issue.record("mode \(other.mode)"); return }
        #expect(holder.contains("bob"))
        _ = try other.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: Support.actor) }
        #expect(other.mode == .live)
        _ = r
    }
}
