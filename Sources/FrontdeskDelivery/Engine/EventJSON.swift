import FrontdeskCore
import FrontdeskJSON

/// Domain events as the deliverer keeps them in `delivery-state.json` and as
/// ``EventEnvelope/coreData(_:)`` sends them: the members and names the core's types have
/// always been written with (camelCase, times as UTC text, durations in seconds), optional
/// members left out when not set.
///
/// Files written by earlier versions read back: members may come in any order, `null` counts
/// as absent for optional members, unknown members are ignored.
enum EventJSON {
    // MARK: Writing

    static func tree(_ e: DomainEvent) -> JSONTree {
        var o: [String: JSONTree] = ["id": .string(e.id), "type": .string(e.type.rawValue), "at": instant(e.at), "actor": tree(e.actor)]
        o["booking"] = e.booking.map(tree)
        o["waitlistEntry"] = e.waitlistEntry.map(tree)
        o["slot"] = e.slot.map(tree)
        return .object(o)
    }

    static func tree(_ b: Booking) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(b.id.rawValue)
        o["ref"] = .string(b.ref)
        o["resource"] = .string(b.resource.rawValue)
        o["customer"] = b.customer.map { .string($0.rawValue) }
        o["range"] = tree(b.range)
        o["status"] = .string(b.status.rawValue)
        o["createdBy"] = tree(b.createdBy)
        o["updatedBy"] = tree(b.updatedBy)
        o["version"] = .integer(b.version)
        o["createdAt"] = instant(b.createdAt)
        o["updatedAt"] = instant(b.updatedAt)
        o["notes"] = .string(b.notes)
        o["series"] = b.series.map { .string($0.rawValue) }
        o["occurrenceDate"] = b.occurrenceDate.map { .string($0.description) }
        o["holdExpiresAt"] = b.holdExpiresAt.map(instant)
        o["cancellation"] = b.cancellation.map { c in
            ["at": instant(c.at), "by": .string(c.by), "reason": .string(c.reason), "late": .bool(c.late)]
        }
        o["idempotencyKey"] = b.idempotencyKey.map { .string($0) }
        o["overrideReason"] = b.overrideReason.map { .string($0) }
        o["history"] = .array(b.history.map { h in
            ["at": instant(h.at), "actor": tree(h.actor), "action": .string(h.action),
             "changes": .array(h.changes.map { .string($0) }), "version": .integer(h.version)]
        })
        o["reminderSentAt"] = b.reminderSentAt.map(instant)
        return .object(o)
    }

    static func tree(_ w: WaitlistEntry) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(w.id.rawValue)
        o["ref"] = .string(w.ref)
        o["customer"] = .string(w.customer.rawValue)
        o["resources"] = .array(w.resources.map { .string($0.rawValue) })
        o["window"] = tree(w.window)
        o["duration"] = .integer(w.duration.seconds)
        o["notes"] = .string(w.notes)
        o["createdAt"] = instant(w.createdAt)
        o["createdBy"] = tree(w.createdBy)
        o["fulfilledBy"] = w.fulfilledBy.map { .string($0.rawValue) }
        o["removedAt"] = w.removedAt.map(instant)
        return .object(o)
    }

    static func tree(_ s: Slot) -> JSONTree {
        ["resource": .string(s.resource.rawValue), "range": tree(s.range)]
    }

    static func tree(_ a: Author) -> JSONTree {
        ["user": .string(a.user), "origin": .string(a.origin), "source": .string(a.source.rawValue)]
    }

    static func tree(_ r: TimeRange) -> JSONTree {
        ["start": instant(r.start), "end": instant(r.end)]
    }

    static func instant(_ t: Instant) -> JSONTree { .string(t.iso8601) }

    // MARK: Reading

    static func event(_ f: JSONFields) throws(JSONFields.ShapeError) -> DomainEvent {
        let typeName = try f.string("type")
        guard let type = EventType(rawValue: typeName) else {
            throw JSONFields.ShapeError(path: f.path.isEmpty ? "type" : f.path + ".type", message: "unknown event type \"\(typeName)\"")
        }
        var e = DomainEvent(id: try f.string("id"), type: type, at: try f.instant("at"), actor: try actor(try f.object("actor")))
        if let b = try f.optionalObject("booking") { e.booking = try booking(b) }
        if let w = try f.optionalObject("waitlistEntry") { e.waitlistEntry = try waitlistEntry(w) }
        if let s = try f.optionalObject("slot") { e.slot = Slot(resource: ResourceID(try s.string("resource")), range: try range(try s.object("range"))) }
        return e
    }

    static func booking(_ f: JSONFields) throws(JSONFields.ShapeError) -> Booking {
        let cancellation: Cancellation? = try f.optionalObject("cancellation").map { (c) throws(JSONFields.ShapeError) in
            Cancellation(at: try c.instant("at"), by: try c.string("by"), reason: try c.string("reason"), late: try c.bool("late"))
        }
        let history = try f.array("history") { (e, path) throws(JSONFields.ShapeError) in
            let h = try JSONFields(e, path: path)
            return HistoryEntry(at: try h.instant("at"), actor: try actor(try h.object("actor")), action: try h.string("action"),
                                changes: try h.strings("changes"), version: try h.integer("version"))
        }
        return Booking(id: BookingID(try f.string("id")), ref: try f.string("ref"), resource: ResourceID(try f.string("resource")),
                       customer: try f.optionalString("customer").map(CustomerID.init), range: try range(try f.object("range")),
                       status: try enumValue(f, "status", BookingStatus.self),
                       createdBy: try actor(try f.object("createdBy")), updatedBy: try actor(try f.object("updatedBy")),
                       version: try f.integer("version"), createdAt: try f.instant("createdAt"), updatedAt: try f.instant("updatedAt"),
                       notes: try f.string("notes"), series: try f.optionalString("series").map(SeriesID.init),
                       occurrenceDate: try date(f, "occurrenceDate"), holdExpiresAt: try f.optionalInstant("holdExpiresAt"),
                       cancellation: cancellation, idempotencyKey: try f.optionalString("idempotencyKey"),
                       overrideReason: try f.optionalString("overrideReason"), history: history,
                       reminderSentAt: try f.optionalInstant("reminderSentAt"))
    }

    static func waitlistEntry(_ f: JSONFields) throws(JSONFields.ShapeError) -> WaitlistEntry {
        WaitlistEntry(id: WaitlistEntryID(try f.string("id")), ref: try f.string("ref"), customer: CustomerID(try f.string("customer")),
                      resources: try f.strings("resources").map(ResourceID.init), window: try range(try f.object("window")),
                      duration: TimeSpan(seconds: try f.integer("duration", as: Int64.self)), notes: try f.string("notes"),
                      createdAt: try f.instant("createdAt"), createdBy: try actor(try f.object("createdBy")),
                      fulfilledBy: try f.optionalString("fulfilledBy").map(BookingID.init), removedAt: try f.optionalInstant("removedAt"))
    }

    static func actor(_ f: JSONFields) throws(JSONFields.ShapeError) -> Author {
        Author(user: try f.string("user"), origin: try f.string("origin"), source: try enumValue(f, "source", BookingSource.self))
    }

    static func range(_ f: JSONFields) throws(JSONFields.ShapeError) -> TimeRange {
        TimeRange(start: try f.instant("start"), end: try f.instant("end"))
    }

    /// A string member naming one case of `T`.
    private static func enumValue<T: RawRepresentable>(_ f: JSONFields, _ key: String, _ type: T.Type) throws(JSONFields.ShapeError) -> T
    where T.RawValue == String {
        let text = try f.string(key)
        guard let v = T(rawValue: text) else {
            throw JSONFields.ShapeError(path: f.path.isEmpty ? key : f.path + "." + key, message: "\"\(text)\" is not a known value")
        }
        return v
    }

    /// An optional `YYYY-MM-DD` member.
    private static func date(_ f: JSONFields, _ key: String) throws(JSONFields.ShapeError) -> LocalDate? {
        guard let text = try f.optionalString(key) else { return nil }
        guard let d = LocalDate(text) else {
            throw JSONFields.ShapeError(path: f.path.isEmpty ? key : f.path + "." + key, message: "expected a date like 2027-03-01, got \"\(text)\"")
        }
        return d
    }
}
