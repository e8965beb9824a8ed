import Foundation
#if canImport(Glibc)
import Glibc
#endif

// frontdesk-http-bench: durable bookings per second and latency through `frontdesk-server` at
// 1, 8 and 64 concurrent keep-alive clients, beside `frontdesk book` one process per booking,
// in one run on one fresh store. Every booking is a distinct slot, so every request is a
// journaled, fdatasynced write (201). Closed loop: each client sends its next request only
// when the answer to the last one arrived, so at C clients the throughput is C / mean latency
// (Little's law). The clients are connections driven by one thread (`poll`), their requests'
// bytes made before the clock starts, so the client's share of the two cores stays small; each
// row also prints the server's and the client's CPU time per booking. Usage:
//   frontdesk-http-bench [--bin DIR] [--requests N] [--clients 1,8,64] [--processes N] [--server-args "--writers 8"] [--data postgresql://…]
// DIR holds frontdesk and frontdesk-server (default: beside this program); --data names an empty
// PostgreSQL database to run on instead of a new data directory (`init` creates its schema; the
// tokens go to a temporary directory, `--tokens`); --server-args are
// added to the server's command line. --latencies FILE writes every request of the last row,
// one line each: the wall-clock time it was sent (seconds since 1970) and its latency in ms,
// to line slow requests up with what the server did at that moment (`strace -tt`).

func argument(_ name: String) -> String? {
    let a = CommandLine.arguments
    guard let i = a.firstIndex(of: name), i + 1 < a.count else { return nil }
    return a[i + 1]
}

/// Refuses an option this program does not know, a missing value or a count that is not a
/// number, so a typo does not start a minutes-long run with the defaults; `--help` prints usage.
func checkArguments() {
    let usage = "usage: frontdesk-http-bench [--bin DIR] [--requests N] [--clients 1,8,64] [--processes N] [--server-args \"--writers 8\"] [--latencies FILE] [--data postgresql://…]"
    func refuse(_ why: String) -> Never {
        FileHandle.standardError.write(Data("frontdesk-http-bench: \(why)\n\(usage)\n".utf8))
        exit(64)
    }
    var rest = CommandLine.arguments.dropFirst()
    while let name = rest.first {
        if name == "--help" || name == "-h" { print(usage); exit(0) }
        guard ["--bin", "--requests", "--clients", "--processes", "--server-args", "--latencies", "--data"].contains(name) else { refuse("unknown option \(name)") }
        guard rest.count >= 2 else { refuse("\(name) needs a value") }
        let value = rest[rest.index(after: rest.startIndex)]
        switch name {
        case "--requests", "--processes":
            guard let n = Int(value), n >= 0 else { refuse("\(name) \(value) is not a count") }
        case "--clients":
            let counts = value.split(separator: ",", omittingEmptySubsequences: false)
            guard !counts.isEmpty, counts.allSatisfy({ Int($0).map { $0 > 0 } ?? false }) else { refuse("--clients \(value) is not a list of counts like 1,8,64") }
        case "--data":
            guard value.hasPrefix("postgresql:") || value.hasPrefix("postgres:") else { refuse("--data \(value) is not a postgresql:// URL") }
        default: break
        }
        rest = rest.dropFirst(2)
    }
}
checkArguments()

/// The run's settings, from the command line.
enum Settings {
    static let bin = argument("--bin") ?? URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        .deletingLastPathComponent().path
    static let requests = Int(argument("--requests") ?? "") ?? 3000
    static let clientCounts = (argument("--clients") ?? "1,8,64").split(separator: ",").compactMap { Int($0) }
    static let processRuns = Int(argument("--processes") ?? "") ?? 100
    static let serverArgs = (argument("--server-args") ?? "").split(separator: " ").map(String.init)
    static let latencyFile = argument("--latencies")
    static let data = NSTemporaryDirectory() + "frontdesk-http-bench-\(getpid())"
    /// The PostgreSQL store (`--data`); nil: a new data directory at ``data``, which then
    /// holds only the API tokens.
    static let database = argument("--data")
}
let bin = Settings.bin, data = Settings.data

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs `frontdesk` on the store (the database with `--data`; `token` commands on the tokens
/// directory there).
@discardableResult
func frontdesk(_ args: [String]) -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Settings.bin + "/frontdesk")
    if let url = Settings.database {
        p.arguments = args.first == "token" ? args + ["--tokens", Settings.data] : args + ["--data", url]
    } else {
        p.arguments = args
    }
    var env = ProcessInfo.processInfo.environment
    env["FRONTDESK_DATA"] = Settings.data
    env["TZ"] = "UTC"
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try! p.run()
    let d = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: d, as: UTF8.self))
}

func field(_ json: String, _ key: String) -> String {
    ((try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any])?[key] as? String ?? ""
}

/// The answer at the head of `inbox`, if it is all there: its status, and the bytes it takes.
/// Reads the status line and `Content-Length` (the server frames every answer with it).
func response(in inbox: [UInt8]) -> (status: Int, length: Int)? {
    let n = inbox.count
    guard n >= 16 else { return nil }
    var end = -1
    var i = 12
    while i + 3 < n {
        if inbox[i] == 13 && inbox[i + 1] == 10 && inbox[i + 2] == 13 && inbox[i + 3] == 10 { end = i; break }
        i += 1
    }
    guard end >= 0 else { return nil }
    // "HTTP/1.1 201 Created"
    let status = (Int(inbox[9]) - 48) * 100 + (Int(inbox[10]) - 48) * 10 + (Int(inbox[11]) - 48)
    var length = 0
    let name = Array("content-length:".utf8)
    var line = 0
    while line < end {
        var next = line
        while next < end && inbox[next] != 13 { next += 1 }
        if next - line > name.count {
            var match = true
            for k in 0..<name.count where inbox[line + k] | 0x20 != name[k] | 0x20 { match = false; break }
            if match {
                var v = 0
                for k in (line + name.count)..<next where inbox[k] >= 48 && inbox[k] <= 57 { v = v * 10 + Int(inbox[k]) - 48 }
                length = v
            }
        }
        line = next + 2
    }
    let total = end + 4 + length
    return n >= total ? (status, total) : nil
}

/// One client of the event loop: a non-blocking keep-alive connection to 127.0.0.1, the
/// requests it sends one after another (each only when the answer to the last one arrived),
/// and the latency of each.
final class LoopClient {
    let fd: Int32
    let requests: [[UInt8]]
    var next = 0
    var sentBytes = 0
    var inbox: [UInt8] = []
    var started = 0.0
    var latencies: [Double] = []
    /// When each request was sent (monotonic seconds), beside `latencies`.
    var sent: [Double] = []
    var failed = 0

    init(port: Int, requests: [[UInt8]]) {
        self.requests = requests
        latencies.reserveCapacity(requests.count)
        sent.reserveCapacity(requests.count)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        precondition(r == 0, "connect failed: \(errno)")
        precondition(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0, "O_NONBLOCK failed")
    }
    deinit { close(fd) }

    /// Sends what is left of the current request; whether it is all sent (else wait for POLLOUT).
    func send() -> Bool {
        let bytes = requests[next]
        while sentBytes < bytes.count {
            let n = bytes[sentBytes...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { return false }
                fatalError("send failed: \(errno)")
            }
            sentBytes += n
        }
        return true
    }
}

/// Runs every client's requests over its own connection from one thread (`poll`): a closed
/// loop, each client sending its next request as soon as the answer to its last one is read.
/// Returns every latency (seconds), when each request was sent (monotonic seconds) and the
/// number of answers other than 201.
func runLoop(port: Int, requests: [[[UInt8]]]) -> (latencies: [Double], sent: [Double], failed: Int) {
    let clients = requests.map { LoopClient(port: port, requests: $0) }
    var fds = clients.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
    var chunk = [UInt8](repeating: 0, count: 65536)
    var active = 0
    for (i, c) in clients.enumerated() where !c.requests.isEmpty {
        active += 1
        c.started = monotonic()
        if !c.send() { fds[i].events = Int16(POLLIN | POLLOUT) }
    }
    while active > 0 {
        let r = poll(&fds, nfds_t(fds.count), 30_000)
        if r < 0 && errno == EINTR { continue }
        precondition(r > 0, "no answer from frontdesk-server within 30 s (poll: \(r), errno \(errno))")
        for i in fds.indices where fds[i].revents != 0 {
            let c = clients[i]
            if fds[i].revents & Int16(POLLOUT) != 0 && c.send() { fds[i].events = Int16(POLLIN) }
            guard fds[i].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 else { continue }
            let n = chunk.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            precondition(n > 0, "frontdesk-server closed a connection")
            c.inbox.append(contentsOf: chunk[0..<n])
            while let (status, length) = response(in: c.inbox) {
                let now = monotonic()
                c.latencies.append(now - c.started)
                c.sent.append(c.started)
                if status != 201 { c.failed += 1 }
                c.inbox.removeFirst(length)
                c.next += 1
                c.sentBytes = 0
                if c.next == c.requests.count {
                    fds[i].fd = -1
                    active -= 1
                    break
                }
                c.started = now
                fds[i].events = c.send() ? Int16(POLLIN) : Int16(POLLIN | POLLOUT)
            }
        }
    }
    return (clients.flatMap(\.latencies), clients.flatMap(\.sent), clients.reduce(0) { $0 + $1.failed })
}

/// `seconds` since 1970 as ISO-8601 UTC (`2026-12-09T10:30:00Z`), without a formatter.
func iso(_ seconds: Int) -> String {
    let days = seconds / 86400, rest = seconds % 86400
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719468
    let era = z / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

/// CPU seconds (user + system) `pid` has used, all its threads, from `/proc/PID/stat`.
func processCPU(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14, stime 15.
    guard fields.count > 12, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
    return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// CPU seconds (user + system) this process has used.
func ownCPU() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
}

/// The one-minute load average.
func loadAverage() -> Double {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) > 0 ? l[0] : 0
}

final class Latencies: @unchecked Sendable {
    var values: [Double] = []
    var failures = 0
    let lock = NSLock()
    func add(_ v: [Double], failed: Int) { lock.lock(); values += v; failures += failed; lock.unlock() }
}

func benchmark() throws {
let requests = Settings.requests, clientCounts = Settings.clientCounts, processRuns = Settings.processRuns
// The store: one resource with no opening hours (every slot open), one customer, one token.
if Settings.database != nil { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700]) }
precondition(frontdesk(["init"]).0 == 0, "frontdesk init failed (is \(bin)/frontdesk built?)")
precondition(frontdesk(["resource", "add", "--name", "Chair 1", "--tz", "UTC"]).0 == 0)
let customer = field(frontdesk(["customer", "add", "--name", "Ann Lee", "--json"]).1, "id")
let token = field(frontdesk(["token", "add", "--name", "bench", "--role", "desk", "--json"]).1, "token")

let server = Process()
server.executableURL = URL(fileURLWithPath: bin + "/frontdesk-server")
server.arguments = ["server", "--data", Settings.database ?? data, "--listen", "127.0.0.1:0", "--rate-limit", "1000000", "--rate-burst", "1000000"]
    + (Settings.database != nil ? ["--tokens", data] : []) + Settings.serverArgs
let serverOut = Pipe()
server.standardOutput = serverOut
try server.run()
var seen = ""
var port = 0
while port == 0 {
    let d = serverOut.fileHandleForReading.availableData
    precondition(!d.isEmpty, "frontdesk-server exited: \(seen)")
    seen += String(decoding: d, as: UTF8.self)
    if let r = seen.range(of: "listening on 127.0.0.1:"), let nl = seen[r.upperBound...].firstIndex(of: "\n") { port = Int(seen[r.upperBound..<nl]) ?? 0 }
}

let base = Int(Date().timeIntervalSince1970) / 86400 * 86400 + 2 * 86400
var slot = 0
let serverPort = port

print("frontdesk-http-bench: \(requests) bookings per row, each a distinct 30-minute slot (durable: 201 after \(Settings.database == nil ? "fdatasync" : "COMMIT")); one client thread, `poll` over the keep-alive connections")
print("| clients | bookings/s | p50 ms | p99 ms | max ms | failed | server CPU µs/booking | client CPU µs/booking | load |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for clients in clientCounts {
    let perClient = max(1, requests / clients)
    let first = slot
    slot += perClient * clients
    // Every request's bytes are made before the clock starts: the row measures the server.
    let head = "POST /v1/bookings HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\n"
    let plan: [[[UInt8]]] = (0..<clients).map { c in
        (0..<perClient).map { i in
            let n = first + c * perClient + i
            let body = "{\"resource\":\"Chair 1\",\"start\":\"\(iso(base + n * 1800))\",\"duration\":\"30m\",\"customer\":\"\(customer)\"}"
            return Array((head + "Idempotency-Key: bench-\(n)\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        }
    }
    let load = loadAverage()
    let server0 = processCPU(server.processIdentifier), own0 = ownCPU()
    var wall = timespec()
    clock_gettime(CLOCK_REALTIME, &wall)
    let t0 = monotonic()
    // Monotonic seconds to wall-clock seconds, for the latency file.
    let toWall = Double(wall.tv_sec) + Double(wall.tv_nsec) / 1e9 - t0
    let (values, sentAt, failures) = runLoop(port: serverPort, requests: plan)
    let elapsed = monotonic() - t0
    let serverCPU = processCPU(server.processIdentifier) - server0, clientCPU = ownCPU() - own0
    let sorted = values.sorted()
    print(String(format: "| %d | %.0f | %.1f | %.1f | %.1f | %d | %.0f | %.0f | %.1f |", clients, Double(sorted.count - failures) / elapsed,
                 percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, (sorted.last ?? 0) * 1000, failures,
                 serverCPU / Double(sorted.count) * 1e6, clientCPU / Double(sorted.count) * 1e6, load))
    if let file = Settings.latencyFile, clients == clientCounts.last {
        let lines = zip(sentAt, values).sorted { $0.0 < $1.0 }.map { String(format: "%.6f %.3f\n", $0.0 + toWall, $0.1 * 1000) }
        FileManager.default.createFile(atPath: file, contents: Data(lines.joined().utf8))
    }
}
kill(server.processIdentifier, SIGTERM)
server.waitUntilExit()

// The command line, one process per booking, for comparison.
for parallel in [1, 8] {
    let lat = Latencies()
    let first = slot
    slot += processRuns
    let per = processRuns / parallel
    let done = DispatchGroup()
    let t0 = monotonic()
    for c in 0..<parallel {
        done.enter()
        Thread {
            var mine: [Double] = []
            var failed = 0
            for i in 0..<per {
                let n = first + c * per + i
                let s = monotonic()
                let (code, _) = frontdesk(["book", "--resource", "Chair 1", "--start", iso(base + n * 1800), "--duration", "30m", "--customer", customer,
                                           "--idempotency-key", "cli-\(n)"])
                mine.append(monotonic() - s)
                if code != 0 { failed += 1 }
            }
            lat.add(mine, failed: failed)
            done.leave()
        }.start()
    }
    done.wait()
    let elapsed = monotonic() - t0
    let sorted = lat.values.sorted()
    print(String(format: "| `frontdesk book` × %d processes at once | %.0f | %.1f | %.1f | %d |", parallel,
                 Double(sorted.count - lat.failures) / elapsed, percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, lat.failures))
}
try? FileManager.default.removeItem(atPath: data)
}

try benchmark()
