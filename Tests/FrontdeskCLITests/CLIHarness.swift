import Foundation
import FrontdeskOSTestSupport
import Testing

/// Runs the built `frontdesk-testhost` (the command line plus test seams) on a temporary data
/// directory with a pinned clock (`FRONTDESK_NOW`, which the shipped `frontdesk` ignores).
struct CLIHarness {
    let data: String
    /// The pinned clock for the test host (`FRONTDESK_NOW`); nil: the variable is not set.
    var now: String? = "2027-03-01T08:00:00Z"
    var zone = "Europe/London"
    var extraEnv: [String: String] = [:]
    /// The binary to run (a copy elsewhere tests what happens without its sibling executables).
    var executable = CLIHarness.binary

    init() {
        data = NSTemporaryDirectory() + "frontdesk-cli-\(UUID().uuidString)"
    }

    /// A harness on the data directory `data` (which `cleanup` removes).
    init(data: String) {
        self.data = data
    }

    /// The directory holding the products of this build (the test bundle sits beside them).
    static let productsDirectory: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }()

    /// The test host: `frontdesk` with the seams of `TestHostSeams` read from the environment.
    static var binary: String { productsDirectory + "/frontdesk-testhost" }

    /// The shipped binary, which reads no test or tuning knob.
    static var shippedBinary: String { productsDirectory + "/frontdesk" }

    struct Result {
        var code: Int32
        var out: String
        var err: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(out.utf8)) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var array: [[String: Any]] { (json as? [[String: Any]]) ?? [] }
    }

    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = data
        env["FRONTDESK_NOW"] = now
        env["TZ"] = zone
        env["FRONTDESK_LOCK_TIMEOUT"] = "0.3"
        for (k, v) in extraEnv { env[k] = v }
        let r = try ChildProcess.run(executable, args, environment: env, stdin: stdin)
        return Result(code: r.code, out: r.out, err: r.err)
    }

    /// Creates a store with a salon resource (Mon-Fri 09:00-17:00, 24 h cancellation notice) and a customer.
    func seeded() throws -> (resource: String, customer: String) {
        #expect(try run(["init"]).code == 0)
        let r = try run(["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London",
                         "--hours", "mon-fri 09:00-17:00", "--cancel-notice", "24h", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let c = try run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123", "--json"])
        #expect(c.code == 0, "\(c.err)")
        return (r.object["id"] as? String ?? "", c.object["id"] as? String ?? "")
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: data) }
}
