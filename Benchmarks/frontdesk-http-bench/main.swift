import Foundation
#if canImport(Glibc)
import Glibc
#endif

// frontdesk-http-bench: durable bookings per second and latency through `frontdesk-server` at
// 1, 8 and 64 concurrent keep-alive clients, beside `frontdesk book` one process per booking,
// in one run on one fresh store. Every booking is a distinct slot, so every request is a
// journaled, fdatasynced write (201). Closed loop: each client sends its next request only
// when the answer to the last one arrived, so at C clients the throughput is C / mean latency
// (Little's law). Usage:
//   frontdesk-http-bench [--bin DIR] [--requests N] [--clients 1,8,64] [--processes N] [--server-args "--writers 8"]
// DIR holds frontdesk and frontdesk-server (default: beside this program); --server-args are
// added to the server's command line.

func argument(_ name: String) -> String? {
    let a = CommandLine.arguments
    guard let i = a.firstIndex(of: name), i + 1 < a.count else { return nil }
    return a[i + 1]
}

/// The run's settings, from the command line.
enum Settings {
    static let bin = argument("--bin") ?? URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        .deletingLastPathComponent().path
    static let requests = Int(argument("--requests") ?? "") ?? 3000
    static let clientCounts = (argument("--clients") ?? "1,8,64").split(separator: ",").compactMap { Int($0) }
    static let processRuns = Int(argument("--processes") ?? "") ?? 100
    static let serverArgs = (argument("--server-args") ?? "").split(separator: " ").map(String.init)
    static let data = NSTemporaryDirectory() + "frontdesk-http-bench-\(getpid())"
}
let bin = Settings.bin, data = Settings.data

func monotonic() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

@discardableResult
func frontdesk(_ args: [String]) -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Settings.bin + "/frontdesk")
    p.arguments = args
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

/// A blocking keep-alive HTTP/1.1 connection to 127.0.0.1.
final class Connection {
    let fd: Int32
    var buffer: [UInt8] = []
    init(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        precondition(r == 0, "connect failed: \(errno)")
    }
    deinit { close(fd) }

    /// Sends one request and returns the response's status.
    func post(_ path: String, headers: String, body: [UInt8]) -> Int {
        let head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(headers)Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            precondition(n > 0, "send failed")
            off += n
        }
        while true {
            if let end = find(), let status = parse(end) { return status }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &chunk, chunk.count, 0)
            precondition(n > 0, "connection closed")
            buffer += chunk[0..<n]
        }
    }

    private func find() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i }
        return nil
    }

    private func parse(_ end: Int) -> Int? {
        let head = String(decoding: buffer[0..<end], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var length = 0
        for l in lines where l.lowercased().hasPrefix("content-length:") { length = Int(l.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
        guard buffer.count >= end + 4 + length else { return nil }
        buffer.removeFirst(end + 4 + length)
        return status
    }
}

func iso(_ seconds: Int) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    return f.string(from: Date(timeIntervalSince1970: Double(seconds)))
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
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
precondition(frontdesk(["init"]).0 == 0, "frontdesk init failed (is \(bin)/frontdesk built?)")
precondition(frontdesk(["resource", "add", "--name", "Chair 1", "--tz", "UTC"]).0 == 0)
let customer = field(frontdesk(["customer", "add", "--name", "Ann Lee", "--json"]).1, "id")
let token = field(frontdesk(["token", "add", "--name", "bench", "--role", "desk", "--json"]).1, "token")

let server = Process()
server.executableURL = URL(fileURLWithPath: bin + "/frontdesk-server")
server.arguments = ["server", "--data", data, "--listen", "127.0.0.1:0", "--rate-limit", "1000000", "--rate-burst", "1000000"] + Settings.serverArgs
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

print("frontdesk-http-bench: \(requests) bookings per row, each a distinct 30-minute slot (durable: 201 after fdatasync)")
print("| clients | bookings/s | p50 ms | p99 ms | failed |")
print("|---:|---:|---:|---:|---:|")
for clients in clientCounts {
    let perClient = max(1, requests / clients)
    let first = slot
    slot += perClient * clients
    let lat = Latencies()
    let gate = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for c in 0..<clients {
        done.enter()
        let t = Thread {
            let conn = Connection(port: serverPort)
            var mine: [Double] = []
            var failed = 0
            gate.wait()
            for i in 0..<perClient {
                let n = first + c * perClient + i
                let body = Array("{\"resource\":\"Chair 1\",\"start\":\"\(iso(base + n * 1800))\",\"duration\":\"30m\",\"customer\":\"\(customer)\"}".utf8)
                let t0 = monotonic()
                let status = conn.post("/v1/bookings", headers: "Authorization: Bearer \(token)\r\nIdempotency-Key: bench-\(n)\r\n", body: body)
                mine.append(monotonic() - t0)
                if status != 201 { failed += 1 }
            }
            lat.add(mine, failed: failed)
            done.leave()
        }
        t.start()
    }
    let t0 = monotonic()
    for _ in 0..<clients { gate.signal() }
    done.wait()
    let elapsed = monotonic() - t0
    let sorted = lat.values.sorted()
    print(String(format: "| %d | %.0f | %.1f | %.1f | %d |", clients, Double(sorted.count - lat.failures) / elapsed,
                 percentile(sorted, 0.5) * 1000, percentile(sorted, 0.99) * 1000, lat.failures))
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
