#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FrontdeskCore

/// A booking as Foundation's coders see it, for the storetool's `decode` and `encode`
/// comparisons: the same members, order and text as the store's booking schema, so
/// `JSONEncoder` with `.sortedKeys` writes what earlier builds wrote through `Booking`'s old
/// `Codable` conformance. The core's types are not `Codable`; the store reads and writes them
/// through its schemas.
struct FoundationBooking: Codable {
    struct Who: Codable {
        var user, origin, source: String
        init(_ a: Author) { user = a.user; origin = a.origin; source = a.source.rawValue }
        var actor: Author { Author(user: user, origin: origin, source: BookingSource(rawValue: source)!) }
    }
    struct Range: Codable { var start, end: String }
    struct Cancel: Codable { var at, by, reason: String; var late: Bool }
    struct History: Codable { var at: String; var actor: Who; var action: String; var changes: [String]; var version: Int }

    var id, ref, resource: String
    var customer: String?
    var range: Range
    var status: String
    var createdBy, updatedBy: Who
    var version: Int
    var createdAt, updatedAt, notes: String
    var series, occurrenceDate, holdExpiresAt: String?
    var cancellation: Cancel?
    var idempotencyKey, overrideReason: String?
    var history: [History]
    var reminderSentAt: String?

    init(_ b: Booking) {
        id = b.id.rawValue; ref = b.ref; resource = b.resource.rawValue; customer = b.customer?.rawValue
        range = Range(start: b.range.start.iso8601, end: b.range.end.iso8601); status = b.status.rawValue
        createdBy = Who(b.createdBy); updatedBy = Who(b.updatedBy); version = b.version
        createdAt = b.createdAt.iso8601; updatedAt = b.updatedAt.iso8601; notes = b.notes
        series = b.series?.rawValue; occurrenceDate = b.occurrenceDate?.description; holdExpiresAt = b.holdExpiresAt?.iso8601
        cancellation = b.cancellation.map { Cancel(at: $0.at.iso8601, by: $0.by, reason: $0.reason, late: $0.late) }
        idempotencyKey = b.idempotencyKey; overrideReason = b.overrideReason
        history = b.history.map { History(at: $0.at.iso8601, actor: Who($0.actor), action: $0.action, changes: $0.changes, version: $0.version) }
        reminderSentAt = b.reminderSentAt?.iso8601
    }

    /// The booking, its texts parsed as the store's readers parse them (a benchmark input is
    /// well formed: anything else stops the tool).
    var booking: Booking {
        func t(_ s: String) -> Instant { Instant(iso8601: s)! }
        return Booking(id: BookingID(id), ref: ref, resource: ResourceID(resource), customer: customer.map(CustomerID.init),
                       range: TimeRange(start: t(range.start), end: t(range.end)), status: BookingStatus(rawValue: status)!,
                       createdBy: createdBy.actor, updatedBy: updatedBy.actor, version: version, createdAt: t(createdAt),
                       updatedAt: t(updatedAt), notes: notes, series: series.map(SeriesID.init),
                       occurrenceDate: occurrenceDate.map { LocalDate($0)! }, holdExpiresAt: holdExpiresAt.map(t),
                       cancellation: cancellation.map { Cancellation(at: t($0.at), by: $0.by, reason: $0.reason, late: $0.late) },
                       idempotencyKey: idempotencyKey, overrideReason: overrideReason,
                       history: history.map { HistoryEntry(at: t($0.at), actor: $0.actor.actor, action: $0.action, changes: $0.changes, version: $0.version) },
                       reminderSentAt: reminderSentAt.map(t))
    }
}
