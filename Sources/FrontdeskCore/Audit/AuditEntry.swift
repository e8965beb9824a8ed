/// One recorded change to any entity: who made it, when, what changed, and why. Journaled in
/// the same transaction as the change itself (``Mutation/audit(_:)``), so no change is stored
/// without its entry and no entry without its change.
///
/// Bookings keep their own history as well (``Booking/history``); their audit entries repeat
/// it so that one time-ordered log answers "what changed" across every kind of entity.
public struct AuditEntry: Hashable, Sendable {
    public var at: Instant
    public var actor: Author
    public var entity: AuditEntity
    /// The entity's identifier (`res_…`, `cus_…`, a staff member's user or group name, a
    /// webhook's name, a setting's name).
    public var id: String
    /// What staff read: a short reference (`R-003`, `B-01F`) or a name; empty when there is none.
    public var ref: String
    /// The entity's version after the change (0 for entities without versions).
    public var version: Int
    /// `created`, `updated`, `archived`, `blackout added`, `corrected`, …
    public var action: String
    /// Readable field changes (`name "Chair 1" → "Chair 2"`).
    public var changes: [String]
    /// Why: an override's or a correction's reason, a blackout's reason; nil when none was given.
    public var reason: String?

    public init(at: Instant, actor: Author, entity: AuditEntity, id: String, ref: String, version: Int,
                action: String, changes: [String], reason: String? = nil) {
        self.at = at; self.actor = actor; self.entity = entity; self.id = id; self.ref = ref; self.version = version
        self.action = action; self.changes = changes; self.reason = reason
    }
}

extension AuditEntry {
    /// The reason a booking history entry's changes give: an override's, else a
    /// correction's or cancellation's (`reason: …`); nil when none.
    public static func reason(inHistoryChanges changes: [String]) -> String? { AuditDiff.overrideReason(in: changes) }
}

/// The kinds of entity the audit log records, with their stored names.
public enum AuditEntity: String, CaseIterable, Hashable, Sendable {
    case booking, resource, schedule, blackout, customer, staff, webhook, settings, service

    /// The event hooks and webhooks receive for a change to an entity of this kind; nil for
    /// bookings, whose events are the booking events.
    public func eventType(action: String) -> EventType? {
        switch self {
        case .booking: nil
        case .resource: .resourceUpdated
        case .schedule, .blackout: .scheduleUpdated
        case .customer: action == "created" ? .customerCreated : .customerUpdated
        case .staff: .staffChanged
        case .webhook: .webhookChanged
        case .settings: .settingsChanged
        case .service: .serviceUpdated
        }
    }
}
