/// Something that happened to a booking, the waitlist or another entity, written in the same journal record as
/// the change itself (an outbox) so delivery can never lose or invent one.
public struct DomainEvent: Hashable, Sendable {
    /// Stable id consumers deduplicate on.
    public var id: String
    public var type: EventType
    public var at: Instant
    public var actor: Author
    /// The booking after the change.
    public var booking: Booking?
    /// For `waitlist.slot_opened`: the entry and the slot that fits it.
    public var waitlistEntry: WaitlistEntry?
    public var slot: Slot?
    /// For changes to other entities (`resource.updated`, `staff.changed`, …): the change as
    /// the audit log records it.
    public var change: AuditEntry?
    /// For `payment.recorded`, `refund.due`, `fee.charged` and `fee.reversed`: the ledger entry recorded (the
    /// booking, which carries the whole ledger, is in `booking`).
    public var ledgerEntry: LedgerEntry?

    /// The memberwise initializer, at `package` level: readers of stored events build them.
    package init(id: String, type: EventType, at: Instant, actor: Author, booking: Booking? = nil,
                 waitlistEntry: WaitlistEntry? = nil, slot: Slot? = nil, change: AuditEntry? = nil, ledgerEntry: LedgerEntry? = nil) {
        self.id = id; self.type = type; self.at = at; self.actor = actor
        self.booking = booking; self.waitlistEntry = waitlistEntry; self.slot = slot; self.change = change
        self.ledgerEntry = ledgerEntry
    }
}

extension DomainEvent {
    /// The event announcing a change to an entity other than a booking: the `index`-th audit
    /// entry of journal record `sequence` (``AuditEntity/eventType(action:)``), or nil for a
    /// booking's entry (bookings have their own events). Its id is derived from where the
    /// entry is stored, so it is the same whenever the record is read.
    public static func change(_ e: AuditEntry, sequence: UInt64, index: Int) -> DomainEvent? {
        guard let type = e.entity.eventType(action: e.action) else { return nil }
        return DomainEvent(id: "evt_r\(sequence)c\(index)", type: type, at: e.at, actor: e.actor, change: e)
    }
}

/// Event names, as hooks and webhooks see them.
public enum EventType: String, CaseIterable, Hashable, Sendable {
    case bookingCreated = "booking.created"
    case bookingConfirmed = "booking.confirmed"
    case bookingRescheduled = "booking.rescheduled"
    case bookingCancelled = "booking.cancelled"
    case bookingCompleted = "booking.completed"
    case bookingNoShow = "booking.no_show"
    case bookingHoldExpired = "booking.hold_expired"
    /// Any other change (back to tentative, notes edited).
    case bookingUpdated = "booking.updated"
    case waitlistSlotOpened = "waitlist.slot_opened"
    case reminderDue = "reminder.due"
    /// A payment was taken against a booking (`ledgerEntry` says how much and how).
    case paymentRecorded = "payment.recorded"
    /// A refund was recorded: money is due back to the customer (a gateway hook pays it out).
    case refundDue = "refund.due"
    /// A late-cancellation or no-show fee was charged to a booking.
    case feeCharged = "fee.charged"
    /// A fee was taken back by a status correction (`ledgerEntry` is the reversing entry).
    case feeReversed = "fee.reversed"
    /// A resource was created or changed (archived included).
    case resourceUpdated = "resource.updated"
    /// A schedule was created or changed (hours, overrides, blackouts, policy values).
    case scheduleUpdated = "schedule.updated"
    case customerCreated = "customer.created"
    case customerUpdated = "customer.updated"
    /// A role was granted, changed or taken away.
    case staffChanged = "staff.changed"
    /// A webhook endpoint was added or removed.
    case webhookChanged = "webhook.changed"
    /// A store setting changed.
    case settingsChanged = "settings.changed"
    /// A catalog service was created or changed (archived included).
    case serviceUpdated = "service.updated"

    /// Whether a subscriber gets this type only by naming it: the changes to entities other
    /// than bookings. A webhook for `all` and the `all` hook keep receiving what they always
    /// did (booking, waitlist and reminder events, whose `data` holds a booking or a waitlist
    /// entry), so a receiver written for those never meets an event without one.
    public var isOptIn: Bool {
        switch self {
        case .resourceUpdated, .scheduleUpdated, .customerCreated, .customerUpdated, .staffChanged, .webhookChanged, .settingsChanged, .serviceUpdated: true
        default: false
        }
    }

    /// The event a booking's move into `status` announces: confirmed, completed and no-show have
    /// their own; any other status change is an update.
    static func statusChange(to status: BookingStatus) -> EventType {
        switch status {
        case .confirmed: .bookingConfirmed
        case .completed: .bookingCompleted
        case .noShow: .bookingNoShow
        default: .bookingUpdated
        }
    }
}

/// A free piece of time on one resource.
public struct Slot: Hashable, Sendable {
    public var resource: ResourceID
    public var range: TimeRange
    public init(resource: ResourceID, range: TimeRange) { self.resource = resource; self.range = range }
}
