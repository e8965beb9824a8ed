import Foundation
import Testing
import FrontdeskCore
import FrontdeskJSON
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `Store.scanReportedBookings`: the report fields decoded straight from the partitions give
/// exactly what the whole bookings give (row by row and report by report), and a damaged
/// partition fails the scan as it fails a full decode.
@Suite struct ReportedScanTests {
    static let actor = Support.actor

    /// A store with money and three resources (the third with buffers and a year's
    /// cancellation notice, so its cancellations are late), random priced, multi-resource,
    /// pending and customer bookings, payments, refunds, cancellations and no-shows, a
    /// compaction, then random journal-tail changes.
    static func randomStore(_ dir: String, seed: UInt64) throws -> [ResourceID] {
        var rng = SplitMixRNG(seed: seed)
        let (store, r1) = try MoneyStoreTests.withCurrency(dir)
        let strict = PolicyOverrides(bufferBefore: .minutes(10), bufferAfter: .minutes(5), cancellationNotice: .days(365))
        let r3 = try store.write("add resource", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 3", zone: .utc, policy: strict), in: s, by: actor)
        }.id
        let rs = [r1, try Support.addResource(store, "Room 2"), r3]
        let base = Support.now + .days(2)
        var ids: [BookingID] = []
        func book() {
            let s = base + .hours(Int64(rng.next() % (150 * 24)))
            var req = BookingRequest(resource: rs[Int(rng.next() % 3)], range: TimeRange(start: s, end: s + .minutes(30 * Int64(rng.next() % 4 + 1))),
                                     status: rng.next() % 4 == 0 ? .pendingPayment : .confirmed, hold: .days(Int64(rng.next() % 3) * 40 + 1))
            if rng.next() % 3 == 0 { req.otherResources = [rs.first { $0 != req.resource }!] }
            if rng.next() % 2 == 0 { req.customer = .new(name: "Customer \(rng.next() % 5)") }
            if rng.next() % 3 != 0 {
                let price = Int64(rng.next() % 9000) + 100
                req.price = PriceDraft(price: price, deposit: price / 4, lateCancelFee: 500, noShowFee: 700, reason: "list")
            }
            let r = req
            if let b = try? store.write("book", .book(r), { s, e throws(CoreError) in try e.book(r, in: s, by: actor) }) {
                ids.append(b.bookings[0].id)
            }
        }
        func change() {
            guard let id = ids.randomElement(using: &rng) else { return }
            switch rng.next() % 6 {
            case 0:
                let amount = Int64(rng.next() % 3000) + 1, method = PaymentMethod.allCases[Int(rng.next() % UInt64(PaymentMethod.allCases.count))]
                _ = try? store.write("pay", .edit(id)) { s, e throws(CoreError) in
                    try e.pay(id, amount: amount, method: method, reference: "T", idempotencyKey: nil, in: s, by: actor)
                }
            case 1:
                let amount = Int64(rng.next() % 500) + 1
                _ = try? store.write("refund", .edit(id)) { s, e throws(CoreError) in try e.refund(id, amount: amount, reason: "r", in: s, by: actor) }
            case 2:
                _ = try? store.write("cancel", .cancel(id, scope: .this)) { s, e throws(CoreError) in
                    try e.cancel(id, reason: "r", overrideReason: "asked", in: s, by: actor)
                }
            case 3:
                _ = try? store.write("no-show", .edit(id)) { s, e throws(CoreError) in try e.setStatus(id, to: .noShow, in: s, by: actor) }
            case 4:
                let s = base + .hours(Int64(rng.next() % (150 * 24))), onto = rs[Int(rng.next() % 3)]
                let to = TimeRange(start: s, end: s + .minutes(45))
                _ = try? store.write("move", .reschedule(id, to: to, resource: onto, scope: .this)) { st, e throws(CoreError) in
                    try e.reschedule(id, to: to, resource: onto, in: st, by: actor)
                }
            default:
                book()
            }
        }
        for _ in 0..<150 { book() }
        for _ in 0..<120 { change() }
        try store.compact()
        for _ in 0..<40 { change() }
        return rs
    }

    /// Every report, from one builder.
    struct Reports: Equatable {
        var utilisation: UtilisationReport, noShows: NoShowReport, cancellations: CancellationReport
        var takings: TakingsReport, services: ServicesReport

        init(_ b: ReportBuilder) throws {
            utilisation = try b.utilisation(); noShows = try b.noShows(); cancellations = try b.cancellations()
            takings = try b.takings(); services = try b.services()
        }
    }

    /// Random stores, read from a fresh open (through the real file system, whose partitions
    /// are read on all cores, and through the modelled one, read in turn): for random periods,
    /// groupings and resource sets, the projected scan passes the same bookings in the same
    /// order as the full scan, each row equal to the projection of the whole booking, and every
    /// report made from it equals the report made from the whole bookings.
    @Test("model: the projected scan gives the full decode's reports", arguments: [1, 2, 3] as [UInt64])
    func projectedScanEqualsFullDecode(seed: UInt64) throws {
        let dir = Support.tempDir("reported-scan")
        defer { Support.remove(dir) }
        let rs = try Self.randomStore(dir, seed: seed)
        var rng = SplitMixRNG(seed: seed &+ 100)
        let base = Support.now + .days(2)
        var compared = 0
        for round in 0..<8 {
            let fs: any FileSystem = round % 2 == 0 ? RealFileSystem() : FaultyFileSystem()
            let now = Support.now + .days(Int64(rng.next() % 60))
            let store = try Store.open(at: dir, clock: FixedClock(now), options: Support.options(fs))
            let from = base + .days(Int64(rng.next() % 120)) - .days(10), to = from + .days(Int64(rng.next() % 90) + 1)
            let resources: [ResourceID]? = rng.next() % 3 == 0 ? nil : Array(rs.shuffled(using: &rng).prefix(Int(rng.next() % 2) + 1))
            let grouping = ReportGrouping.allCases[Int(rng.next() % UInt64(ReportGrouping.allCases.count))]
            let request = ReportRequest(period: TimeRange(start: from, end: to), grouping: grouping, zone: Zone("Europe/London")!,
                                        resources: resources, now: now)
            let whole = try store.scanBookings(resources: resources, range: request.period, into: { [Booking]() }) { $0.append($1) }
            let rows = try store.scanReportedBookings(resources: resources, range: request.period, into: { [ReportedBooking]() }) { $0.append($1) }
            let projectedWhole: [ReportedBooking] = whole.map { ReportedBooking($0) }
            #expect(rows == projectedWhole, "seed \(seed) round \(round): the rows differ from the whole bookings")
            var full = try ReportBuilder(request, directory: store.state), projected = full
            full.add(contentsOf: whole)
            for r in rows { projected.add(r) }
            #expect(try Reports(projected) == Reports(full), "seed \(seed) round \(round) \(grouping) \(resources ?? [])")
            #expect(store.loadedPartitions.isEmpty, "the scan loaded partitions")
            compared += rows.count
        }
        #expect(compared > 100, "the periods held too few bookings to compare")
    }

    /// A partition file changed on disk (its checksum no longer the manifest's) fails the
    /// projected scan, from the real and the modelled file system, with `incomplete` naming the
    /// file: no report is made from the rest.
    @Test func aDamagedPartitionFailsTheScan() throws {
        let dir = Support.tempDir("reported-scan-damage")
        defer { Support.remove(dir) }
        _ = try Self.randomStore(dir, seed: 7)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let key = try #require(try store.generation.manifest.partitions(fromMonth: "0000-01", toMonth: "9999-12").sorted().first)
        let path = store.generation.path + "/" + Generation.partitionPath(key)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let at = try #require(bytes.firstIndex(of: UInt8(ascii: "B")))
        bytes[at] = UInt8(ascii: "C")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for fs in [RealFileSystem(), FaultyFileSystem()] as [any FileSystem] {
            let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
            #expect {
                _ = try fresh.scanReportedBookings(resources: nil, range: Support.everything, into: { 0 }) { n, _ in n += 1 }
            } throws: { error in
                guard let e = error as? StoreError, case .incomplete(let missing) = e else { return false }
                return missing.contains(Generation.partitionPath(key)) && missing.contains("checksum")
            }
        }
    }

    /// Text the projection reader does not take (a required member missing, a mistyped one, a
    /// bad status, a list of resources the engine would not make) fails it with the full
    /// reader's own error, naming the member; text it takes reads as the full reader's
    /// bookings projected.
    @Test func theProjectionFailsAsTheFullReaderDoes() throws {
        let start = Support.now + .days(3)
        let b = Booking(id: BookingID("bk_1"), ref: "B-1", resource: ResourceID("res_a"), customer: CustomerID("cus_1"),
                        range: TimeRange(start: start, end: start + .hours(1)), status: .cancelled,
                        createdBy: Self.actor, updatedBy: Self.actor, version: 2, createdAt: Support.now, updatedAt: Support.now,
                        notes: "n", series: nil, occurrenceDate: nil, holdExpiresAt: nil,
                        cancellation: Cancellation(at: Support.now, by: "test", reason: "r", late: true), idempotencyKey: nil,
                        overrideReason: nil, history: [HistoryEntry(at: Support.now, actor: Self.actor, action: "created", changes: ["x"], version: 1)],
                        otherResources: [ResourceID("res_b")], service: ServiceID("svc_1"), bufferBefore: .minutes(5))
        let good = try BookingSchema.partitionBytes([b, b])
        #expect(try BookingSchema.readReportedPartition(good) == [ReportedBooking(b), ReportedBooking(b)])
        let text = String(decoding: good, as: UTF8.self)
        let broken = [
            text.replacingOccurrences(of: #""history":"#, with: #""histories":"#),
            text.replacingOccurrences(of: #""updatedBy":"#, with: #""updatedByX":"#),
            text.replacingOccurrences(of: #""status":"cancelled""#, with: #""status":"gone""#),
            text.replacingOccurrences(of: #""version":2"#, with: #""version":"2""#),
            text.replacingOccurrences(of: #""otherResources":["res_b"]"#, with: #""otherResources":["res_a"]"#),
            text.replacingOccurrences(of: #""bufferBefore":300"#, with: #""bufferBefore":-1"#),
            text.replacingOccurrences(of: #""late":true"#, with: #""late":1"#),
            String(text.dropLast()),
        ]
        for t in broken {
            #expect(t != text)
            let bytes = Array(t.utf8)
            let full = Self.failure { try BookingSchema.readPartition(bytes) }
            #expect(full != nil, "\(t)")
            #expect(Self.failure { try BookingSchema.readReportedPartition(bytes) } == full, "\(t)")
        }
    }

    /// The error `body` throws, as text; nil when it does not throw.
    static func failure<T>(_ body: () throws -> T) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }
}
