import Foundation
import FrontdeskCore
import FrontdeskStore
import FrontdeskStoreTesting
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk-storetool bench ...`: the store's side of `Benchmarks/run-store-bench.sh`.
/// Each mode prints one `key=value` line that the script puts next to SQLite's figures.
enum StoreBench {
    static let clock = FixedClock(Instant(seconds: 1_798_761_600))   // 2027-01-01: bookings are in 2027-2028

    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Peak resident set size (VmHWM) in MB.
    static func peakMB() -> Double {
        guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return -1 }
        return (Double(line.split(separator: " ")[1]) ?? -1) / 1024
    }

    static func create(_ dir: String, resources: Int) -> (Store, [ResourceID]) {
        do {
            let store = try Store.create(at: dir, clock: clock, options: storeOptions())
            var ids: [ResourceID] = []
            for i in 0..<resources {
                ids.append(try store.write("add resource", .directory) { s, e throws(CoreError) in
                    try e.addResource(ResourceDraft(name: "Room \(i)", zone: .utc), in: s, by: actor)
                }.id)
            }
            return (store, ids)
        } catch { fail("create: \(error)") }
    }

    /// The i-th slot of a resource: 30-minute bookings every `every` seconds from 2027-01-02.
    static func slot(_ i: Int, every: Int64 = 3600) -> TimeRange {
        let start = Instant(seconds: 1_798_848_000) + TimeSpan(seconds: Int64(i) * every)
        return TimeRange(start: start, end: start + .minutes(30))
    }

    static let twoYears: Int64 = 730 * 86400

    /// A store of `n` bookings over `resources` resources and two years, booking `i` for
    /// customer `i % customers`, put straight into snapshots (`Store+Seeding`).
    static func seedCustomerStore(_ dir: String, bookings n: Int, resources nr: Int, customers nc: Int) {
        let (store, rs) = create(dir, resources: nr)
        let ids = RandomIdentifierSource()
        let customers = (0..<nc).map { Customer(id: CustomerID("cus_" + ids.next()), ref: ShortReference.make(prefix: "C", number: $0 + 1), name: "Customer \($0)") }
        do { try store.seedForBenchmark(customers: customers, customerReferencesUpTo: nc) } catch { fail("seed customers: \(error)") }
        let template: Booking
        do {
            template = try store.engine.book(BookingRequest(resource: rs[0], range: slot(0)), in: store.state, by: actor).value.bookings[0]
        } catch { fail("template: \(error)") }
        let perResource = max(1, n / nr)
        let chunkResources = max(1, 100_000 / perResource)
        var counter = 0, r = 0
        while r < nr {
            var chunk: [Booking] = []
            for rid in rs[r..<min(nr, r + chunkResources)] {
                for i in 0..<perResource where counter < n {
                    var b = template
                    b.id = BookingID("bk_" + ids.next())
                    b.ref = ShortReference.make(prefix: "B", number: counter + 1)
                    b.resource = rid
                    b.range = slot(i, every: twoYears / Int64(perResource))
                    b.customer = customers[counter % nc].id
                    chunk.append(b)
                    counter += 1
                }
            }
            do { try store.seedForBenchmark(bookings: chunk, bookingReferencesUpTo: counter) } catch { fail("seed: \(error)") }
            r += chunkResources
        }
        store.waitForBackgroundWork()
    }

    static func run(_ args: [String]) {
        guard let mode = args.first else { fail("bench commits|bulk|generate|generate-scale|customer|customers-generate|customer-book|decode|encode|cold|latency|latency-writer|idempotency ...") }
        let a = Array(args.dropFirst())
        switch mode {
        case "commits":
            // commits DIR N: N durable single-booking commits in one process.
            let n = Int(a[1])!
            let (store, rs) = create(a[0], resources: 1)
            let t0 = seconds()
            for i in 0..<n {
                let range = slot(i)
                do {
                    let request = BookingRequest(resource: rs[0], range: range)
                    _ = try store.write("book", .book(request)) { s, e throws(CoreError) in
                        try e.book(request, in: s, by: actor)
                    }
                } catch { fail("commit \(i): \(error)") }
            }
            store.waitForBackgroundWork() // a compaction still running is part of the work
            let dt = seconds() - t0
            print("commits=\(n) seconds=\(fmt(dt)) per_second=\(fmt(Double(n) / dt))")

        case "bulk":
            // bulk DIR N RESOURCES [CHUNK]: N bookings over RESOURCES resources, one writeBatch
            // (records of CHUNK bookings, default 1,000).
            let n = Int(a[1])!, nr = Int(a[2])!, chunk = a.count > 3 ? Int(a[3])! : 1000
            let (store, rs) = create(a[0], resources: nr)
            // Spread over two years, like a real calendar (the SQLite side uses the same slots).
            let every = twoYears / Int64(max(1, n / nr))
            let items = (0..<n).map { i in BookingRequest(resource: rs[i % nr], range: slot(i / nr, every: every)) }
            let t0 = seconds()
            do {
                let results = try store.writeBatch("import", .bookMany(items), items: items, chunkSize: chunk) { item, s, e throws(CoreError) in
                    try e.book(item, in: s, by: Author(user: "bench", source: .import))
                }
                let failed = results.filter { if case .failure = $0 { true } else { false } }.count
                if failed > 0 { fail("\(failed) bookings refused") }
            } catch { fail("bulk: \(error)") }
            let durable = seconds() - t0 // every chunk's record written and fdatasynced: acknowledged
            store.waitForBackgroundWork()
            let dt = seconds() - t0
            print("bulk=\(n) seconds=\(fmt(dt)) per_second=\(fmt(Double(n) / dt)) journal_seconds=\(fmt(durable)) peak_mb=\(fmt(peakMB()))")

        case "generate":
            // generate DIR N RESOURCES: a store with N bookings in its snapshot (no planning), for cold-open runs.
            let n = Int(a[1])!, nr = Int(a[2])!
            let (store, rs) = create(a[0], resources: nr)
            let perResource = n / nr
            let t0 = seconds()
            // Booking has no public memberwise initializer: plan one (not written) and copy it.
            let ids = RandomIdentifierSource()
            let template: Booking
            do {
                template = try store.engine.book(BookingRequest(resource: rs[0], range: slot(0)), in: store.state, by: actor).value.bookings[0]
            } catch { fail("template: \(error)") }
            let chunkResources = max(1, 100_000 / max(1, perResource))
            var r = 0
            var counter = 0
            while r < nr {
                var chunk: [Booking] = []
                for rid in rs[r..<min(nr, r + chunkResources)] {
                    for i in 0..<perResource {
                        counter += 1
                        let range = slot(i, every: twoYears / Int64(max(1, perResource)))
                        var b = template
                        b.id = BookingID("bk_" + ids.next())
                        b.ref = ShortReference.make(prefix: "B", number: counter)
                        b.resource = rid
                        b.range = range
                        chunk.append(b)
                    }
                }
                do { try store.seedForBenchmark(bookings: chunk, bookingReferencesUpTo: counter) } catch { fail("seed: \(error)") }
                r += chunkResources
            }
            print("generated=\(counter) seconds=\(fmt(seconds() - t0)) resource=\(rs[nr / 2].rawValue)")

        case "generate-scale":
            generateScale(a)
        case "customer":
            // customer DIR N RESOURCES CUSTOMERS [ROUNDS]: a store of N bookings spread evenly over
            // CUSTOMERS customers (seeded on first use), then ROUNDS times: open it and read one
            // customer's upcoming bookings (`Store.bookings(ofCustomer:range:)`); medians.
            let dir = a[0], n = Int(a[1])!, nr = Int(a[2])!, nc = Int(a[3])!, rounds = a.count > 4 ? Int(a[4])! : 21
            if !FileManager.default.fileExists(atPath: dir) { seedCustomerStore(dir, bookings: n, resources: nr, customers: nc) }
            var opens: [Double] = [], queries: [Double] = [], found = 0, partitions = 0
            for _ in 0..<rounds {
                let t0 = seconds()
                let store: Store
                do { store = try Store.open(at: dir, clock: clock, options: storeOptions()) } catch { fail("open: \(error)") }
                let t1 = seconds()
                let ids = Array(store.state.customers.keys).sorted()
                let who = ids[ids.count / 2]
                do { found = try store.bookings(ofCustomer: who, range: TimeRange(start: clock.now(), end: Instant(seconds: 7_258_118_399))).count } catch { fail("query: \(error)") }
                let t2 = seconds()
                opens.append(t1 - t0); queries.append(t2 - t1)
                partitions = store.state.bookings.count
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print("customer_upcoming bookings=\(n) customers=\(nc) found=\(found) loaded_bookings=\(partitions) open_ms=\(fmt(median(opens) * 1000)) query_ms=\(fmt(median(queries) * 1000))")

        case "customers-generate":
            // customers-generate DIR N: a store with one resource and N customers in its snapshot.
            let n = Int(a[1])!
            let (store, rs) = create(a[0], resources: 1)
            let t0 = seconds()
            do { try store.seedCustomersForBenchmark(count: n) } catch { fail("seed: \(error)") }
            print("generated_customers=\(n) seconds=\(fmt(seconds() - t0)) resource=\(rs[0].rawValue)")

        case "customer-book":
            // customer-book DIR RESOURCE NAME I: open, resolve a customer by name, book slot I for
            // them (durable), as `frontdesk book --customer NAME` does; then a prefix search.
            let t0 = seconds()
            do {
                let store = try Store.open(at: a[0], clock: clock, options: storeOptions())
                let tOpen = seconds()
                let c = try store.resolveCustomer(a[2])
                let tResolve = seconds()
                let request = BookingRequest(resource: ResourceID(a[1]), customer: .existing(c.id), range: slot(Int(a[3])!))
                _ = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: actor) }
                let tBook = seconds()
                let found = try store.customers(namePrefix: String(a[2].prefix(12)), limit: 20)
                let tSearch = seconds()
                store.waitForBackgroundWork()
                print("open_ms=\(fmt((tOpen - t0) * 1000)) resolve_ms=\(fmt((tResolve - tOpen) * 1000)) book_ms=\(fmt((tBook - tResolve) * 1000))"
                      + " total_ms=\(fmt((tBook - t0) * 1000)) search20_ms=\(fmt((tSearch - tBook) * 1000)) found=\(found.count)"
                      + " customer_shards_read=\(store.customerShardsReadForBenchmark) peak_mb=\(fmt(peakMB()))")
            } catch { fail("customer-book: \(error)") }

        case "decode":
            // decode DIR N [ROUNDS [PER_FILE [WHICH]]]: N realistic bookings as partition files' JSON of PER_FILE
            // bookings each (default 1,000: a busy resource's month), decoded by Foundation's
            // JSONDecoder and by the store's schema reader (BookingSchema); medians of ROUNDS runs, in thread CPU time.
            let n = Int(a[1])!, rounds = a.count > 2 ? Int(a[2])! : 7, perFile = a.count > 3 ? Int(a[3])! : 1000
            let (store, rs) = create(a[0], resources: 1)
            let bookings = decodeBenchBookings(store, resource: rs[0], count: n)
            let files: [[Booking]] = stride(from: 0, to: n, by: perFile).map { Array(bookings[$0..<min(n, $0 + perFile)]) }
            let datas: [Data]
            do {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                datas = try files.map { try e.encode($0.map(FoundationBooking.init)) }
            } catch { fail("encode: \(error)") }
            let byteFiles = datas.map { [UInt8]($0) }
            // CPU time of this (single) thread, so that other processes on a shared machine skew it less.
            func cpuSeconds() -> Double {
                var t = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
                return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
            }
            func median(_ run: (Int) throws -> [Booking]) -> Double {
                var times: [Double] = []
                for _ in 0..<rounds {
                    var got: [[Booking]] = []
                    let t0 = cpuSeconds()
                    do { for f in files.indices { got.append(try run(f)) } } catch { fail("decode: \(error)") }
                    times.append(cpuSeconds() - t0)
                    if got != files { fail("decoded bookings differ from the encoded ones") }
                }
                return times.sorted()[times.count / 2] / Double(n) * 1e6
            }
            // WHICH (both, compact or jsondecoder) runs one decoder alone, e.g. under `perf stat`.
            let which = a.count > 4 ? a[4] : "both"
            let foundation = which == "compact" ? .nan : median { try JSONDecoder().decode([FoundationBooking].self, from: datas[$0]).map(\.booking) }
            let compact = which == "jsondecoder" ? .nan : median { try BookingSchema.readPartition(byteFiles[$0]) }
            let total = byteFiles.reduce(0) { $0 + $1.count }
            print("decode_bookings=\(n) per_file=\(perFile) bytes_per_booking=\(total / max(1, n)) jsondecoder_us=\(fmt(foundation)) compact_us=\(fmt(compact)) speedup=\(fmt(foundation / compact))")
            // Journal records as replay reads them: one booking upsert each (the payload of the framed line).
            let records: [[UInt8]]
            do {
                records = try bookings.prefix(2000).enumerated().map { i, b in
                    let line = try JournalRecord(seq: UInt64(i + 1), tx: Transaction(at: b.updatedAt, actor: b.updatedBy, mutations: [.booking(b)])).encoded()
                    return Array(line[9..<(line.count - 1)])
                }
            } catch { fail("encode records: \(error)") }
            func medianRecord(_ run: ([UInt8]) throws -> UInt64) -> Double {
                var times: [Double] = []
                for _ in 0..<rounds {
                    let t0 = cpuSeconds()
                    var sum: UInt64 = 0
                    do { for r in records { sum &+= try run(r) } } catch { fail("decode record: \(error)") }
                    times.append(cpuSeconds() - t0)
                    if sum != UInt64(records.count * (records.count + 1) / 2) { fail("records decoded wrongly") }
                }
                return times.sorted()[times.count / 2] / Double(records.count) * 1e6
            }
            let recordFoundation = which == "compact" ? .nan : medianRecord { try JSONDecoder().decode(FoundationRecord.self, from: Data($0)).seq }
            let recordCompact = which == "jsondecoder" ? .nan : medianRecord { try RecordSchema.readReplay($0).seq }
            print("decode_records=\(records.count) jsondecoder_us=\(fmt(recordFoundation)) compact_us=\(fmt(recordCompact)) speedup=\(fmt(recordFoundation / recordCompact))")

        case "encode":
            // encode DIR N [ROUNDS [PER_FILE [WHICH]]]: the same N bookings as `decode`, encoded as partition
            // files of PER_FILE bookings (as snapshots write them) and as one-booking journal records,
            // by Foundation's JSONEncoder (the options the store used) and by the store's
            // schema writers (BookingSchema, RecordSchema, records framed); medians of ROUNDS runs, in thread CPU time, per booking / per record.
            let n = Int(a[1])!, rounds = a.count > 2 ? Int(a[2])! : 7, perFile = a.count > 3 ? Int(a[3])! : 1000
            let (store, rs) = create(a[0], resources: 1)
            let bookings = decodeBenchBookings(store, resource: rs[0], count: n)
            let files: [[Booking]] = stride(from: 0, to: n, by: perFile).map { Array(bookings[$0..<min(n, $0 + perFile)]) }
            let records = bookings.prefix(2000).enumerated().map { i, b in
                JournalRecord(seq: UInt64(i + 1), tx: Transaction(at: b.updatedAt, actor: b.updatedBy, mutations: [.booking(b)]), compactEvents: true)
            }
            func cpuSeconds() -> Double {
                var t = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
                return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
            }
            func median<T>(_ items: [T], per count: Int, _ run: (T) throws -> Int) -> (us: Double, bytes: Int) {
                var times: [Double] = []
                var total = 0
                for _ in 0..<rounds {
                    total = 0
                    let t0 = cpuSeconds()
                    do { for item in items { total += try run(item) } } catch { fail("encode: \(error)") }
                    times.append(cpuSeconds() - t0)
                }
                return (times.sorted()[times.count / 2] / Double(count) * 1e6, total)
            }
            let snapshotEncoder = JSONEncoder()
            snapshotEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let recordEncoder = JSONEncoder()
            recordEncoder.outputFormatting = [.withoutEscapingSlashes]
            // Both outputs must decode to the same bookings before anything is timed.
            do {
                for f in files.prefix(3) {
                    let c = try BookingSchema.readPartition(try BookingSchema.partitionBytes(f))
                    let j = try BookingSchema.readPartition(Array(try snapshotEncoder.encode(f.map(FoundationBooking.init))))
                    if c != f || j != f { fail("encoded bookings do not decode back") }
                }
            } catch { fail("encode check: \(error)") }
            // WHICH (both, compact or jsonencoder) runs one encoder alone, e.g. under `perf`.
            let which = a.count > 4 ? a[4] : "both"
            let skip = (us: Double.nan, bytes: 0)
            let fileFoundation = which == "compact" ? skip : median(files, per: n) { try snapshotEncoder.encode($0.map(FoundationBooking.init)).count }
            let fileCompact = which == "jsonencoder" ? skip : median(files, per: n) { try BookingSchema.partitionBytes($0).count }
            print("encode_bookings=\(n) per_file=\(perFile) jsonencoder_us=\(fmt(fileFoundation.us)) compact_us=\(fmt(fileCompact.us)) speedup=\(fmt(fileFoundation.us / fileCompact.us)) bytes_jsonencoder=\(fileFoundation.bytes) bytes_compact=\(fileCompact.bytes)")
            let recordFoundation = which == "compact" ? skip : median(records, per: records.count) { try recordEncoder.encode(FoundationRecord(seq: $0.seq, tx: $0.tx)).count }
            let recordCompact = which == "jsonencoder" ? skip : median(records, per: records.count) { try $0.encoded().count }
            print("encode_records=\(records.count) jsonencoder_us=\(fmt(recordFoundation.us)) compact_us=\(fmt(recordCompact.us)) speedup=\(fmt(recordFoundation.us / recordCompact.us))")

        case "cold":
            // cold DIR RESOURCE: open, then load one resource's month (2027-06).
            let t0 = seconds()
            do {
                let store = try Store.open(at: a[0], clock: clock)
                let june = TimeRange(start: Instant(seconds: 1_811_808_000), end: Instant(seconds: 1_814_400_000))
                try store.load(resources: [ResourceID(a[1])], range: june)
                let count = store.state.bookings(on: ResourceID(a[1]), overlapping: june).count
                let dt = seconds() - t0
                print("cold_open_ms=\(fmt(dt * 1000)) peak_mb=\(fmt(peakMB())) bookings_loaded=\(store.state.bookings.count) in_month=\(count)")
            } catch { fail("cold: \(error)") }

        case "idempotency":
            // idempotency DIR KEYS RUNS: a store holding KEYS live idempotency keys (seeded into
            // a generation), then RUNS processes one after the other, each opening it and booking
            // once with a new key, as `frontdesk book --idempotency-key` does.
            let keys = Int(a[1])!, runs = Int(a[2])!
            let (store, rs) = create(a[0], resources: 1)
            let t0 = seconds()
            let records = (0..<keys).map { IdempotencyRecord(key: "seed-\($0)", fingerprint: "seed", bookings: [], createdAt: clock.now()) }
            do { try store.seedForBenchmark(idempotencyKeys: records) } catch { fail("seed: \(error)") }
            let seeded = seconds() - t0
            var inProcess: [Double] = [], wall: [Double] = [], shards: [Int] = [], peak: [Double] = []
            for i in 0..<runs {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                p.arguments = ["bench", "idempotency-book", a[0], rs[0].rawValue, String(i)]
                let out = Pipe()
                p.standardOutput = out
                let s0 = seconds()
                do { try p.run() } catch { fail("spawn: \(error)") }
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                p.waitUntilExit()
                wall.append((seconds() - s0) * 1000)
                var fields: [String: String] = [:]
                for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
                }
                guard p.terminationStatus == 0, let ms = fields["ms"].flatMap(Double.init) else { fail("run \(i): \(text)") }
                inProcess.append(ms)
                shards.append(Int(fields["shards"] ?? "") ?? -1)
                peak.append(Double(fields["peak_mb"] ?? "") ?? -1)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print("keys=\(keys) seed_s=\(fmt(seeded)) runs=\(runs) open_book_ms_median=\(fmt(median(inProcess))) "
                  + "process_ms_median=\(fmt(median(wall))) shards_read=\(shards.max() ?? -1) peak_mb=\(fmt(peak.max() ?? -1))")

        case "idempotency-book":
            // idempotency-book DIR RESOURCE I: open, book slot I with key `run-I`; prints the time
            // from before the open to after the durable write, and the key shards read.
            let t0 = seconds()
            do {
                let store = try Store.open(at: a[0], clock: clock, options: storeOptions())
                var request = BookingRequest(resource: ResourceID(a[1]), range: slot(Int(a[2])!))
                request.idempotencyKey = "run-" + a[2]
                let out = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: actor) }
                guard !out.replayed else { fail("run \(a[2]) was a replay") }
                let dt = seconds() - t0
                store.waitForBackgroundWork()
                print("ms=\(fmt(dt * 1000)) shards=\(store.keyShardFilesRead) peak_mb=\(fmt(peakMB()))")
            } catch { fail("idempotency-book: \(error)") }

        case "latency":
            // latency DIR WRITERS N: WRITERS processes, N commits each, on their own resources.
            let writers = Int(a[1])!, n = Int(a[2])!
            let (_, rs) = create(a[0], resources: writers)
            var procs: [(Process, String)] = []
            for w in 0..<writers {
                let out = a[0] + "-lat-\(w).txt"
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/proc/self/exe")
                p.arguments = ["bench", "latency-writer", a[0], rs[w].rawValue, String(n), out, a[0] + "-go"]
                do { try p.run() } catch { fail("spawn: \(error)") }
                procs.append((p, out))
            }
            // Start timing only once every writer has opened the store and done one untimed
            // write, so process start-up is not counted (the SQLite side does the same).
            while (0..<writers).contains(where: { !FileManager.default.fileExists(atPath: a[0] + "-lat-\($0).txt.ready") }) { usleep(1000) }
            _ = FileManager.default.createFile(atPath: a[0] + "-go", contents: nil)
            var all: [Double] = []
            for (p, out) in procs {
                p.waitUntilExit()
                let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
                all += text.split(separator: "\n").compactMap { Double($0) }
                if ProcessInfo.processInfo.environment["KEEP_LAT"] == nil { try? FileManager.default.removeItem(atPath: out) }
                try? FileManager.default.removeItem(atPath: out + ".ready")
            }
            try? FileManager.default.removeItem(atPath: a[0] + "-go")
            all.sort()
            guard !all.isEmpty else { fail("no latencies") }
            print("writers=\(writers) commits=\(all.count) " + percentiles(all))
            if commitParts { printCommitParts(procs.map { $0.1 + ".parts" }) }

        case "latency-writer":
            let parts = CommitParts()
            let store: Store
            do {
                var options = storeOptions()
                if commitParts { options.commitObserver = parts }
                store = try Store.open(at: a[0], clock: SystemClock(), options: options)
            } catch { fail("open \(a[0]): \(error)") }
            let rid = ResourceID(a[1])
            let n = Int(a[2])!
            var lat: [String] = []
            func commit(_ range: TimeRange) {
                while true {
                    do {
                        let request = BookingRequest(resource: rid, range: range)
                        _ = try store.write("book", .book(request)) { s, e throws(CoreError) in
                            try e.book(request, in: s, by: actor)
                        }
                        return
                    } catch .busy { continue } catch { fail("latency write: \(error)") }
                }
            }
            commit(slot(n + 10))   // warm-up, untimed
            parts.recording = true
            _ = FileManager.default.createFile(atPath: a[3] + ".ready", contents: nil)
            while !FileManager.default.fileExists(atPath: a[4]) { usleep(500) }
            for i in 0..<n {
                let range = slot(i)
                let t0 = seconds()
                commit(range)
                lat.append(fmt((seconds() - t0) * 1000))
            }
            store.waitForBackgroundWork()
            if commitParts { try? parts.lines.joined(separator: "\n").write(toFile: a[3] + ".parts", atomically: false, encoding: .utf8) }
            try? lat.joined(separator: "\n").write(toFile: a[3], atomically: false, encoding: .utf8)

        default:
            fail("unknown bench mode \(mode)")
        }
    }

    /// `FRONTDESK_COMMIT_PARTS=1`: `bench latency` also prints where each commit's time went
    /// (`CommitObserver`): before the lock (catch-up and waiting), holding it, and the
    /// fdatasync after it.
    static let commitParts = ProcessInfo.processInfo.environment["FRONTDESK_COMMIT_PARTS"] == "1"

    /// Reads the writers' `.parts` files (one "before hold sync boundary" line per commit, in
    /// ms), deletes them, and prints each part's p50, p99 and maximum.
    static func printCommitParts(_ files: [String]) {
        var columns: [[Double]] = [[], [], []]
        var boundaries = 0
        for file in files {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: file)
            for line in text.split(separator: "\n") {
                let v = line.split(separator: " ").compactMap { Double($0) }
                guard v.count == 4 else { continue }
                for c in 0..<3 { columns[c].append(v[c]) }
                if v[3] == 1 { boundaries += 1 }
            }
        }
        var out = "parts commits=\(columns[0].count) boundaries=\(boundaries)"
        for (name, values) in zip(["before_lock", "holding_lock", "sync"], columns) where !values.isEmpty {
            out += " " + percentiles(values.sorted(), name: name + "_")
        }
        print(out)
    }

    /// "p50_ms=… p99_ms=… max_ms=…" of `sorted` (ascending, not empty), each key after `name`.
    static func percentiles(_ sorted: [Double], name: String = "") -> String {
        let p99 = sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        return "\(name)p50_ms=\(fmt(sorted[sorted.count / 2])) \(name)p99_ms=\(fmt(p99)) \(name)max_ms=\(fmt(sorted.last!))"
    }

    /// `count` bookings like a busy calendar's: a customer, notes with punctuation and non-ASCII
    /// text, and two or three history entries each.
    static func decodeBenchBookings(_ store: Store, resource: ResourceID, count: Int) -> [Booking] {
        let template: Booking
        do {
            template = try store.engine.book(BookingRequest(resource: resource, range: slot(0)), in: store.state, by: actor).value.bookings[0]
        } catch { fail("template: \(error)") }
        let ids = RandomIdentifierSource()
        let notes = ["", "Needs the projector", "Allergic to nuts — \"no\" catering", "Café table by the window", "Call ahead: 0161 496 0000\nGate code 4711"]
        return (0..<count).map { i in
            var b = template
            b.id = BookingID("bk_" + ids.next())
            b.ref = ShortReference.make(prefix: "B", number: i + 1)
            b.customer = CustomerID("cu_" + ids.next())
            b.range = slot(i)
            b.notes = notes[i % notes.count]
            b.updatedBy = Author(user: "reception\(i % 7)", origin: "10.0.0.\(i % 250)", source: .tui)
            var confirm = b.history[0]
            confirm.action = "confirmed"
            confirm.actor = b.updatedBy
            confirm.changes = ["status tentative → confirmed"]
            confirm.version = 2
            b.history.append(confirm)
            if i % 3 == 0 {
                var moved = confirm
                moved.action = "rescheduled"
                moved.changes = ["start \(b.range.start) → \(b.range.start + .hours(1))", "end \(b.range.end) → \(b.range.end + .hours(1))"]
                moved.version = 3
                b.history.append(moved)
            }
            b.version = b.history.count
            return b
        }
    }

    static func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}

/// A journal record as Foundation's coders see it, for the `decode` and `encode` comparisons:
/// the store reads and writes records through `RecordSchema` only. The benchmark's records hold
/// one booking mutation each and no events, so this is the whole record.
private struct FoundationRecord: Codable {
    struct Change: Codable { var booking: FoundationBooking }
    struct Changes: Codable {
        var at: String
        var actor: FoundationBooking.Who
        var mutations: [Change]
        var events: [String] = []
    }
    var seq: UInt64
    var tx: Changes

    init(seq: UInt64, tx: Transaction) {
        self.seq = seq
        self.tx = Changes(at: tx.at.iso8601, actor: .init(tx.actor),
                          mutations: tx.bookings.map { Change(booking: FoundationBooking($0)) })
    }
}

/// Collects one "before hold sync boundary" line (ms) per commit once `recording` is set.
final class CommitParts: CommitObserver {
    private let state = Mutex<(recording: Bool, lines: [String])>((false, []))

    /// Whether commits are collected now.
    var recording: Bool {
        get { state.withLock { $0.recording } }
        set { state.withLock { $0.recording = newValue } }
    }

    /// The collected lines, in commit order.
    var lines: [String] { state.withLock { $0.lines } }

    func committed(_ t: CommitTiming) {
        let line = "\(StoreBench.fmt(t.beforeLock * 1000)) \(StoreBench.fmt(t.holdingLock * 1000)) \(StoreBench.fmt(t.syncing * 1000)) \(t.beganCompaction ? 1 : 0)"
        state.withLock { if $0.recording { $0.lines.append(line) } }
    }
}
