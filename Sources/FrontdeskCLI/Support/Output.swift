import FrontdeskCore
import FrontdeskJSON
import FrontdeskTUI

/// The booking object printed by `--json` commands, written by `export --format json` and sent
/// as the `data` of webhook and hook payloads.
///
/// Optional fields that are not set are left out; `history` is present only when asked for.
struct BookingJSON: JSONRepresentable {
    let json: JSONTree

    init(_ b: Booking, state: BookingState, withHistory: Bool = false) {
        let r = state.resources[b.resource]
        let zone = r?.zone ?? .utc
        // Assigning nil leaves a member out.
        var o: [String: JSONTree] = [:]
        o["id"] = .string(b.id.rawValue)
        o["ref"] = .string(b.ref)
        o["resource"] = .string(b.resource.rawValue)
        o["resource_name"] = .string(r?.name ?? b.resource.rawValue)
        // A booking holding several resources lists them all, the home one (`resource`) first;
        // a booking of one resource is printed, exported and sent to hooks exactly as before.
        if !b.otherResources.isEmpty {
            o["resources"] = .array(b.resources.map { .string($0.rawValue) })
            o["resource_names"] = .array(b.resources.map { .string(state.resources[$0]?.name ?? $0.rawValue) })
        }
        // Only a booking made as a catalog service names it.
        if let s = b.service {
            o["service"] = .string(s.rawValue)
            o["service_name"] = .string(state.services[s]?.name ?? s.rawValue)
        }
        // The booking's own set-up and clean-up (its service's), only when it keeps any.
        if b.bufferBefore.seconds > 0 { o["buffer_before"] = .string(b.bufferBefore.text) }
        if b.bufferAfter.seconds > 0 { o["buffer_after"] = .string(b.bufferAfter.text) }
        o["customer"] = .optional(b.customer?.rawValue)
        o["customer_name"] = .optional(b.customer.flatMap { state.customers[$0]?.name })
        o["start"] = .string(b.start.iso8601)
        o["end"] = .string(b.end.iso8601)
        o["start_local"] = .string(Format.localISO(b.start, zone))
        o["end_local"] = .string(Format.localISO(b.end, zone))
        o["time_zone"] = .string(zone.identifier)
        o["status"] = .string(b.status.rawValue)
        o["version"] = .integer(b.version)
        o["source"] = .string(b.updatedBy.source.rawValue)
        o["actor"] = .string(b.updatedBy.user)
        o["origin"] = .string(b.updatedBy.origin)
        o["created_at"] = .string(b.createdAt.iso8601)
        o["updated_at"] = .string(b.updatedAt.iso8601)
        o["notes"] = .string(b.notes)
        o["series"] = .optional(b.series?.rawValue)
        o["occurrence_date"] = .optional(b.occurrenceDate?.description)
        o["hold_expires_at"] = .optional(b.holdExpiresAt?.iso8601)
        if let c = b.cancellation {
            o["cancellation"] = ["at": .string(c.at.iso8601), "by": .string(c.by), "reason": .string(c.reason), "late": .bool(c.late)]
        }
        o["idempotency_key"] = .optional(b.idempotencyKey)
        o["override_reason"] = .optional(b.overrideReason)
        o["money"] = MoneyOutput.tree(b)
        if withHistory {
            o["history"] = .array(b.history.map { h -> JSONTree in
                var e: [String: JSONTree] = [:]
                e["at"] = .string(h.at.iso8601)
                e["user"] = .string(h.actor.user)
                e["origin"] = .string(h.actor.origin)
                e["source"] = .string(h.actor.source.rawValue)
                e["action"] = .string(h.action)
                e["changes"] = .array(h.changes.map { .string($0) })
                e["version"] = .integer(h.version)
                return .object(e)
            })
        }
        json = .object(o)
    }
}

/// Writes lines to stdout/stderr unbuffered, one write(2) per line where the stream takes it
/// (see ``StandardStream``).
enum Console {
    static func out(_ s: String) { StandardStream.output.write(s + "\n") }
    static func err(_ s: String) { StandardStream.error.write(s + "\n") }
}
