import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `Store.scanBookings`: each booking of the range once, in its newest version (the journal
/// tail over the partitions), without loading the partitions it reads.
@Suite struct ScanBookingsTests {
    /// Random bookings (some holding two resources) over six months, a compaction, then random
    /// journal-tail changes (moves across months and resources, cancellations, new bookings):
    /// a scan from a fresh open, over random ranges with and without resources, yields exactly
    /// the bookings a full load has there (each once, the same version), and loads nothing.
    @Test("model: a scan equals a full load", arguments: [1, 2, 3] as [UInt64])
    func scanEqualsFullLoad(seed: UInt64) throws {
        let dir = Support.tempDir("scan")
        defer { Support.remove(dir) }
        var rng = SplitMixRNG(seed: seed)
        let (store, r1) = try Support.newStore(dir)
        let rs = [r1, try Support.addResource(store, "Room 2"), try Support.addResource(store, "Room 3")]
        let base = Support.now + .days(2)
        func slot() -> TimeRange {
            let s = base + .hours(Int64(rng.next() % (180 * 24)))
            return TimeRange(start: s, end: s + .minutes(30))
        }
        var ids: [BookingID] = []
        func book() {
            var req = BookingRequest(resource: rs[Int(rng.next() % 3)], range: slot())
            if rng.next() % 3 == 0 { req.otherResources = [rs.first { $0 != req.resource }!] }
            let r = req
            if let b = try? store.write("book", .book(r), { s, e throws(CoreError) in try e.book(r, in: s, by: Support.actor) }) {
                ids.append(b.bookings[0].id)
            }
        }
        for _ in 0..<120 { book() }
        try store.compact()
        for _ in 0..<40 {
            guard let id = ids.randomElement(using: &rng) else { continue }
            switch rng.next() % 3 {
            case 0:
                let to = slot(), onto = rs[Int(rng.next() % 3)]
                _ = try? store.write("move", .reschedule(id, to: to, resource: onto, scope: .this)) { s, e throws(CoreError) in
                    try e.reschedule(id, to: to, resource: onto, in: s, by: Support.actor)
                }
            case 1:
                _ = try? store.write("cancel", .cancel(id, scope: .this)) { s, e throws(CoreError) in
                    try e.cancel(id, reason: "r", in: s, by: Support.actor)
                }
            default:
                book()
            }
        }
        let full = try Support.reopen(dir)
        for _ in 0..<6 {
            let from = base + .days(Int64(rng.next() % 150)), to = from + .days(Int64(rng.next() % 60) + 1)
            let range = TimeRange(start: from, end: to)
            let wanted: [ResourceID]? = rng.next() % 2 == 0 ? nil : [rs[Int(rng.next() % 3)]]
            let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
            let inMemory = fresh.state.bookings.count
            let seen = try fresh.scanBookings(resources: wanted, range: range, into: { [BookingID: [Booking]]() }) { m, b in m[b.id, default: []].append(b) }
            #expect(seen.values.allSatisfy { $0.count == 1 }, "a booking passed twice")
            #expect(fresh.state.bookings.count == inMemory && fresh.loadedPartitions.isEmpty, "the scan loaded partitions")
            let expected = full.state.bookings.values.filter { b in
                b.range.overlaps(range) && (wanted.map { w in b.resources.contains(where: w.contains) } ?? true)
            }
            let got = seen.values.compactMap(\.first).filter { $0.range.overlaps(range) }
            #expect(Dictionary(uniqueKeysWithValues: got.map { ($0.id, $0) }) == Dictionary(uniqueKeysWithValues: expected.map { ($0.id, $0) }),
                    "seed \(seed) \(range) \(wanted ?? [])")
        }
    }
}
