import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore

/// Partitions are written in `Booking.startOrder`; the writer sorts (start, position) pairs
/// instead of bookings, and must land on exactly the same order.
@Suite struct PartitionOrderTests {
    @Test(arguments: [1, 7, 99] as [UInt64])
    func sortsLikeStartOrder(seed: UInt64) {
        var gen = ModelGen(rng: .init(state: seed))
        for size in [0, 1, 2, 3, 50, 400] {
            // Coarse starts, so many bookings tie on start and the ids decide.
            let bookings: [Booking] = (0..<size).map { i in
                var b = gen.booking()
                b.id = BookingID("bk_\(gen.int(0...1_000_000))_\(i)")
                let start = Instant(seconds: Int64(gen.int(0...20)) * 3600)
                b.range = TimeRange(start: start, end: start + .minutes(30))
                return b
            }
            let expected = bookings.sorted(by: Booking.startOrder).map(\.id)
            #expect(SnapshotWriter.inStartOrder(bookings).map(\.id) == expected, "seed \(seed), \(size) bookings")
            // Already in order: handed back as it is, and still in order.
            let sorted = bookings.sorted(by: Booking.startOrder)
            #expect(SnapshotWriter.inStartOrder(sorted).map(\.id) == expected)
        }
    }
}
