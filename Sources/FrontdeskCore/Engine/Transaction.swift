/// One whole change: what to write and what it means. The store journals it as one record and
/// then applies it; replaying the journal applies the same transactions in the same order.
public struct Transaction: Hashable, Sendable {
    public var at: Instant
    public var actor: Author
    public var mutations: [Mutation]
    public var events: [DomainEvent]

    public init(at: Instant, actor: Author, mutations: [Mutation] = [], events: [DomainEvent] = []) {
        self.at = at; self.actor = actor; self.mutations = mutations; self.events = events
    }

    /// Nothing to write (e.g. an idempotent replay).
    public var isEmpty: Bool { mutations.isEmpty && events.isEmpty }

    /// The audit entries this transaction records, in order.
    public var auditEntries: [AuditEntry] {
        mutations.compactMap { if case .audit(let e) = $0 { e } else { nil } }
    }

    /// The bookings this transaction writes.
    public var bookings: [Booking] {
        mutations.compactMap { if case .booking(let b) = $0 { b } else { nil } }
    }
}

/// A single upsert. Records are replaced whole, which makes replay idempotent and simple.
public enum Mutation: Hashable, Sendable {
    case booking(Booking)
    case resource(Resource)
    case schedule(Schedule)
    case customer(Customer)
    case waitlist(WaitlistEntry)
    case idempotencyKey(IdempotencyRecord)
    case forgetIdempotencyKey(String)
    case counters(Counters)
    /// A change's audit entry: stored with it, applied to no table (see ``AuditEntry``).
    case audit(AuditEntry)
    /// A role granted, changed or removed (``StaffGrant``).
    case staff(StaffGrant)
    /// A store setting set or changed (``StoreSetting``).
    case setting(StoreSetting)
    /// A catalog service created or changed (``Service``).
    case service(Service)
}

/// What an idempotency key was bound to.
public struct IdempotencyRecord: Hashable, Sendable {
    public var key: String
    /// A canonical text of the request, so a different payload under the same key is caught.
    public var fingerprint: String
    public var bookings: [BookingID]
    public var createdAt: Instant
    /// The answer the first request was given, exactly as it was sent (the HTTP API's 201
    /// body), so a replay repeats it even after the bookings changed; nil when the caller keeps
    /// none (the command line re-shows the bookings).
    public var response: String?

    /// The memberwise initializer, at `package` level: readers of stored records build them.
    package init(key: String, fingerprint: String, bookings: [BookingID], createdAt: Instant, response: String? = nil) {
        self.key = key; self.fingerprint = fingerprint; self.bookings = bookings; self.createdAt = createdAt; self.response = response
    }
}

/// Numbers behind the short references; kept with the state so they never repeat.
public struct Counters: Hashable, Sendable {
    public var bookings: Int = 0
    public var resources: Int = 0
    public var customers: Int = 0
    public var schedules: Int = 0
    public var waitlist: Int = 0
    public init() {}

    /// Each counter at the larger of the two. Counters only go up, so applying this once has
    /// the effect of applying both, in either order.
    package func merged(with other: Counters) -> Counters {
        var m = self
        m.bookings = max(bookings, other.bookings)
        m.resources = max(resources, other.resources)
        m.customers = max(customers, other.customers)
        m.schedules = max(schedules, other.schedules)
        m.waitlist = max(waitlist, other.waitlist)
        return m
    }
}
