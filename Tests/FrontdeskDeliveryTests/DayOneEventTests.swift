import Foundation
import Testing
@testable import FrontdeskDelivery
@testable import FrontdeskCore
import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// Issue #20 item 22: events a front desk relies on.
@Suite("Day-one events", .serialized)
struct DayOneEventTests {
    @Test("A webhook added while the deliverer is behind receives no events from before it existed")
    func lateWebhookGetsNoEarlierEvents() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        try cli.seeded()   // two booking.created events, never delivered: the deliverer is behind
        #expect(try cli.run(["webhook", "add", rx.url, "--secret-stdin"], stdin: "k\n").code == 0)
        #expect(try cli.run(["deliver"]).code == 0)
        #expect(rx.requests.isEmpty, "\(rx.requests.map(\.eventID))")
        let b = try cli.run(["book", "--resource", "chair 1", "--start", "2027-03-02 15:00", "--duration", "1h", "--customer", "ann lee", "--json"])
        #expect(b.code == 0, "\(b.err)")
        #expect(try cli.run(["deliver"]).code == 0)
        try #require(rx.requests.count == 1)
        let data = try #require(rx.requests[0].json["data"] as? [String: Any])
        #expect(data["id"] as? String == (b.json as? [String: Any])?["id"] as? String)
    }

    @Test("The same through the registry: an endpoint added after journal sequence N gets only later events")
    func registryAfterSequence() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        _ = try f.store.refresh()
        try WebhookRegistry(directory: f.dir).add(url: rx.url, events: [], secret: "s", now: f.clock.now(), afterSequence: f.store.lastSequence)
        try f.book("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        let report = try f.deliverer().runOnce()
        #expect(report.delivered == 1)
        #expect(rx.requests.count == 1)
    }

    @Test("waitlist.slot_opened points at time the change opened, never at time that was free before")
    func slotOpenedOnlyForOpenedTime() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        // 09:00-10:30 is free all along; 10:30-10:45 and 10:45-12:00 are booked.
        let short = try f.book("2027-03-02T10:30:00Z", "2027-03-02T10:45:00Z")
        try f.book("2027-03-02T10:45:00Z", "2027-03-02T12:00:00Z")
        let window = TimeRange(start: DeliveryFixture.t("2027-03-02T09:00:00Z"), end: DeliveryFixture.t("2027-03-02T12:00:00Z"))
        _ = try f.store.write("waitlist", .directory) { s, e throws(CoreError) in
            try e.addToWaitlist(customer: f.customer, resources: [f.resource], window: window, duration: .minutes(30), in: s, by: f.desk)
        }
        try f.cancel(short)
        let opened = try f.events().filter { $0.type == .waitlistSlotOpened }
        try #require(opened.count == 1)
        let slot = try #require(opened[0].slot)
        #expect(slot.range.overlaps(short.range), "\(slot.range.start) – \(slot.range.end) was free before the cancellation")
    }

    @Test("reminder.due carries the customer's phone and e-mail")
    func reminderCarriesContact() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        #expect(try cli.run(["init"]).code == 0)
        #expect(try cli.run(["resource", "add", "--name", "Chair 1", "--tz", "Europe/London", "--reminder", "1d"]).code == 0)
        #expect(try cli.run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123", "--email", "ann@example.com"]).code == 0)
        #expect(try cli.run(["webhook", "add", rx.url, "--events", "reminder.due", "--secret-stdin"], stdin: "k\n").code == 0)
        let b = try cli.run(["book", "--resource", "Chair 1", "--start", "2027-03-01 18:00", "--duration", "1h", "--customer", "Ann Lee"])
        #expect(b.code == 0, "\(b.err)")
        #expect(try cli.run(["deliver"]).code == 0)
        try #require(rx.requests.count == 1)
        let data = try #require(rx.requests[0].json["data"] as? [String: Any])
        #expect(data["customer_phone"] as? String == "+44 7700 900123")
        #expect(data["customer_email"] as? String == "ann@example.com")
    }

    @Test("A receiver that never answers ends the attempt at the time-out, asleep in poll, not spinning")
    func silentReceiverTimesOutWithoutBurningCPU() throws {
        // A socket that listens and never accepts: the kernel completes the handshake and takes
        // the request, and no response ever comes.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        try #require(bound == 0 && listen(fd, 4) == 0)
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        func threadCPU() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let before = threadCPU()
        let outcome = SocketHTTPTransport(secure: nil).post(url: "http://127.0.0.1:\(port)/hook", headers: ["Content-Type": "application/json"],
                                                            body: Array("{}".utf8), timeout: 1.5)
        let used = threadCPU() - before
        #expect(outcome == .failure("timed out after 1.5 s"))
        #expect(used < 0.5, "the wait used \(used) s of CPU")
        #expect(DeliveryOptions().webhookTimeout == 10)
    }

    @Test("The socket transport reads the receiver's status")
    func socketTransportDelivers() throws {
        let rx = try TestReceiver(); defer { rx.stop() }
        rx.respond([503])
        let t = SocketHTTPTransport(secure: nil)
        #expect(t.post(url: rx.url, headers: ["X-A": "1"], body: Array("{\"a\":1}".utf8), timeout: 10) == .response(status: 503))
        #expect(t.post(url: rx.url, headers: [:], body: Array("{}".utf8), timeout: 10) == .response(status: 200))
        try #require(rx.requests.count == 2)
        #expect(rx.requests[0].method == "POST" && rx.requests[0].headers["x-a"] == "1" && rx.requests[0].json["a"] as? Int == 1)
        #expect(t.post(url: "https://example.com/h", headers: [:], body: [], timeout: 1) == .failure("https:// needs frontdesk-deliver's TLS transport"))
    }
}
