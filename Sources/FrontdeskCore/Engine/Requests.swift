/// Who a booking is for: someone on file, or someone to add in the same change.
public enum CustomerChoice: Hashable, Sendable {
    case existing(CustomerID)
    case new(name: String, phone: String? = nil, email: String? = nil)
}

/// A request to book one slot or a recurring series.
public struct BookingRequest: Hashable, Sendable {
    public var resource: ResourceID
    public var customer: CustomerChoice?
    public var range: TimeRange
    public var status: BookingStatus
    /// For `pending_payment`: how long the hold lasts (else the engine's default).
    public var hold: TimeSpan?
    public var notes: String
    public var idempotencyKey: String?
    public var recurrence: RecurrenceRule?
    /// For a series: book the occurrences that fit and report the others, instead of refusing all.
    public var skipConflicts: Bool
    /// A manager's reason for letting it past policy refusals (never past a conflict).
    public var overrideReason: String?
    /// A past booking migrated from another system (`import --history`): only `completed`,
    /// `no_show` or `cancelled`, started before now; no policy applies (the hours and notice
    /// of then are not today's), it is recorded as imported history and announces no event.
    public var importedHistory = false
    /// The customer as the caller named it, when the caller sent text that it resolved itself
    /// (an import row's customer column): the idempotency fingerprint records this text, not
    /// `customer`, so a re-run that now finds the customer the first run created is the same
    /// request.
    public var customerText: String?
    /// The booking's price, deposit and fees (nil: none); each occurrence of a series gets them.
    public var price: PriceDraft?

    /// The resources the booking holds besides `resource` (empty: one resource). Every one is
    /// checked and occupied like `resource`, all or none.
    public var otherResources: [ResourceID] = []

    /// The catalog service the booking is made as (``BookingEngine/bookService(_:in:by:)``
    /// sets it); recorded on every booking created.
    public var service: ServiceID?

    /// Set-up and clean-up time the booking keeps on every resource it holds, beside each
    /// resource's own buffers (the larger counts); ``BookingEngine/bookService(_:in:by:)``
    /// sets the service's. Zero to 24 hours.
    public var bufferBefore: TimeSpan = .zero
    public var bufferAfter: TimeSpan = .zero

    /// Every resource the booking is to hold, `resource` first; setting it makes the first
    /// the home resource and the rest `otherResources`.
    public var resources: [ResourceID] {
        get { [resource] + otherResources }
        set {
            guard let first = newValue.first else { return }
            resource = first
            otherResources = Array(newValue.dropFirst())
        }
    }

    public init(resource: ResourceID, customer: CustomerChoice? = nil, range: TimeRange, status: BookingStatus = .confirmed,
                hold: TimeSpan? = nil, notes: String = "", idempotencyKey: String? = nil, recurrence: RecurrenceRule? = nil,
                skipConflicts: Bool = false, overrideReason: String? = nil) {
        self.resource = resource; self.customer = customer; self.range = range; self.status = status; self.hold = hold
        self.notes = notes; self.idempotencyKey = idempotencyKey; self.recurrence = recurrence
        self.skipConflicts = skipConflicts; self.overrideReason = overrideReason
    }
}

/// Which occurrences of a series a change covers.
public enum SeriesScope: String, Hashable, Sendable, CaseIterable {
    case this, following, all
}

/// A planned change and what it produced. Nothing is stored until the store writes the
/// transaction; an empty transaction means there is nothing to write.
public struct Planned<Value: Sendable>: Sendable {
    public var transaction: Transaction
    public var value: Value
    public init(transaction: Transaction, value: Value) { self.transaction = transaction; self.value = value }
}

/// What a booking request produced.
public struct BookingOutcome: Hashable, Sendable {
    /// The bookings created (or, for a replayed idempotency key, found).
    public var bookings: [Booking]
    /// Occurrences of a series left out in skip-conflicts mode, with why.
    public var skipped: [SkippedOccurrence]
    /// True when the idempotency key had been used for this very request before: `bookings`
    /// are the ones the first request created (same ids and references), nothing is written.
    public var replayed: Bool
    /// The customer created with the booking, if any.
    public var createdCustomer: Customer?
}

public struct SkippedOccurrence: Hashable, Sendable {
    public var date: LocalDate
    public var range: TimeRange
    public var error: CoreError
}

/// A new resource's fields.
public struct ResourceDraft: Hashable, Sendable {
    public var name: String
    public var kind: ResourceKind
    public var zone: Zone
    public var parent: ResourceID?
    public var schedule: ScheduleID?
    public var slotLength: TimeSpan
    public var policy: PolicyOverrides
    /// Tags as typed; the engine normalises them (``ResourceTags``).
    public var tags: [String]

    public init(name: String, kind: ResourceKind = .room, zone: Zone, parent: ResourceID? = nil, schedule: ScheduleID? = nil,
                slotLength: TimeSpan = .minutes(15), policy: PolicyOverrides = PolicyOverrides(), tags: [String] = []) {
        self.name = name; self.kind = kind; self.zone = zone; self.parent = parent; self.schedule = schedule
        self.slotLength = slotLength; self.policy = policy; self.tags = tags
    }
}
