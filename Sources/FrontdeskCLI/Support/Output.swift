#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore
import FrontdeskTUI

/// The booking object printed by `--json` commands and written by `export --format json`.
struct BookingJSON: Codable {
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

    struct CancellationJSON: Codable { var at: String; var by: String; var reason: String; var late: Bool }
    struct HistoryJSON: Codable { var at: String; var user: String; var origin: String; var source: String; var action: String; var changes: [String]; var version: Int }

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

/// Writes lines to stdout/stderr unbuffered, one write(2) per line where the stream takes it
/// (see ``StandardStream``).
enum Console {
    static func out(_ s: String) { StandardStream.output.write(s + "\n") }
    static func err(_ s: String) { StandardStream.error.write(s + "\n") }
}
