import Foundation
import Testing
@testable import FrontdeskDelivery
import FrontdeskCore
import FrontdeskStore

@Suite("Webhook delivery")
struct WebhookTests {
    @Test("POSTs the event envelope with id, type and a signature an independent HMAC accepts")
    func signedEnvelope() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        let ep = try f.addWebhook(rx.url, secret: "topsecret")
        let b = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let report = try f.deliverer().runOnce()
        #expect(report.delivered == 1)
        let reqs = rx.requests
        try #require(reqs.count == 1)
        let r = reqs[0]
        let event = try #require(try f.events().first { $0.type == .bookingCreated })
        #expect(r.method == "POST")
        #expect(r.headers["frontdesk-event-id"] == event.id)
        #expect(r.headers["frontdesk-event-type"] == "booking.created")
        #expect(r.headers["content-type"] == "application/json")
        #expect(r.json["id"] as? String == event.id)
        #expect(r.json["type"] as? String == "booking.created")
        #expect(r.json["created_at"] as? String == event.at.iso8601)
        let data = try #require(r.json["data"] as? [String: Any])
        #expect((data["booking"] as? [String: Any])?["id"] as? String == b.id.rawValue)
        // Frontdesk-Signature: t=<unix>,v1=<hex HMAC of "t.body">, checked with Python's hmac.
        let sig = try #require(r.headers["frontdesk-signature"])
        let parts = Dictionary(uniqueKeysWithValues: sig.split(separator: ",").map { p in
            let kv = p.split(separator: "=", maxSplits: 1); return (String(kv[0]), String(kv[1]))
        })
        #expect(parts["t"] == String(f.clock.now().seconds))
        let expected = try pythonHMAC(secret: "topsecret", message: Array("\(parts["t"]!).".utf8) + r.body)
        #expect(parts["v1"] == expected)
        let log = try f.log()
        #expect(log.count == 1)
        #expect(log.first?.outcome == .delivered && log.first?.status == 200 && log.first?.target == "webhook:\(ep.id)")
        #expect(try DeliveryState.load(directory: f.dir).queue.isEmpty)
    }

    @Test("Only subscribed event types are sent")
    func filtersTypes() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        _ = try f.addWebhook(rx.url, events: ["booking.cancelled"])
        let b = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        try f.cancel(b)
        try f.deliverer().runOnce()
        #expect(rx.requests.map { $0.headers["frontdesk-event-type"] ?? "" } == ["booking.cancelled"])
    }

    @Test("A 500 is retried after the backoff, on the injected clock, with the same event id")
    func retriesOn500() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        rx.respond([500, 503])
        _ = try f.addWebhook(rx.url)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let d = try f.deliverer(delays: [TimeSpan(seconds: 10), .minutes(1)])
        #expect(try d.runOnce().failed == 1)
        #expect(d.state.queue.first?.notBefore == f.clock.now() + TimeSpan(seconds: 10))
        try d.runOnce()
        #expect(rx.requests.count == 1, "not due yet: nothing sent")
        f.clock.advance(by: TimeSpan(seconds: 10))
        #expect(try d.runOnce().failed == 1)
        f.clock.advance(by: .minutes(1))
        #expect(try d.runOnce().delivered == 1)
        let ids = rx.requests.map(\.eventID)
        #expect(ids.count == 3 && Set(ids).count == 1)
        #expect(try f.log().map(\.outcome) == [.failed, .failed, .delivered])
        #expect(try f.log().map(\.status) == [500, 503, 200])
        #expect(try f.log().map(\.attempt) == [1, 2, 3])
    }

    @Test("After the last retry the event is dead-lettered; redeliver sends it again")
    func deadLetterAndRedeliver() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        rx.respond([500, 500])
        _ = try f.addWebhook(rx.url)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let d = try f.deliverer(delays: [TimeSpan(seconds: 10)])
        try d.runOnce()
        f.clock.advance(by: TimeSpan(seconds: 10))
        #expect(try d.runOnce().deadLettered == 1)
        let saved = try DeliveryState.load(directory: f.dir)
        #expect(saved.queue.isEmpty && saved.deadLetters.count == 1)
        let id = saved.deadLetters[0].event.id
        #expect(throws: DeliveryError.noDeadLetter(eventID: "evt_nope")) { try RedeliveryRequests(directory: f.dir).request(eventID: "evt_nope") }
        _ = try RedeliveryRequests(directory: f.dir).request(eventID: id)
        let r = try d.runOnce()
        #expect(r.requeued == 1 && r.delivered == 1)
        #expect(rx.requests.count == 3 && rx.requests.allSatisfy { $0.eventID == id })
        #expect(try DeliveryState.load(directory: f.dir).deadLetters.isEmpty)
        #expect(try f.log().map(\.outcome) == [.failed, .deadLettered, .requeued, .delivered])
    }

    @Test("410 Gone disables the endpoint: nothing more is sent to it")
    func goneDisables() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        rx.respond([410])
        let ep = try f.addWebhook(rx.url)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let d = try f.deliverer()
        #expect(try d.runOnce().deadLettered == 1)
        let stored = try #require(try WebhookRegistry(directory: f.dir).load().endpoints.first { $0.id == ep.id })
        #expect(stored.disabledAt != nil)
        try f.book("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        f.clock.advance(by: .hours(1))
        let r = try d.runOnce()
        #expect(r.queued == 0 && r.delivered == 0)
        #expect(rx.requests.count == 1)
        // Turned back on, the dead letter can be redelivered.
        try WebhookRegistry(directory: f.dir).enable(id: ep.id)
        let gone = try #require(d.state.deadLetters.first?.event.id)
        _ = try RedeliveryRequests(directory: f.dir).request(eventID: gone)
        #expect(try d.runOnce().delivered == 1)
        #expect(rx.requests.map(\.eventID) == [gone, gone])
    }

    @Test("A booking's later event waits behind its earlier one that is waiting for a retry; other bookings go on")
    func perBookingOrder() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        _ = try f.addWebhook(rx.url)
        let a = try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        try f.book("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        try f.cancel(a)
        let events = try f.events()
        let aCreated = try #require(events.first { $0.type == .bookingCreated && $0.booking?.id == a.id }).id
        let bCreated = try #require(events.first { $0.type == .bookingCreated && $0.booking?.id != a.id }).id
        let aCancelled = try #require(events.first { $0.type == .bookingCancelled }).id
        rx.respond([500], toEvent: aCreated)
        let d = try f.deliverer()
        try d.runOnce()
        #expect(rx.requests.map(\.eventID) == [aCreated, bCreated], "A's cancellation is held back")
        f.clock.advance(by: TimeSpan(seconds: 10))
        try d.runOnce()
        #expect(rx.requests.map(\.eventID) == [aCreated, bCreated, aCreated, aCancelled])
        #expect(d.state.queue.isEmpty)
    }

    @Test("Killed between sending and saving the cursor: the event is sent again after restart, nothing skipped")
    func crashRedelivers() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let rx = try TestReceiver(); defer { rx.stop() }
        _ = try f.addWebhook(rx.url)
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        try f.book("2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        let ids = try f.events().map(\.id)
        #expect(ids.count == 2)
        // The first deliverer's thread stops for good at the checkpoint, as a killed process
        // would: nothing after it runs, its files stay as they are.
        let first = try f.deliverer()
        let freeze = FreezeAtCheckpoint()
        first.checkpointObserver = freeze
        let pass = UncheckedBox(first)
        Thread.detachNewThread { _ = try? pass.value.runOnce() }
        #expect(freeze.waitUntilReached() == [.afterAttemptBeforeSave])
        #expect(rx.requests.map(\.eventID) == [ids[0]])
        // A fresh deliverer reads the saved state, as a restarted process would.
        let restarted = try f.deliverer()
        try restarted.runOnce()
        #expect(rx.requests.map(\.eventID) == [ids[0], ids[0], ids[1]])
        try restarted.runOnce()
        #expect(rx.requests.count == 3, "nothing delivered twice once saved")
    }

    @Test("Webhook URLs must be http or https with a host; the config file keeps a version")
    func urlValidation() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let reg = WebhookRegistry(directory: f.dir)
        for bad in ["ftp://example.com/x", "file:///etc/passwd", "example.com/hook", "http://", "javascript:alert(1)"] {
            #expect(throws: DeliveryError.invalidURL(bad)) { try reg.add(url: bad, events: [], secret: "s", now: f.clock.now()) }
        }
        #expect(throws: DeliveryError.self) { try WebhookEndpoint.eventList("booking.created,booking.exploded") }
        let e = try reg.add(url: "https://example.com/hooks/frontdesk", events: ["booking.created"], secret: "s", now: f.clock.now())
        let c = try reg.load()
        #expect(c.version == 1 && c.revision == 1 && c.endpoints == [e])
        try reg.remove(id: e.id)
        #expect(try reg.load().endpoints.isEmpty)
        #expect(throws: DeliveryError.unknownWebhook(id: e.id)) { try reg.remove(id: e.id) }
    }
}

/// Stops for good the thread that reaches a delivery checkpoint, as killing the process there
/// would: nothing after the checkpoint runs on it.
private final class FreezeAtCheckpoint: DeliveryCheckpointObserver, @unchecked Sendable {
    // @unchecked: `reachedAt` is written before `reachedSignal` is signalled and read after.
    private let reachedSignal = DispatchSemaphore(value: 0)
    private let never = DispatchSemaphore(value: 0)
    private var reachedAt: [DeliveryCheckpoint] = []

    func reached(_ checkpoint: DeliveryCheckpoint) {
        reachedAt.append(checkpoint)
        reachedSignal.signal()
        never.wait()
    }

    /// The checkpoints reached once one is (empty if none is within a minute: the wait only
    /// keeps a broken pass from hanging the test run).
    func waitUntilReached() -> [DeliveryCheckpoint] {
        reachedSignal.wait(timeout: .now() + 60) == .success ? reachedAt : []
    }
}

/// Hands a value that is not `Sendable` to one other thread, which then owns it.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
