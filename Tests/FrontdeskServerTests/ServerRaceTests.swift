import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Many clients racing for one slot through two server processes and the command line at
/// once: the store's single-writer path lets exactly one win each round.
@Suite("HTTP API races", .serialized)
struct ServerRaceTests {
    /// Rounds of the slot race: 32 HTTP clients on two servers plus 8 `frontdesk book`
    /// processes each round.
    static let rounds = 100

    /// Runs `work(i)` for i in 0..<count on their own threads, released together.
    static func together<T>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) -> [T] {
        let results = ResultSlots<T>(count)
        let gate = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for i in 0..<count {
            done.enter()
            let t = Thread {
                gate.wait()
                results.set(i, work(i))
                done.leave()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        for _ in 0..<count { gate.signal() }
        done.wait()
        return results.all
    }

    @Test("32 HTTP clients on two servers and 8 frontdesk book processes race for one slot: one winner a round, no overlap")
    func slotRace() throws {
        let h = try ServerHarness()
        let a = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let b = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        var environment = ProcessInfo.processInfo.environment
        environment["FRONTDESK_DATA"] = h.data
        environment["TZ"] = "UTC"
        let env = environment
        let (desk, customer, frontdesk) = (h.desk, h.customer, ServerHarness.frontdesk)
        for round in 0..<Self.rounds {
            let start = ServerHarness.at(60 + round / 10, String(format: "%02d:00", 8 + round % 10))
            let outcomes: [String] = Self.together(40) { i in
                if i < 32 {
                    let server = i % 2 == 0 ? a : b
                    let r = try? server.call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "race-\(round)-\(i)")],
                                             json: ["resource": "Chair 1", "start": start, "duration": "1h", "customer": customer])
                    guard let r else { return "http error" }
                    return r.status == 201 ? "win" : r.status == 409 ? "lose" : "http \(r.status) \(r.text)"
                }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: frontdesk)
                p.arguments = ["book", "--resource", "Chair 1", "--start", start, "--duration", "1h", "--customer", customer]
                p.environment = env
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                guard (try? p.run()) != nil else { return "spawn error" }
                p.waitUntilExit()
                return p.terminationStatus == 0 ? "win" : p.terminationStatus == 3 ? "lose" : "cli exit \(p.terminationStatus)"
            }
            #expect(outcomes.filter { $0 == "win" }.count == 1, "round \(round): \(outcomes.filter { $0 != "lose" })")
            #expect(outcomes.allSatisfy { $0 == "win" || $0 == "lose" }, "round \(round): \(outcomes.filter { $0 != "lose" && $0 != "win" })")
        }
        // The stored diary: one booking a round, none overlapping.
        let list = try h.run(["list", "--resource", "Chair 1", "--from", ChildDay.day(60), "--to", ChildDay.day(60 + Self.rounds / 10 + 1), "--json"])
        #expect(list.code == 0, "\(list.err)")
        let spans = list.array.compactMap { b -> (String, String)? in
            guard let s = b["start"] as? String, let e = b["end"] as? String else { return nil }
            return (s, e)
        }.sorted { $0.0 < $1.0 }
        #expect(spans.count == Self.rounds)
        for (x, y) in zip(spans, spans.dropFirst()) { #expect(x.1 <= y.0, "overlap: \(x) and \(y)") }
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    @Test("16 concurrent requests with one idempotency key on two servers: one booking, one 201, the rest 409 or replays")
    func sameKeyRace() throws {
        let h = try ServerHarness()
        let a = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let b = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let (desk, customer) = (h.desk, h.customer)
        let start = ServerHarness.at(80, "10:00")
        let answers: [RawHTTP.Response?] = Self.together(16) { i in
            try? (i % 2 == 0 ? a : b).call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "same")],
                                            json: ["resource": "Chair 1", "start": start, "duration": "1h", "customer": customer])
        }
        let all = answers.compactMap { $0 }
        #expect(all.count == 16)
        let firsts = all.filter { $0.status == 201 && $0.headers["idempotent-replayed"] == nil }
        let replays = all.filter { $0.status == 201 && $0.headers["idempotent-replayed"] == "true" }
        let inFlight = all.filter { $0.status == 409 && $0.object["code"] as? String == "idempotency_key_in_flight" }
        #expect(firsts.count == 1)
        #expect(firsts.count + replays.count + inFlight.count == 16, "\(all.map { "\($0.status) \($0.text)" })")
        let ids = Set((firsts + replays).compactMap { $0.object["id"] as? String })
        #expect(ids.count == 1)
        let list = try h.run(["list", "--from", ChildDay.day(80), "--to", ChildDay.day(81), "--json"])
        #expect(list.array.count == 1)
        _ = a.stop(); _ = b.stop()
    }
}

/// Results written by several threads, one slot each.
final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    var all: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
