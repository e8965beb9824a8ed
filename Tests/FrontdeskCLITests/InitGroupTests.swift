import Foundation
import Testing
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk init` makes a private store unless `--group` names the group that shares it;
/// checked with real OS users (the tests run as root) created and removed by each test.
@Suite(.serialized) struct InitGroupTests {
    /// A group, two users in it (primary group) and one outside it; removed by `remove()`.
    struct Accounts {
        let os: OSAccounts
        let alice: String, bob: String, eve: String
        var group: String { os.group }

        init() throws {
            os = try OSAccounts()
            alice = try os.addMember("a")
            bob = try os.addMember("b")
            eve = try os.addWithOwnGroup("e", inGroup: false)
        }

        func remove() { os.remove() }
    }

    /// A directory `owner` owns (0755, so the others can reach what is inside), with a data
    /// directory path inside it.
    static func place(owner: String) throws -> (base: String, data: String) {
        let base = NSTemporaryDirectory() + "frontdesk-init-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        if let pw = getpwnam(owner) { chown(base, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        return (base, base + "/data")
    }

    /// `frontdesk ARGS` as `user` under `umask`, with its exit code and output.
    static func run(as user: String, umask mask: String = "077", data: String, _ args: [String]) throws -> (code: Int32, out: String, err: String) {
        let quoted = args.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = data
        env["FRONTDESK_NOW"] = "2027-03-01T08:00:00Z"
        env["TZ"] = "Europe/London"
        env["HOME"] = "/tmp"
        let r = try ChildProcess.run("/usr/bin/setpriv", [
            "--reuid", user, "--regid", user == "root" ? "root" : String(getpwnam(user)!.pointee.pw_gid), "--init-groups", "--",
            "/bin/sh", "-c", "umask \(mask); exec '\(CLIHarness.binary)' \(quoted)",
        ], environment: env)
        return (r.code, r.out, r.err)
    }

    /// `init --group` under umask 077: another member of the group books and lists.
    @Test func aGroupStoreIsSharedWhateverTheUmask() throws {
        let accounts = try Accounts()
        defer { accounts.remove() }
        let (base, data) = try Self.place(owner: accounts.alice)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let made = try Self.run(as: accounts.alice, data: data, ["init", "--group", accounts.group])
        #expect(made.code == 0, "\(made.err)")
        var st = stat()
        #expect(stat(data, &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o2770)
        let resource = try Self.run(as: accounts.alice, data: data,
                                    ["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00"])
        #expect(resource.code == 0, "\(resource.err)")
        let book = try Self.run(as: accounts.bob, data: data,
                                ["book", "--resource", "Chair 1", "--start", "2027-03-02 10:00", "--duration", "30m", "--new-customer", "Ann Lee", "--phone", "+44 7700 900123"])
        #expect(book.code == 0, "bob could not book: \(book.err)")
        let list = try Self.run(as: accounts.bob, data: data, ["list"])
        #expect(list.code == 0, "bob could not list: \(list.err)")
        let again = try Self.run(as: accounts.alice, data: data, ["list"])
        #expect(again.code == 0 && again.out == list.out, "\(again.err)")
    }

    /// Default `init` by a user whose primary group others share: they cannot read it.
    @Test func aDefaultStoreIsPrivate() throws {
        let accounts = try Accounts()
        defer { accounts.remove() }
        let (base, data) = try Self.place(owner: accounts.alice)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let made = try Self.run(as: accounts.alice, umask: "002", data: data, ["init"])
        #expect(made.code == 0, "\(made.err)")
        var st = stat()
        #expect(stat(data, &st) == 0)
        #expect(st.st_mode & 0o7777 == 0o700)
        let list = try Self.run(as: accounts.bob, data: data, ["list"])
        #expect(list.code == 74, "bob read alice's private store: \(list.out)")
        #expect(try Self.run(as: accounts.alice, data: data, ["list"]).code == 0)
    }

    /// An unknown group, or one the user is not in: refused (exit 65) and nothing created.
    @Test func aGroupTheUserIsNotInIsRefused() throws {
        let accounts = try Accounts()
        defer { accounts.remove() }
        let (base, data) = try Self.place(owner: accounts.eve)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let notMember = try Self.run(as: accounts.eve, data: data, ["init", "--group", accounts.group])
        #expect(notMember.code == 65, "\(notMember.err)")
        #expect(notMember.err.contains(accounts.group))
        let unknown = try Self.run(as: accounts.alice, data: data, ["init", "--group", accounts.group + "zz"])
        #expect(unknown.code == 65, "\(unknown.err)")
        #expect(!FileManager.default.fileExists(atPath: data + "/FORMAT"))
    }
}
