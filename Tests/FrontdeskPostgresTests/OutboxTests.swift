import Foundation
import FrontdeskCore
import FrontdeskDelivery
import FrontdeskPostgres
import FrontdeskPostgresTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The outbox on PostgreSQL: events written in the change's own transaction, the upgrade from
/// schema version 3, and several `frontdesk deliver` processes sharing one database.
@Suite("PostgreSQL outbox and deliverers", .serialized)
struct OutboxTests {
    /// The system clock, whole seconds, as the deliverer processes read it.
    struct RealClock: WallClock {
        func now() -> Instant { Instant(seconds: Int64(Date().timeIntervalSince1970)) }
    }

    static let desk = Author(user: "carol", origin: "local", source: .cli)
    static let secret = "outbox-test-secret"

    /// A database at the newest schema and a storage on it, on the system clock (deliverer
    /// processes read the same clock).
    static func database() throws -> (cluster: PostgresTestCluster, name: String, url: String, storage: PostgresBookingStorage) {
        let cluster = try PostgresTestCluster.shared
        let name = try cluster.createDatabase()
        let url = cluster.url(database: name)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        _ = try SchemaMigrator(session: session).migrate()
        session.close()
        let storage = try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: RealClock()))
        return (cluster, name, url, storage)
    }

    static func trimmed(_ r: (status: Int32, output: String, error: String)) -> String {
        r.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func addRoom(_ storage: PostgresBookingStorage, _ name: String = "Room 1") throws -> ResourceID {
        try storage.write("resource add", .directory) { s, e throws(CoreError) in
            try e.addResource(ResourceDraft(name: name, zone: .utc), in: s, by: desk)
        }.id
    }

    /// Books half an hour on `room`, `slot` hours into the day after tomorrow (20 slots a day).
    static func book(_ storage: PostgresBookingStorage, _ room: ResourceID, slot: Int) throws -> Booking {
        let start = Instant(seconds: (RealClock().now().seconds / 86_400 + 2 + Int64(slot / 20)) * 86_400) + .hours(Int64(slot % 20))
        let request = BookingRequest(resource: room, range: TimeRange(start: start, end: start + .minutes(30)))
        return try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: desk) }.bookings[0]
    }

    static func cancel(_ storage: PostgresBookingStorage, _ b: Booking) throws {
        _ = try storage.write("cancel", .cancel(b.id)) { s, e throws(CoreError) in try e.cancel(b.id, reason: "ill", in: s, by: desk) }
    }

    @Test("each write's events are in the outbox from its own transaction; a write the database refuses leaves none")
    func eventsInTheWritesTransaction() throws {
        let (cluster, name, _, storage) = try Self.database()
        defer { storage.close() }
        let room = try Self.addRoom(storage)
        let booked = try Self.book(storage, room, slot: 10)
        try Self.cancel(storage, booked)
        let rows = try cluster.psql(database: name, """
            SELECT change, kind, coalesce(booking, '-'), payload->>'id' = event_id, payload->>'type' = kind FROM outbox ORDER BY seq
            """)
        #expect(Self.trimmed(rows) == """
            1|resource.updated|-|t|t
            2|booking.created|\(booked.id.rawValue)|t|t
            3|booking.cancelled|\(booked.id.rawValue)|t|t
            """)
        // The change to another entity has an id from its change number.
        #expect(Self.trimmed(try cluster.psql(database: name, "SELECT event_id FROM outbox WHERE change = 1")) == "evt_d1c0")

        // A booking the engine plans but the database refuses (it overlaps a row written with
        // plain SQL) is rolled back with its event.
        let day = Instant(seconds: (RealClock().now().seconds / 86_400 + 3) * 86_400)
        let inserted = try cluster.psql(database: name, """
            BEGIN;
            SELECT frontdesk_ensure_month(to_timestamp(\(day.seconds)));
            INSERT INTO booking_keys (id, ref) VALUES ('bk_sql', 'B-SQL');
            INSERT INTO bookings (id, ref, resource, start_at, end_at, status, created_by, updated_by, created_at, updated_at, version)
            VALUES ('bk_sql', 'B-SQL', '\(room.rawValue)', to_timestamp(\(day.seconds)), to_timestamp(\(day.seconds + 3_600)), 'confirmed', '{}', '{}', now(), now(), 1);
            COMMIT;
            """)
        #expect(inserted.status == 0, "\(inserted.error)")
        let request = BookingRequest(resource: room, range: TimeRange(start: day + .minutes(30), end: day + .minutes(90)))
        #expect(throws: PostgresStoreError.self) {
            _ = try storage.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Self.desk) }
        }
        #expect(Self.trimmed(try cluster.psql(database: name, "SELECT count(*), max(change) FROM outbox")) == "3|3")
        // The payload reads back as the event the deliverer sends.
        let payload = try cluster.psql(database: name, "SELECT payload->'booking'->>'id', payload->'booking'->>'status' FROM outbox WHERE change = 3")
        #expect(Self.trimmed(payload) == "\(booked.id.rawValue)|cancelled")
    }

    @Test("a database at schema version 3 upgrades to the newest (the outbox is version 5): its outbox rows keep their time as queued_at and get an id; writes then fill the outbox")
    func upgradeFromVersion3() throws {
        let cluster = try PostgresTestCluster.shared
        let name = try cluster.createDatabase()
        let url = cluster.url(database: name)
        let session = try PostgresEnvironment.connect(url, environment: [:])
        defer { session.close() }
        #expect(try SchemaMigrator(session: session, migrations: Array(SchemaMigration.all.prefix(3))).migrate() == .init(from: 0, to: 3))
        let old = try cluster.psql(database: name, """
            INSERT INTO outbox (at, kind, payload, delivered_at) VALUES ('2027-01-01T00:00Z', 'booking.created', '{}', '2027-01-01T00:01Z')
            """)
        #expect(old.status == 0, "\(old.error)")
        #expect(throws: PostgresStoreError.schemaBehind(found: 3, required: SchemaMigration.latestVersion)) {
            try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: RealClock()))
        }
        #expect(try SchemaMigrator(session: session).migrate() == .init(from: 3, to: SchemaMigration.latestVersion))
        let kept = try cluster.psql(database: name, "SELECT event_id, queued_at = '2027-01-01T00:01Z' FROM outbox")
        #expect(Self.trimmed(kept) == "evt_o1|t")
        let storage = try PostgresBookingStorage.connect(url, environment: [:], engine: BookingEngine(clock: RealClock()))
        defer { storage.close() }
        let booked = try Self.book(storage, try Self.addRoom(storage), slot: 9)
        let rows = try cluster.psql(database: name, "SELECT kind, booking FROM outbox WHERE queued_at IS NULL ORDER BY seq")
        #expect(Self.trimmed(rows) == "resource.updated|\nbooking.created|\(booked.id.rawValue)")
        #expect(Self.trimmed(try cluster.psql(database: name, "SELECT count(*) FROM outbox_jobs")) == "0")
    }

    // MARK: Deliverer processes

    /// A configuration directory with one webhook for every booking event, pointing at
    /// `receiver`'s `path`.
    static func config(_ receiver: WebhookReceiver, path: String = "/hook") throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        _ = try WebhookRegistry(directory: dir.path).add(url: receiver.url.replacingOccurrences(of: "/hook", with: path), events: [],
                                                        secret: secret, now: Instant(seconds: 0))
        return dir
    }

    /// Starts `frontdesk deliver --follow` on `url` with `config`; its output goes to `log`.
    static func deliverer(_ url: String, config: String, log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SchemaCommandTests.productsDirectory + "/frontdesk")
        p.arguments = ["deliver", "--follow", "--data", url, "--config", config]
        p.environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb"]
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    static func stop(_ processes: [Process]) {
        // SIGKILL: the test process's threads block SIGTERM, and the child inherits that mask.
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL) }
        for p in processes { p.waitUntilExit() }
    }

    /// Waits until `done` holds, up to `seconds` (a bound that only keeps a failing test from hanging).
    static func wait(seconds: Double, until done: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if try done() { return true }
            usleep(100_000)
        }
        return try done()
    }

    /// Books `count` bookings and cancels every third one: the event ids expected at a webhook
    /// for all booking events, and each booking's event types in order.
    static func makeEvents(_ cluster: PostgresTestCluster, _ name: String, _ storage: PostgresBookingStorage, count: Int) throws -> Set<String> {
        let room = try addRoom(storage)
        for i in 0..<count {
            let b = try book(storage, room, slot: i)
            if i % 3 == 0 { try cancel(storage, b) }
            if i % 20 == 19 { _ = try addRoom(storage, "Room \(i)") }
        }
        let ids = try cluster.psql(database: name, "SELECT event_id FROM outbox WHERE kind LIKE 'booking.%' ORDER BY seq")
        return Set(trimmed(ids).split(separator: "\n").map(String.init))
    }

    @Test("three deliverers on one database and one receiver: every booking event arrives once, signed, each booking's in order")
    func threeDeliverersDeliverEachEventOnce() throws {
        let (cluster, name, url, storage) = try Self.database()
        defer { storage.close() }
        let receiver = try WebhookReceiver(delay: 0.02)
        defer { receiver.stop() }
        let config = try Self.config(receiver)
        defer { config.remove() }
        let deliverers = try (0..<3).map { try Self.deliverer(url, config: config.path, log: config.path + "/deliverer-\($0).log") }
        defer { Self.stop(deliverers) }
        let expected = try Self.makeEvents(cluster, name, storage, count: 45)
        #expect(expected.count == 60)
        let arrived = Self.wait(seconds: 120) { Set(receiver.requests.map(\.eventID)).isSuperset(of: expected) }
        #expect(arrived, "\(expected.subtracting(receiver.requests.map(\.eventID)).count) events missing")
        // Every job is settled in the database before the next batch is claimed: once all are
        // delivered, nothing more can be sent.
        #expect(try Self.wait(seconds: 30) {
            Self.trimmed(try cluster.psql(database: name, "SELECT count(*) FROM outbox_jobs WHERE delivered_at IS NULL")) == "0"
        })
        usleep(500_000)
        let received = receiver.requests
        #expect(received.count == expected.count, "\(received.count) requests for \(expected.count) events")
        #expect(Set(received.map(\.eventID)) == expected)
        let running = deliverers.filter { $0.isRunning }.count
        #expect(running == 3)
        // Signed with the webhook's secret; the body names the event and the resource.
        for r in received {
            let signature = r.headers["frontdesk-signature"] ?? ""
            #expect(WebhookSignature.verify(header: signature, secret: Self.secret, body: r.body, now: RealClock().now()))
            #expect(r.json["id"] as? String == r.eventID)
            #expect((r.json["data"] as? [String: Any])?["resource_name"] as? String == "Room 1")
        }
        // A booking's cancellation never arrives before its creation.
        var seen: [String: [String]] = [:]
        for r in received {
            let booking = (r.json["data"] as? [String: Any])?["id"] as? String ?? ""
            seen[booking, default: []].append(r.headers["frontdesk-event-type"] ?? "")
        }
        #expect(seen.count == 45)
        for (booking, types) in seen {
            #expect(types == ["booking.created"] || types == ["booking.created", "booking.cancelled"], "\(booking): \(types)")
        }
    }

    @Test("two deliverers, one SIGKILLed in the middle of a batch: the other takes its claimed jobs over, sends what it had sent again, and every event arrives")
    func killedDelivererIsTakenOver() throws {
        let (cluster, name, url, storage) = try Self.database()
        defer { storage.close() }
        // Slow answers: each deliverer spends seconds inside each batch of 10.
        let receiver = try WebhookReceiver(delay: 0.15)
        defer { receiver.stop() }
        // The same webhook (id, secret) in two configuration directories whose URLs differ
        // in the path: the receiver sees which deliverer sent each request.
        let survivorConfig = try Self.config(receiver, path: "/survivor")
        defer { survivorConfig.remove() }
        let victimConfig = try TemporaryDirectory()
        defer { victimConfig.remove() }
        let webhooks = try String(contentsOfFile: survivorConfig.path + "/webhooks.json", encoding: .utf8)
        try victimConfig.write(victimConfig.path + "/webhooks.json", webhooks.replacingOccurrences(of: "/survivor", with: "/victim"), mode: 0o600)
        // Every event first, so that each deliverer's first claim is a whole batch.
        let expected = try Self.makeEvents(cluster, name, storage, count: 30)
        #expect(expected.count == 40)
        let victim = try Self.deliverer(url, config: victimConfig.path, log: victimConfig.path + "/out.log")
        let survivor = try Self.deliverer(url, config: survivorConfig.path, log: survivorConfig.path + "/out.log")
        defer { Self.stop([survivor]) }
        #expect(Self.wait(seconds: 60) { receiver.requests.contains { $0.path == "/victim" } })
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        // Killed inside its first batch of 10: it had sent some of it and recorded none.
        let sentByVictim = receiver.requests.filter { $0.path == "/victim" }.map(\.eventID)
        #expect(!sentByVictim.isEmpty && sentByVictim.count < 10, "\(sentByVictim.count) sent")
        let arrived = Self.wait(seconds: 120) { Set(receiver.requests.map(\.eventID)).isSuperset(of: expected) }
        #expect(arrived, "\(expected.subtracting(receiver.requests.map(\.eventID)).count) events missing")
        #expect(try Self.wait(seconds: 30) {
            Self.trimmed(try cluster.psql(database: name, "SELECT count(*) FROM outbox_jobs WHERE delivered_at IS NULL")) == "0"
        })
        // At least once: the survivor claimed the victim's jobs and sent them, those the victim
        // had sent included; nothing is lost.
        let bySurvivor = receiver.requests.filter { $0.path == "/survivor" }.map(\.eventID)
        for id in sentByVictim {
            #expect(bySurvivor.contains(id), "\(id) was not sent again")
        }
        #expect(Set(receiver.requests.map(\.eventID)) == expected)
        #expect(survivor.isRunning)
    }
}

extension OutboxTests {
    @Test("deliver on a URL needs --config; --config on a data directory is refused")
    func configIsForADatabase() throws {
        let (_, _, url, storage) = try Self.database()
        storage.close()
        let missing = try StorageCommandTests.run(["deliver"], url)
        #expect(missing.status == 64 && missing.error.contains("--config DIR is needed"), "\(missing.status) \(missing.error)")
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let onDirectory = try SchemaCommandTests.frontdesk(["deliver", "--data", dir.path + "/store", "--config", dir.path])
        #expect(onDirectory.status == 64 && onDirectory.error.contains("--config is for a postgresql:// store"), "\(onDirectory.error)")
    }

    @Test("two one-pass deliverers at once sweep a due reminder through the storage's write: one reminder.due, stored and delivered once")
    func reminderSweptOnce() throws {
        let (cluster, name, url, storage) = try Self.database()
        storage.close()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let config = try Self.config(receiver)
        defer { config.remove() }
        let room = try StorageCommandTests.run(["resource", "add", "--name", "Room 1", "--tz", "UTC", "--reminder", "24h"], url)
        #expect(room.status == 0, "\(room.error)")
        #expect(try StorageCommandTests.run(["customer", "add", "--name", "Ann Lee", "--phone", "+44 20 7946 0001"], url).status == 0)
        // Three hours from now, inside the 24 h lead.
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3_600).rounded(.down) * 3_600 + 3 * 3_600)
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        let booked = try StorageCommandTests.run(["book", "--customer", "Ann Lee", "--resource", "Room 1", "--start", formatter.string(from: start),
                                                  "--duration", "1h", "--json"], url)
        #expect(booked.status == 0, "\(booked.error)")
        let ref = try #require(StorageCommandTests.ref(booked.output))
        let passes = try RaceTests.together([
            ["deliver", "--data", url, "--config", config.path], ["deliver", "--data", url, "--config", config.path],
        ])
        #expect(passes.allSatisfy { $0.status == 0 }, "\(passes)")
        let reminders = try cluster.psql(database: name, "SELECT count(*) FROM outbox WHERE kind = 'reminder.due'")
        #expect(Self.trimmed(reminders) == "1")
        let sent = try cluster.psql(database: name, "SELECT count(*) FROM bookings WHERE ref = '\(ref)' AND reminder_sent_at IS NOT NULL")
        #expect(Self.trimmed(sent) == "1")
        let received = receiver.requests.filter { $0.headers["frontdesk-event-type"] == "reminder.due" }
        #expect(received.count == 1)
        // The body reaches the customer, as on a data directory.
        #expect((received.first?.json["data"] as? [String: Any])?["customer_phone"] as? String == "+44 20 7946 0001")
        #expect(receiver.requests.filter { $0.headers["frontdesk-event-type"] == "booking.created" }.count == 1)
    }
}

extension OutboxTests {
    @Test("webhook add, list and remove on a URL keep webhooks.json in --config, record webhook.changed, and the deliverers send to it")
    func webhookCommandsOnADatabase() throws {
        let (cluster, name, url, storage) = try Self.database()
        storage.close()
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let config = try TemporaryDirectory()
        defer { config.remove() }
        let env = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "TERM": "dumb"]
        let frontdesk = SchemaCommandTests.productsDirectory + "/frontdesk"
        let secretFile = config.path + "/secret"
        try config.write(secretFile, Self.secret + "\n", mode: 0o600)
        let added = try PostgresTestCluster.capture(frontdesk, ["webhook", "add", receiver.url, "--secret-file", secretFile, "--json", "--data", url,
                                                                "--config", config.path], environment: env)
        #expect(added.status == 0, "\(added.error)")
        let missing = try StorageCommandTests.run(["webhook", "list"], url)
        #expect(missing.status == 64 && missing.error.contains("--config DIR is needed"), "\(missing.error)")
        let list = try StorageCommandTests.run(["webhook", "list", "--json", "--config", config.path], url)
        #expect(list.status == 0 && list.output.contains(receiver.url), "\(list.error)")
        let changed = try cluster.psql(database: name, "SELECT count(*) FROM outbox WHERE kind = 'webhook.changed'")
        #expect(Self.trimmed(changed) == "1")
        #expect(try StorageCommandTests.run(["resource", "add", "--name", "Room 1", "--tz", "UTC"], url).status == 0)
        #expect(try StorageCommandTests.run(["book", "--block", "inventory", "--resource", "Room 1", "--start", "2030-03-04 10:00", "--duration", "1h"], url).status == 0)
        let pass = try StorageCommandTests.run(["deliver", "--config", config.path], url)
        #expect(pass.status == 0, "\(pass.error)")
        #expect(receiver.requests.map { $0.headers["frontdesk-event-type"] ?? "" } == ["booking.created"])
        let id = try #require(list.output.split(separator: "\"").first { $0.hasPrefix("wh_") }.map(String.init))
        #expect(try StorageCommandTests.run(["webhook", "remove", id, "--config", config.path], url).status == 0)
        let empty = try StorageCommandTests.run(["webhook", "list", "--config", config.path], url)
        #expect(empty.status == 0 && empty.output.contains("No webhooks."), "\(empty.error)")
        #expect(Self.trimmed(try cluster.psql(database: name, "SELECT count(*) FROM outbox WHERE kind = 'webhook.changed'")) == "2")
    }
}

/// Which binary loads what: the database client only where a command needs it, webhook sending
/// (FoundationNetworking) only in the deliverers.
@Suite("PostgreSQL deliverer binary")
struct DelivererBinaryTests {
    /// Whether the binary's bytes name PostgresNIO's module (its mangled symbols do).
    static func linksPostgresNIO(_ binary: String) throws -> Bool {
        try Data(contentsOf: URL(fileURLWithPath: binary)).range(of: Data("11PostgresNIO".utf8)) != nil
    }

    /// Whether the binary loads libFoundationNetworking (`ldd`).
    static func loadsFoundationNetworking(_ binary: String) throws -> Bool {
        let r = try PostgresTestCluster.capture("/usr/bin/ldd", [binary])
        #expect(r.status == 0, "\(r.error)")
        return r.output.contains("libFoundationNetworking")
    }

    @Test("frontdesk-deliver links no PostgresNIO, frontdesk-postgres loads no FoundationNetworking, frontdesk-deliver-postgres has both")
    func eachBinaryLoadsWhatItNeeds() throws {
        let dir = SchemaCommandTests.productsDirectory
        #expect(try !Self.linksPostgresNIO(dir + "/frontdesk"))
        #expect(try !Self.linksPostgresNIO(dir + "/frontdesk-deliver"))
        #expect(try Self.linksPostgresNIO(dir + "/frontdesk-postgres"))
        #expect(try Self.linksPostgresNIO(dir + "/frontdesk-deliver-postgres"))
        #expect(try !Self.loadsFoundationNetworking(dir + "/frontdesk"))
        #expect(try Self.loadsFoundationNetworking(dir + "/frontdesk-deliver"))
        #expect(try !Self.loadsFoundationNetworking(dir + "/frontdesk-postgres"))
        #expect(try Self.loadsFoundationNetworking(dir + "/frontdesk-deliver-postgres"))
    }
}
