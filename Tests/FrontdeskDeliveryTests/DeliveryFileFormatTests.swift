import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskDelivery
import FrontdeskStore

/// The deliverer's files and payloads, byte for byte as earlier versions wrote them (the
/// golden texts below are what `JSONEncoder` with sorted keys wrote for the same values), read
/// back from those bytes, and refused with the place named when damaged.
@Suite struct DeliveryFileFormatTests {
    static func t(_ s: String) -> Instant { Instant(iso8601: s)! }

    static let actor = Author(user: "ann", origin: "10.0.0.5", source: .cli)

    /// A booking with every optional field set and text that needs escaping.
    static let booking = Booking(
        id: BookingID("bk_1"), ref: "B-001", resource: ResourceID("res_1"), customer: CustomerID("cus_1"),
        range: TimeRange(start: t("2027-03-02T10:00:00Z"), end: t("2027-03-02T11:00:00Z")), status: .cancelled,
        createdBy: actor, updatedBy: Author(user: "bob", origin: "local", source: .tui), version: 2,
        createdAt: t("2027-03-01T08:00:00Z"), updatedAt: t("2027-03-01T09:00:00Z"), notes: "a/b \"q\" \\ é 😀\ttab\u{1}",
        series: SeriesID("ser_1"), occurrenceDate: LocalDate("2027-03-02")!, holdExpiresAt: t("2027-03-01T08:15:00Z"),
        cancellation: Cancellation(at: t("2027-03-01T09:00:00Z"), by: "bob", reason: "ill / away", late: true),
        idempotencyKey: "k-1", overrideReason: "manager ok", history: [
            HistoryEntry(at: t("2027-03-01T08:00:00Z"), actor: actor, action: "created", changes: ["status confirmed"], version: 1),
            HistoryEntry(at: t("2027-03-01T09:00:00Z"), actor: actor, action: "cancelled", changes: [], version: 2),
        ], reminderSentAt: t("2027-03-01T08:30:00Z"))

    static let bookingJSON = #"{"cancellation":{"at":"2027-03-01T09:00:00Z","by":"bob","late":true,"reason":"ill / away"},"#
        + #""createdAt":"2027-03-01T08:00:00Z","createdBy":{"origin":"10.0.0.5","source":"cli","user":"ann"},"customer":"cus_1","#
        + #""history":[{"action":"created","actor":{"origin":"10.0.0.5","source":"cli","user":"ann"},"at":"2027-03-01T08:00:00Z","changes":["status confirmed"],"version":1},"#
        + #"{"action":"cancelled","actor":{"origin":"10.0.0.5","source":"cli","user":"ann"},"at":"2027-03-01T09:00:00Z","changes":[],"version":2}],"#
        + #""holdExpiresAt":"2027-03-01T08:15:00Z","id":"bk_1","idempotencyKey":"k-1","notes":"a/b \"q\" \\ é 😀\ttab\u0001","#
        + #""occurrenceDate":"2027-03-02","overrideReason":"manager ok","range":{"end":"2027-03-02T11:00:00Z","start":"2027-03-02T10:00:00Z"},"#
        + #""ref":"B-001","reminderSentAt":"2027-03-01T08:30:00Z","resource":"res_1","series":"ser_1","status":"cancelled","#
        + #""updatedAt":"2027-03-01T09:00:00Z","updatedBy":{"origin":"local","source":"tui","user":"bob"},"version":2}"#

    static let bookingEvent = DomainEvent(id: "evt_1", type: .bookingCancelled, at: t("2027-03-01T09:00:00Z"), actor: actor, booking: booking)

    static let entry = WaitlistEntry(id: WaitlistEntryID("wl_1"), ref: "W-001", customer: CustomerID("cus_2"), resources: [ResourceID("res_1"), ResourceID("res_2")],
                                     window: TimeRange(start: t("2027-03-04T09:00:00Z"), end: t("2027-03-04T17:00:00Z")), duration: .hours(1),
                                     notes: "any/time", createdAt: t("2027-03-01T08:00:00Z"), createdBy: actor)

    static let slotEvent = DomainEvent(id: "evt_2", type: .waitlistSlotOpened, at: t("2027-03-01T10:00:00Z"), actor: .system, waitlistEntry: entry,
                                       slot: Slot(resource: ResourceID("res_2"), range: TimeRange(start: t("2027-03-04T10:00:00Z"), end: t("2027-03-04T11:00:00Z"))))

    static let entryJSON = #"{"createdAt":"2027-03-01T08:00:00Z","createdBy":{"origin":"10.0.0.5","source":"cli","user":"ann"},"customer":"cus_2","#
        + #""duration":3600,"id":"wl_1","notes":"any/time","ref":"W-001","resources":["res_1","res_2"],"#
        + #""window":{"end":"2027-03-04T17:00:00Z","start":"2027-03-04T09:00:00Z"}}"#
    static let slotJSON = #"{"range":{"end":"2027-03-04T11:00:00Z","start":"2027-03-04T10:00:00Z"},"resource":"res_2"}"#

    @Test func envelopesAreTheBytesWebhooksSigned() {
        #expect(String(decoding: EventEnvelope.body(Self.bookingEvent, render: EventEnvelope.coreData), as: UTF8.self)
                == #"{"created_at":"2027-03-01T09:00:00Z","data":{"booking":"# + Self.bookingJSON + #"},"id":"evt_1","type":"booking.cancelled"}"#)
        #expect(String(decoding: EventEnvelope.body(Self.slotEvent, render: EventEnvelope.coreData), as: UTF8.self)
                == #"{"created_at":"2027-03-01T10:00:00Z","data":{"slot":"# + Self.slotJSON + #","waitlist_entry":"# + Self.entryJSON
                + #"},"id":"evt_2","type":"waitlist.slot_opened"}"#)
        // Data that is not JSON becomes {}.
        #expect(String(decoding: EventEnvelope.body(Self.bookingEvent, render: { _ in Array("not json".utf8) }), as: UTF8.self)
                == #"{"created_at":"2027-03-01T09:00:00Z","data":{},"id":"evt_1","type":"booking.cancelled"}"#)
    }

    /// `delivery-state.json` as version 1 wrote it.
    static let stateFile = #"{"cursor":5,"deadLetters":[{"attempts":8,"event":{"actor":{"origin":"10.0.0.5","source":"cli","user":"ann"},"#
        + #""at":"2027-03-01T09:00:00Z","booking":"# + bookingJSON + #","id":"evt_1","type":"booking.cancelled"},"index":0,"#
        + #""lastError":"exit status 1: \"no\"","notBefore":"2027-03-01T10:00:00Z","sequence":3,"target":"hook:all"}],"#
        + #""queue":[{"attempts":0,"event":{"actor":{"origin":"local","source":"system","user":"frontdesk"},"at":"2027-03-01T10:00:00Z","#
        + #""id":"evt_2","slot":"# + slotJSON + #","type":"waitlist.slot_opened","waitlistEntry":"# + entryJSON + #"},"#
        + #""index":1,"notBefore":"2027-03-01T10:00:00Z","sequence":5,"target":"webhook:wh_1"}],"version":1}"#

    static var state: DeliveryState {
        var s = DeliveryState()
        s.cursor = 5
        s.deadLetters = [DeliveryJob(sequence: 3, index: 0, event: bookingEvent, target: .hook("all"), attempts: 8,
                                     notBefore: t("2027-03-01T10:00:00Z"), lastError: "exit status 1: \"no\"")]
        s.queue = [DeliveryJob(sequence: 5, index: 1, event: slotEvent, target: .webhook("wh_1"), attempts: 0, notBefore: t("2027-03-01T10:00:00Z"), lastError: nil)]
        return s
    }

    @Test func deliveryStateKeepsItsFormat() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // An earlier version's file reads back as the same state.
        try Data(Self.stateFile.utf8).write(to: URL(fileURLWithPath: DeliveryState.path(in: dir)))
        let loaded = try DeliveryState.load(directory: dir)
        #expect(loaded == Self.state)
        #expect(loaded.deadLetters.first?.event.booking?.history.count == 2)
        #expect(loaded.queue.first?.event.waitlistEntry?.duration == .hours(1))
        // Saved, it is the same bytes.
        try Self.state.save(directory: dir)
        #expect(try String(contentsOfFile: DeliveryState.path(in: dir), encoding: .utf8) == Self.stateFile)
        // Keys in another order, null optionals and unknown keys read as before.
        let shuffled = #"{"version":1,"queue":[],"extra":{"x":[1,2]},"deadLetters":[{"target":"hook:all","sequence":3,"notBefore":"2027-03-01T10:00:00Z","#
            + #""lastError":null,"index":0,"event":{"type":"booking.created","id":"evt_9","at":"2027-03-01T09:00:00Z","booking":null,"#
            + #""actor":{"user":"ann","source":"cli","origin":"local"}},"attempts":1}],"cursor":3}"#
        try Data(shuffled.utf8).write(to: URL(fileURLWithPath: DeliveryState.path(in: dir)))
        let other = try DeliveryState.load(directory: dir)
        #expect(other.cursor == 3 && other.deadLetters.count == 1 && other.deadLetters[0].lastError == nil && other.deadLetters[0].event.booking == nil)
    }

    /// Events are written by the store's one event writer: a booking's other resources (which
    /// the journal holds) reach a hook's core data and come back from `delivery-state.json`.
    @Test func aBookingOfSeveralResourcesKeepsThemInDeliveryFiles() throws {
        var b = Self.booking
        b.otherResources = [ResourceID("res_3"), ResourceID("res_2")]
        let event = DomainEvent(id: "evt_3", type: .bookingCancelled, at: Self.t("2027-03-01T09:00:00Z"), actor: Self.actor, booking: b)
        let data = String(decoding: EventEnvelope.coreData(event), as: UTF8.self)
        #expect(data.contains(#""notes":"a/b \"q\" \\ é 😀\ttab\u0001","occurrenceDate":"2027-03-02","otherResources":["res_3","res_2"],"overrideReason""#), "\(data)")
        let dir = NSTemporaryDirectory() + "frontdesk-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var state = DeliveryState()
        state.queue = [DeliveryJob(sequence: 7, index: 0, event: event, target: .hook("all"), attempts: 0, notBefore: Self.t("2027-03-01T10:00:00Z"), lastError: nil)]
        try state.save(directory: dir)
        let loaded = try DeliveryState.load(directory: dir)
        #expect(loaded == state)
        #expect(loaded.queue.first?.event.booking?.otherResources == [ResourceID("res_3"), ResourceID("res_2")])
    }

    /// An event with a time the store cannot write is refused when the state is saved, naming
    /// the time, rather than written as a file that would not read back.
    @Test func anEventOutsideTheSupportedRangeIsNotSaved() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let far = Instant(seconds: SupportedRange.upperBound.seconds + 86400)
        let event = DomainEvent(id: "evt_4", type: .bookingCancelled, at: far, actor: Self.actor, booking: Self.booking)
        var state = DeliveryState()
        state.queue = [DeliveryJob(sequence: 8, index: 0, event: event, target: .hook("all"), attempts: 0, notBefore: Self.t("2027-03-01T10:00:00Z"), lastError: nil)]
        #expect(throws: DeliveryError.self) { try state.save(directory: dir) }
        #expect(!FileManager.default.fileExists(atPath: DeliveryState.path(in: dir)))
        #expect(String(decoding: EventEnvelope.coreData(event), as: UTF8.self) == "{}")
    }

    @Test func damagedDeliveryStateNamesWhatIsWrong() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func detail(_ text: String) -> String {
            try? Data(text.utf8).write(to: URL(fileURLWithPath: DeliveryState.path(in: dir)))
            do { _ = try DeliveryState.load(directory: dir); return "loaded" } catch { return String(describing: error) }
        }
        #expect(detail("{\n  \"cursor\": 1,\n  oops\n}").contains("line 3, column 3"))
        #expect(detail(#"{"cursor":1,"queue":[],"deadLetters":[],"version":2}"#).contains("format version 2 is newer"))
        #expect(detail(#"{"cursor":1,"queue":[],"version":1}"#).contains("deadLetters: missing"))
        #expect(detail(#"{"cursor":-1,"queue":[],"deadLetters":[],"version":1}"#).contains("cursor"))
        let badTime = Self.stateFile.replacingOccurrences(of: #""notBefore":"2027-03-01T10:00:00Z","sequence":5"#, with: #""notBefore":"soon","sequence":5"#)
        #expect(detail(badTime).contains("queue[0].notBefore"))
        let badTarget = Self.stateFile.replacingOccurrences(of: "hook:all", with: "mail:all")
        #expect(detail(badTarget).contains("not a delivery target: mail:all"))
        let badStatus = Self.stateFile.replacingOccurrences(of: #""status":"cancelled""#, with: #""status":"gone""#)
        #expect(detail(badStatus).contains("deadLetters[0].event.booking.status"))
        for d in [detail("[]"), detail(badTime), detail("")] { #expect(d.hasPrefix("damaged delivery file \(DeliveryState.path(in: dir))"), "\(d)") }
    }

    /// `webhooks.json` as `frontdesk webhook add` wrote it (two endpoints, the first for every
    /// event type): indented, keys sorted, an empty list over two lines.
    static let webhooksFile = """
        {
          "endpoints" : [
            {
              "afterSequence" : 8,
              "createdAt" : "2026-12-06T20:20:58Z",
              "events" : [

              ],
              "id" : "wh_tb1ihes6gm",
              "secret" : "s3cret",
              "url" : "https://example.com/hooks/a"
            },
            {
              "afterSequence" : 8,
              "createdAt" : "2026-12-06T20:20:58Z",
              "events" : [
                "booking.cancelled",
                "booking.created"
              ],
              "id" : "wh_gfgqi0bwuz",
              "secret" : "s3cret2",
              "url" : "http://example.org/b"
            }
          ],
          "revision" : 2,
          "version" : 1
        }
        """

    @Test func webhookRegistryKeepsItsFormat() throws {
        let at = Self.t("2026-12-06T20:20:58Z")
        let config = WebhookRegistry.Config(version: 1, revision: 2, endpoints: [
            WebhookEndpoint(id: "wh_tb1ihes6gm", url: "https://example.com/hooks/a", events: [], secret: "s3cret", createdAt: at, afterSequence: 8),
            WebhookEndpoint(id: "wh_gfgqi0bwuz", url: "http://example.org/b", events: ["booking.cancelled", "booking.created"], secret: "s3cret2",
                            createdAt: at, afterSequence: 8),
        ])
        #expect(String(decoding: config.bytes, as: UTF8.self) == Self.webhooksFile)
        #expect(try WebhookRegistry.Config(bytes: Array(Self.webhooksFile.utf8)) == config)
        // A disabled endpoint and one from before afterSequence existed.
        var older = config
        older.endpoints[0].afterSequence = nil
        older.endpoints[1].disabledAt = at + .hours(1)
        older.endpoints[1].disabledReason = "410 Gone"
        #expect(try WebhookRegistry.Config(bytes: older.bytes) == older)
        let text = String(decoding: older.bytes, as: UTF8.self)
        #expect(text.contains("\"disabledAt\" : \"2026-12-06T21:20:58Z\",\n      \"disabledReason\" : \"410 Gone\",\n      \"events\" : ["))
        // An empty registry.
        #expect(String(decoding: WebhookRegistry.Config().bytes, as: UTF8.self) == "{\n  \"endpoints\" : [\n\n  ],\n  \"revision\" : 0,\n  \"version\" : 1\n}")
        #expect(throws: SchemaError.self) { try WebhookRegistry.Config(bytes: Array(#"{"version":1,"revision":0,"endpoints":[{"id":"wh_1"}]}"#.utf8)) }
    }

    @Test func deliveryLogKeepsItsFormat() throws {
        let dir = NSTemporaryDirectory() + "frontdesk-format-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = [
            #"{"attempt":1,"duration_ms":12,"error":"HTTP 500 / \"oops\"","event_id":"evt_1","event_type":"booking.created","outcome":"failed","status":500,"target":"webhook:wh_1","time":"2027-03-01T08:00:00Z"}"#,
            #"{"attempt":2,"event_id":"evt_1","event_type":"booking.created","outcome":"dead_lettered","target":"hook:all","time":"2027-03-01T08:00:01Z"}"#,
        ]
        let records = [
            DeliveryRecord(event_id: "evt_1", event_type: "booking.created", target: "webhook:wh_1", attempt: 1, time: "2027-03-01T08:00:00Z",
                           outcome: .failed, status: 500, duration_ms: 12, error: "HTTP 500 / \"oops\""),
            DeliveryRecord(event_id: "evt_1", event_type: "booking.created", target: "hook:all", attempt: 2, time: "2027-03-01T08:00:01Z",
                           outcome: .deadLettered, status: nil, duration_ms: nil, error: nil),
        ]
        let log = DeliveryLog(directory: dir)
        for r in records { try log.append(r) }
        #expect(try String(contentsOfFile: log.path, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
        // Lines an earlier version wrote, a torn last line and a line of another shape are skipped.
        try Data((lines.joined(separator: "\n") + "\n{\"attempt\":1,\"event_id\":\"x\"}\n" + #"{"attempt":3,"event_id":"evt_1","ev"#).utf8)
            .write(to: URL(fileURLWithPath: log.path))
        #expect(try log.records() == records)
    }
}
