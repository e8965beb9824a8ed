import Foundation
import FrontdeskOSTestSupport
import FrontdeskPostgresTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL store on the shared throwaway cluster, made with the shipped `frontdesk`
/// (`init`, resource `Chair 1`, customer Ann Lee), a desk token in a tokens directory of its
/// own, and `frontdesk-server --data postgresql://… --tokens DIR` processes on it.
final class PostgresServerHarness {
    let cluster: PostgresTestCluster
    let database: String
    let url: String
    /// The tokens directory (`--tokens`).
    let tokens: String
    /// The desk token's secret; the resource's and the customer's ids.
    var desk = "", chair = "", customer = ""
    private(set) var servers: [ServerHarness.Server] = []

    init() throws {
        cluster = try PostgresTestCluster.shared
        database = try cluster.createDatabase()
        url = cluster.url(database: database)
        tokens = NSTemporaryDirectory() + "frontdesk-pg-tokens-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: tokens, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try check(["init"])
        chair = try check(["resource", "add", "--name", "Chair 1", "--tz", "UTC", "--json"]).object["id"] as? String ?? ""
        customer = try check(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123", "--json"]).object["id"] as? String ?? ""
        let token = try ServerHarness.runFrontdesk(["token", "add", "--tokens", tokens, "--name", "website", "--role", "desk", "--json"])
        #expect(token.code == 0, "token add --tokens: \(token.err)")
        desk = token.object["token"] as? String ?? ""
    }

    deinit {
        for s in servers { s.kill(SIGKILL) }
        try? FileManager.default.removeItem(atPath: tokens)
    }

    /// Runs the shipped `frontdesk` on the database.
    @discardableResult
    func run(_ args: [String]) throws -> ServerHarness.CommandResult {
        try ServerHarness.runFrontdesk(args + ["--data", url])
    }

    /// Runs `frontdesk` on the database and records a test failure unless it exits 0.
    @discardableResult
    func check(_ args: [String]) throws -> ServerHarness.CommandResult {
        let r = try run(args)
        #expect(r.code == 0, "frontdesk \(args.joined(separator: " ")): \(r.err)")
        return r
    }

    /// Starts `frontdesk-server` on the database and waits for its "listening on" line.
    func start(_ extra: [String] = []) throws -> ServerHarness.Server {
        let s = try ServerHarness.Server(data: url, executable: ServerHarness.serverBinary, extra: ["--tokens", tokens] + extra)
        servers.append(s)
        return s
    }

    /// One SQL statement through `psql`, its output trimmed; a failure is a test failure.
    func sql(_ statement: String) throws -> String {
        let r = try cluster.psql(database: database, statement)
        #expect(r.status == 0, "psql \(statement): \(r.error)")
        return r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Pairs of blocking bookings on one resource whose occupancy overlaps, counted in SQL.
    func overlaps() throws -> String {
        try sql("""
            SELECT count(*) FROM occupancy a JOIN occupancy b
            ON a.resource = b.resource AND a.booking < b.booking AND a.span && b.span
            """)
    }

    /// Polls `condition` every 50 ms until it holds or `seconds` pass (a guard against hanging,
    /// not a timing assertion); whether it held.
    static func wait(seconds: Double = 60, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }
}

extension ServerHarness {
    /// Runs the shipped `frontdesk` with `args` as they are (no data directory set).
    static func runFrontdesk(_ args: [String]) throws -> CommandResult {
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        env["FRONTDESK_DATA"] = nil
        let r = try ChildProcess.run(frontdesk, args, environment: env, stdin: nil)
        return CommandResult(code: r.code, out: r.out, err: r.err)
    }
}

/// A value several threads read and change under a lock.
final class LockedValue<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func with<R>(_ body: (inout T) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
