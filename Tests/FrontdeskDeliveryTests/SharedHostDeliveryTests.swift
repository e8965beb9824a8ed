import Foundation
import Testing
@testable import FrontdeskDelivery
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Delivery files on a shared host: staff accounts in one group, any umask, and colleagues who
/// plant symlinks. Runs the shipped `frontdesk` (its `deliver` re-executes `frontdesk-deliver`)
/// as real OS users created for the test (CI runs as root) and removed afterwards.
@Suite("Delivery files on a shared host", .serialized)
struct SharedHostDeliveryTests {
    static var products: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent
    }
    static var shipped: String { products + "/frontdesk" }

    /// Runs `args` (the shipped binary unless `exe` says otherwise), as `user` if given (via
    /// setpriv with its groups), under `umask`.
    @discardableResult
    static func run(_ args: [String], data: String, user: String? = nil, umask mask: String = "022", stdin: String? = nil,
                    exe: String = shipped) throws -> ChildProcess.Result {
        var argv = ["sh", "-c", "umask \(mask); exec \"$@\"", "sh", exe] + args
        if let user { argv = ["setpriv", "--reuid", user, "--regid", user, "--init-groups", "--"] + argv }
        return try ChildProcess.run("/usr/bin/env", argv, environment: [
            "PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "FRONTDESK_DATA": data, "TZ": "UTC", "HOME": "/tmp", "LANG": "C.UTF-8",
        ], stdin: stdin)
    }

    @discardableResult
    static func sh(_ command: String) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try? p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// "YYYY-MM-DD" of the day `days` after today (UTC): the shipped binary runs on the real clock.
    static func day(after days: Int) -> String { ChildProcess.day(after: days) }

    /// A reachable scratch directory (0755) under /tmp with a store in `store/` made by root
    /// (shared with `group` when given, else private), holding one booking, and a root-owned
    /// hook that accepts every `booking.created`.
    static func makeStore(group: String? = nil) throws -> (base: String, data: String) {
        var template = Array("/tmp/fdt-deliver-XXXXXX".utf8CString)
        let base = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        chmod(base, 0o755)
        let data = base + "/store"
        #expect(try run(["init"] + (group.map { ["--group", $0] } ?? []), data: data).code == 0)
        // The group's members deliver and add webhooks: a manager's role (`init --group` makes them desk).
        if let group { #expect(try run(["staff", "add", "--group", group, "--role", "manager"], data: data).code == 0) }
        #expect(try run(["resource", "add", "--name", "Room", "--tz", "UTC"], data: data).code == 0)
        #expect(try run(["customer", "add", "--name", "Ann Lee"], data: data).code == 0)
        let b = try run(["book", "--resource", "Room", "--start", "\(day(after: 2)) 09:00", "--duration", "1h", "--customer", "Ann Lee"], data: data)
        #expect(b.code == 0, "\(b.err)")
        try FileManager.default.createDirectory(atPath: data + "/hooks", withIntermediateDirectories: false)
        chmod(data + "/hooks", 0o755)
        try Data("#!/bin/sh\ncat >/dev/null\nexit 0\n".utf8).write(to: URL(fileURLWithPath: data + "/hooks/booking.created"))
        chmod(data + "/hooks/booking.created", 0o755)
        return (base, data)
    }

    static func mode(_ path: String) -> (mode: mode_t, gid: gid_t)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (st.st_mode & 0o7777, st.st_gid)
    }

    @Test("Two staff users in the store's group (umask 077 and 027) both run deliver and webhook add")
    func twoStaffUsersShareTheDeliveryFiles() throws {
        let accounts = try OSAccounts()
        defer { accounts.remove() }
        let group = accounts.group
        let alice = try accounts.addWithOwnGroup("a", inGroup: true), bob = try accounts.addWithOwnGroup("b", inGroup: true)
        let (base, data) = try Self.makeStore(group: group)
        defer { try? FileManager.default.removeItem(atPath: base) }
        // The hooks stay the administrator's.
        try #require(Self.sh("chgrp -R root '\(data)/hooks'") == 0)
        let gid = try #require(getgrnam(group)).pointee.gr_gid

        let a1 = try Self.run(["deliver"], data: data, user: alice, umask: "077")
        #expect(a1.code == 0, "alice deliver: \(a1.err)")
        let a2 = try Self.run(["webhook", "add", "http://127.0.0.1:9/a", "--events", "booking.cancelled", "--secret-stdin"],
                              data: data, user: alice, umask: "077", stdin: "alice-secret\n")
        #expect(a2.code == 0, "alice webhook add: \(a2.err)")

        let b0 = try Self.run(["book", "--resource", "Room", "--start", "\(Self.day(after: 2)) 11:00", "--duration", "1h", "--customer", "Ann Lee"],
                              data: data, user: bob, umask: "027")
        #expect(b0.code == 0, "bob book: \(b0.err)")
        let b1 = try Self.run(["deliver"], data: data, user: bob, umask: "027")
        #expect(b1.code == 0, "bob deliver: \(b1.err)")
        let b2 = try Self.run(["webhook", "add", "http://127.0.0.1:9/b", "--events", "booking.cancelled", "--secret-stdin"],
                              data: data, user: bob, umask: "027", stdin: "bob-secret\n")
        #expect(b2.code == 0, "bob webhook add: \(b2.err)")
        let a3 = try Self.run(["deliver"], data: data, user: alice, umask: "077")
        #expect(a3.code == 0, "alice deliver again: \(a3.err)")

        for name in ["deliver.lock", "webhooks.lock", "webhooks.json", "deliveries.jsonl", "delivery-state.json"] {
            let m = Self.mode(data + "/" + name)
            #expect(m?.mode == 0o660 && m?.gid == gid, "\(name): mode \(String(m?.mode ?? 0, radix: 8)) gid \(m?.gid ?? 0), expected 0660 in \(group)")
        }
        let log = try DeliveryLog(directory: data).records()
        #expect(log.filter { $0.outcome == .delivered }.count == 2, "both bookings delivered once: \(log)")
        #expect(try WebhookRegistry(directory: data).load().endpoints.count == 2)
    }

    @Test("A private store (0700) gets owner-only delivery files whatever the umask")
    func privateStoreFilesAreOwnerOnly() throws {
        let (base, data) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        chmod(data, 0o700)
        #expect(try Self.run(["deliver"], data: data, umask: "000").code == 0)
        #expect(try Self.run(["webhook", "add", "http://127.0.0.1:9/a", "--secret-stdin"], data: data, umask: "000", stdin: "k\n").code == 0)
        for name in ["deliver.lock", "webhooks.lock", "webhooks.json", "deliveries.jsonl", "delivery-state.json"] {
            #expect(Self.mode(data + "/" + name)?.mode == 0o600, "\(name): \(String(Self.mode(data + "/" + name)?.mode ?? 0, radix: 8))")
        }
    }

    @Test("A symlink planted in place of a delivery file is refused, named, and its target untouched",
          arguments: ["deliveries.jsonl", "delivery-state.json", "webhooks.json", "webhooks.lock", "deliver.lock"])
    func plantedSymlinksAreRefused(name: String) throws {
        let (base, data) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        let precious = base + "/precious"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: precious))
        chmod(precious, 0o644)
        let dangling = base + "/not-there"
        try FileManager.default.createSymbolicLink(atPath: data + "/" + name, withDestinationPath: precious)
        let command = name.hasPrefix("webhooks") ? ["webhook", "add", "http://127.0.0.1:9/x", "--secret-stdin"] : ["deliver"]
        let r = try Self.run(command, data: data, stdin: "k\n")
        #expect(r.code == 74, "exit \(r.code): \(r.err)")
        #expect(r.err.contains(data + "/" + name) && r.err.contains("symbolic link"), "\(r.err)")
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "precious\n")
        #expect(Self.mode(precious)?.mode == 0o644)
        // A dangling link is not followed to create its target either.
        unlink(data + "/" + name)
        try FileManager.default.createSymbolicLink(atPath: data + "/" + name, withDestinationPath: dangling)
        let d = try Self.run(command, data: data, stdin: "k\n")
        #expect(d.code == 74, "exit \(d.code): \(d.err)")
        #expect(!FileManager.default.fileExists(atPath: dangling))
    }

    @Test("A stale temp name holding a symlink or a directory is never written through")
    func staleTempNames() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let outside = NSTemporaryDirectory() + "fdt-precious-\(UUID().uuidString)"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: outside))
        defer { unlink(outside) }
        for name in ["webhooks.json", "delivery-state.json"] {
            try FileManager.default.createSymbolicLink(atPath: f.dir + "/\(name).tmp-\(getpid())", withDestinationPath: outside)
        }
        _ = try f.addWebhook("http://127.0.0.1:9/x", events: ["booking.cancelled"])
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        try f.hook("booking.created", "#!/bin/sh\ncat >/dev/null\nexit 0\n")
        _ = try f.deliverer().runOnce()
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious\n")
        for name in ["webhooks.json", "delivery-state.json"] {
            #expect(Self.mode(f.dir + "/" + name).map { _ in true } == true)
            var st = stat()
            #expect(lstat(f.dir + "/" + name, &st) == 0 && st.st_mode & S_IFMT == S_IFREG, "\(name) is a regular file")
            #expect(!FileManager.default.fileExists(atPath: f.dir + "/\(name).tmp-\(getpid())"))
        }
        // A directory at the temp name is refused by name, not emptied.
        let tmpDir = f.dir + "/webhooks.json.tmp-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmpDir + "/inside", withIntermediateDirectories: true)
        #expect(throws: DeliveryError.self) { _ = try f.addWebhook("http://127.0.0.1:9/y") }
        do { _ = try f.addWebhook("http://127.0.0.1:9/y") } catch { #expect("\(error)".contains(tmpDir), "\(error)") }
        #expect(FileManager.default.fileExists(atPath: tmpDir + "/inside"))
    }

    @Test("A hook that is a symlink is refused, not followed out of the hooks directory")
    func symlinkedHookIsRefused() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let outside = NSTemporaryDirectory() + "fdt-hook-\(UUID().uuidString)"
        let marker = outside + ".ran"
        try Data("#!/bin/sh\ntouch '\(marker)'\n".utf8).write(to: URL(fileURLWithPath: outside))
        chmod(outside, 0o700)
        defer { unlink(outside); unlink(marker) }
        try f.hook("all", "#!/bin/sh\ncat >/dev/null\n")
        unlink(f.dir + "/hooks/all")
        try FileManager.default.createSymbolicLink(atPath: f.dir + "/hooks/all", withDestinationPath: outside)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        _ = try f.deliverer().runOnce()
        #expect(!FileManager.default.fileExists(atPath: marker))
        let log = try f.log()
        #expect(log.contains { ($0.error ?? "").contains("symbolic link") }, "\(log)")
    }

    @Test("The webhook secret is refused on the command line and read from a file or standard input")
    func secretNeverFromArgv() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let argv = try cli.run(["webhook", "add", "http://127.0.0.1:9/x", "--secret", "hunter2"])
        #expect(argv.code == 64, "\(argv.err)")
        #expect(argv.err.contains("--secret-file") && argv.err.contains("--secret-stdin"), "\(argv.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.data + "/webhooks.json"))
        #expect(try cli.run(["webhook", "add", "http://127.0.0.1:9/x"]).code == 64, "no secret at all")

        let file = cli.data + "/../fdt-secret-\(UUID().uuidString)"
        try Data("from-a-file\nignored second line\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { unlink(file) }
        #expect(try cli.run(["webhook", "add", "http://127.0.0.1:9/x", "--secret-file", file]).code == 0)
        #expect(try cli.run(["webhook", "add", "http://127.0.0.1:9/y", "--secret-stdin"], stdin: "from-stdin\r\n").code == 0)
        #expect(try cli.run(["webhook", "add", "http://127.0.0.1:9/z", "--secret-stdin"], stdin: "\n").code == 65)
        let secrets = try WebhookRegistry(directory: cli.data).load().endpoints.map(\.secret)
        #expect(secrets == ["from-a-file", "from-stdin"])
    }

    @Test("Under ulimit -f the deliverer reports the refused write (exit 74) and the next run delivers")
    func fileSizeLimitIsReported() throws {
        let (base, data) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(atPath: base) }
        // env gives the default SIGXFSZ action back (a test runner may pass the signal on ignored).
        // Both ways in: `frontdesk deliver` (which re-executes the deliverer) and the deliverer itself.
        for exe in [Self.shipped, Self.products + "/frontdesk-deliver"] {
            let limited = try Self.run(["--default-signal=XFSZ", "prlimit", "--fsize=1", exe, "deliver"], data: data, exe: "/usr/bin/env")
            #expect(limited.code == 74, "\(exe): exit \(limited.code): \(limited.err)")
            #expect(limited.err.contains("File too large"), "\(exe): \(limited.err)")
        }
        let again = try Self.run(["deliver"], data: data)
        #expect(again.code == 0, "\(again.err)")
        #expect(try DeliveryLog(directory: data).records().contains { $0.outcome == .delivered })
        #expect(try DeliveryState.load(directory: data).queue.isEmpty)
    }

    @Test("In a shared store a delivery file of another group is refused by name, not used")
    func fileOfAnotherGroupIsRefused() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        chmod(f.dir, 0o2770)
        _ = try f.addWebhook("http://127.0.0.1:9/x")
        let path = f.dir + "/webhooks.json"
        var st = stat()
        try #require(stat(f.dir, &st) == 0)
        try #require(chown(path, uid_t.max, st.st_gid &+ 4242) == 0)
        do {
            _ = try WebhookRegistry(directory: f.dir).load()
            Issue.record("a file of another group was read")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("not the store's group"), "\(error)")
        }
    }

    /// Swaps the hooks directory for a colleague's between the deliverer's check and the start
    /// of the hook: the race a group member can run, since the data directory is group-writable.
    struct SwappingRunner: ProcessRunner {
        let data: String
        let attacker: String
        func run(executable: String, arguments: [String], environment: [String: String], stdin: [UInt8], timeout: Double) -> ProcessOutcome {
            rename(data + "/hooks", data + "/hooks-moved")
            try? FileManager.default.createDirectory(atPath: data + "/hooks", withIntermediateDirectories: false)
            chmod(data + "/hooks", 0o700)
            try? Data(attacker.utf8).write(to: URL(fileURLWithPath: data + "/hooks/all"))
            chmod(data + "/hooks/all", 0o700)
            return SpawnProcessRunner().run(executable: executable, arguments: arguments, environment: environment, stdin: stdin, timeout: timeout)
        }
    }

    @Test("The hook that runs is the file that was checked, even if the hooks directory is swapped in between")
    func hookSwappedAfterTheCheckDoesNotRun() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let marker = f.dir + "/ran"
        try f.hook("all", "#!/bin/sh\ncat >/dev/null\necho checked >> '\(marker)'\n")
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let runner = SwappingRunner(data: f.dir, attacker: "#!/bin/sh\ncat >/dev/null\necho swapped >> '\(marker)'\n")
        let report = try f.deliverer(runner: runner).runOnce()
        let log = try f.log()
        #expect(report.delivered == 1, "\(log)")
        #expect((try? String(contentsOfFile: marker, encoding: .utf8)) == "checked\n")
    }
}
