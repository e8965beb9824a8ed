/// A claim on a resource for a half-open time range.
public struct Booking: Hashable, Sendable, Codable, Identifiable {
    public var id: BookingID
    /// Short reference staff read out (`B-7K2`).
    public var ref: String
    public var resource: ResourceID
    /// nil: blocked time with no customer.
    public var customer: CustomerID?
    public var range: TimeRange
    public var status: BookingStatus
    /// Who created it.
    public var createdBy: Actor
    /// Who changed it last.
    public var updatedBy: Actor
    /// 1 on creation, +1 on every change; callers may pass the version they saw.
    public var version: Int
    public var createdAt: Instant
    public var updatedAt: Instant
    public var notes: String
    public var series: SeriesID?
    /// The local date this occurrence was generated for (stays put when the occurrence moves).
    public var occurrenceDate: LocalDate?
    /// For `pending_payment`: the instant the hold lapses.
    public var holdExpiresAt: Instant?
    public var cancellation: Cancellation?
    public var idempotencyKey: String?
    /// Set when a manager let it past a policy refusal.
    public var overrideReason: String?
    /// Every change, oldest first.
    public var history: [HistoryEntry]
    /// When its `reminder.due` event was emitted (nil: not yet). Set once; records written before
    /// reminders existed decode with nil.
    public var reminderSentAt: Instant? = nil

    /// The memberwise initializer, at `package` level: the store's booking codec (`BookingCodec`)
    /// builds bookings straight from JSON tokens.
    package init(id: BookingID, ref: String, resource: ResourceID, customer: CustomerID?, range: TimeRange,
                 status: BookingStatus, createdBy: Actor, updatedBy: Actor, version: Int, createdAt: Instant,
                 updatedAt: Instant, notes: String, series: SeriesID?, occurrenceDate: LocalDate?,
                 holdExpiresAt: Instant?, cancellation: Cancellation?, idempotencyKey: String?,
                 overrideReason: String?, history: [HistoryEntry], reminderSentAt: Instant? = nil) {
        self.id = id; self.ref = ref; self.resource = resource; self.customer = customer; self.range = range
        self.status = status; self.createdBy = createdBy; self.updatedBy = updatedBy; self.version = version
        self.createdAt = createdAt; self.updatedAt = updatedAt; self.notes = notes; self.series = series
        self.occurrenceDate = occurrenceDate; self.holdExpiresAt = holdExpiresAt; self.cancellation = cancellation
        self.idempotencyKey = idempotencyKey; self.overrideReason = overrideReason; self.history = history
        self.reminderSentAt = reminderSentAt
    }

    public var start: Instant { range.start }
    public var end: Instant { range.end }

    /// True when it still keeps others out of its slot at `now`.
    public func blocks(at now: Instant) -> Bool {
        guard status.occupiesSlot else { return false }
        if status == .pendingPayment, let expiry = holdExpiresAt, expiry <= now { return false }
        return true
    }

    /// True for a `pending_payment` booking whose hold has lapsed at `now`.
    public func holdExpired(at now: Instant) -> Bool {
        status == .pendingPayment && (holdExpiresAt.map { $0 <= now } ?? false)
    }
}

/// How and why a booking was cancelled.
public struct Cancellation: Hashable, Sendable, Codable {
    public var at: Instant
    public var by: String
    public var reason: String
    /// Inside the resource's cancellation notice (allowed only by override).
    public var late: Bool

    package init(at: Instant, by: String, reason: String, late: Bool) {
        self.at = at; self.by = by; self.reason = reason; self.late = late
    }
}

/// One line of a booking's history: who did what, when, from where.
public struct HistoryEntry: Hashable, Sendable, Codable {
    public var at: Instant
    public var actor: Actor
    /// `created`, `confirmed`, `rescheduled`, `cancelled`, …
    public var action: String
    /// Human-readable description of what changed (`status tentative → confirmed`).
    public var changes: [String]
    public var version: Int

    package init(at: Instant, actor: Actor, action: String, changes: [String], version: Int) {
        self.at = at; self.actor = actor; self.action = action; self.changes = changes; self.version = version
    }
}
