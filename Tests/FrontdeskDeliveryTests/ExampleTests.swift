import Foundation
import Testing
@testable import FrontdeskDelivery
import FrontdeskWebhookHTTP
import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The examples in docs/examples, run for real.
@Suite("Documented examples")
struct ExampleTests {
    static let examples: String = {
        var u = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { u.deleteLastPathComponent() }
        return u.path + "/docs/examples"
    }()

    /// Copies an example hook into a data directory's hooks/ under `name`, mode 0700.
    func install(_ example: String, as name: String, in data: String) throws {
        let hooks = data + "/hooks"
        if !FileManager.default.fileExists(atPath: hooks) {
            try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: false)
            chmod(hooks, 0o700)
        }
        try FileManager.default.copyItem(atPath: Self.examples + "/hooks/" + example, toPath: hooks + "/" + name)
        chmod(hooks + "/" + name, 0o700)
    }

    @Test("webhook_receiver.py accepts our signed POSTs, dedupes, and rejects a forged signature")
    func pythonReceiver() throws {
        let f = try DeliveryFixture(); defer { f.cleanup() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.examples + "/webhook_receiver.py", "--port", "0"]
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["FRONTDESK_WEBHOOK_SECRET": "shared", "RECEIVER_NOW": String(f.clock.now().seconds)], uniquingKeysWith: { $1 })
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // SIGKILL: the test process's threads block SIGTERM, and the child inherits that mask.
        let pid = p.processIdentifier
        defer { kill(pid, SIGKILL); p.waitUntilExit() }
        // Safety net so a broken receiver fails the test instead of hanging it (not a timing check).
        DispatchQueue.global().asyncAfter(deadline: .now() + 60) { kill(pid, SIGKILL) }
        var buffer = ""
        func line() -> String {
            while !buffer.contains("\n") {
                let d = out.fileHandleForReading.availableData
                if d.isEmpty { return "" }
                buffer += String(decoding: d, as: UTF8.self)
            }
            let i = buffer.firstIndex(of: "\n")!
            defer { buffer = String(buffer[buffer.index(after: i)...]) }
            return String(buffer[..<i])
        }
        let listening = line()
        let port = try #require(listening.split(separator: ":").last.map(String.init))
        _ = try f.addWebhook("http://127.0.0.1:\(port)/frontdesk", secret: "shared")
        try f.book("2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        let event = try #require(try f.events().first)
        #expect(try f.deliverer().runOnce().delivered == 1)
        #expect(line() == "accepted \(event.id) booking.created")
        // The same event again (as after a crash): acknowledged, recognised as a duplicate.
        let body = EventEnvelope.body(event, render: EventEnvelope.coreData)
        let good = WebhookSignature.header(secret: "shared", time: f.clock.now(), body: body)
        let t = URLSessionTransport()
        #expect(t.post(url: "http://127.0.0.1:\(port)/", headers: ["Frontdesk-Signature": good, "Frontdesk-Event-Id": event.id], body: body, timeout: 10) == .response(status: 200))
        #expect(line() == "duplicate \(event.id)")
        let forged = WebhookSignature.header(secret: "guess", time: f.clock.now(), body: body)
        #expect(t.post(url: "http://127.0.0.1:\(port)/", headers: ["Frontdesk-Signature": forged, "Frontdesk-Event-Id": event.id], body: body, timeout: 10) == .response(status: 401))
        #expect(line() == "rejected \(event.id)")
        let stale = WebhookSignature.header(secret: "shared", time: f.clock.now() - .minutes(10), body: body)
        #expect(t.post(url: "http://127.0.0.1:\(port)/", headers: ["Frontdesk-Signature": stale], body: body, timeout: 10) == .response(status: 401))
    }

    @Test("The sendmail hook mails a confirmation; the CSV hook appends one row per event id")
    func exampleHooks() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        try cli.seeded()
        try install("booking.created", as: "booking.created", in: cli.data)
        try install("accounting-csv", as: "booking.cancelled", in: cli.data)
        let fakeSendmail = cli.data + "/fake-sendmail"
        try Data("#!/bin/sh\ncat >> \"$FRONTDESK_DATA/mail.txt\"\n".utf8).write(to: URL(fileURLWithPath: fakeSendmail))
        chmod(fakeSendmail, 0o700)
        let env = ["SENDMAIL": fakeSendmail, "FRONTDESK_MAIL_TO": "desk@example.com"]
        let list = try #require(try cli.run(["list", "--from", "2027-03-02", "--to", "2027-03-03", "--json"]).json as? [[String: Any]])
        let ref = try #require(list.first?["ref"] as? String)
        #expect(try cli.run(["cancel", ref, "--reason", "ill"]).code == 0)
        let r = try cli.run(["deliver"], extra: env)
        #expect(r.code == 0, "\(r.err)")
        let mail = (try? String(contentsOfFile: cli.data + "/mail.txt", encoding: .utf8)) ?? ""
        #expect(mail.contains("To: desk@example.com"))
        #expect(mail.contains("Subject: Booking \(ref) confirmed"))
        #expect(mail.contains("for Chair 1 is on 2027-03-02 from 10:00 to 11:00 (Europe/London)"))
        let csv = (try? String(contentsOfFile: cli.data + "/accounting.csv", encoding: .utf8)) ?? ""
        let rows = csv.split(separator: "\n")
        #expect(rows.count == 2 && rows[0].hasPrefix("event_id,event_type,booking_ref"))
        #expect(rows.count == 2 && rows[1].contains(",booking.cancelled,\(ref),Chair 1,Ann Lee,"))
        // A redelivered event is not booked twice.
        let eventID = String(rows.last?.split(separator: ",").first ?? "")
        let payload = Array("{\"id\":\"\(eventID)\",\"type\":\"booking.cancelled\",\"data\":{}}".utf8)
        let again = SpawnProcessRunner().run(executable: cli.data + "/hooks/booking.cancelled", arguments: [],
                                             environment: ProcessInfo.processInfo.environment.merging(["FRONTDESK_DATA": cli.data], uniquingKeysWith: { $1 }),
                                             stdin: payload, timeout: 10)
        #expect(again == .exited(status: 0, output: ""))
        #expect(((try? String(contentsOfFile: cli.data + "/accounting.csv", encoding: .utf8)) ?? "").split(separator: "\n").count == 2)
    }

    @Test("The payment-gateway hook pays out refund.due and captures external payments, in minor units, keyed by event id")
    func paymentGatewayHook() throws {
        let cli = Frontdesk(); defer { cli.cleanup() }
        #expect(try cli.run(["init", "--currency", "GBP"]).code == 0)
        #expect(try cli.run(["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London"]).code == 0)
        let booked = try cli.run(["book", "--resource", "chair 1", "--start", "2027-03-02 10:00", "--duration", "45m", "--new-customer", "Ann Lee",
                                  "--price", "38.00", "--deposit", "10.00", "--reason", "price list", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        let ref = try #require((booked.json as? [String: Any])?["ref"] as? String)
        try install("payment-gateway", as: "refund.due", in: cli.data)
        try install("payment-gateway", as: "payment.recorded", in: cli.data)
        let gateway = cli.data + "/fake-gateway"
        try Data("#!/bin/sh\necho \"$@\" >> \"$FRONTDESK_DATA/gateway.txt\"\n".utf8).write(to: URL(fileURLWithPath: gateway))
        chmod(gateway, 0o700)
        #expect(try cli.run(["pay", ref, "--amount", "10.00", "--method", "card", "--reference", "T-1"]).code == 0)
        #expect(try cli.run(["pay", ref, "--amount", "28.00", "--method", "external", "--reference", "pi_123"]).code == 0)
        #expect(try cli.run(["refund", ref, "--amount", "5.50", "--reason", "goodwill"]).code == 0)
        let r = try cli.run(["deliver"], extra: ["FRONTDESK_GATEWAY": gateway])
        #expect(r.code == 0, "\(r.err)")
        let calls = ((try? String(contentsOfFile: cli.data + "/gateway.txt", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(calls.count == 2, "\(calls)")
        #expect(calls.first?.hasPrefix("capture 2800 GBP \(ref) evt_") == true, "\(calls)")
        #expect(calls.last?.hasPrefix("refund 550 GBP \(ref) evt_") == true, "\(calls)")
    }
}
