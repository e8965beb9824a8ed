import Foundation
import FrontdeskCore
import FrontdeskPostgres

/// The reads at scale: one resource's month and one customer's upcoming bookings, on the
/// file store and on PostgreSQL holding the same objects, each query on a (resource, month)
/// or customer not read before by that handle.
struct ReadRun {
    let store: String
    let url: String
    let queries: Int
    let clock: any WallClock

    /// Midnight UTC on the first of each month from January 2027 for 24 months (the
    /// generated store's two years), as ranges.
    static func months() -> [TimeRange] {
        var out: [TimeRange] = []
        var (year, month) = (2027, 1)
        for _ in 0..<25 {
            out.append(TimeRange(start: Instant(seconds: daysFromCivil(year, month, 1) * 86400), end: Instant(seconds: 0)))
            (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
        }
        return (0..<24).map { TimeRange(start: out[$0].start, end: out[$0 + 1].start) }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146097 + doe - 719468)
    }

    func run() throws {
        let backends: [BenchBackend] = [.file(directory: store), .postgres(url: url)]
        let months = Self.months()
        print("")
        print("Reads at scale (\(store) and the database it was migrated into), \(queries) queries each, each on a handle opened once")
        print(Table.row(["backend", "query", "queries", "found/query", "p50 ms", "p99 ms", "max ms", "open s", "load avg"]))
        var customers: [CustomerID] = []
        var handles: [(BenchBackend, any BookingStorage, Double)] = []
        for backend in backends {
            let t0 = monotonicSeconds()
            let handle = try backend.open(clock: clock)
            handles.append((backend, handle, monotonicSeconds() - t0))
        }
        defer { for (_, h, _) in handles { (h as? PostgresBookingStorage)?.close() } }
        for (backend, handle, opened) in handles {
            let resources = handle.state.resources.keys.sorted()
            guard !resources.isEmpty else { throw BenchFailure("\(backend.name) holds no resources") }
            var latencies: [Double] = [], found = 0
            for q in 0..<queries {
                // 37 and 200 resources, 24 months: no pair repeats within 600 queries.
                let resource = resources[(q * 37) % resources.count], month = months[q % months.count]
                let t0 = monotonicSeconds()
                try handle.load(resources: [resource], range: month)
                let bookings = handle.state.bookings(on: resource, overlapping: month)
                latencies.append((monotonicSeconds() - t0) * 1000)
                found += bookings.count
                if customers.count < queries {
                    for b in bookings.prefix(1) { if let c = b.customer { customers.append(c) } }
                }
            }
            print(Self.line(backend.name, "resource month", latencies, found: found, opened: opened))
        }
        guard !customers.isEmpty else {
            print("(no customer's bookings measured: the months read hold no booking with a customer)")
            return
        }
        let upcoming = TimeRange(start: clock.now(), end: Instant(seconds: 253_402_300_799))
        for (backend, handle, opened) in handles {
            var latencies: [Double] = [], found = 0
            for c in customers {
                let t0 = monotonicSeconds()
                found += try handle.bookings(ofCustomer: c, range: upcoming).count
                latencies.append((monotonicSeconds() - t0) * 1000)
            }
            print(Self.line(backend.name, "customer upcoming", latencies, found: found, opened: opened))
        }
    }

    static func line(_ name: String, _ query: String, _ latencies: [Double], found: Int, opened: Double) -> String {
        let sorted = latencies.sorted()
        return Table.row([name, query, String(sorted.count), Table.fixed(Double(found) / Double(max(1, sorted.count)), 1),
                          Table.fixed(Table.percentile(sorted, 0.5)), Table.fixed(Table.percentile(sorted, 0.99)),
                          Table.fixed(sorted.last ?? .nan), Table.fixed(opened), loadAverage()])
    }
}
