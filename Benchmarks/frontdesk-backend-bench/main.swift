import Foundation
import FrontdeskCore
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

// frontdesk-backend-bench: the file store and PostgreSQL side by side in one run (issue #26).
//
// 1. Durable bookings/s and p50/p99 latency at 1, 8 and 64 concurrent clients on each backend:
//    every client has its own handle (a `Store` opened again, or its own connection) and its own
//    resource, and books distinct free 30-minute slots through `BookingStorage.write` with the
//    engine's `book`, one after another (closed loop). The file store fdatasyncs its journal;
//    PostgreSQL runs with fsync, synchronous_commit and full_page_writes on.
// 2. With --migrate-from DIR (a store of 1,000,000 bookings, e.g. `frontdesk-storetool bench
//    generate-scale DIR 1000000 1000000 1000000 200`; give a copy: opening a store may recover
//    its journal): `frontdesk-postgres migrate --from DIR --to` a new database of the cluster,
//    timed, with its peak RSS; then reads on both at that size: one resource's month
//    (`load(resources:range:)`) and one customer's upcoming bookings
//    (`bookings(ofCustomer:range:)`), each on a fresh (resource, month) or customer.
//    --big-store DIR --big-url URL runs the reads on stores migrated before.
//
// Unless --url is given, it starts its own PostgreSQL cluster (initdb in /tmp as the
// `postgres` account when run as root, Unix socket only) and removes it at the end.
//
//   frontdesk-backend-bench [--clients 1,8,64] [--requests N] [--url URL] [--migrate-from DIR]
//                           [--bin DIR] [--big-store DIR --big-url URL] [--queries N]

let usage = "usage: frontdesk-backend-bench [--clients 1,8,64] [--requests N] [--url URL] [--migrate-from DIR] [--bin DIR] "
    + "[--big-store DIR --big-url URL] [--queries N] [--skip-writes]"

/// The value of option `name`, nil when absent.
func argument(_ name: String) -> String? {
    let a = CommandLine.arguments
    guard let i = a.firstIndex(of: name), i + 1 < a.count else { return nil }
    return a[i + 1]
}

func refuse(_ why: String) -> Never {
    FileHandle.standardError.write(Data("frontdesk-backend-bench: \(why)\n\(usage)\n".utf8))
    exit(64)
}

/// Refuses an unknown option or a missing value before minutes of work start.
func checkArguments() {
    let valued = ["--clients", "--requests", "--url", "--migrate-from", "--bin", "--big-store", "--big-url", "--queries"]
    var rest = CommandLine.arguments.dropFirst()
    while let name = rest.first {
        if name == "--help" || name == "-h" { print(usage); exit(0) }
        if name == "--skip-writes" { rest = rest.dropFirst(); continue }
        guard valued.contains(name) else { refuse("unknown option \(name)") }
        guard rest.count >= 2 else { refuse("\(name) needs a value") }
        rest = rest.dropFirst(2)
    }
    if (argument("--big-store") == nil) != (argument("--big-url") == nil) { refuse("--big-store and --big-url go together") }
}

checkArguments()
/// The number `text` of option `name`, at least 1.
func count(_ text: Substring, _ name: String) -> Int {
    guard let n = Int(text), n >= 1 else { refuse("\(name): \(text) is not a positive number") }
    return n
}
let clientCounts = (argument("--clients") ?? "1,8,64").split(separator: ",").map { count($0, "--clients") }
let requests = argument("--requests").map { count(Substring($0), "--requests") } ?? 2000
let queries = argument("--queries").map { count(Substring($0), "--queries") } ?? 200
let binDirectory = argument("--bin") ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
let clock = SystemClockNow()

/// The machine's load average, printed with every figure.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

print("frontdesk-backend-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) at the start")

nonisolated(unsafe) var cluster: PostgresTestCluster?
func stopCluster() { cluster?.stop() }
signal(SIGINT) { _ in stopCluster(); exit(130) }

/// A new database on our cluster with the schema applied, or the one of --url.
func database() throws -> String {
    if let url = argument("--url") {
        let session = try PostgresEnvironment.connect(url)
        _ = try SchemaMigrator(session: session).migrate()
        session.close()
        return url
    }
    if cluster == nil {
        // Durable, as a production server runs; enough connections for 64 clients and the setup.
        cluster = try PostgresTestCluster(durable: true, maxConnections: 100,
                                          settings: ["shared_buffers=512MB", "max_wal_size=4GB"])
    }
    let c = cluster!
    let db = try c.createDatabase()
    let url = c.url(database: db)
    let session = try PostgresEnvironment.connect(url, environment: [:])
    _ = try SchemaMigrator(session: session).migrate()
    session.close()
    return url
}

do {
    let scratch = try TemporaryScratch()
    defer { scratch.remove(); stopCluster() }
    if !CommandLine.arguments.contains("--skip-writes") {
        let fileStore = scratch.path + "/store"
        _ = try Store.create(at: fileStore, clock: clock, options: BenchBackend.storeOptions)
        let backends: [BenchBackend] = [.file(directory: fileStore), .postgres(url: try database())]
        print("")
        print("Durable bookings, \(requests) per row split over the clients, each its own handle and resource (closed loop)")
        print(Table.row(["backend", "clients", "bookings", "seconds", "bookings/s", "p50 ms", "p99 ms", "max ms", "load avg"]))
        for (r, clients) in clientCounts.enumerated() {
            for backend in backends {
                let figures = try WriteRun(backend: backend, clients: clients, requests: requests, row: r, clock: clock).run()
                print(Table.row([backend.name, String(clients), String(figures.bookings), Table.fixed(figures.seconds),
                                 Table.fixed(Double(figures.bookings) / figures.seconds, 0), Table.fixed(figures.p50),
                                 Table.fixed(figures.p99), Table.fixed(figures.max), loadAverage()]))
            }
        }
    }

    var big: (store: String, url: String)?
    if let store = argument("--big-store"), let url = argument("--big-url") { big = (store, url) }
    if let source = argument("--migrate-from") {
        let url = try database()
        let figures = try MigrateRun(binDirectory: binDirectory, source: source, url: url, scratch: scratch.path).run()
        print("")
        print("migrate --from \(source) --to PostgreSQL (\(binDirectory)/frontdesk-postgres; load average \(figures.loadBefore) before, \(loadAverage()) after)")
        print("  wall \(Table.fixed(figures.wall)) s, user \(Table.fixed(figures.user)) s, system \(Table.fixed(figures.system)) s, peak RSS \(figures.peakMB) MB")
        print("  \(figures.summary)")
        big = (source, url)
    }
    if let big {
        try ReadRun(store: big.store, url: big.url, queries: queries, clock: clock).run()
    }
} catch {
    FileHandle.standardError.write(Data("frontdesk-backend-bench: \(error)\n".utf8))
    stopCluster()
    exit(1)
}
