import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskTUI
@testable import FrontdeskCore
@testable import FrontdeskDelivery
import FrontdeskStore

/// What the command line writes where scripts and webhook receivers see it, byte for byte
/// against equivalent `JSONSerialization` code kept here as the reference.
@Suite struct FoundationParityTests {
    /// The demo's ~230 bookings, schedules and waitlist, planned on a fixed clock, and its events.
    static let demo: (state: BookingState, events: [DomainEvent]) = {
        let engine = BookingEngine(clock: FixedClock(Instant(iso8601: "2027-03-01T08:00:00Z")!))
        var state = BookingState()
        let planned = try! DemoData.plan(in: state, engine: engine, actor: Author(user: "ann", origin: "10.0.0.5", source: .cli), zone: Zone("Europe/London")!)
        // The reference code predates money and bookings of several resources: the demo's
        // prices and payments (whose JSON `MoneyCLITests` checks) and the chairs its salon
        // visits hold beside the stylist (`MultiResourceCLITests`) are taken out, leaving what
        // the reference knows.
        var tx = planned.transaction
        tx.mutations = tx.mutations.map { m in
            guard case .booking(var b) = m else { return m }
            b.charges = nil
            b.otherResources = []
            return .booking(b)
        }
        tx.events = tx.events.filter { ![.paymentRecorded, .refundDue, .feeCharged].contains($0.type) }.map { e in
            var e = e
            e.booking?.charges = nil
            e.booking?.otherResources = []
            return e
        }
        state.apply(tx)
        var events = tx.events
        // The event only the deliverer's sweep makes: a waitlist entry and a slot that fits it.
        let entry = state.waitlist.values.sorted { $0.id.rawValue < $1.id.rawValue }[0]
        var opened = events[0]
        opened.id = "evt_slot"; opened.type = .waitlistSlotOpened; opened.booking = nil
        opened.waitlistEntry = entry
        opened.slot = Slot(resource: entry.resources[0], range: entry.window)
        events.append(opened)
        return (state, events)
    }()

    static func foundationJSON(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }

    /// `EventData.render` written with `JSONSerialization`: the reference bytes.
    static func oldRender(_ e: DomainEvent, state: BookingState) -> [UInt8] {
        var obj: [String: Any] = [:]
        if let b = e.booking, let data = try? JSONOutputParityTests.compact.encode(JSONOutputParityTests.OldBookingJSON(b, state: state)),
           let dict = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            obj = dict
        }
        // Issue #20 item 22 added the customer's contact to reminders and waitlist entries.
        if e.type == .reminderDue, let b = e.booking {
            let c = b.customer.flatMap { state.customers[$0] }
            obj["customer_phone"] = (c?.phone).map { $0 as Any } ?? NSNull()
            obj["customer_email"] = (c?.email).map { $0 as Any } ?? NSNull()
        }
        if let w = e.waitlistEntry {
            obj["waitlist_entry"] = ["id": w.id.rawValue, "ref": w.ref, "customer": w.customer.rawValue,
                                     "customer_name": state.customers[w.customer]?.name as Any,
                                     "customer_phone": (state.customers[w.customer]?.phone).map { $0 as Any } ?? NSNull(),
                                     "customer_email": (state.customers[w.customer]?.email).map { $0 as Any } ?? NSNull(),
                                     "window_start": w.window.start.iso8601, "window_end": w.window.end.iso8601,
                                     "duration_minutes": w.duration.seconds / 60] as [String: Any]
        }
        if let s = e.slot {
            obj["slot"] = ["resource": s.resource.rawValue, "resource_name": state.resources[s.resource]?.name ?? s.resource.rawValue,
                           "start": s.range.start.iso8601, "end": s.range.end.iso8601]
        }
        return foundationJSON(obj)
    }

    /// `EventEnvelope.body` written with `JSONSerialization`: the reference bytes.
    static func oldBody(_ event: DomainEvent, render: EventEnvelope.DataRenderer) -> [UInt8] {
        let data = (try? JSONSerialization.jsonObject(with: Data(render(event)), options: [.fragmentsAllowed])) ?? [String: Any]()
        return foundationJSON(["id": event.id, "type": event.type.rawValue, "created_at": event.at.iso8601, "data": data] as [String: Any])
    }

    @Test func eventDataAndEnvelopesAreByteForByteWhatTheyWere() {
        let (state, events) = Self.demo
        #expect(events.count > 200)
        var differences: [String] = []
        for e in events {
            let render: EventEnvelope.DataRenderer = { EventData.render($0, state: state) }
            if EventData.render(e, state: state) != Self.oldRender(e, state: state) { differences.append("data of \(e.type) \(e.id)") }
            if EventEnvelope.body(e, render: render) != Self.oldBody(e, render: render) { differences.append("envelope of \(e.type) \(e.id)") }
            // The core's own encoding (camelCase keys: createdAt after created_at would not be byte order).
            if EventEnvelope.body(e, render: EventEnvelope.coreData) != Self.oldBody(e, render: EventEnvelope.coreData) {
                differences.append("core envelope of \(e.type) \(e.id)")
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differ, e.g. \(differences.prefix(5))")
    }

    @Test func errorJSONIsByteForByteWhatItWas() {
        let (state, _) = Self.demo
        let bookings = state.bookings.values.sorted { $0.id.rawValue < $1.id.rawValue }.prefix(3)
        let conflicts = bookings.enumerated().map { i, b in
            ConflictingBooking(id: b.id, ref: b.ref, resource: b.resource, resourceName: "Chair \(i) / \"west\" \\ wing",
                               range: b.range, status: b.status, customerName: i == 1 ? nil : "Zoë \u{1}Müller", heldBy: "ann@10.0.0.5")
        }
        let errors: [CoreError] = [
            .conflict(conflicts),
            .seriesConflicts([LocalDate("2027-03-08")!: [conflicts[0]], LocalDate("2027-03-15")!: [conflicts[1], conflicts[2]]]),
            .staleVersion(id: "bk_1", expected: 2, current: 3),
            .invalidInput(field: "start", message: "expected 2027-03-01 09:00 or an ISO-8601 time with /slashes/ and \n newline"),
        ]
        for e in errors {
            let (_, kind, message, extra) = FrontdeskMain.classify(e)
            // The old code's dictionary, from the same parts.
            var old: [String: Any] = ["code": kind, "message": message]
            switch e {
            case .conflict(let list): old["conflicts_with"] = list.map(Self.oldConflict)
            case .seriesConflicts(let map):
                old["conflicts_with"] = map.keys.sorted().flatMap { d in (map[d] ?? []).map { var o = Self.oldConflict($0); o["occurrence_date"] = d.description; return o } }
            case .staleVersion(_, _, let current): old["current_version"] = current
            default: break
            }
            let expected = String(decoding: Self.foundationJSON(["error": old]), as: UTF8.self)
            #expect(FrontdeskMain.errorJSON(kind: kind, message: message, extra: extra) == expected)
        }
    }

    static func oldConflict(_ c: ConflictingBooking) -> [String: Any] {
        ["id": c.id.rawValue, "ref": c.ref, "resource": c.resource.rawValue, "resource_name": c.resourceName,
         "start": c.range.start.iso8601, "end": c.range.end.iso8601, "status": c.status.rawValue,
         "customer_name": c.customerName as Any, "held_by": c.heldBy]
    }

    @Test func scheduleJSONIsByteForByteWhatItWas() {
        var list = Self.demo.state.schedules.values.sorted { $0.id.rawValue < $1.id.rawValue }
        list[0].overrides[LocalDate("2027-12-24")!] = [DailyHours("09:00-12:00")!]
        list[0].overrides[LocalDate("2027-03-10")!] = []
        list[1].maximumAdvance = .hours(24 * 90)
        func old(_ list: [Schedule]) -> String {
            let data = list.map { s -> [String: Any] in
                var weekly: [String: [String]] = [:]
                for (d, h) in s.weekly { weekly[d.shortName] = h.map(\.description) }
                var overrides: [String: [String]] = [:]
                for (d, h) in s.overrides { overrides[d.description] = h.map(\.description) }
                return ["id": s.id.rawValue, "name": s.name, "weekly": weekly, "overrides": overrides,
                        "blackouts": s.blackouts.map { ["start": $0.range.start.iso8601, "end": $0.range.end.iso8601, "reason": $0.reason] },
                        "buffer_before": s.bufferBefore.text, "buffer_after": s.bufferAfter.text, "min_notice": s.minimumNotice.text,
                        "max_advance": s.maximumAdvance?.text as Any, "cancel_notice": s.cancellationNotice.text, "version": s.version]
            }
            let obj: Any = data.count == 1 ? data[0] : data
            return String(decoding: Self.foundationJSON(obj), as: UTF8.self)
        }
        #expect(list.count >= 3)
        for subset in [list, [list[0]], [list[1]], []] {
            #expect(SchedulePrinter.jsonText(subset) == old(subset))
        }
    }

    @Test func jsonlRowsReadAsTheyWere() {
        let lines = [
            #"{"resource":"Chair 1","start":"2027-03-01 09:00","end":"2027-03-01 10:00"}"#,
            #"{"resource":"Chair 1","customer":null,"notes":"a\/b \u00e9 \"q\"","id":"bk_1","ref":"B-1","version":3}"#,
            #"{"resource":"Chair 1","start":"x",}"#,
            #"{"resource":"Chair 1","start":9}"#,
            #"{"resource":"Chair 1","colour":"red"}"#,
            #"{"resource":"Chair 1","status":true}"#,
            #"{"resource":"A","resource":"B"}"#,
            #"["resource","Chair 1"]"#, #""just text""#, "not json", #"{"resource":"Chair 1""#, "   ", "\t{\"notes\":\"\\ttab\"}\t",
            "{\"resource\":\"Chair 1\",\"start\":\"2027-03-01 09:00\",\"end\":\"2027-03-01 10:00\"}\u{A0}",
        ]
        let text = lines.joined(separator: "\n")
        // The old reader.
        var expected: [(fields: [String: String], malformed: String?)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(t.utf8))) as? [String: Any] else { expected.append(([:], "not a JSON object")); continue }
            var fields: [String: String] = [:]
            var bad: String?
            for (k, v) in obj {
                if ImportCommand.ignoredColumns.contains(k) { continue }
                guard ImportCommand.columns.contains(k) else { bad = "unknown field \"\(k)\""; break }
                if v is NSNull { continue }
                guard let s = v as? String else { bad = "field \"\(k)\" must be a string"; break }
                fields[k] = s
            }
            expected.append((fields, bad))
        }
        let rows = ImportRow.fromJSONL(text)
        #expect(rows.count == expected.count)
        for (i, (row, old)) in zip(rows, expected).enumerated() {
            #expect(row.number == i + 1)
            #expect(row.malformed == old.malformed, "row \(i + 1)")
            if old.malformed == nil { #expect(row.fields == old.fields, "row \(i + 1)") }
        }
    }

    @Test func csvFieldsQuoteAsTheyDid() {
        // Every field starting with = + - @ tab CR is neutralised (negative numbers included).
        for s in ["plain", "a,b", "say \"hi\"", "\"\u{301}quoted accent", "line\nbreak", "=SUM(A1)", "-12", "-x", "\r", "", "\t=1+1", "\r\n=1"] {
            var v = s
            if let f = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) { v = "'" + v }
            let old = v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
            #expect(CSV.field(s) == old, "\(s.debugDescription)")
        }
        #expect(ICalendarWriter.stamp(Instant(iso8601: "2027-03-01T09:05:00Z")!) == "20270301T090500Z")
    }
}
