import Foundation
@testable import FrontdeskCore
@testable import FrontdeskDelivery
import FrontdeskWebhookHTTP
import FrontdeskStore

/// A temporary data directory with a store on a fixed clock, a resource, a customer, and
/// helpers to book, cancel and run a deliverer.
final class DeliveryFixture {
    let dir: String
    let clock: FixedClock
    let store: Store
    let desk = Author(user: "alice", origin: "local", source: .cli)
    var resource = ResourceID("")
    var customer = CustomerID("")

    init(now: String = "2027-03-01T08:00:00Z", reminderLead: TimeSpan? = nil) throws {
        dir = NSTemporaryDirectory() + "frontdesk-delivery-\(UUID().uuidString)"
        clock = FixedClock(Instant(iso8601: now)!)
        store = try Store.create(at: dir, clock: clock, options: StoreOptions(identifiers: SequentialIdentifierSource()))
        let zone = Zone("UTC")!
        resource = try store.write("resource", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: "Room 1", zone: zone, policy: PolicyOverrides(reminderLead: reminderLead)), in: s, by: self.desk)
        }.id
        customer = try store.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: self.desk) }.id
    }

    static func t(_ s: String) -> Instant { Instant(iso8601: s)! }

    @discardableResult
    func book(_ a: String, _ b: String, status: BookingStatus = .confirmed, hold: TimeSpan? = nil) throws -> Booking {
        let req = BookingRequest(resource: resource, customer: .existing(customer), range: TimeRange(start: Self.t(a), end: Self.t(b)), status: status, hold: hold)
        return try store.write("book", .book(req)) { s, e throws(CoreError) in try e.book(req, in: s, by: self.desk) }.bookings[0]
    }

    func cancel(_ b: Booking) throws {
        _ = try store.write("cancel", .cancel(b.id)) { s, e throws(CoreError) in try e.cancel(b.id, reason: "test", in: s, by: self.desk) }
    }

    func confirm(_ b: Booking) throws {
        _ = try store.write("confirm", .setStatus(b.id)) { s, e throws(CoreError) in try e.setStatus(b.id, to: .confirmed, in: s, by: self.desk) }
    }

    /// A deliverer on this store with fast, explicit retry delays and no time-driven sweep.
    func deliverer(transport: any HTTPTransport = URLSessionTransport(), runner: any ProcessRunner = SpawnProcessRunner(),
                   delays: [TimeSpan] = [TimeSpan(seconds: 10), .minutes(1)], sweep: Bool = false, hookTimeout: Double = 10) throws -> Deliverer {
        var o = DeliveryOptions()
        o.retry = RetryPolicy(delays: delays)
        o.sweepTimeDriven = sweep
        o.hookTimeout = hookTimeout
        return try Deliverer(directory: dir, store: store, clock: clock, transport: transport, runner: runner, options: o)
    }

    func addWebhook(_ url: String, events: [String] = [], secret: String = "s3cret") throws -> WebhookEndpoint {
        try WebhookRegistry(directory: dir).add(url: url, events: events, secret: secret, now: clock.now())
    }

    /// Writes an executable hook script (mode 0700) and returns its path.
    @discardableResult
    func hook(_ name: String, _ script: String, mode: mode_t = 0o700) throws -> String {
        let hooks = dir + "/hooks"
        if !FileManager.default.fileExists(atPath: hooks) {
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: false)
            chmod(hooks, 0o700)
        }
        let p = hooks + "/" + name
        try Data(script.utf8).write(to: URL(fileURLWithPath: p))
        chmod(p, mode)
        return p
    }

    /// Every event in the journal, oldest first.
    func events() throws -> [DomainEvent] {
        _ = try store.refresh()
        return try store.events(after: 0).map(\.event)
    }

    func log() throws -> [DeliveryRecord] { try DeliveryLog(directory: dir).records() }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
}

/// Recomputes a signature with Python's `hmac` module, independently of our Swift HMAC.
func pythonHMAC(secret: String, message: [UInt8]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import hmac,hashlib,sys; print(hmac.new(sys.argv[1].encode(), sys.stdin.buffer.read(), hashlib.sha256).hexdigest())", secret]
    let inp = Pipe(), out = Pipe()
    p.standardInput = inp
    p.standardOutput = out
    try p.run()
    inp.fileHandleForWriting.write(Data(message))
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
