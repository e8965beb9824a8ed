import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// `SnapshotContent` hands a compaction the changed bookings either copied out or, when most
/// bookings changed, as the state's shared table; `PartitionKeyCache` stands in for
/// `Partition.key` in the writer. Both must be invisible in what a generation holds.
@Suite struct SnapshotContentTests {
    /// Books `n` bookings (hour after hour) on a new store's resource.
    static func store(_ dir: String, bookings n: Int) throws -> Store {
        let (store, r) = try Support.newStore(dir)
        let requests = (0..<n).map { BookingRequest(resource: r, range: Support.slot(Int64($0))) }
        let results = try store.writeBatch("import", .bookMany(requests), items: requests) { request, s, e throws(CoreError) in
            try e.book(request, in: s, by: Support.actor)
        }
        #expect(results.allSatisfy { if case .success = $0 { true } else { false } })
        return store
    }

    static func visited(_ content: SnapshotContent) -> [BookingID: Booking] {
        var seen: [BookingID: Booking] = [:]
        content.forEachChangedBooking { slot, b in
            #expect(seen.updateValue(b, forKey: b.id) == nil, "\(b.ref) visited twice")
            #expect(content[slot] == b, "the slot gives back another booking than \(b.ref)")
        }
        return seen
    }

    @Test func copiedOrSharedTheContentHoldsExactlyTheChangedBookings() throws {
        let dir = Support.tempDir("content-modes")
        defer { Support.remove(dir) }
        let store = try Self.store(dir, bookings: 40)
        let state = store.state
        let all = Array(state.bookings.keys).sorted()
        let gone = BookingID("bk_NOTINMEMORY00000")
        // A few of 40 changed: copied out. Most of them: the table is shared, and the unchanged
        // ones in it must still be left out.
        for changed in [Set(all.prefix(5)), Set(all.prefix(30)), Set(all)] {
            let content = SnapshotContent(state, changed: changed.union([gone]), changedReferenceFiles: [])
            let seen = Self.visited(content)
            #expect(Set(seen.keys) == changed, "\(changed.count) changed")
            for (id, b) in seen { #expect(state.bookings[id] == b) }
            #expect(content.changed.contains(gone), "a changed booking no longer in memory still counts as changed")
        }
    }

    /// The entries grouping reads: exactly the changed bookings in memory, each with its own
    /// fields, whether the table is copied or shared and on one task or several (12,000
    /// bookings, so a shared table is split between tasks).
    @Test func changedEntriesAreTheChangedBookings() throws {
        let dir = Support.tempDir("content-entries")
        defer { Support.remove(dir) }
        let store = try Self.store(dir, bookings: 12_000)
        let state = store.state
        let all = Array(state.bookings.keys).sorted()
        for changed in [Set(all.prefix(700)), Set(all.prefix(9_000)), Set(all)] {
            let content = SnapshotContent(state, changed: changed.union([BookingID("bk_NOTINMEMORY")]), changedReferenceFiles: [])
            for tasks in [1, 2, 3] {
                let entries = content.changedEntries(tasks: tasks)
                #expect(entries.count == changed.count && Set(entries.map(\.id)) == changed, "\(changed.count) changed, \(tasks) tasks")
                for e in entries {
                    let b = content[e.slot]
                    guard b.id == e.id, b.ref == e.ref, b.resource == e.resource, b.start == e.start,
                          b.range.duration.seconds == e.seconds, e.inSeries == (b.series != nil) else {
                        Issue.record("entry \(e.id) does not match its booking \(b.id)")
                        break
                    }
                }
            }
        }
    }

    @Test func writesAfterTheBoundaryDoNotReachASharedTable() throws {
        let dir = Support.tempDir("content-isolation")
        defer { Support.remove(dir) }
        let store = try Self.store(dir, bookings: 20)
        var state = store.state
        let content = SnapshotContent(state, changed: Set(state.bookings.keys), changedReferenceFiles: [])
        let before = state.bookings
        // The store goes on writing: one booking changes, another is added.
        var moved = try #require(state.bookings.values.first)
        moved.notes = "changed after the boundary"
        moved.version += 1
        var added = moved
        added.id = BookingID("bk_ADDEDAFTERBOUND0")
        added.ref = "B-ZZZZ"
        state.apply(Transaction(at: Support.now, actor: Support.actor, mutations: [.booking(moved), .booking(added)]))
        #expect(state.bookings[moved.id]?.notes == "changed after the boundary")
        #expect(Self.visited(content) == before, "the content is the state at the boundary")
    }

    @Test func cachedPartitionKeysAreTheKeysThemselves() throws {
        let dir = Support.tempDir("content-keys")
        defer { Support.remove(dir) }
        let store = try Self.store(dir, bookings: 1)
        var b = try #require(store.state.bookings.values.first)
        var cache = PartitionKeyCache()
        // Month edges on both sides of the epoch and of a leap day, each asked for twice.
        let edges: [Int64] = [-86_401, -86_400, -1, 0, 1, 951_782_399, 951_782_400, 951_868_800, 1_800_000_000, 1_801_439_999, 1_801_440_000]
        for round in 0..<2 {
            for s in edges {
                for r in ["res_A", "res_B/../x"] {
                    b.range = TimeRange(start: Instant(seconds: s), end: Instant(seconds: s + 60))
                    b.resource = ResourceID(r)
                    #expect(cache.key(b) == Partition.key(b), "round \(round): \(s) on \(r)")
                }
            }
        }
    }
}
