import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// (h) Partitions load lazily; journal-tail bookings win over older partition copies.
@Suite struct LazyLoadingTests {
    /// 2027-03-15T10:00Z plus `days`.
    static func at(_ days: Int64, hour: Int64 = 10) -> TimeRange {
        let s = Instant(seconds: 1_805_018_400) + .days(days) + .hours(hour - 10)
        return TimeRange(start: s, end: s + .hours(1))
    }

    @Test func onlyAskedForPartitionsAreReadAndTailWins() throws {
        let dir = Support.tempDir("lazy")
        defer { Support.remove(dir) }
        let (store, r1) = try Support.newStore(dir)
        let r2 = try Support.addResource(store, "Room 2")
        // Twelve months on two resources.
        var byMonth: [String: [Booking]] = [:]
        for m in 0..<12 {
            for (i, r) in [r1, r2].enumerated() {
                let b = try Support.book(store, r, Self.at(Int64(m) * 30, hour: 10 + Int64(i)))
                byMonth[Partition.month(b.start) + "/" + r.rawValue, default: []].append(b)
            }
        }
        let march = byMonth["2027-03/" + r1.rawValue]![0]
        let april = byMonth["2027-04/" + r1.rawValue]![0]
        try store.compact()
        // Journal tail after the snapshot: edit March's booking, move April's into March.
        let edited = try store.write("edit", .edit(march.id)) { s, e throws(CoreError) in
            try e.edit(march.id, notes: "changed after the snapshot", in: s, by: Support.actor)
        }
        let moved = try store.write("reschedule", .reschedule(april.id, to: Self.at(2, hour: 15), resource: nil, scope: .this)) { s, e throws(CoreError) in
            try e.reschedule(april.id, to: Self.at(2, hour: 15), in: s, by: Support.actor)
        }.first!
        #expect(Partition.month(moved.start) == "2027-03")

        let fs = FaultyFileSystem()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(fs.reads.filter { $0.contains("/bookings/") }.isEmpty, "open read booking partitions: \(fs.reads)")
        #expect(lazy.state.resources.count == 2)
        // Only the tail's bookings are in memory before any load.
        #expect(Set(lazy.state.bookings.keys) == [march.id, april.id])
        try lazy.load(resources: [r1], range: TimeRange(start: Self.at(0).start, end: Self.at(1).end))
        let read = fs.reads.filter { $0.contains("/bookings/") }.map { String($0.suffix(from: $0.range(of: "/bookings/")!.upperBound)) }
        #expect(read == ["2027-03/\(r1.rawValue).json"])
        #expect(lazy.partitionFilesRead == 1)
        #expect(lazy.state.bookings[march.id] == edited, "the older partition copy replaced the tail's version")
        #expect(lazy.state.bookings[april.id] == moved)
        // Loading April (where the moved booking's old copy lives) must not move it back.
        try lazy.load(resources: [r1], range: TimeRange(start: Self.at(31).start, end: Self.at(32).end))
        #expect(lazy.state.bookings[april.id] == moved)
        #expect(lazy.partitionFilesRead == 2)
        // Loading again reads nothing new.
        try lazy.load(resources: [r1], range: TimeRange(start: Self.at(0).start, end: Self.at(32).end))
        #expect(lazy.partitionFilesRead == 2)

        // A lookup by reference finds a booking in an unloaded partition and loads only that one.
        let far = byMonth.values.flatMap { $0 }.first { Partition.month($0.start) == "2027-11" && $0.resource == r2 }!
        #expect(lazy.state.bookings[far.id] == nil)
        #expect(try lazy.booking(idOrRef: far.ref.lowercased()) == far)
        #expect(try lazy.booking(idOrRef: far.id.rawValue) == far)
        #expect(lazy.partitionFilesRead == 3)
        #expect(try lazy.booking(idOrRef: "B-ZZZZ") == nil)

        // After compacting again, the moved booking lives only in March's file.
        try lazy.compact()
        let fresh = try Support.reopen(dir)
        #expect(fresh.state.bookings[april.id] == moved)
        #expect(fresh.state.bookings[march.id] == edited)
        #expect(fresh.state.bookings.count == 24)
        #expect(fresh.check().ok)
    }

    @Test func seriesLookupLoadsEveryMember() throws {
        let dir = Support.tempDir("series")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        // A "series" made by hand through the core's own transaction type, the way a series
        // booking is stored, so the test depends on the store alone, not on recurrence rules.
        let series = SeriesID("ser_test")
        var members: [Booking] = []
        for m in 0..<3 {
            var b = try Support.book(store, r, Self.at(Int64(m) * 31))
            b.series = series
            b.version += 1
            let tx = Transaction(at: Support.now, actor: Support.actor, mutations: [.booking(b)])
            try store.writeUnplanned("link", tx)
            members.append(b)
        }
        try store.compact()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(lazy.state.bookings.isEmpty)
        #expect(try lazy.booking(idOrRef: members[1].ref) == members[1])
        #expect(lazy.state.series(series) == members)
    }
}

extension LazyLoadingTests {
    /// The benchmark seam moves the reference counter past the seeded references, so a real
    /// booking made afterwards never repeats one.
    @Test func seededBookingsKeepReferencesUnique() throws {
        let dir = Support.tempDir("seed-refs")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let template = try Support.book(store, r, Support.slot(1))
        let seeded = (1...3).map { i in
            var b = template
            b.id = BookingID("bk_seed\(i)")
            b.ref = ShortReference.make(prefix: "B", number: 10 + i)
            b.range = Support.slot(Int64(2 + i))
            return b
        }
        try store.seedForBenchmark(bookings: seeded, bookingReferencesUpTo: 13)
        let next = try Support.book(store, r, Support.slot(9))
        #expect(next.ref == ShortReference.make(prefix: "B", number: 14))
        let reopened = try Support.reopen(dir)
        #expect(try reopened.booking(idOrRef: "B-00D")?.id == BookingID("bk_seed3"))
    }
}
