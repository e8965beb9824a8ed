import Dispatch
import Foundation
import FrontdeskCore
import FrontdeskStore
import FrontdeskStoreTesting
import FrontdeskTUI

let tuiSearchSummary = "`/` search per keystroke on a compacted store of 1,000,000 bookings and customers (target ≤ 50 ms)"

/// `frontdesk-bench tui-search [--dir DIR] [--bookings N] [--customers C] [--query TEXT]…`.
///
/// Builds (once, in DIR, kept for later runs) a store of N bookings over two years on 40
/// resources for C customers named "Customer 0000001"… (seven digits), every tenth booking
/// with a note (one of five, 2 % of bookings each) and every thousandth with "Allergic to
/// penicillin", all in the snapshot (compacted); then opens it as the desk does, on a day
/// without bookings, and for every prefix of each query (`C`, `Cu`, … `Customer 000001`)
/// presses `/`, types the prefix and Enter: the time from Enter to the frame handed to the
/// backend (the store's search from the cursor, the jump to the first match, the redraw).
/// Then once more in the same process, and the store search alone as `/` asks it (the next
/// four from the day shown) for each prefix in a store opened for that keystroke ("cold").
func tuiSearchBenchmark(_ args: [String]) -> Int32 {
    func value(_ name: String) -> String? {
        guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
        return args[i + 1]
    }
    let dir = value("--dir") ?? NSTemporaryDirectory() + "frontdesk-bench-search"
    let bookings = Int(value("--bookings") ?? "") ?? 1_000_000
    let customers = Int(value("--customers") ?? "") ?? 1_000_000
    var queries: [String] = []
    for (i, a) in args.enumerated() where a == "--query" && i + 1 < args.count { queries.append(args[i + 1]) }
    if queries.isEmpty { queries = ["Customer 000001", "lavender", "penicillin"] }
    let now = Instant(iso8601: "2027-03-01T08:00:00Z")!
    let clock = FixedClock(now)
    let options = StoreOptions(compactInBackground: false, user: "bench")
    func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    if !FileManager.default.fileExists(atPath: dir + "/FORMAT") {
        let t0 = seconds()
        // One compaction after the customers, not one per record (each would rewrite the table).
        var generating = options
        generating.compactAfterRecords = 1 << 40
        generating.compactAfterBytes = 1 << 60
        do { try generateSearchStore(dir, bookings: bookings, customers: customers, clock: clock, options: generating) } catch {
            print("tui-search: generating the store failed: \(error)"); return 1
        }
        print("tui-search: generated \(bookings) bookings, \(customers) customers in \(dir) in \(String(format: "%.1f", seconds() - t0)) s")
    }

    var report = "tui-search: \(tuiSearchSummary)\n"
    let newest = ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/snapshots")) ?? []).max() ?? ""
    let searchDir = dir + "/snapshots/" + newest + "/search"
    let chunks = (try? FileManager.default.contentsOfDirectory(atPath: searchDir + "/terms"))?.count ?? 0
    let pages = (try? FileManager.default.contentsOfDirectory(atPath: searchDir + "/pages"))?.count ?? 0
    var indexBytes = 0
    for sub in ["terms", "pages"] {
        for f in (try? FileManager.default.contentsOfDirectory(atPath: searchDir + "/" + sub)) ?? [] {
            indexBytes += ((try? FileManager.default.attributesOfItem(atPath: searchDir + "/" + sub + "/" + f))?[.size] as? Int) ?? 0
        }
    }
    report += "  search index: \(chunks) chunks, \(pages) pages, \(indexBytes / 1_000_000) MB\n"
    var worst = 0.0
    for query in queries {
        let t0 = seconds()
        let store: Store
        do { store = try Store.open(at: dir, clock: clock, options: options) } catch { print("tui-search: open failed: \(error)"); return 1 }
        let opened = seconds() - t0
        let connection = DeskConnection(storage: store, actor: Author(user: "bench", origin: "local", source: .tui))
        // 2027-02-27 has no bookings in the generated store (see generateSearchStore): nothing on screen matches.
        let day = LocalDate("2027-02-27")!
        let app = TUIApp(showing: connection, clock: clock, size: (52, 200), date: day)
        let backend = SearchTimingBackend(rows: 52, cols: 200)
        let runner = TUIRunner(app: app, backend: backend)
        runner.draw()
        let prefixes = (1...query.count).map { String(query.prefix($0)) }.filter { !$0.hasSuffix(" ") }

        func press(_ keys: [KeyEvent]) { for k in keys { backend.pending.append(k); runner.tick() } }
        func pass() -> [(ms: Double, status: String)] {
            prefixes.map { prefix in
                press([.char("/"), .ctrl("u")])
                press(prefix.map { KeyEvent.char($0) })
                press([.enter])
                return (Double(backend.lastDrawEnd - backend.lastKeyAt) / 1e6, backend.status)
            }
        }
        let first = pass()
        let second = pass()
        var cold: [Double] = []
        var found: [Int] = []
        let anchor = Zone.utc.startOfDay(day)
        for prefix in prefixes {
            do {
                let fresh = try Store.open(at: dir, clock: clock, options: options)
                let t = seconds()
                let hits = try fresh.search(text: prefix, range: TimeRange(start: anchor, end: anchor + .days(36500)), limit: 4)
                cold.append((seconds() - t) * 1000)
                found.append(hits.count)
            } catch { print("tui-search: search \"\(prefix)\" failed: \(error)"); return 1 }
        }
        func ms(_ v: Double) -> String { String(format: "%.1f", v) }
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: n, withPad: " ", startingAt: 0) }
        report += "  query \"\(query)\" (store opened in \(ms(opened * 1000)) ms)\n"
        report += "  \(pad("keystroke", 18)) \(pad("TUI first", 10)) \(pad("TUI again", 10)) \(pad("store cold", 11)) \(pad("found (≤ 4)", 12)) status line\n"
        for (i, p) in prefixes.enumerated() {
            report += "  \(pad("\"" + p + "\"", 18)) \(pad(ms(first[i].ms), 10)) \(pad(ms(second[i].ms), 10)) \(pad(ms(cold[i]), 11)) \(pad(String(found[i]), 12)) \(first[i].status.trimmingCharacters(in: .whitespaces).prefix(70))\n"
        }
        worst = max(worst, first.map(\.ms).max() ?? 0, second.map(\.ms).max() ?? 0, cold.max() ?? 0)
    }
    report += "  worst \(String(format: "%.1f", worst)) ms (target ≤ 50 ms): \(worst <= 50 ? "met" : "not met")"
    print(report)
    return 0
}

/// The store `tui-search` measures: customers written in records of 10,000, bookings seeded
/// into snapshot generations 100,000 at a time (each a compaction that extends the search index).
func generateSearchStore(_ dir: String, bookings n: Int, customers: Int, clock: FixedClock, options: StoreOptions) throws {
    let store = try Store.create(at: dir, clock: clock, options: options)
    let actor = Author(user: "bench", origin: "local", source: .cli)
    var resources: [ResourceID] = []
    for i in 0..<40 {
        resources.append(try store.write("resource", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Chair \(i + 1)", zone: .utc), in: s, by: actor)
        }.id)
    }
    let all = (0..<customers).map { i -> Customer in
        Customer(id: CustomerID("cus_bench\(i)"), ref: ShortReference.make(prefix: "C", number: i + 1),
                 name: "Customer " + Partition.zeroPadded(i + 1, 7))
    }
    let ids = all.map(\.id)
    try store.seedForBenchmark(customers: all, customerReferencesUpTo: customers)
    try store.compact()
    let later = clock.now() + .days(1)
    let template = try store.engine.book(BookingRequest(resource: resources[0], range: TimeRange(start: later, end: later + .hours(1))),
                                         in: store.state, by: actor).value.bookings[0]
    // Two years of 30-minute slots from 2026-03-01, 40 resources side by side; no bookings on
    // 2027-02-27, the day the desk opens on.
    let first = Instant(iso8601: "2026-03-01T00:00:00Z")!
    let perResource = n / 40
    let step = Int64(730 * 86400) / Int64(max(1, perResource))
    let quiet = Instant(iso8601: "2027-02-27T00:00:00Z")!
    let notes = ["Colour and cut", "Beard trim", "Allergic to lavender", "Follow-up visit", "Crème rinse"]
    var counter = 0
    var chunk: [Booking] = []
    func flush() throws {
        guard !chunk.isEmpty else { return }
        try store.seedForBenchmark(bookings: chunk, bookingReferencesUpTo: counter)
        chunk.removeAll(keepingCapacity: true)
    }
    for i in 0..<perResource {
        var start = first + TimeSpan(seconds: Int64(i) * step)
        if start >= quiet && start < quiet + .days(1) { start = start + .days(1) }
        for r in resources {
            counter += 1
            var b = template
            b.id = BookingID("bk_bench\(counter)")
            b.ref = ShortReference.make(prefix: "B", number: counter)
            b.resource = r
            b.customer = ids[(counter * 7919) % ids.count]
            b.range = TimeRange(start: start, end: start + .minutes(30))
            b.notes = counter % 1000 == 500 ? "Allergic to penicillin" : counter % 10 == 0 ? notes[(counter / 10) % notes.count] : ""
            chunk.append(b)
            if chunk.count == 100_000 { try flush() }
        }
    }
    try flush()
}

/// A backend with no terminal: keys from a queue, and the times a key was handed out and a
/// frame finished.
final class SearchTimingBackend: TerminalBackend {
    let size: (rows: Int, cols: Int)
    let colors = ColorCapability.xterm256
    var pending: [KeyEvent] = []
    private(set) var lastKeyAt: UInt64 = 0
    private(set) var lastDrawEnd: UInt64 = 0

    init(rows: Int, cols: Int) { size = (rows, cols) }

    func readKey(timeout: Double) -> KeyEvent? {
        guard !pending.isEmpty else { return nil }
        lastKeyAt = DispatchTime.now().uptimeNanoseconds
        return pending.removeFirst()
    }

    /// The status line of the last frame.
    private(set) var status = ""

    func draw(_ grid: CellGrid, styles: ResolvedTheme) {
        lastDrawEnd = DispatchTime.now().uptimeNanoseconds
        status = grid.text(row: size.rows - 2)
    }

    func invalidate() {}
}
