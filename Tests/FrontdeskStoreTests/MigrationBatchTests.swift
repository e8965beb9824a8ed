import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `Store.forEachObjectBatch`: what `frontdesk migrate` reads from a directory, a batch at a
/// time, must be exactly what `everyObject` reads whole, in batches that stay small, without
/// loading the store into memory.
@Suite struct MigrationBatchTests {
    @Test("read in batches: the same objects as everyObject, each once, bookings at most batchSize a batch, merged customers after the one they name, nothing kept in memory")
    func batchesEqualWholeRead() throws {
        let dir = Support.tempDir("migration-batches")
        defer { Support.remove(dir) }
        let (store, r1) = try Support.newStore(dir)
        let r2 = try Support.addResource(store, "Room 2")
        var customers: [CustomerID] = []
        for i in 0..<300 {
            customers.append(try store.write("customer add", .directory) { s, e throws(CoreError) in
                try e.addCustomer(name: "Customer \(i)", phone: "+4420794\(String(format: "%05d", i))", in: s, by: Support.actor)
            }.id)
        }
        var bookings: [BookingID] = []
        func book(_ i: Int) throws {
            var request = BookingRequest(resource: i % 2 == 0 ? r1 : r2, range: Support.slot(Int64(i) * 5))
            request.customer = .existing(customers[i % customers.count])
            request.idempotencyKey = "batch-key-\(i)"
            let r = request
            bookings.append(try store.write("book", .book(r)) { s, e throws(CoreError) in try e.book(r, in: s, by: Support.actor) }.bookings[0].id)
        }
        for i in 0..<150 { try book(i) }
        try store.compact()
        // The journal's tail over the snapshot: new and changed bookings, keys and customers.
        for i in 150..<190 { try book(i) }
        for id in bookings.prefix(10) {
            _ = try store.write("cancel", .cancel(id, scope: .this)) { s, e throws(CoreError) in try e.cancel(id, reason: "r", in: s, by: Support.actor) }
        }
        try CustomerMergeStoreTests.merge(store, into: customers[0], from: customers[1])
        customers.append(try store.write("customer add", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Late customer", in: s, by: Support.actor)
        }.id)

        let cutoff = Support.now - .days(30)
        let whole = try Support.reopen(dir).everyObject(liveKeysSince: cutoff)
        let fresh = try Support.reopen(dir)
        let (bookingsBefore, customersBefore) = (fresh.state.bookings.count, fresh.state.customers.count)
        var batches: [[Mutation]] = []
        try fresh.forEachObjectBatch(liveKeysSince: cutoff, batchSize: 16) { batches.append($0) }

        let read = batches.flatMap { $0 }
        #expect(read.count == whole.count)
        let documents = try read.map { try MutationDocument.text($0) }
        #expect(Set(documents).count == documents.count, "an object was handed over twice")
        #expect(Set(documents) == Set(try whole.map { try MutationDocument.text($0) }))
        #expect(read.filter { if case .booking = $0 { true } else { false } }.count == 190)
        #expect(read.filter { if case .idempotencyKey = $0 { true } else { false } }.count == 190)
        #expect(read.filter { if case .customer = $0 { true } else { false } }.count == 301)
        for batch in batches where batch.contains(where: { if case .booking = $0 { true } else { false } }) {
            #expect(batch.count <= 16)
        }
        // The merged customer comes after the one it was merged into.
        let position = { (id: CustomerID) in read.firstIndex { if case .customer(let c) = $0 { c.id == id } else { false } } }
        let (into, from) = (try #require(position(customers[0])), try #require(position(customers[1])))
        #expect(into < from)
        if case .customer(let c) = read[from] { #expect(c.mergedInto == customers[0]) }
        // Read from the files and dropped: the handle holds no more than it did.
        #expect(fresh.state.bookings.count == bookingsBefore)
        #expect(fresh.state.customers.count == customersBefore)
    }
}
