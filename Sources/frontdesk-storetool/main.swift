// Helper processes for the store's multi-process tests and its benchmark.
// Every acknowledged write prints one line to stdout and flushes it at once, so the set of
// acknowledged writes of a killed process is known from what it printed.
import Foundation
import FrontdeskCore
import FrontdeskSystem
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

struct SystemClock: WallClock {
    func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
}

/// Writes a line straight to a descriptor (unbuffered, so it is out before the next write starts).
func emit(_ fd: Int32, _ line: String) {
    _ = WholeFile.write(Array((line + "\n").utf8), to: fd)
}

func say(_ line: String) { emit(1, line) }

func fail(_ message: String) -> Never {
    emit(2, "frontdesk-storetool: \(message)")
    exit(2)
}

let actor = Author(user: "storetool", origin: "local", source: .cli)
/// 2031-01-01T00:00:00Z: far enough ahead that no slot is in the past.
let base = Instant(seconds: 1_924_992_000)

/// FRONTDESK_COMPACT_AFTER overrides the compaction threshold (records), so tests can make
/// helper processes compact often; FRONTDESK_COMPACT_INLINE=1 compacts on the writing thread
/// (`StoreOptions.compactInBackground` false), so benchmarks can compare the two;
/// FRONTDESK_FSYNC_EACH=1 makes a compaction fsync its files one by one instead of one `syncfs`;
/// FRONTDESK_PREALLOCATE=N sets the bytes a new journal segment is preallocated with.
/// FRONTDESK_COMMIT_PARTS=1 makes `bench latency` print where the commits' time went too.
func storeOptions() -> StoreOptions {
    var options = StoreOptions()
    let env = ProcessInfo.processInfo.environment
    if let n = env["FRONTDESK_COMPACT_AFTER"].flatMap(Int.init) { options.compactAfterRecords = n }
    if env["FRONTDESK_COMPACT_INLINE"] == "1" { options.compactInBackground = false }
    if let n = env["FRONTDESK_PREALLOCATE"].flatMap(Int64.init) { options.preallocateBytes = n }
    if env["FRONTDESK_FSYNC_EACH"] == "1" { options.fileSystem = RealFileSystem(syncFileSystem: false) }
    return options
}

func openStore(_ dir: String) -> Store {
    do { return try Store.open(at: dir, clock: SystemClock(), options: storeOptions()) } catch { fail("open \(dir): \(error)") }
}

/// Books one slot; nil when refused by a conflict.
func book(_ store: Store, resource: ResourceID, range: TimeRange) throws(StoreError) -> Booking? {
    let request = BookingRequest(resource: resource, range: range)
    do {
        let outcome = try store.write("book", .book(request)) { s, e throws(CoreError) in
            try e.book(request, in: s, by: actor)
        }
        return outcome.bookings.first
    } catch .core(.conflict) {
        return nil
    }
}

func waitForFile(_ path: String) {
    while access(path, F_OK) != 0 { usleep(500) }
}

var args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("usage: frontdesk-storetool race|book-loop|book-until|version-loop|import-loop|probe|bench|tz-oracle ...") }
args.removeFirst()

switch command {
case "race":
    // race DIR RESOURCE ROUNDS BARRIER: every process tries to book slot r for r in 0..<ROUNDS.
    guard args.count == 4, let rounds = Int(args[2]) else { fail("usage: race DIR RESOURCE ROUNDS BARRIER") }
    let store = openStore(args[0])
    let resource = ResourceID(args[1])
    waitForFile(args[3])
    for r in 0..<rounds {
        let range = TimeRange(start: base + .hours(Int64(r)), end: base + .hours(Int64(r)) + .minutes(30))
        while true {
            do {
                if let b = try book(store, resource: resource, range: range) { say("OK \(r) \(b.id)") } else { say("NO \(r)") }
                break
            } catch .busy { continue } catch { fail("round \(r): \(error)") }
        }
    }

case "race-pair":
    // race-pair DIR ROUNDS BARRIER STYLISTS CHAIRS OFFSET: in each round r (the hour base + r)
    // try every stylist+chair pair, starting at pair OFFSET, the chair named first (its home)
    // when OFFSET is odd, until one is booked or every pair is refused.
    guard args.count == 6, let rounds = Int(args[1]), let offset = Int(args[5]) else {
        fail("usage: race-pair DIR ROUNDS BARRIER STYLIST,… CHAIR,… OFFSET")
    }
    let store = openStore(args[0])
    let stylists = args[3].split(separator: ",").map { ResourceID(String($0)) }
    let chairs = args[4].split(separator: ",").map { ResourceID(String($0)) }
    var pairs = stylists.flatMap { s in chairs.map { c in offset % 2 == 0 ? [s, c] : [c, s] } }
    pairs = Array(pairs[(offset % pairs.count)...] + pairs[..<(offset % pairs.count)])
    waitForFile(args[2])
    for r in 0..<rounds {
        let range = TimeRange(start: base + .hours(Int64(r)), end: base + .hours(Int64(r)) + .minutes(30))
        var won: Booking?
        for pair in pairs where won == nil {
            var request = BookingRequest(resource: pair[0], range: range)
            request.resources = pair
            while true {
                do {
                    won = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: actor) }.bookings.first
                    break
                } catch .core(.conflict) { break } catch .busy { continue } catch { fail("round \(r): \(error)") }
            }
        }
        if let b = won { say("OK \(r) \(b.id)") } else { say("NO \(r)") }
    }

case "book-loop":
    // book-loop DIR RESOURCE WRITER COUNT: books COUNT slots of its own; prints "ACK <id>".
    guard args.count == 4, let writer = Int64(args[2]), let count = Int64(args[3]) else { fail("usage: book-loop DIR RESOURCE WRITER COUNT") }
    let store = openStore(args[0])
    let resource = ResourceID(args[1])
    var i: Int64 = 0
    while i < count {
        let start = base + TimeSpan(seconds: (writer * 1000 + i) * 1800)
        do {
            guard let b = try book(store, resource: resource, range: TimeRange(start: start, end: start + .minutes(30))) else {
                fail("slot \(writer)/\(i) unexpectedly taken")
            }
            say("ACK \(b.id)")
            i += 1
        } catch .busy { continue } catch { fail("write \(i): \(error)") }
    }

case "book-until":
    // book-until DIR RESOURCE WRITER STOPFILE: books slots of its own until STOPFILE exists;
    // prints "ACK <id> <seq>" for each, seq being the journal record that holds it.
    guard args.count == 4, let writer = Int64(args[2]) else { fail("usage: book-until DIR RESOURCE WRITER STOPFILE") }
    let store = openStore(args[0])
    let resource = ResourceID(args[1])
    var i: Int64 = 0
    while access(args[3], F_OK) != 0 {
        let start = base + TimeSpan(seconds: (writer * 100_000 + i) * 1800)
        do {
            guard let b = try book(store, resource: resource, range: TimeRange(start: start, end: start + .minutes(30))) else {
                fail("slot \(writer)/\(i) unexpectedly taken")
            }
            say("ACK \(b.id) \(store.lastSequence)")
            i += 1
        } catch .busy { continue } catch { fail("write \(i): \(error)") }
    }

case "version-loop":
    // version-loop DIR BOOKING COUNT: COUNT read-then-write changes with expectVersion.
    guard args.count == 3, let count = Int(args[2]) else { fail("usage: version-loop DIR BOOKING COUNT") }
    let store = openStore(args[0])
    let id = BookingID(args[1])
    var done = 0
    var rng = SystemRandomNumberGenerator()
    while done < count {
        do {
            _ = try store.refresh()
            guard let seen = try store.booking(idOrRef: id.rawValue) else { fail("no booking \(id)") }
            usleep(UInt32.random(in: 0...300, using: &rng))   // widen the read-modify-write window
            let b = try store.write("edit", .edit(id)) { s, e throws(CoreError) in
                try e.edit(id, notes: "pid \(getpid()) change \(done)", expectVersion: seen.version, in: s, by: actor)
            }
            guard b.version == seen.version + 1 else { fail("version \(seen.version) became \(b.version)") }
            say("ACK \(b.version)")
            done += 1
        } catch .core(.staleVersion) {
            say("STALE")
        } catch .busy {
            continue
        } catch { fail("edit: \(error)") }
    }

case "import-loop":
    // import-loop DIR RESOURCE WRITER BATCHES SIZE: BATCHES imports (writeBatch, chunks of 7) of
    // SIZE slots of its own each; prints "ACK <id>" for every booking of a batch that returned.
    guard args.count == 5, let writer = Int64(args[2]), let batches = Int64(args[3]), let size = Int64(args[4]) else {
        fail("usage: import-loop DIR RESOURCE WRITER BATCHES SIZE")
    }
    let store = openStore(args[0])
    let resource = ResourceID(args[1])
    var batch: Int64 = 0
    while batch < batches {
        let ranges = (0..<size).map { i -> TimeRange in
            let start = base + TimeSpan(seconds: (writer * 100_000 + batch * size + i) * 1800)
            return TimeRange(start: start, end: start + .minutes(30))
        }
        do {
            let requests = ranges.map { BookingRequest(resource: resource, range: $0) }
            let results = try store.writeBatch("import", .bookMany(requests), items: requests, chunkSize: 7) { request, s, e throws(CoreError) in
                try e.book(request, in: s, by: actor)
            }
            for r in results {
                guard case .success(let outcome) = r, let b = outcome.bookings.first else { fail("import \(batch): \(r)") }
                say("ACK \(b.id)")
            }
            batch += 1
        } catch .busy { continue } catch { fail("import \(batch): \(error)") }
    }

case "probe":
    // probe DIR: opens the store, books one slot on its first resource and compacts; prints one
    // line per step ("OPEN <bookings> <read-only reason or ->", "BOOK ok|<error>",
    // "COMPACT ok|<error>", "NOTICE <notice>" for each, "CHECK ok|<failures>") and exits 0 unless opening failed (exit 3, "OPEN-FAILED <error>").
    guard args.count == 1 else { fail("usage: probe DIR") }
    let store: Store
    do { store = try Store.open(at: args[0], clock: SystemClock(), options: storeOptions()) } catch {
        say("OPEN-FAILED \(error)")
        exit(3)
    }
    do { try store.load(resources: nil, range: TimeRange(start: Instant(seconds: 0), end: Instant(seconds: 4_102_444_800))) } catch {
        say("LOAD-FAILED \(error)")
    }
    say("OPEN \(store.state.bookings.count) \(store.readOnlyReason ?? "-")")
    if let resource = store.state.resources.keys.sorted(by: { $0.rawValue < $1.rawValue }).first {
        let start = base + .days(400) + .hours(Int64(getpid() % 1000))
        do {
            _ = try book(store, resource: resource, range: TimeRange(start: start, end: start + .minutes(30)))
            say("BOOK ok")
        } catch { say("BOOK \(error)") }
    }
    do { try store.compact(); say("COMPACT ok") } catch { say("COMPACT \(error)") }
    store.waitForBackgroundWork()
    for notice in store.notices { say("NOTICE \(notice)") }
    let report = store.check()
    say(report.ok ? "CHECK ok" : "CHECK " + report.lines.filter { $0.hasPrefix("FAIL") }.joined(separator: "; "))

case "bench":
    StoreBench.run(args)

case "tz-oracle":
    TZOracle.run(args)

default:
    fail("unknown command \(command)")
}
