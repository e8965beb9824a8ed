import Foundation
import FrontdeskOSTestSupport
import Testing

/// The shipped `frontdesk` reads no test or tuning knob from the environment, records an origin
/// the user cannot set, and reports a write past `ulimit -f` instead of dying of SIGXFSZ.
/// These tests run the real product binary (no pinned clock: bookings are placed after the
/// real now, and recorded times are compared with the wall clock read around each run).
@Suite(.serialized) struct ShippedBinaryTests {
    /// A harness on the shipped binary, with none of the test host's knobs set by default.
    static func shipped() -> CLIHarness {
        var cli = CLIHarness()
        cli.executable = CLIHarness.shippedBinary
        cli.now = nil
        return cli
    }

    /// "YYYY-MM-DD" of the day `days` after today (UTC).
    static func day(after days: Int) -> String { ChildProcess.day(after: days) }

    static func instant(_ s: Any?) -> Date? { (s as? String).flatMap { ISO8601DateFormatter().date(from: $0) } }

    /// A store with one UTC resource open all day and one customer, made by the shipped binary.
    static func seed(_ cli: CLIHarness) throws {
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Room", "--tz", "UTC"])
        #expect(r.code == 0, "\(r.err)")
        let c = try cli.run(["customer", "add", "--name", "Ann Lee"])
        #expect(c.code == 0, "\(c.err)")
    }

    static let hostileKnobs: [String: String] = [
        "FRONTDESK_COMPACT_AFTER": "1",
        "FRONTDESK_DELIVER_CRASH_AT": "after-attempt-before-save",
        "FRONTDESK_EXIT_AFTER_FIRST_FRAME": "1",
        "FRONTDESK_PREALLOCATE": "-1",
        "FRONTDESK_FSYNC_EACH": "1",
        "FRONTDESK_COMPACT_INLINE": "1",
        "FRONTDESK_COMMIT_PARTS": "1",
    ]

    @Test(arguments: ["1970-01-02T00:00:00Z", "2199-12-31T23:00:00Z"])
    func everyTestKnobIsIgnoredByTheShippedBinary(pinned: String) throws {
        var cli = Self.shipped()
        defer { cli.cleanup() }
        cli.extraEnv = Self.hostileKnobs.merging(["FRONTDESK_NOW": pinned], uniquingKeysWith: { $1 })
        try Self.seed(cli)
        let generations = try FileManager.default.contentsOfDirectory(atPath: cli.data + "/snapshots").count

        // History time is the real now, whatever FRONTDESK_NOW says.
        let day = Self.day(after: 2)
        var refs: [String] = []
        for hour in ["09", "11", "13"] {
            let before = Date().addingTimeInterval(-1)
            let b = try cli.run(["book", "--resource", "Room", "--start", "\(day) \(hour):00", "--duration", "1h", "--customer", "Ann Lee", "--json"])
            let after = Date().addingTimeInterval(1)
            #expect(b.code == 0, "\(b.err)")
            // FRONTDESK_COMMIT_PARTS would print commit timings; nothing is printed but the booking.
            #expect(b.err.isEmpty, "\(b.err)")
            let created = try #require(Self.instant(b.object["created_at"]), "\(b.out)")
            #expect(created >= before.addingTimeInterval(-1) && created <= after, "created_at \(created) is not the real now (\(before)…\(after))")
            refs.append(b.object["ref"] as? String ?? "")
        }
        // A one-hour hold made now is still held after the real now: it was not created in 1970
        // (expired at once) or in 2199.
        let hold = try cli.run(["book", "--resource", "Room", "--start", "\(day) 15:00", "--duration", "1h", "--customer", "Ann Lee",
                                "--status", "pending_payment", "--hold", "1h", "--json"])
        #expect(hold.code == 0, "\(hold.err)")
        let expires = try #require(Self.instant(hold.object["hold_expires_at"]), "\(hold.out)")
        #expect(expires > Date() && expires < Date().addingTimeInterval(2 * 3600), "\(hold.out)")

        // FRONTDESK_COMPACT_AFTER=1 would have compacted after every record.
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.data + "/snapshots").count == generations)

        // FRONTDESK_DELIVER_CRASH_AT would make the deliverer exit 137 after its first attempt.
        try FileManager.default.createDirectory(atPath: cli.data + "/hooks", withIntermediateDirectories: false)
        chmod(cli.data + "/hooks", 0o700)
        let hook = cli.data + "/hooks/booking.created"
        try Data("#!/bin/sh\ncat >/dev/null\nexit 0\n".utf8).write(to: URL(fileURLWithPath: hook))
        chmod(hook, 0o700)
        let deliver = try cli.run(["deliver"])
        #expect(deliver.code == 0, "\(deliver.err)")
        let log = try cli.run(["deliveries", "--json"])
        #expect(log.array.count >= 3 && log.array.allSatisfy { $0["outcome"] as? String == "delivered" }, "\(log.out)")

        // FRONTDESK_EXIT_AFTER_FIRST_FRAME does not turn the TUI into a benchmark: without a
        // terminal it refuses as it always does, and never reports a first frame.
        let tui = try cli.run([])
        #expect(!tui.err.contains("first_frame_ms"), "\(tui.err)")

        let check = try cli.run(["check"])
        #expect(check.code == 0, "\(check.out)\(check.err)")
        let listed = try cli.run(["list", "--from", day, "--to", Self.day(after: 3), "--json"]).array.compactMap { $0["ref"] as? String }
        #expect(Set(refs).isSubset(of: Set(listed)))
    }

    /// Names of test and benchmark seams: knob variables, fault injectors, benchmark drivers.
    static let seamNames = [
        "FRONTDESK_NOW", "FRONTDESK_COMPACT_AFTER", "FRONTDESK_DELIVER_CRASH_AT", "FRONTDESK_EXIT_AFTER_FIRST_FRAME",
        "FRONTDESK_COMMIT_PARTS", "first_frame_ms", "TestHostSeams", "FirstFrameExit", "ExitAtCheckpoint", "ProcessClock",
        "FaultyFileSystem", "seedForBenchmark", "simulatedCrash", "benchmarkDayGridRedraw", "benchmarkKeypress",
        "benchmarkFixture", "TimingBackend",
    ]

    /// Which of `names` occur anywhere in the file's bytes (symbols, type metadata, strings).
    static func occurrences(of names: [String], in path: String) throws -> [String] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        return names.filter { name in
            let needle = Array(name.utf8)
            guard let first = needle.first else { return false }
            var i = bytes.startIndex
            while let j = bytes[i...].firstIndex(of: first) {
                if bytes.count - j >= needle.count && bytes[j..<(j + needle.count)].elementsEqual(needle) { return true }
                i = j + 1
            }
            return false
        }
    }

    /// The shipped binaries contain no seam at all: no knob name, no fault injector, no benchmark
    /// driver. The test host, built from the same command line plus the seams, shows that the
    /// search finds them where they are.
    @Test func theShippedBinariesContainNoSeam() throws {
        for binary in [CLIHarness.shippedBinary, CLIHarness.productsDirectory + "/frontdesk-deliver"] {
            #expect(try Self.occurrences(of: Self.seamNames, in: binary) == [], "\(binary)")
        }
        let host = try Self.occurrences(of: Self.seamNames, in: CLIHarness.productsDirectory + "/frontdesk-testhost")
        for name in ["FRONTDESK_NOW", "FRONTDESK_DELIVER_CRASH_AT", "FRONTDESK_EXIT_AFTER_FIRST_FRAME", "FirstFrameExit", "ExitAtCheckpoint"] {
            #expect(host.contains(name), "the search did not find \(name) in frontdesk-testhost")
        }
    }

    /// `SSH_CLIENT`, `USER` and `LOGNAME` are the user's to set: none of them becomes the recorded
    /// actor or origin. Without a terminal login record the claimed address is labelled as claimed.
    /// A tz database of the user's choosing would move a resource's opening hours: here one in
    /// which "Europe/London" is Auckland's time. The test host honours `TZDIR` (so the check
    /// below can fail), the shipped binary reads `/usr/share/zoneinfo` whatever `TZDIR` says.
    @Test func aZoneDatabaseFromTheEnvironmentDoesNotMoveOpeningHours() throws {
        let fake = NSTemporaryDirectory() + "frontdesk-tzdir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: fake + "/Europe", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: fake) }
        try FileManager.default.copyItem(atPath: "/usr/share/zoneinfo/Pacific/Auckland", toPath: fake + "/Europe/London")

        var cli = Self.shipped()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        #expect(try cli.run(["resource", "add", "--name", "Chair", "--tz", "Europe/London", "--hours", "mon-sun 09:00-17:00"]).code == 0)
        #expect(try cli.run(["customer", "add", "--name", "Ann Lee"]).code == 0)
        // 22:00 London time is closed; in Auckland it is the next morning, inside the hours.
        let start = "\(Self.day(after: 3))T22:00:00Z"
        let args = ["book", "--resource", "Chair", "--start", start, "--duration", "30m", "--customer", "Ann Lee"]

        var host = cli
        host.executable = CLIHarness.binary
        host.now = nil
        host.extraEnv["TZDIR"] = fake
        cli.extraEnv["TZDIR"] = fake
        let shipped = try cli.run(args)
        #expect(shipped.code == 5, "the shipped binary read TZDIR: \(shipped.code) \(shipped.out) \(shipped.err)")
        let viaHost = try host.run(args)
        #expect(viaHost.code == 0, "the test host's TZDIR seam did not move the hours: \(viaHost.err)")
    }

    @Test func originAndActorAreNotTakenFromTheEnvironment() throws {
        var cli = Self.shipped()
        defer { cli.cleanup() }
        try Self.seed(cli)
        let me = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let day = Self.day(after: 2)
        cli.extraEnv = ["SSH_CLIENT": "10.9.8.7 4242 22", "SSH_CONNECTION": "10.9.8.7 4242 10.0.0.1 22", "USER": "mallory", "LOGNAME": "mallory"]
        let b = try cli.run(["book", "--resource", "Room", "--start", "\(day) 09:00", "--duration", "1h", "--customer", "Ann Lee", "--json"])
        #expect(b.code == 0, "\(b.err)")
        #expect(b.object["actor"] as? String == me, "\(b.out)")
        #expect(b.object["origin"] as? String == "10.9.8.7 (claimed)", "\(b.out)")

        // Something that is not an address is not recorded at all.
        cli.extraEnv = ["SSH_CLIENT": "admin-console(verified) 1 22"]
        let c = try cli.run(["book", "--resource", "Room", "--start", "\(day) 11:00", "--duration", "1h", "--customer", "Ann Lee", "--json"])
        #expect(c.code == 0, "\(c.err)")
        #expect(c.object["origin"] as? String == "local", "\(c.out)")
    }

    /// Under `ulimit -f` the journal append fails with EFBIG: the booking is refused with an I/O
    /// error (exit 74) naming the file, the store checks out, and the next booking succeeds.
    @Test func aWritePastTheFileSizeLimitIsReportedNotKilled() throws {
        var cli = Self.shipped()
        defer { cli.cleanup() }
        try Self.seed(cli)
        let day = Self.day(after: 2)
        let ok = try cli.run(["book", "--resource", "Room", "--start", "\(day) 09:00", "--duration", "1h", "--customer", "Ann Lee"])
        #expect(ok.code == 0, "\(ok.err)")
        // prlimit runs the binary with RLIMIT_FSIZE below the journal's write offset; env gives
        // it the default SIGXFSZ action (a test runner may pass the signal on ignored).
        var limited = cli
        limited.executable = "/usr/bin/env"
        let refused = try limited.run(["--default-signal=XFSZ", "prlimit", "--fsize=256", CLIHarness.shippedBinary, "book", "--resource", "Room", "--start", "\(day) 11:00",
                                       "--duration", "1h", "--customer", "Ann Lee", "--notes", "refused one"])
        #expect(refused.code == 74, "exit \(refused.code): \(refused.err)")
        #expect(refused.err.contains("File too large") && refused.err.contains("journal"), "\(refused.err)")
        let check = try cli.run(["check"])
        #expect(check.code == 0, "\(check.out)\(check.err)")
        let next = try cli.run(["book", "--resource", "Room", "--start", "\(day) 13:00", "--duration", "1h", "--customer", "Ann Lee"])
        #expect(next.code == 0, "\(next.err)")
        let listed = try cli.run(["list", "--from", day, "--to", Self.day(after: 3), "--json"]).array
        #expect(listed.count == 2, "\(listed)")
        #expect(!listed.contains { ($0["notes"] as? String) == "refused one" })
        #expect(!listed.contains { ($0["start"] as? String)?.contains("T11:00") == true })
    }

    /// With a login record for the controlling terminal (sshd writes it as root), the recorded
    /// origin is that record's host, whatever `SSH_CLIENT` claims. The test writes the record
    /// into utmp itself (as root) for a pseudo-terminal it opens, and removes it afterwards.
    @Test func originComesFromTheTerminalsLoginRecord() throws {
        var cli = Self.shipped()
        defer { cli.cleanup() }
        try Self.seed(cli)
        // A pseudo-terminal pair through /dev/ptmx (posix_openpt is not imported into Swift).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        try #require(ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &unlock) == 0 && ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number) == 0)
        let slavePath = "/dev/pts/\(number)"
        let slave = open(slavePath, O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        defer { close(slave) }
        let utmpPath = "/var/run/utmp"
        let created = !FileManager.default.fileExists(atPath: utmpPath)
        if created { try #require(FileManager.default.createFile(atPath: utmpPath, contents: nil, attributes: [.posixPermissions: 0o664])) }
        defer { if created { unlink(utmpPath) } }

        func record(_ type: Int16) -> utmpx {
            var u = utmpx()
            u.ut_type = type
            u.ut_pid = getpid()
            func fill<T>(_ field: inout T, _ text: String) {
                withUnsafeMutableBytes(of: &field) { buf in
                    for (i, b) in text.utf8.prefix(buf.count - 1).enumerated() { buf[i] = b }
                }
            }
            fill(&u.ut_line, String(slavePath.dropFirst("/dev/".count)))
            fill(&u.ut_id, String(slavePath.suffix(4)))
            fill(&u.ut_user, "staff")
            fill(&u.ut_host, "203.0.113.7")
            return u
        }
        var login = record(Int16(USER_PROCESS))
        setutxent()
        try #require(pututxline(&login) != nil)
        endutxent()
        defer {
            var dead = record(Int16(DEAD_PROCESS))
            setutxent(); _ = pututxline(&dead); endutxent()
        }

        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIHarness.shippedBinary)
        p.arguments = ["book", "--resource", "Room", "--start", "\(Self.day(after: 2)) 09:00", "--duration", "1h", "--customer", "Ann Lee", "--json"]
        var env = ProcessInfo.processInfo.environment
        env["FRONTDESK_DATA"] = cli.data
        env["SSH_CLIENT"] = "10.9.8.7 4242 22"
        env.removeValue(forKey: "FRONTDESK_NOW")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardInput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(String(decoding: e, as: UTF8.self))")
        let booked = (try? JSONSerialization.jsonObject(with: o)) as? [String: Any] ?? [:]
        #expect(booked["origin"] as? String == "203.0.113.7", "\(String(decoding: o, as: UTF8.self))")
    }
}
