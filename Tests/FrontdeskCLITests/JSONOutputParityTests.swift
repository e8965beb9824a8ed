import Foundation
import Testing
@testable import FrontdeskCLI
@testable import FrontdeskCore
@testable import FrontdeskDelivery
import FrontdeskJSON
import FrontdeskTUI

/// What `--json` commands and `export --format json` print, byte for byte against the
/// `Encodable` structs and `JSONEncoder` settings they were printed with before (kept here as
/// the reference), on the demo's bookings, customers, resources and waitlist.
@Suite struct JSONOutputParityTests {
    // MARK: The reference: the structs and encoders the command line used

    static let compact: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    static let pretty: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return e
    }()

    static func old<T: Encodable>(_ value: T, pretty: Bool = false) -> String {
        String(decoding: try! (pretty ? Self.pretty : Self.compact).encode(value), as: UTF8.self)
    }

    /// `BookingJSON` as it was.
    struct OldBookingJSON: Encodable {
        var id: String
        var ref: String
        var resource: String
        var resource_name: String
        var customer: String?
        var customer_name: String?
        var start: String
        var end: String
        var start_local: String
        var end_local: String
        var time_zone: String
        var status: String
        var version: Int
        var source: String
        var actor: String
        var origin: String
        var created_at: String
        var updated_at: String
        var notes: String
        var series: String?
        var occurrence_date: String?
        var hold_expires_at: String?
        var cancellation: CancellationJSON?
        var idempotency_key: String?
        var override_reason: String?
        var history: [HistoryJSON]?

        struct CancellationJSON: Encodable { var at: String; var by: String; var reason: String; var late: Bool }
        struct HistoryJSON: Encodable { var at: String; var user: String; var origin: String; var source: String; var action: String; var changes: [String]; var version: Int }

        init(_ b: Booking, state: BookingState, withHistory: Bool = false) {
            let r = state.resources[b.resource]
            let zone = r?.zone ?? .utc
            id = b.id.rawValue; ref = b.ref; resource = b.resource.rawValue; resource_name = r?.name ?? b.resource.rawValue
            customer = b.customer?.rawValue; customer_name = b.customer.flatMap { state.customers[$0]?.name }
            start = b.start.iso8601; end = b.end.iso8601
            start_local = Format.localISO(b.start, zone); end_local = Format.localISO(b.end, zone); time_zone = zone.identifier
            status = b.status.rawValue; version = b.version; source = b.updatedBy.source.rawValue
            actor = b.updatedBy.user; origin = b.updatedBy.origin
            created_at = b.createdAt.iso8601; updated_at = b.updatedAt.iso8601; notes = b.notes
            series = b.series?.rawValue; occurrence_date = b.occurrenceDate?.description; hold_expires_at = b.holdExpiresAt?.iso8601
            cancellation = b.cancellation.map { CancellationJSON(at: $0.at.iso8601, by: $0.by, reason: $0.reason, late: $0.late) }
            idempotency_key = b.idempotencyKey; override_reason = b.overrideReason
            history = withHistory ? b.history.map {
                HistoryJSON(at: $0.at.iso8601, user: $0.actor.user, origin: $0.actor.origin, source: $0.actor.source.rawValue, action: $0.action, changes: $0.changes, version: $0.version)
            } : nil
        }
    }

    struct OldCustomerJSON: Encodable { var id, ref, name: String; var phone, email, notes: String?; var version: Int }

    struct OldEntryJSON: Encodable {
        var id, ref, customer, customer_name: String
        var resources: [String]
        var window_start, window_end, duration: String
        var notes: String
        var fulfilled_by: String?
        var open: Bool
    }

    struct OldResourceJSON: Encodable {
        var id, ref, name, kind, time_zone, slot: String
        var parent, schedule: String?
        var archived: Bool
        var version: Int
        var buffer_before, buffer_after, min_notice, cancel_notice: String
        var max_advance, reminder: String?

        func encode(to encoder: any Encoder) throws {
            enum K: String, CodingKey {
                case id, ref, name, kind, time_zone, slot, parent, schedule, archived, version
                case buffer_before, buffer_after, min_notice, cancel_notice, max_advance, reminder
            }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(id, forKey: .id); try c.encode(ref, forKey: .ref); try c.encode(name, forKey: .name)
            try c.encode(kind, forKey: .kind); try c.encode(time_zone, forKey: .time_zone); try c.encode(slot, forKey: .slot)
            try c.encode(parent, forKey: .parent); try c.encode(schedule, forKey: .schedule)
            try c.encode(archived, forKey: .archived); try c.encode(version, forKey: .version)
            try c.encode(buffer_before, forKey: .buffer_before); try c.encode(buffer_after, forKey: .buffer_after)
            try c.encode(min_notice, forKey: .min_notice); try c.encode(cancel_notice, forKey: .cancel_notice)
            try c.encode(max_advance, forKey: .max_advance); try c.encode(reminder, forKey: .reminder)
        }
    }

    struct OldEndpointJSON: Encodable {
        var id: String, url: String, events: [String], created_at: String, disabled_at: String?, disabled_reason: String?
    }

    struct OldFailedJSON: Encodable {
        var event_id: String, event_type: String, target: String, attempts: Int, state: String, next_attempt_at: String?, error: String?
    }

    struct OldImportOutcome: Encodable {
        var row: Int
        var outcome: String
        var id: String?
        var conflicts_with: [String]?
        var error: ErrorInfo?
        struct ErrorInfo: Encodable { var code: String; var message: String }
    }

    struct OldEventLine: Encodable {
        var seq: UInt64
        var id: String
        var type: String
        var created_at: String
        var actor: String
        var origin: String
        var source: String
        var booking: OldBookingJSON?
        var waitlist_entry: String?
        var slot_resource: String?
        var slot_start: String?
        var slot_end: String?
    }

    struct OldDeliveryRecord: Encodable {
        var event_id: String
        var event_type: String
        var target: String
        var attempt: Int
        var time: String
        var outcome: String
        var status: Int?
        var duration_ms: Int?
        var error: String?
    }

    // MARK: The data

    /// The demo's state, with a few bookings given every optional field and awkward text.
    static let state: BookingState = {
        var state = FoundationParityTests.demo.state
        let ids = state.bookings.keys.sorted { $0.rawValue < $1.rawValue }
        let at = Instant(iso8601: "2027-03-01T08:00:00Z")!
        var changed: [Booking] = []
        for (i, id) in ids.prefix(4).enumerated() {
            var b = state.bookings[id]!
            b.notes = ["a/b \"q\" \\ é 漢 😀 <tag> &", "tab\there\nnew\u{1} line", "", "\u{2028}\u{7F}"][i]
            b.idempotencyKey = "key/\(i)"
            b.overrideReason = i == 1 ? nil : "manager \"ok\""
            b.holdExpiresAt = at + .minutes(15)
            b.cancellation = Cancellation(at: at, by: "ann", reason: "ill / away", late: i % 2 == 0)
            changed.append(b)
        }
        state.load(changed)
        return state
    }()

    static var bookings: [Booking] { state.bookings.values.sorted { $0.id.rawValue < $1.id.rawValue } }

    // MARK: Tests

    @Test func bookingsPrintAsTheyDid() {
        let all = Self.bookings
        #expect(all.count > 200)
        var differences: [String] = []
        for b in all {
            for history in [false, true] where Format.json(BookingJSON(b, state: Self.state, withHistory: history)) != Self.old(OldBookingJSON(b, state: Self.state, withHistory: history)) {
                differences.append("\(b.id)\(history ? " with history" : "")")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differ, e.g. \(differences.prefix(5))")
        // A list, one line.
        let some = Array(all.prefix(12))
        #expect(Format.json(some.map { BookingJSON($0, state: Self.state) }) == Self.old(some.map { OldBookingJSON($0, state: Self.state) }))
    }

    @Test func exportIsIndentedAsItWas() {
        for list in [Self.bookings, Array(Self.bookings.prefix(3)), []] {
            #expect(Format.prettyJSON(list.map { BookingJSON($0, state: Self.state) }) == Self.old(list.map { OldBookingJSON($0, state: Self.state) }, pretty: true))
        }
        // Golden bytes of an empty export, as `frontdesk export --format json` printed them.
        #expect(Format.prettyJSON([BookingJSON]()) == "[\n\n]")
        // A partial export: an object.
        struct Partial: Encodable { var partial = true; var missing: [String]; var bookings: [OldBookingJSON] }
        let some = Array(Self.bookings.prefix(2))
        for missing in [["bookings of 2027-03", "customers"], []] {
            let partial: JSONTree = ["partial": .bool(true), "missing": missing.json, "bookings": some.map { BookingJSON($0, state: Self.state) }.json]
            #expect(Format.prettyJSON(partial) == Self.old(Partial(missing: missing, bookings: some.map { OldBookingJSON($0, state: Self.state) }), pretty: true))
        }
    }

    @Test func customersResourcesAndWaitlistPrintAsTheyDid() {
        let state = Self.state
        var customers = state.customers.values.sorted { $0.id.rawValue < $1.id.rawValue }
        customers.append(Customer(id: CustomerID("cus_x"), ref: "C-999", name: "Zoë \"Q\" Müller", phone: "+44 7700 900123", email: "z@example.com/x", notes: "n\t1"))
        #expect(customers.count > 3)
        for c in customers {
            let old = OldCustomerJSON(id: c.id.rawValue, ref: c.ref, name: c.name, phone: c.phone, email: c.email, notes: c.notes, version: c.version)
            #expect(Format.json(CustomerPrinter.json(c)) == Self.old(old))
        }
        // Golden bytes, as `frontdesk customer add --json` printed them.
        #expect(Format.json(CustomerPrinter.json(Customer(id: CustomerID("cus_0ReRR4wn3vW"), ref: "C-001", name: "Zoë \"Q\" Müller", phone: "+44 7700 900123")))
                == #"{"id":"cus_0ReRR4wn3vW","name":"Zoë \"Q\" Müller","phone":"+44 7700 900123","ref":"C-001","version":1}"#)

        let resources = state.resources.values.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(resources.count > 3)
        let oldResources = resources.map { r in
            let p = state.policy(for: r.id)
            return OldResourceJSON(id: r.id.rawValue, ref: r.ref, name: r.name, kind: r.kind.description, time_zone: r.zone.identifier,
                                   slot: r.slotLength.text, parent: r.parent?.rawValue, schedule: r.schedule?.rawValue,
                                   archived: r.archived, version: r.version,
                                   buffer_before: p.bufferBefore.text, buffer_after: p.bufferAfter.text, min_notice: p.minimumNotice.text,
                                   cancel_notice: p.cancellationNotice.text, max_advance: p.maximumAdvance?.text, reminder: p.reminderLead?.text)
        }
        #expect(Format.json(resources.map { ResourcePrinter.json($0, state) }) == Self.old(oldResources))
        for (r, old) in zip(resources, oldResources) { #expect(Format.json(ResourcePrinter.json(r, state)) == Self.old(old)) }

        var entries = state.waitlist.values.sorted { $0.id.rawValue < $1.id.rawValue }
        #expect(!entries.isEmpty)
        entries[0].fulfilledBy = Self.bookings[0].id
        for e in entries {
            let old = OldEntryJSON(id: e.id.rawValue, ref: e.ref, customer: e.customer.rawValue, customer_name: state.customers[e.customer]?.name ?? "?",
                                   resources: e.resources.map(\.rawValue), window_start: e.window.start.iso8601, window_end: e.window.end.iso8601,
                                   duration: e.duration.text, notes: e.notes, fulfilled_by: e.fulfilledBy?.rawValue, open: e.isOpen)
            #expect(Format.json(WaitlistPrinter.json(e, state)) == Self.old(old))
        }
    }

    @Test func eventLinesPrintAsTheyDid() {
        let (_, events) = FoundationParityTests.demo
        #expect(events.count > 200)
        var differences: [String] = []
        for (i, e) in events.enumerated() {
            let old = OldEventLine(seq: UInt64(i + 1), id: e.id, type: e.type.rawValue, created_at: e.at.iso8601, actor: e.actor.user, origin: e.actor.origin,
                                   source: e.actor.source.rawValue, booking: e.booking.map { OldBookingJSON($0, state: Self.state) },
                                   waitlist_entry: e.waitlistEntry?.id.rawValue, slot_resource: e.slot?.resource.rawValue,
                                   slot_start: e.slot?.range.start.iso8601, slot_end: e.slot?.range.end.iso8601)
            if Format.json(EventsCommand.line(seq: UInt64(i + 1), e, state: Self.state)) != Self.old(old) { differences.append(e.id) }
        }
        #expect(differences.isEmpty, "\(differences.count) differ, e.g. \(differences.prefix(5))")
    }

    @Test func importOutcomesAndDeliveryListsPrintAsTheyDid() {
        let outcomes: [(ImportOutcome, OldImportOutcome)] = [
            (ImportOutcome(row: 1, outcome: "created", id: "bk_1"), OldImportOutcome(row: 1, outcome: "created", id: "bk_1")),
            (ImportOutcome(row: 2, outcome: "conflict", conflicts_with: ["bk_1", "bk/2"], error: .init(code: "conflict", message: "overlaps \"B-1\"")),
             OldImportOutcome(row: 2, outcome: "conflict", conflicts_with: ["bk_1", "bk/2"], error: .init(code: "conflict", message: "overlaps \"B-1\""))),
            (ImportOutcome(row: 3, outcome: "invalid", conflicts_with: [], error: .init(code: "invalid_input", message: "start: \n")),
             OldImportOutcome(row: 3, outcome: "invalid", conflicts_with: [], error: .init(code: "invalid_input", message: "start: \n"))),
        ]
        for (new, old) in outcomes { #expect(Format.json(new) == Self.old(old)) }

        let at = Instant(iso8601: "2027-03-01T08:00:00Z")!
        for e in [WebhookEndpoint(id: "wh_1", url: "https://example.com/a/b", events: [], secret: "s", createdAt: at),
                  WebhookEndpoint(id: "wh_2", url: "http://example.org/", events: ["booking.created", "booking.cancelled"], secret: "s", createdAt: at,
                                  disabledAt: at + .hours(1), disabledReason: "410 Gone \"bye\"", afterSequence: 7)] {
            let old = OldEndpointJSON(id: e.id, url: e.url, events: e.events.isEmpty ? ["all"] : e.events, created_at: e.createdAt.iso8601,
                                      disabled_at: e.disabledAt?.iso8601, disabled_reason: e.disabledReason)
            #expect(Format.json(WebhookCommand.json(e)) == Self.old(old))
            #expect(Format.json([WebhookCommand.json(e), WebhookCommand.json(e)]) == Self.old([old, old]))
        }

        let failed = [DeliveriesCommand.FailedJSON(event_id: "evt_1", event_type: "booking.created", target: "hook:all", attempts: 8, state: "dead_letter",
                                                    next_attempt_at: nil, error: "exit 1: \"no\""),
                      DeliveriesCommand.FailedJSON(event_id: "evt_2", event_type: "reminder.due", target: "webhook:wh_1", attempts: 2, state: "retrying",
                                                    next_attempt_at: "2027-03-01T08:05:00Z", error: nil)]
        #expect(Format.json(failed) == Self.old(failed.map {
            OldFailedJSON(event_id: $0.event_id, event_type: $0.event_type, target: $0.target, attempts: $0.attempts, state: $0.state,
                          next_attempt_at: $0.next_attempt_at, error: $0.error)
        }))
        #expect(Format.json([DeliveriesCommand.FailedJSON]()) == "[]")

        let records = [DeliveryRecord(event_id: "evt_1", event_type: "booking.created", target: "webhook:wh_1", attempt: 1, time: "2027-03-01T08:00:00Z",
                                      outcome: .deadLettered, status: 500, duration_ms: 12, error: "HTTP 500 / \"oops\""),
                       DeliveryRecord(event_id: "evt_2", event_type: "booking.cancelled", target: "hook:all", attempt: 2, time: "2027-03-01T08:00:01Z",
                                      outcome: .delivered, status: nil, duration_ms: nil, error: nil)]
        #expect(Format.json(JSONTree.array(records.map(\.json))) == Self.old(records.map {
            OldDeliveryRecord(event_id: $0.event_id, event_type: $0.event_type, target: $0.target, attempt: $0.attempt, time: $0.time,
                              outcome: $0.outcome.rawValue, status: $0.status, duration_ms: $0.duration_ms, error: $0.error)
        }))

        // The small objects commands print from dictionaries.
        #expect(Format.json(["delivered": 3, "failed": 0, "dead_lettered": 1, "queued": 4, "swept_events": 0, "requeued": 2])
                == Self.old(["delivered": 3, "failed": 0, "dead_lettered": 1, "queued": 4, "swept_events": 0, "requeued": 2]))
        #expect(Format.json(["data": "/tmp/a b/store", "resources": "0"]) == Self.old(["data": "/tmp/a b/store", "resources": "0"]))
        #expect(Format.json(["data": "/tmp/a b/store", "resources": "0"]) == #"{"data":"/tmp/a b/store","resources":"0"}"#)
    }
}
