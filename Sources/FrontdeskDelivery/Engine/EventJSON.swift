import FrontdeskCore
import FrontdeskJSON

/// Domain events as the deliverer keeps them in `delivery-state.json` and as
/// ``EventEnvelope/coreData(_:)`` sends them: the members and names the core's types have
/// always been written with (camelCase, times as UTC text, durations in seconds), optional
/// members left out when not set.
///
/// Only the writing is here (keys sorted, which the store's ``EventSchema`` writer does not do:
/// it writes declaration order, and the webhook envelope's bytes are signed). Reading goes
/// through the store's ``EventSchema/read(_:)``, which takes members in any order, `null` as
/// absent for optional members and ignores unknown members, so files written by earlier
/// versions read back.
enum EventJSON {
    // MARK: Writing

    static func tree(_ e: DomainEvent) -> JSONTree {
        var o: [String: JSONTree] = ["id": .string(e.id), "type": .string(e.type.rawValue), "at": instant(e.at), "actor": tree(e.actor)]
        o["booking"] = e.booking.map(tree)
        o["waitlistEntry"] = e.waitlistEntry.map(tree)
        o["slot"] = e.slot.map(tree)
        o["change"] = e.change.map(tree)
        o["ledgerEntry"] = e.ledgerEntry.map(tree)
        return .object(o)
    }

    /// An audit entry (`change` of `resource.updated`, `staff.changed`, …).
    static func tree(_ c: AuditEntry) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["at"] = instant(c.at)
        o["actor"] = tree(c.actor)
        o["entity"] = .string(c.entity.rawValue)
        o["id"] = .string(c.id)
        o["ref"] = .string(c.ref)
        o["version"] = .integer(c.version)
        o["action"] = .string(c.action)
        o["changes"] = .array(c.changes.map { .string($0) })
        o["reason"] = c.reason.map { .string($0) }
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
        o["charges"] = b.charges.map(tree)
        return .object(o)
    }

    /// A booking's charges, in the store's shape (``ChargesSchema``): amounts in minor units.
    static func tree(_ c: Charges) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["currency"] = .string(c.currency.code)
        o["price"] = .integer(c.price)
        o["deposit"] = .integer(c.deposit)
        o["lateCancelFee"] = .integer(c.lateCancelFee)
        o["noShowFee"] = .integer(c.noShowFee)
        o["priceReason"] = c.priceReason.map { .string($0) }
        o["ledger"] = .array(c.ledger.map(tree))
        return .object(o)
    }

    /// A ledger entry, in the store's shape.
    static func tree(_ e: LedgerEntry) -> JSONTree {
        var o: [String: JSONTree] = [:]
        o["id"] = .string(e.id)
        o["kind"] = .string(e.kind.rawValue)
        o["amount"] = .integer(e.amount)
        o["method"] = e.method.map { .string($0.rawValue) }
        o["reference"] = .string(e.reference)
        o["at"] = instant(e.at)
        o["actor"] = tree(e.actor)
        o["idempotencyKey"] = e.idempotencyKey.map { .string($0) }
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
}
