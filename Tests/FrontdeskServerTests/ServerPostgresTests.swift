import Foundation
import FrontdeskPostgresTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk-server --data postgresql://…`: real server and `frontdesk` processes on a
/// throwaway cluster (fsync off), the outcomes checked with SQL.
@Suite("HTTP API on PostgreSQL", .serialized)
struct ServerPostgresTests {
    @Test("two servers and 8 frontdesk book processes race for one slot, 100 rounds: one winner a round, no overlap stored")
    func slotRace() throws {
        let h = try PostgresServerHarness()
        let a = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let b = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let (desk, customer, url) = (h.desk, h.customer, h.url)
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "UTC"
        env["FRONTDESK_DATA"] = nil
        let environment = env
        let rounds = 100
        for round in 0..<rounds {
            let start = ServerHarness.at(60 + round / 10, String(format: "%02d:00", 8 + round % 10))
            // 4 HTTP clients on each server and 8 command-line processes, released together.
            let outcomes: [String] = ServerRaceTests.together(16) { i in
                if i < 8 {
                    let server = i % 2 == 0 ? a : b
                    let r = try? server.call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "race-\(round)-\(i)")],
                                             json: ["resource": "Chair 1", "start": start, "duration": "1h", "customer": customer])
                    guard let r else { return "http error" }
                    return r.status == 201 ? "win" : r.status == 409 ? "lose" : "http \(r.status) \(r.text)"
                }
                // `frontdesk-postgres` is the command line `frontdesk` re-executes as for a URL:
                // the same process, one exec fewer for each of the 800 started.
                let p = Process()
                p.executableURL = URL(fileURLWithPath: ServerHarness.productsDirectory + "/frontdesk-postgres")
                p.arguments = ["book", "--resource", "Chair 1", "--start", start, "--duration", "1h", "--customer", customer, "--data", url]
                p.environment = environment
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                guard (try? p.run()) != nil else { return "spawn error" }
                p.waitUntilExit()
                return p.terminationStatus == 0 ? "win" : p.terminationStatus == 3 ? "lose" : "cli exit \(p.terminationStatus)"
            }
            #expect(outcomes.filter { $0 == "win" }.count == 1, "round \(round): \(outcomes.filter { $0 != "lose" })")
            #expect(outcomes.allSatisfy { $0 == "win" || $0 == "lose" }, "round \(round): \(outcomes.filter { $0 != "lose" && $0 != "win" })")
        }
        #expect(try h.sql("SELECT count(*) FROM bookings WHERE status = 'confirmed'") == String(rounds))
        #expect(try h.sql("SELECT count(DISTINCT start_at) FROM bookings") == String(rounds))
        #expect(try h.overlaps() == "0")
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    @Test("one Idempotency-Key sent to two servers at once, 20 rounds: one booking a key, every other answer its replay or 409 in flight")
    func sameKeyAcrossServers() throws {
        let h = try PostgresServerHarness()
        let a = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let b = try h.start(["--rate-limit", "100000", "--rate-burst", "100000"])
        let (desk, customer) = (h.desk, h.customer)
        let rounds = 20
        for round in 0..<rounds {
            let start = ServerHarness.at(40 + round, "09:00")
            let answers: [RawHTTP.Response?] = ServerRaceTests.together(6) { i in
                try? (i % 2 == 0 ? a : b).call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "same-\(round)")],
                                               json: ["resource": "Chair 1", "start": start, "duration": "1h", "customer": customer])
            }
            let created = answers.compactMap { $0 }.filter { $0.status == 201 }
            #expect(answers.allSatisfy { $0 != nil && ($0!.status == 201 || $0!.object["code"] as? String == "idempotency_key_in_flight") },
                    "round \(round): \(answers.map { "\($0?.status ?? 0) \($0?.text ?? "")" })")
            #expect(created.filter { $0.headers["idempotent-replayed"] == nil }.count == 1, "round \(round)")
            #expect(Set(created.map(\.body)).count == 1, "round \(round): the answers differ")
        }
        #expect(try h.sql("SELECT count(*) FROM bookings") == String(rounds))
        #expect(try h.sql("SELECT count(*) FROM idempotency_keys") == String(rounds))
        #expect(a.stop() == 0)
        #expect(b.stop() == 0)
    }

    @Test("the server's connection killed while its write holds the change row: 503, nothing stored, the server serves on, the retry books once; idle connections ended: served")
    func connectionKilledMidWrite() throws {
        let h = try PostgresServerHarness()
        let s = try h.start()
        #expect(try s.call("GET", "/v1/resources", token: h.desk).status == 200)
        let seq = try h.sql("SELECT seq FROM store_changes")
        // Another session holds the resources table: the server's write locks the change row
        // first, then waits here reading the reference data, inside its transaction.
        let bin = try PostgresTestCluster.binDirectory()
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: bin + "/psql")
        locker.arguments = ["-X", "-q", "-h", h.cluster.directory, "-p", String(h.cluster.port), "-U", h.cluster.superuser, "-d", h.database,
                            "-c", "BEGIN; LOCK TABLE resources IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT"]
        locker.standardOutput = FileHandle.nullDevice
        locker.standardError = FileHandle.nullDevice
        try locker.run()
        defer { if locker.isRunning { locker.terminate() } }
        #expect(try PostgresServerHarness.wait {
            try h.sql("SELECT count(*) FROM pg_locks WHERE relation = 'resources'::regclass AND mode = 'AccessExclusiveLock' AND granted") == "1"
        })
        let (start, customer, desk) = (ServerHarness.at(5, "10:00"), h.customer, h.desk)
        let body: @Sendable () -> [String: Any] = { ["resource": "Chair 1", "start": start, "duration": "1h", "customer": customer] }
        let answer = LockedValue<RawHTTP.Response?>(nil)
        let request = Thread {
            let r = try? s.call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "killed-1")], json: body())
            answer.with { $0 = r }
        }
        request.start()
        let waiting = """
            SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.relation = 'store_changes'::regclass
            WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' AND a.query NOT LIKE '%pg_sleep%'
            """
        #expect(try PostgresServerHarness.wait { try !h.sql(waiting).isEmpty }, "the server's write never waited holding the change row")
        #expect(try h.sql("SELECT pg_terminate_backend(pid) FROM (\(waiting)) w") == "t")
        _ = try h.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()")
        #expect(PostgresServerHarness.wait { answer.with { $0 != nil } })
        let failed = answer.with { $0 }
        #expect(failed?.status == 503, "\(failed?.text ?? "no answer")")
        #expect(failed?.object["code"] as? String == "io")
        #expect(failed?.headers["retry-after"] != nil)
        #expect(try h.sql("SELECT (SELECT count(*) FROM booking_keys) || ',' || (SELECT count(*) FROM idempotency_keys) || ',' || (SELECT seq FROM store_changes)")
                == "0,0,\(seq)")
        // The same server answers the retry: one booking, then its replay.
        let retry = try s.call("POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "killed-1")], json: body())
        #expect(retry.status == 201, "\(retry.text)")
        #expect(retry.headers["idempotent-replayed"] == nil)
        let again = try s.call("POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "killed-1")], json: body())
        #expect(again.status == 201 && again.headers["idempotent-replayed"] == "true", "\(again.status) \(again.text)")
        #expect(again.body == retry.body)
        #expect(try h.sql("SELECT count(*) FROM bookings") == "1")
        // Every connection of the server ended while idle (a database restart does as much):
        // the next requests connect again and are answered.
        #expect(try h.sql("SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") == "t")
        #expect(PostgresServerHarness.wait { (try? h.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) == "0" })
        let read = try s.call("GET", "/v1/bookings/\(retry.object["id"] as? String ?? "")", token: h.desk)
        #expect(read.status == 200, "\(read.status) \(read.text)")
        let later = try s.call("POST", "/v1/bookings", token: h.desk, headers: [("Idempotency-Key", "after-restart")],
                               json: ["resource": "Chair 1", "start": ServerHarness.at(6, "10:00"), "duration": "1h", "customer": h.customer])
        #expect(later.status == 201, "\(later.status) \(later.text)")
        #expect(s.stop() == 0)
    }

    @Test("SIGKILL a server under load, start it again: every acknowledged booking is stored")
    func killedUnderLoad() throws {
        let h = try PostgresServerHarness()
        let s = try h.start(["--rate-limit", "100000", "--rate-burst", "100000", "--writers", "2"])
        let acknowledged = LockedValue<[String]>([])
        let (desk, customer) = (h.desk, h.customer)
        let clients = 8
        let done = DispatchGroup()
        for c in 0..<clients {
            done.enter()
            Thread {
                defer { done.leave() }
                for n in 0..<200 {
                    let body: [String: Any] = ["resource": "Chair 1", "start": ServerHarness.at(10 + n, String(format: "%02d:00", 1 + c * 2)),
                                               "duration": "1h", "customer": customer]
                    guard let r = try? s.call("POST", "/v1/bookings", token: desk, headers: [("Idempotency-Key", "load-\(c)-\(n)")], json: body)
                    else { return }
                    if r.status == 201, let id = r.object["id"] as? String { acknowledged.with { $0.append(id) } }
                }
            }.start()
        }
        #expect(PostgresServerHarness.wait { acknowledged.with { $0.count >= 40 } })
        s.kill(SIGKILL)
        done.wait()
        let acked = acknowledged.with { $0 }
        #expect(acked.count >= 40)
        let again = try h.start()
        for id in acked {
            let r = try again.call("GET", "/v1/bookings/\(id)", token: h.desk)
            #expect(r.status == 200 && r.object["id"] as? String == id, "\(id): \(r.status) \(r.text)")
        }
        let stored = Int(try h.sql("SELECT count(*) FROM bookings")) ?? -1
        #expect(stored >= acked.count)
        #expect(try h.overlaps() == "0")
        #expect(again.stop() == 0)
    }

    @Test("frontdesk server --data URL re-executes as frontdesk-server and serves; without --tokens it is a usage error; token --tokens DIR")
    func commandLine() throws {
        let h = try PostgresServerHarness()
        let refused = try ServerHarness.runFrontdesk(["server", "--data", h.url, "--listen", "127.0.0.1:0"])
        #expect(refused.code == 64 && refused.err.contains("--tokens"), "\(refused.code) \(refused.err)")
        let both = try ServerHarness.runFrontdesk(["token", "list", "--tokens", h.tokens, "--data", h.url])
        #expect(both.code == 64, "\(both.code) \(both.err)")
        let listed = try ServerHarness.runFrontdesk(["token", "list", "--tokens", h.tokens, "--json"])
        #expect(listed.code == 0 && listed.array.map { $0["name"] as? String } == ["website"], "\(listed.out) \(listed.err)")
        let viaCLI = try ServerHarness.Server(data: h.url, executable: ServerHarness.frontdesk, extra: ["--tokens", h.tokens])
        let resources = try viaCLI.call("GET", "/v1/resources", token: h.desk)
        #expect(resources.status == 200 && resources.text.contains("Chair 1"), "\(resources.status) \(resources.text)")
        #expect(try viaCLI.call("GET", "/v1/resources", token: "fd_not_a_token").status == 401)
        #expect(try ServerHarness.runFrontdesk(["token", "revoke", "website", "--tokens", h.tokens]).code == 0)
        #expect(try viaCLI.call("GET", "/v1/resources", token: h.desk).status == 401)
        #expect(viaCLI.stop() == 0)
    }

    @Test("a data directory and a PostgreSQL store holding the same data answer the same requests alike (status and body)")
    func sameAnswersOnBothBackends() throws {
        let files = try ServerHarness()
        let kept = try files.check(["book", "--resource", "Chair 1", "--start", ServerHarness.at(30, "10:00"), "--duration", "1h",
                                    "--customer", files.customer, "--json"]).object
        let cancelled = try files.check(["book", "--resource", "Room 2", "--start", ServerHarness.at(30, "11:00"), "--duration", "30m",
                                         "--customer", files.customer, "--notes", "window seat", "--json"]).object
        let cancelledId = cancelled["id"] as? String ?? ""
        try files.check(["cancel", cancelledId, "--reason", "ill"])
        let keptId = kept["id"] as? String ?? "", keptRef = kept["ref"] as? String ?? ""
        let cluster = try PostgresTestCluster.shared
        let url = cluster.url(database: try cluster.createDatabase())
        #expect(try ServerHarness.runFrontdesk(["init", "--data", url]).code == 0)
        let moved = try ServerHarness.runFrontdesk(["migrate", "--from", files.data, "--to", url])
        #expect(moved.code == 0, "\(moved.err)")
        let onFiles = try files.start()
        // The same tokens: the data directory's registry serves the database's server too.
        let onDatabase = try ServerHarness.Server(data: url, executable: ServerHarness.serverBinary, extra: ["--tokens", files.data])
        defer { _ = onDatabase.stop() }
        let day = ChildDay.day(30), next = ChildDay.day(31)
        // Each request with the status both must answer.
        let requests: [(String, String, String, [(String, String)], Any?, Int)] = [
            ("GET", "/v1/resources", files.viewer, [], nil, 200),
            ("GET", "/v1/customers", files.desk, [], nil, 200),
            ("GET", "/v1/customers?search=ann", files.desk, [], nil, 200),
            ("GET", "/v1/customers", files.viewer, [], nil, 403),
            ("GET", "/v1/bookings?from=\(day)&to=\(next)", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings?from=\(day)&to=\(next)&status=cancelled", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings?customer=\(files.customer)&from=\(day)&to=\(next)&limit=1", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings/\(keptId)", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings/\(keptRef)", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings/\(cancelledId)", files.viewer, [], nil, 200),
            ("GET", "/v1/bookings/bk_nosuchbooking", files.viewer, [], nil, 404),
            ("GET", "/v1/availability?resource=Room%202&from=\(day)T08:00:00Z&to=\(day)T18:00:00Z&duration=1h", files.viewer, [], nil, 200),
            ("GET", "/v1/availability?resource=Chair%201&from=\(day)T08:00:00Z&to=\(day)T13:00:00Z&duration=45m&limit=3", files.viewer, [], nil, 200),
            ("POST", "/v1/bookings", files.desk, [("Idempotency-Key", "same-1")],
             ["resource": "Chair 1", "start": ServerHarness.at(30, "10:30"), "duration": "1h", "customer": files.customer], 409),
            ("POST", "/v1/bookings", files.desk, [("Idempotency-Key", "same-2")],
             ["resource": "Room 2", "start": ServerHarness.at(30, "07:00"), "duration": "1h", "customer": files.customer], 422),
            ("POST", "/v1/bookings", files.desk, [("Idempotency-Key", "same-3")], ["resource": "Chair 1", "duration": "1h", "customer": files.customer], 400),
            ("POST", "/v1/bookings", files.viewer, [("Idempotency-Key", "same-4")],
             ["resource": "Chair 1", "start": ServerHarness.at(32, "10:00"), "duration": "1h", "customer": files.customer], 403),
            ("POST", "/v1/bookings/\(keptId)/cancel", files.desk, [("If-Match", "\"7\"")], ["reason": "stale"], 412),
            ("POST", "/v1/bookings/\(keptId)/confirm", files.desk, [], nil, 428),
            ("POST", "/v1/bookings/\(cancelledId)/confirm", files.desk, [("If-Match", "\"2\"")], nil, 400),
        ]
        for (method, path, token, headers, json, status) in requests {
            let x = try onFiles.call(method, path, token: token, headers: headers, json: json)
            let y = try onDatabase.call(method, path, token: token, headers: headers, json: json)
            #expect(x.status == status, "\(method) \(path): \(x.status) on files: \(x.text)")
            #expect(x.status == y.status, "\(method) \(path): \(x.status) on files, \(y.status) on PostgreSQL: \(y.text)")
            #expect(x.text == y.text, "\(method) \(path):\nfiles:      \(x.text)\nPostgreSQL: \(y.text)")
            #expect(x.headers["etag"] == y.headers["etag"], "\(method) \(path)")
        }
        // A booking made on both: the same answer but for its new id, reference and times of creation.
        let made = try [onFiles, onDatabase].map {
            try $0.call("POST", "/v1/bookings", token: files.desk, headers: [("Idempotency-Key", "both-1")],
                        json: ["resource": "Chair 1", "start": ServerHarness.at(33, "09:00"), "duration": "1h", "customer": files.customer])
        }
        #expect(made.map(\.status) == [201, 201])
        let shown = made.map { r -> NSDictionary in
            var o = r.object
            for k in ["id", "ref", "created_at", "updated_at", "history"] { o[k] = nil }
            return NSDictionary(dictionary: o)
        }
        #expect(shown[0].count > 5 && shown[0] == shown[1], "\(shown)")
        #expect(onFiles.stop() == 0)
    }
}
