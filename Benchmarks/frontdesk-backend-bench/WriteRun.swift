import Foundation
import FrontdeskCore
import FrontdeskPostgres

/// One row of the write benchmark: `clients` clients, each with its own handle and resource,
/// booking distinct free slots one after another, all started together.
struct WriteRun {
    let backend: BenchBackend
    let clients: Int
    let requests: Int
    let row: Int
    let clock: any WallClock

    struct Figures {
        var bookings: Int
        var seconds: Double
        var p50: Double
        var p99: Double
        var max: Double
    }

    /// One client: its handle, its resource, the latencies of its bookings in milliseconds.
    final class Client: @unchecked Sendable {
        let storage: any BookingStorage
        let resource: ResourceID
        let count: Int
        var latencies: [Double] = []
        var failure: (any Error)?

        init(storage: any BookingStorage, resource: ResourceID, count: Int) {
            self.storage = storage
            self.resource = resource
            self.count = count
        }

        /// Books slot 0, 1, … of its resource: 30 minutes every hour from 2031-01-01.
        func run() {
            latencies.reserveCapacity(count)
            for k in 0..<count {
                let start = Instant(seconds: 1_924_992_000) + .hours(Int64(k))
                let request = BookingRequest(resource: resource, range: TimeRange(start: start, end: start + .minutes(30)))
                let t0 = monotonicSeconds()
                do {
                    _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: benchAuthor) }
                } catch {
                    failure = error
                    return
                }
                latencies.append((monotonicSeconds() - t0) * 1000)
            }
        }

        func close() { (storage as? PostgresBookingStorage)?.close() }
    }

    func run() throws -> Figures {
        let setup = try backend.open(clock: clock)
        var resources: [ResourceID] = []
        for i in 0..<clients {
            resources.append(try setup.write("resource add", .directory) { s, e throws(CoreError) in
                try e.addResource(ResourceDraft(name: "Bench \(row)-\(i)", zone: .utc), in: s, by: benchAuthor)
            }.id)
        }
        (setup as? PostgresBookingStorage)?.close()
        let each = max(1, requests / clients)
        let workers = try resources.map { Client(storage: try backend.open(clock: clock), resource: $0, count: each) }
        defer { for w in workers { w.close() } }
        let go = DispatchSemaphore(value: 0), done = DispatchGroup()
        for w in workers {
            done.enter()
            let thread = Thread {
                go.wait()
                w.run()
                done.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        let t0 = monotonicSeconds()
        for _ in workers { go.signal() }
        done.wait()
        let seconds = monotonicSeconds() - t0
        if let failed = workers.first(where: { $0.failure != nil }) {
            throw BenchFailure("\(backend.name), \(clients) clients: a booking failed: \(failed.storage.describe(failed.failure!).message)")
        }
        let latencies = workers.flatMap(\.latencies).sorted()
        return Figures(bookings: latencies.count, seconds: seconds, p50: Table.percentile(latencies, 0.5),
                       p99: Table.percentile(latencies, 0.99), max: latencies.last ?? .nan)
    }
}
