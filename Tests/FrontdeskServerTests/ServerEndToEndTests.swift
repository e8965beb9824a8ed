import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP API end to end: a real `frontdesk-server` process on 127.0.0.1, real requests,
/// every response checked against the server's own OpenAPI document.
@Suite("HTTP API end to end", .serialized)
struct ServerEndToEndTests {
    /// Sends a request and checks the response against the document.
    static func call(_ s: ServerHarness.Server, _ v: OpenAPIValidator, _ method: String, _ path: String, token: String?,
                     headers: [(String, String)] = [], json: Any? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> RawHTTP.Response {
        let r = try s.call(method, path, token: token, headers: headers, json: json)
        let problems = v.problems(method, path, r)
        #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
        return r
    }

    static func validator(_ s: ServerHarness.Server) throws -> OpenAPIValidator {
        let doc = try s.call("GET", "/v1/openapi.json", token: nil)
        #expect(doc.status == 200)
        #expect(doc.object["openapi"] as? String == "3.1.0")
        return OpenAPIValidator(doc.object)
    }

    @Test("a service: availability lists where all of it fits; a booking holds every resource it needs, and a retry replays it")
    func serviceBooking() throws {
        let h = try ServerHarness()
        _ = try h.check(["resource", "edit", "Chair 1", "--tag", "chair"])
        _ = try h.check(["resource", "edit", "Room 2", "--tag", "room"])
        _ = try h.check(["service", "add", "Wash and dry", "--duration", "30m", "--needs", "chair", "--needs", "room"])
        let s = try h.start()
        let v = try Self.validator(s)
        let day = ServerHarness.at(30, "10:00")
        let slots = try Self.call(s, v, "GET", "/v1/availability?service=Wash%20and%20dry&from=\(day)&to=\(ServerHarness.at(30, "11:00"))&limit=2", token: h.desk)
        #expect(slots.status == 200, "\(slots.text)")
        let first = (slots.object["slots"] as? [[String: Any]])?.first
        #expect(first?["resource_names"] as? [String] == ["Chair 1", "Room 2"], "\(slots.text)")
        let body: [String: Any] = ["service": "Wash and dry", "start": day, "customer": h.customer]
        let created = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "svc-1")], json: body)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.object["resource_names"] as? [String] == ["Chair 1", "Room 2"], "\(created.text)")
        let replay = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "svc-1")], json: body)
        #expect(replay.status == 201 && replay.headers["idempotent-replayed"] == "true", "\(replay.text)")
        #expect(replay.object["id"] as? String == created.object["id"] as? String)
        // Both resources are taken for that half hour: the chair alone cannot be booked then.
        let chair = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "svc-2")],
                                  json: ["resource": "Chair 1", "start": day, "duration": "30m", "customer": h.customer])
        #expect(chair.status == 409, "\(chair.text)")
        let withLength = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "svc-3")],
                                       json: ["service": "Wash and dry", "start": day, "duration": "1h", "customer": h.customer])
        #expect(withLength.status == 400 && withLength.object["field"] as? String == "duration", "\(withLength.text)")
        _ = s.stop()
    }

    @Test("create, replay, reused key, ETag and If-Match, conflict, pagination and every problem code")
    func endToEnd() throws {
        let h = try ServerHarness()
        let s = try h.start()
        let v = try Self.validator(s)
        let start = ServerHarness.at(30, "10:00")
        let body: [String: Any] = ["resource": "Chair 1", "start": start, "duration": "45m", "customer": h.customer, "notes": "web", "status": "tentative"]

        // Create.
        let created = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "k-1")], json: body)
        #expect(created.status == 201, "\(created.text)")
        let id = created.object["id"] as? String ?? ""
        #expect(created.headers["location"] == "/v1/bookings/\(id)")
        #expect(created.headers["etag"] == "\"1\"")
        #expect(created.headers["idempotent-replayed"] == nil)
        #expect(created.object["actor"] as? String == "website")
        #expect(created.object["origin"] as? String == "127.0.0.1")
        #expect(created.object["source"] as? String == "api")
        #expect(created.object["idempotency_key"] as? String == "k-1")

        // Replay: the same status and body, marked as replayed.
        let replay = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "k-1")], json: body)
        #expect(replay.status == 201)
        #expect(replay.body == created.body)
        #expect(replay.headers["idempotent-replayed"] == "true")
        #expect(replay.headers["location"] == created.headers["location"])

        // The same key with another body.
        var other = body
        other["notes"] = "changed"
        let reused = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "k-1")], json: other)
        #expect(reused.status == 422)
        #expect(reused.object["code"] as? String == "idempotency_key_reused")
        #expect(reused.headers["content-type"] == "application/problem+json")

        // GET with ETag.
        let got = try Self.call(s, v, "GET", "/v1/bookings/\(id)", token: h.viewer)
        #expect(got.status == 200)
        #expect(got.headers["etag"] == "\"1\"")
        #expect(got.object["id"] as? String == id)

        // If-Match: missing → 428, stale → 412 with the current version, current → 200.
        let missing = try Self.call(s, v, "POST", "/v1/bookings/\(id)/confirm", token: h.desk)
        #expect(missing.status == 428)
        #expect(missing.object["code"] as? String == "precondition_required")
        let moved = try Self.call(s, v, "POST", "/v1/bookings/\(id)/reschedule", token: h.desk, headers: [("If-Match", "\"1\"")],
                                  json: ["start": ServerHarness.at(30, "11:00")])
        #expect(moved.status == 200, "\(moved.text)")
        #expect(moved.headers["etag"] == "\"2\"")
        let stale = try Self.call(s, v, "POST", "/v1/bookings/\(id)/cancel", token: h.desk, headers: [("If-Match", "\"1\"")], json: ["reason": "x"])
        #expect(stale.status == 412)
        #expect(stale.object["code"] as? String == "stale_version")
        #expect(stale.object["current_version"] as? Int == 2)

        // Conflict: 409 naming the booking in the way.
        let clash = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "k-2")],
                                  json: ["resource": h.chair, "start": ServerHarness.at(30, "11:15"), "duration": "30m",
                                         "new_customer": ["name": "Bo Web", "email": "bo@example.com"]])
        #expect(clash.status == 409)
        #expect(clash.object["code"] as? String == "conflict")
        let with = clash.object["conflicts_with"] as? [[String: Any]] ?? []
        #expect(with.first?["id"] as? String == id)

        // Policy refusal: outside Room 2's hours → 422 naming the rule.
        let policy = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "k-3")],
                                   json: ["resource": "Room 2", "start": ServerHarness.at(30, "20:00"), "duration": "30m", "customer": h.customer])
        #expect(policy.status == 422)
        #expect(policy.object["code"] as? String == "policy")
        #expect(policy.object["rule"] as? String == "opening_hours")

        // Status changes with If-Match.
        let confirmed = try Self.call(s, v, "POST", "/v1/bookings/\(id)/confirm", token: h.desk, headers: [("If-Match", "\"2\"")])
        #expect(confirmed.status == 200, "\(confirmed.text)")
        #expect(confirmed.object["status"] as? String == "confirmed")
        #expect(confirmed.headers["etag"] == "\"3\"")
        let cancelled = try Self.call(s, v, "POST", "/v1/bookings/\(id)/cancel", token: h.desk, headers: [("If-Match", "\"3\"")],
                                      json: ["reason": "customer asked"])
        #expect(cancelled.status == 200, "\(cancelled.text)")
        #expect(cancelled.object["status"] as? String == "cancelled")

        // Pagination: 7 bookings a page of 3 at a time, each seen once, in start order.
        for i in 0..<7 {
            let r = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "page-\(i)")],
                                  json: ["resource": "Chair 1", "start": ServerHarness.at(31, String(format: "%02d:00", 8 + i)), "duration": "30m",
                                         "customer": h.customer])
            #expect(r.status == 201)
        }
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let q = "/v1/bookings?resource=Chair%201&from=\(ChildDay.day(31))&to=\(ChildDay.day(32))&limit=3" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try Self.call(s, v, "GET", q, token: h.viewer)
            #expect(page.status == 200, "\(page.text)")
            seen += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["start"] as? String }
            cursor = page.object["next_cursor"] as? String
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen.count == 7)
        #expect(seen == seen.sorted())
        #expect(Set(seen).count == 7)

        // Availability, resources, customers.
        let free = try Self.call(s, v, "GET", "/v1/availability?resource=Room%202&from=\(ChildDay.day(33))T09:00:00Z&to=\(ChildDay.day(33))T12:00:00Z&duration=1h",
                                 token: h.viewer)
        #expect(free.status == 200, "\(free.text)")
        #expect((free.object["slots"] as? [Any])?.isEmpty == false)
        let resources = try Self.call(s, v, "GET", "/v1/resources", token: h.viewer)
        #expect((resources.object["items"] as? [[String: Any]])?.count == 2)
        let customers = try Self.call(s, v, "GET", "/v1/customers?search=ann", token: h.desk)
        #expect((customers.object["items"] as? [[String: Any]])?.first?["phone"] as? String == "+44 7700 900123")
        let viewerCustomers = try Self.call(s, v, "GET", "/v1/customers", token: h.viewer)
        #expect(viewerCustomers.status == 403)
        #expect(viewerCustomers.object["code"] as? String == "not_permitted")

        // Every other problem code.
        let viewerBook = try Self.call(s, v, "POST", "/v1/bookings", token: h.viewer, headers: [("Idempotency-Key", "v-1")], json: body)
        #expect(viewerBook.status == 403)
        let noToken = try Self.call(s, v, "GET", "/v1/resources", token: nil)
        #expect(noToken.status == 401)
        #expect(noToken.object["code"] as? String == "unauthenticated")
        let badToken = try Self.call(s, v, "GET", "/v1/resources", token: "fd_0000")
        #expect(badToken.status == 401)
        let notFound = try Self.call(s, v, "GET", "/v1/bookings/B-NOPE", token: h.desk)
        #expect(notFound.status == 404)
        #expect(notFound.object["code"] as? String == "not_found")
        let noKey = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, json: body)
        #expect(noKey.status == 400)
        #expect(noKey.object["field"] as? String == "Idempotency-Key")
        let service = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "svc")],
                                    json: ["service": "Haircut", "start": start, "customer": h.customer])
        #expect(service.status == 404, "\(service.text)")
        #expect(service.object["code"] as? String == "not_found")
        let badField = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "bad")],
                                     json: ["resource": "Chair 1", "start": "tomorrow-ish", "duration": "45m", "customer": h.customer])
        #expect(badField.status == 400)
        #expect(badField.object["code"] as? String == "invalid_input")
        let unknown = try Self.call(s, v, "POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "unk")],
                                    json: ["resource": "Chair 1", "start": start, "colour": "red"])
        #expect(unknown.status == 400)
        #expect(unknown.object["field"] as? String == "colour")
        let method = try s.call("DELETE", "/v1/bookings/\(id)", token: h.desk)
        #expect(method.status == 405)
        let route = try s.call("GET", "/v2/everything", token: h.desk)
        #expect(route.status == 404)

        // The desk sees the API's booking at once, with the token as actor and the client as origin.
        let show = try h.run(["show", id, "--json"])
        #expect(show.code == 0)
        #expect(show.object["actor"] as? String == "website")
        let history = try h.run(["history", "--id", id, "--json"])
        #expect(history.array.first?["user"] as? String == "website")
        #expect(history.array.first?["origin"] as? String == "127.0.0.1")
        #expect(s.stop() == 0)
    }

    @Test("a desk's booking is visible to the API at once, and a token revoked with frontdesk token is refused from the next request")
    func sharedStoreAndRevocation() throws {
        let h = try ServerHarness()
        let s = try h.start()
        let booked = try h.run(["book", "--resource", "Chair 1", "--start", ServerHarness.at(40, "09:00"), "--duration", "1h",
                                "--customer", "Ann Lee", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        let id = booked.object["id"] as? String ?? ""
        let got = try s.call("GET", "/v1/bookings/\(id)", token: h.desk)
        #expect(got.status == 200)
        #expect(got.object["actor"] as? String != "website")
        #expect(try h.run(["token", "revoke", "website"]).code == 0)
        let after = try s.call("GET", "/v1/bookings/\(id)", token: h.desk)
        #expect(after.status == 401)
        let list = try h.run(["token", "list", "--json"])
        #expect(list.array.first { $0["name"] as? String == "website" }?["revoked_at"] is String)
        let audit = try h.run(["history", "--entity", "staff", "--json"])
        #expect(audit.array.contains { $0["id"] as? String == "token:website" && $0["action"] as? String == "token revoked" })
        #expect(s.stop() == 0)
    }

    @Test("frontdesk server re-executes as frontdesk-server; a bad option is a clear error")
    func serverThroughTheCommandLine() throws {
        let h = try ServerHarness()
        let s = try h.start(viaCLI: true)
        #expect(try s.call("GET", "/v1/resources", token: h.desk).status == 200)
        #expect(s.stop() == 0)
        let bad = try h.run(["server", "--listen", "nowhere"], executable: ServerHarness.serverBinary)
        #expect(bad.code == 65)
        #expect(bad.err.contains("listen"))
        let viewerToken = try h.run(["token", "add", "--name", "no such role", "--role", "desk"])
        #expect(viewerToken.code == 65)
    }
}

/// Dates relative to today (UTC) for the real clock the shipped binaries read.
enum ChildDay {
    static func day(_ after: Int) -> String { String(ServerHarness.at(after, "00:00").prefix(10)) }
}
