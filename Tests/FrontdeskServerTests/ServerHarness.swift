import Foundation
import FrontdeskOSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A temporary store made with the shipped `frontdesk` (resources, a customer, API tokens)
/// and `frontdesk-server` processes on it, each on a free port of 127.0.0.1.
final class ServerHarness {
    let data: String
    /// Secrets of the tokens `website` (desk), `viewer` (viewer) and `boss` (manager).
    var desk = "", viewer = "", manager = ""
    /// Ids of the always-open resource `Chair 1`, the resource with hours `Room 2`, and customer Ann Lee.
    var chair = "", room = "", customer = ""
    private(set) var servers: [Server] = []

    static let productsDirectory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }()
    static var frontdesk: String { productsDirectory + "/frontdesk" }
    static var serverBinary: String { productsDirectory + "/frontdesk-server" }

    struct CommandResult {
        var code: Int32, out: String, err: String
        var object: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [String: Any]) ?? [:] }
        var array: [[String: Any]] { ((try? JSONSerialization.jsonObject(with: Data(out.utf8))) as? [[String: Any]]) ?? [] }
    }

    init() throws {
        data = NSTemporaryDirectory() + "frontdesk-server-\(UUID().uuidString)"
        try check(["init"])
        chair = try check(["resource", "add", "--name", "Chair 1", "--tz", "UTC", "--json"]).object["id"] as? String ?? ""
        room = try check(["resource", "add", "--name", "Room 2", "--tz", "UTC", "--hours", "mon-sun 09:00-17:00", "--json"]).object["id"] as? String ?? ""
        customer = try check(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123", "--json"]).object["id"] as? String ?? ""
        desk = try check(["token", "add", "--name", "website", "--role", "desk", "--json"]).object["token"] as? String ?? ""
        viewer = try check(["token", "add", "--name", "kiosk", "--role", "viewer", "--json"]).object["token"] as? String ?? ""
        manager = try check(["token", "add", "--name", "boss", "--role", "manager", "--json"]).object["token"] as? String ?? ""
    }

    deinit {
        for s in servers { s.kill(SIGKILL) }
        try? FileManager.default.removeItem(atPath: data)
    }

    /// Runs the shipped `frontdesk` on the store.
    @discardableResult
    func run(_ args: [String], executable: String = ServerHarness.frontdesk) throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = data
        env["TZ"] = "UTC"
        let r = try ChildProcess.run(executable, args, environment: env, stdin: nil)
        return CommandResult(code: r.code, out: r.out, err: r.err)
    }

    /// Runs `frontdesk` and records a test failure unless it exits 0.
    @discardableResult
    func check(_ args: [String]) throws -> CommandResult {
        let r = try run(args)
        #expect(r.code == 0, "frontdesk \(args.joined(separator: " ")): \(r.err)")
        return r
    }

    /// Starts `frontdesk-server` (or `frontdesk server` when `viaCLI`) and waits for its
    /// "listening on" line.
    func start(_ extra: [String] = [], viaCLI: Bool = false) throws -> Server {
        let s = try Server(data: data, executable: viaCLI ? Self.frontdesk : Self.serverBinary, extra: extra)
        servers.append(s)
        return s
    }

    /// The date `days` from today (UTC) at `time`, ISO-8601 with `Z`.
    static func at(_ days: Int, _ time: String) -> String { ChildProcess.day(after: days) + "T" + time + ":00Z" }

    /// One running server process. (Unchecked: nothing of it changes after `init`, and
    /// `Process` is safe to signal and wait on from any thread.)
    final class Server: @unchecked Sendable {
        let process = Process()
        let port: Int
        private let output = Pipe()

        init(data: String, executable: String, extra: [String]) throws {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["server", "--data", data, "--listen", "127.0.0.1:0"] + extra
            var env = ProcessInfo.processInfo.environment
            env["TZ"] = "UTC"
            process.environment = env
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            try process.run()
            var seen = ""
            var port: Int?
            while port == nil {
                let d = output.fileHandleForReading.availableData
                if d.isEmpty { throw RawHTTP.Failure(description: "server exited before listening: \(seen)") }
                seen += String(decoding: d, as: UTF8.self)
                if let r = seen.range(of: "listening on 127.0.0.1:"), let nl = seen[r.upperBound...].firstIndex(of: "\n") {
                    port = Int(seen[r.upperBound..<nl])
                }
            }
            self.port = port!
        }

        func kill(_ signal: Int32) {
            if process.isRunning { Glibc.kill(process.processIdentifier, signal) }
        }

        /// Sends `signal` and waits for the process to end; its exit status.
        func stop(_ signal: Int32 = SIGTERM) -> Int32 {
            kill(signal)
            process.waitUntilExit()
            return process.terminationStatus
        }

        /// One request on a new connection.
        func call(_ method: String, _ path: String, token: String?, headers: [(String, String)] = [], json: Any? = nil) throws -> RawHTTP.Response {
            let c = try RawHTTP(port: port)
            var h = headers
            if let token { h.append(("Authorization", "Bearer " + token)) }
            var body: [UInt8]?
            if let json {
                body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
                h.append(("Content-Type", "application/json"))
            }
            return try c.exchange(method, path, headers: h, body: body)
        }
    }
}
