import Foundation
import Testing
@testable import FrontdeskDelivery
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

@Suite("Hooks")
struct HookTests {
    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test("A hook gets the event JSON on stdin and its ids in the environment")
    func payloadAndEnvironment() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.hook("booking.created", """
        #!/bin/sh
        cat > "$FRONTDESK_DATA/stdin.json"
        env | grep '^FRONTDESK_' | sort > "$FRONTDESK_DATA/env.txt"
        """)
        let b = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        #expect(try f.deliverer().runOnce().delivered == 1)
        let event = try #require(try f.events().first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(read(f.dir + "/stdin.json").utf8)) as? [String: Any])
        #expect(json["id"] as? String == event.id)
        #expect(json["type"] as? String == "booking.created")
        #expect(((json["data"] as? [String: Any])?["booking"] as? [String: Any])?["id"] as? String == b.id.rawValue)
        let env = read(f.dir + "/env.txt")
        #expect(env.contains("FRONTDESK_EVENT_ID=\(event.id)\n"))
        #expect(env.contains("FRONTDESK_EVENT_TYPE=booking.created\n"))
        #expect(env.contains("FRONTDESK_BOOKING_ID=\(b.id.rawValue)\n"))
        #expect(env.contains("FRONTDESK_DATA=\(f.dir)\n"))
        #expect(try f.log().first?.target == "hook:booking.created")
    }

    @Test("An 'all' hook runs for every type, in journal order")
    func allHook() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.hook("all", "#!/bin/sh\necho \"$FRONTDESK_EVENT_TYPE\" >> \"$FRONTDESK_DATA/types.txt\"\n")
        let b = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", status: .tentative)
        try f.confirm(b)
        try f.cancel(b)
        try f.deliverer().runOnce()
        #expect(read(f.dir + "/types.txt") == "booking.created\nbooking.confirmed\nbooking.cancelled\n")
    }

    @Test("A hook that overruns its time limit is killed and the attempt fails")
    func timeout() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.hook("booking.created", "#!/bin/sh\nsleep 30\ntouch \"$FRONTDESK_DATA/finished\"\n")
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let r = try f.deliverer(hookTimeout: 0.3).runOnce()
        #expect(r.failed == 1 && r.delivered == 0)
        let rec = try #require(try f.log().first)
        #expect(rec.outcome == .failed)
        #expect(rec.error?.contains("timed out") == true)
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/finished"))
    }

    @Test("A failing hook is retried with backoff, then dead-lettered")
    func retriesThenDeadLetter() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        try f.hook("booking.created", "#!/bin/sh\necho run >> \"$FRONTDESK_DATA/runs.txt\"\necho 'mail server down' >&2\nexit 3\n")
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let d = try f.deliverer(delays: [TimeSpan(seconds: 10)])
        #expect(try d.runOnce().failed == 1)
        try d.runOnce()
        #expect(read(f.dir + "/runs.txt") == "run\n", "not retried before the backoff")
        f.clock.advance(by: TimeSpan(seconds: 10))
        #expect(try d.runOnce().deadLettered == 1)
        #expect(read(f.dir + "/runs.txt") == "run\nrun\n")
        let log = try f.log()
        #expect(log.map(\.outcome) == [.failed, .deadLettered])
        #expect(log.map(\.status) == [3, 3])
        #expect(log[0].error?.contains("mail server down") == true)
        #expect(try DeliveryState.load(directory: f.dir).deadLetters.count == 1)
    }

    @Test("Hooks writable by group or others, or in a directory others can write, are refused naming the fix")
    func unsafeRefused() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let path = try f.hook("booking.created", "#!/bin/sh\ntouch \"$FRONTDESK_DATA/ran\"\n", mode: 0o720)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let d = try f.deliverer()
        #expect(try d.runOnce().failed == 1)
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/ran"))
        let err = try #require(try f.log().first?.error)
        #expect(err.contains(path) && err.contains("chmod go-w \(path)"))

        // Fixed file, but a world-writable directory.
        chmod(path, 0o700)
        chmod(f.dir + "/hooks", 0o777)
        f.clock.advance(by: TimeSpan(seconds: 10))
        try d.runOnce()
        #expect(!FileManager.default.fileExists(atPath: f.dir + "/ran"))
        let dirErr = try #require(try f.log().last?.error)
        #expect(dirErr.contains("hook directory \(f.dir)/hooks") && dirErr.contains("chmod go-w"))

        // Both fixed: the retry runs it.
        chmod(f.dir + "/hooks", 0o700)
        f.clock.advance(by: .minutes(1))
        #expect(try d.runOnce().delivered == 1)
        #expect(FileManager.default.fileExists(atPath: f.dir + "/ran"))
    }

    @Test("The process runner runs the file directly, not through a shell")
    func noShell() throws {
        // A name with shell metacharacters would break if a shell interpreted it.
        let dir = NSTemporaryDirectory() + "frontdesk-noshell-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exe = dir + "/a;touch pwned"
        try Data("#!/bin/sh\nprintf '%s' \"$1\"\n".utf8).write(to: URL(fileURLWithPath: exe))
        chmod(exe, 0o700)
        let out = SpawnProcessRunner().run(executable: exe, arguments: ["$HOME `id`"], environment: ["PATH": "/usr/bin:/bin"], stdin: [], timeout: 5)
        #expect(out == .exited(status: 0, output: "$HOME `id`"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/pwned") && !FileManager.default.fileExists(atPath: "pwned"))
    }

    @Test("A hook that exits without reading a large stdin fails cleanly (no SIGPIPE, no hang)")
    func unreadStdin() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-stdin-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let exe = dir + "/quick"
        try Data("#!/bin/sh\necho bye\nexit 4\n".utf8).write(to: URL(fileURLWithPath: exe))
        chmod(exe, 0o700)
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
        let out = SpawnProcessRunner().run(executable: exe, arguments: [], environment: ["PATH": "/usr/bin:/bin"], stdin: big, timeout: 30)
        #expect(out == .exited(status: 4, output: "bye\n"))
    }
}
