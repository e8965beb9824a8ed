import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskTUI
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// `/`, `n`, `N` on a compacted file store: the search reaches bookings that are not loaded
/// (issue #22: `/Customer 0001` said "No booking matches" while `list --customer` showed them).
@Suite struct StoreSearchTUITests {
    /// A compacted store: three chairs, forty customers "Customer 0001"…, 4,000 bookings over
    /// two years in its snapshot; none in the months around 2027-03-01, the day the desk opens on.
    static func compactedStore(_ dir: String, clock: FixedClock) throws -> (customers: [CustomerID], bookings: [Booking]) {
        let actor = Author(user: "test", origin: "local", source: .cli)
        let options = StoreOptions(preallocateBytes: 4096, user: "test")
        let store = try Store.create(at: dir, clock: clock, options: options)
        var chairs: [ResourceID] = []
        for n in 1...3 {
            chairs.append(try store.write("resource", .directory) { s, e throws(CoreError) in
                try e.addResource(ResourceDraft(name: "Chair \(n)", zone: Zone("Europe/London")!), in: s, by: actor)
            }.id)
        }
        var customers: [CustomerID] = []
        for n in 1...40 {
            let name = "Customer " + String(repeating: "0", count: 4 - String(n).count) + String(n)
            customers.append(try store.write("customer", .directory) { s, e throws(CoreError) in
                try e.addCustomer(name: name, in: s, by: actor)
            }.id)
        }
        let first = Instant(iso8601: "2026-06-01T09:00:00Z")!
        let later = clock.now() + .days(1)
        let template = try store.engine.book(BookingRequest(resource: chairs[0], range: TimeRange(start: later, end: later + .hours(1))),
                                             in: store.state, by: actor).value.bookings[0]
        var seeded: [Booking] = []
        // Nothing in the months the desk reads around 2027-03-01.
        let skipped: Set<String> = ["2027-02", "2027-03"]
        for i in 0..<4000 {
            let start = first + .days(Int64(i / 6)) + .hours(Int64(i % 6))
            guard !skipped.contains(Partition.month(start)) else { continue }
            var b = template
            b.id = BookingID("bk_seed\(i)")
            b.ref = ShortReference.make(prefix: "B", number: i + 1)
            b.resource = chairs[i % 3]
            b.customer = customers[i % 40]
            b.range = TimeRange(start: start, end: start + .minutes(45))
            seeded.append(b)
        }
        try store.seedForBenchmark(bookings: seeded, bookingReferencesUpTo: 4000)
        return (customers, seeded)
    }

    @Test func slashFindsBookingsNotLoadedAndJumpsToThem() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-tui-search-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = FixedClock(Instant(iso8601: "2027-03-01T10:20:00Z")!)
        let (customers, seeded) = try Self.compactedStore(dir, clock: clock)
        let wanted = seeded.filter { $0.customer == customers[0] }.sorted { $0.start < $1.start }
        let after = wanted.filter { $0.start > clock.now() }

        let store = try Store.open(at: dir, clock: clock, options: StoreOptions(user: "test"))
        let desk = DeskConnection(storage: store, actor: Author(user: "carol", origin: "local", source: .tui))
        let backend = MemoryBackend(rows: 40, cols: 130, colors: .xterm256)
        let app = TUIApp(connection: desk, clock: clock, keys: KeyMap(), theme: .builtInDefault, size: (40, 130),
                         date: LocalDate("2027-03-01")!)
        let runner = TUIRunner(app: app, backend: backend)
        runner.draw()
        func press(_ keys: KeyEvent...) { for k in keys { backend.pending.append(k); runner.tick() } }
        func type(_ text: String) { for c in text { press(.char(c)) } }
        let loaded = store.state.bookings.count
        #expect(loaded == 0, "the desk opened with \(loaded) bookings in memory")
        #expect(!store.state.bookings.keys.contains(after[0].id))

        press(.char("/")); type("Customer 0001"); press(.enter)
        let status = backend.lines[backend.lines.count - 2]
        #expect(status.contains("Match for \"Customer 0001\": \(after[0].ref) Customer 0001"), "\(status)")
        let day = Zone("Europe/London")!.local(after[0].start).date
        #expect(backend.lines[0].contains(day.description), "\(backend.lines[0])")
        #expect(app.targetBooking()?.id == after[0].id)

        press(.char("n"))
        #expect(app.targetBooking()?.id == after[1].id)
        press(.char("N"), .char("N"))
        #expect(app.targetBooking()?.id == wanted[wanted.count - after.count - 1].id)
        #expect(backend.lines[backend.lines.count - 2].contains("Match for \"Customer 0001\": \(wanted[wanted.count - after.count - 1].ref)"))
        #expect(store.state.bookings.count < seeded.count / 4, "the search loaded \(store.state.bookings.count) of \(seeded.count) bookings")

        // Accents and case do not matter.
        press(.char("/"), .ctrl("u")); type("CUSTÔMER 0040"); press(.enter)
        #expect(app.targetBooking()?.customer == customers[39], "\(backend.lines[backend.lines.count - 2])")
        press(.char("/"), .ctrl("u")); type("nobody"); press(.enter)
        #expect(backend.lines[backend.lines.count - 2].contains("No booking matches"))
    }
}
