import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Replays answer what the first request was answered, whatever happened to the booking since,
/// and a key in flight in one server process is in flight for every other one.
@Suite("HTTP API replays", .serialized)
struct ServerReplayTests {
    @Test("a replay after a cancel and a restart answers the first request's 201 body, byte for byte")
    func replayAfterCancel() throws {
        let h = try ServerHarness()
        var s = try h.start()
        let v = try ServerEndToEndTests.validator(s)
        let body: [String: Any] = ["resource": "Chair 1", "start": ServerHarness.at(30, "10:00"), "duration": "45m",
                                   "new_customer": ["name": "Cy Online", "email": "cy@example.com"], "notes": "first"]
        let created = try ServerEndToEndTests.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "r-1")], json: body)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["customer_name"] as? String == "Cy Online", "\(created.text)")
        let id = created.object["id"] as? String ?? ""
        let cancelled = try ServerEndToEndTests.call(s, v, "POST", "/v1/bookings/\(id)/cancel", token: h.desk, headers: [("If-Match", "\"1\"")],
                                                     json: ["reason": "changed plans"])
        #expect(cancelled.status == 200 && cancelled.object["status"] as? String == "cancelled", "\(cancelled.text)")

        let replay = try ServerEndToEndTests.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "r-1")], json: body)
        #expect(replay.status == 201)
        #expect(replay.body == created.body, "\(replay.text)")
        #expect(replay.headers["etag"] == "\"1\"")
        #expect(replay.headers["location"] == "/v1/bookings/\(id)")
        #expect(replay.headers["idempotent-replayed"] == "true")
        // The booking itself is cancelled: only the replay shows it as it was.
        let now = try ServerEndToEndTests.call(s, v, "GET", "/v1/bookings/\(id)", token: h.desk)
        #expect(now.object["status"] as? String == "cancelled" && now.headers["etag"] == "\"2\"", "\(now.text)")

        // The answer is stored with the key: a new process answers it too.
        _ = s.stop(SIGKILL)
        s = try h.start()
        let afterRestart = try ServerEndToEndTests.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "r-1")], json: body)
        #expect(afterRestart.status == 201 && afterRestart.body == created.body, "\(afterRestart.text)")
        #expect(afterRestart.headers["idempotent-replayed"] == "true")
        // And a compaction carries it into the snapshot.
        try h.check(["compact"])
        let afterCompaction = try ServerEndToEndTests.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "r-1")], json: body)
        #expect(afterCompaction.status == 201 && afterCompaction.body == created.body, "\(afterCompaction.text)")
        _ = s.stop()
    }

    @Test("a key in flight on one server process is answered 409 by another, which then replays the first answer")
    func inFlightAcrossProcesses() throws {
        let h = try ServerHarness()
        let a = try h.start()
        let b = try h.start()
        let body: [String: Any] = ["resource": "Chair 1", "start": ServerHarness.at(30, "12:00"), "duration": "30m", "customer": h.customer]
        // Hold the store's write lock (a flock on its directory), so server A's request waits
        // inside the store with its key claimed.
        let lockFD = open(h.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        #expect(lockFD >= 0)
        defer { close(lockFD) }
        #expect(flock(lockFD, LOCK_EX) == 0)
        let first = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let (desk, port, start, customer) = (h.desk, a, ServerHarness.at(30, "12:00"), h.customer)
        Thread {
            let json: [String: Any] = ["resource": "Chair 1", "start": start, "duration": "30m", "customer": customer]
            first.set(try? port.call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "same")], json: json))
            done.signal()
        }.start()
        // A claims the key before it waits for the lock: a byte of its claim file is locked
        // (an open-file-description lock, listed in /proc/locks).
        let claims = h.data + "/api-inflight/claims"
        var claimed = false
        for _ in 0..<6000 where !claimed {
            claimed = Self.claimLocks(claims) > 0
            if !claimed { usleep(10_000) }
        }
        #expect(claimed, "server A never claimed the key")
        let second = try b.call("POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "same")], json: body)
        #expect(second.status == 409, "\(second.text)")
        #expect(second.object["code"] as? String == "idempotency_key_in_flight", "\(second.text)")
        flock(lockFD, LOCK_UN)
        done.wait()
        let answered = try #require(first.value)
        #expect(answered.status == 201, "\(answered.text)")
        let replay = try b.call("POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "same")], json: body)
        #expect(replay.status == 201 && replay.body == answered.body, "\(replay.text)")
        #expect(replay.headers["idempotent-replayed"] == "true")
        // The claim is gone with the request.
        #expect(Self.claimLocks(claims) == 0)
        let list = try h.run(["list", "--from", ChildDay.day(30), "--to", ChildDay.day(31), "--json"])
        #expect(list.array.count == 1, "\(list.out)")
        _ = a.stop()
        _ = b.stop()
    }
}

extension ServerReplayTests {
    /// How many open-file-description locks the kernel lists on the file at `path`
    /// (`/proc/locks`: "OFDLCK ADVISORY WRITE -1 MAJOR:MINOR:INODE START END").
    static func claimLocks(_ path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0, let table = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return 0 }
        let inode = ":\(st.st_ino) "
        return table.split(separator: "\n").filter { $0.contains("OFDLCK") && $0.contains(inode) }.count
    }
}

/// One response handed from a worker thread to the test.
final class ResultBox: @unchecked Sendable {
    // @unchecked: set once by the worker before it signals; read after the wait.
    private(set) var value: RawHTTP.Response?
    func set(_ v: RawHTTP.Response?) { value = v }
}
