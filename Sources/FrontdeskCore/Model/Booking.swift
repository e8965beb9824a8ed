/// A claim on a resource for a half-open time range.
///
/// A value type whose fields live in one shared, copy-on-write box: a booking is ~350 bytes
/// of fields, most of them strings, and it is copied into the state's table, into every
/// mutation and event that carries it and out again for each snapshot. An inline struct would
/// cost a retain per string field on every copy and make the million-slot table of bookings
/// (and every `[Mutation]`) that much larger to fault in; with the box a copy is one retain,
/// and a change to a shared booking copies the box first.
public struct Booking: Sendable, Identifiable {
    /// The stored fields; their synthesized `Hashable` is the booking's.
    struct Fields: Hashable, Sendable {
        var id: BookingID
        var ref: String
        var resource: ResourceID
        var customer: CustomerID?
        var range: TimeRange
        var status: BookingStatus
        var createdBy: Author
        var updatedBy: Author
        var version: Int
        var createdAt: Instant
        var updatedAt: Instant
        var notes: String
        var series: SeriesID?
        var occurrenceDate: LocalDate?
        var holdExpiresAt: Instant?
        var cancellation: Cancellation?
        var idempotencyKey: String?
        var overrideReason: String?
        var history: [HistoryEntry]
        var reminderSentAt: Instant? = nil
        var charges: Charges? = nil
        var otherResources: [ResourceID] = []
        var service: ServiceID? = nil
        var bufferBefore: TimeSpan = .zero
        var bufferAfter: TimeSpan = .zero
    }

    /// The box; changed only through `uniqueBox`, that is only while uniquely referenced, which
    /// is why sharing it across threads is safe.
    final class Box: @unchecked Sendable {
        // Unchecked: copy-on-write storage, written only while uniquely referenced (`uniqueBox`).
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    init(fields: Fields) { box = Box(fields) }

    /// The fields, for reading.
    var fields: Fields { box.fields }

    /// Whether both are copies of one value (one box), so they are equal without a look inside.
    func sharesStorage(with other: Booking) -> Bool { box === other.box }

    /// The box, for changing a field: copied first if another booking shares it. Every setter
    /// below writes through this, so a change never shows through another copy.
    private var uniqueBox: Box {
        mutating get {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            return box
        }
    }

    public var id: BookingID {
        get { box.fields.id }
        set { uniqueBox.fields.id = newValue }
    }
    /// Short reference staff read out (`B-7K2`).
    public var ref: String {
        get { box.fields.ref }
        set { uniqueBox.fields.ref = newValue }
    }
    public var resource: ResourceID {
        get { box.fields.resource }
        set { uniqueBox.fields.resource = newValue }
    }
    /// The resources it holds besides `resource`, in the order they were named; empty for a
    /// booking of one resource. Each is occupied exactly as `resource` is (its own buffers,
    /// parents and children counted); `resource` stays the booking's home (its partition, the
    /// zone its series is expanded in).
    public var otherResources: [ResourceID] {
        get { box.fields.otherResources }
        set { uniqueBox.fields.otherResources = newValue }
    }
    /// Every resource it holds: `resource` first, then `otherResources`.
    public var resources: [ResourceID] {
        let others = box.fields.otherResources
        return others.isEmpty ? [box.fields.resource] : [box.fields.resource] + others
    }
    /// Whether it holds `r` (as its home resource or another one). - Complexity: O(resources held).
    public func holds(_ r: ResourceID) -> Bool {
        box.fields.resource == r || (!box.fields.otherResources.isEmpty && box.fields.otherResources.contains(r))
    }
    /// The catalog service it was booked as (`book --service`), nil for a booking of plain
    /// resources. Records written before bookings named their service decode with nil.
    public var service: ServiceID? {
        get { box.fields.service }
        set { uniqueBox.fields.service = newValue }
    }
    /// Set-up time every resource it holds is kept free for before its start, beside the
    /// resource's own buffer (the larger of the two counts): its service's buffer, kept on
    /// the booking so later bookings, moves and reschedules honour it. Zero for a booking
    /// of plain resources.
    public var bufferBefore: TimeSpan {
        get { box.fields.bufferBefore }
        set { uniqueBox.fields.bufferBefore = newValue }
    }
    /// Clean-up time every resource it holds is kept free for after its end, as
    /// ``bufferBefore``.
    public var bufferAfter: TimeSpan {
        get { box.fields.bufferAfter }
        set { uniqueBox.fields.bufferAfter = newValue }
    }
    /// nil: blocked time with no customer.
    public var customer: CustomerID? {
        get { box.fields.customer }
        set { uniqueBox.fields.customer = newValue }
    }
    public var range: TimeRange {
        get { box.fields.range }
        set { uniqueBox.fields.range = newValue }
    }
    public var status: BookingStatus {
        get { box.fields.status }
        set { uniqueBox.fields.status = newValue }
    }
    /// Who created it.
    public var createdBy: Author {
        get { box.fields.createdBy }
        set { uniqueBox.fields.createdBy = newValue }
    }
    /// Who changed it last.
    public var updatedBy: Author {
        get { box.fields.updatedBy }
        set { uniqueBox.fields.updatedBy = newValue }
    }
    /// 1 on creation, +1 on every change; callers may pass the version they saw.
    public var version: Int {
        get { box.fields.version }
        set { uniqueBox.fields.version = newValue }
    }
    public var createdAt: Instant {
        get { box.fields.createdAt }
        set { uniqueBox.fields.createdAt = newValue }
    }
    public var updatedAt: Instant {
        get { box.fields.updatedAt }
        set { uniqueBox.fields.updatedAt = newValue }
    }
    public var notes: String {
        get { box.fields.notes }
        set { uniqueBox.fields.notes = newValue }
    }
    public var series: SeriesID? {
        get { box.fields.series }
        set { uniqueBox.fields.series = newValue }
    }
    /// The local date this occurrence was generated for (stays put when the occurrence moves).
    public var occurrenceDate: LocalDate? {
        get { box.fields.occurrenceDate }
        set { uniqueBox.fields.occurrenceDate = newValue }
    }
    /// For `pending_payment`: the instant the hold lapses.
    public var holdExpiresAt: Instant? {
        get { box.fields.holdExpiresAt }
        set { uniqueBox.fields.holdExpiresAt = newValue }
    }
    public var cancellation: Cancellation? {
        get { box.fields.cancellation }
        set { uniqueBox.fields.cancellation = newValue }
    }
    public var idempotencyKey: String? {
        get { box.fields.idempotencyKey }
        set { uniqueBox.fields.idempotencyKey = newValue }
    }
    /// Set when a manager let it past a policy refusal.
    public var overrideReason: String? {
        get { box.fields.overrideReason }
        set { uniqueBox.fields.overrideReason = newValue }
    }
    /// Every change, oldest first.
    public var history: [HistoryEntry] {
        get { box.fields.history }
        set { uniqueBox.fields.history = newValue }
    }
    /// When its `reminder.due` event was emitted (nil: not yet). Set once; records written before
    /// reminders existed decode with nil.
    public var reminderSentAt: Instant? {
        get { box.fields.reminderSentAt }
        set { uniqueBox.fields.reminderSentAt = newValue }
    }

    /// Its price, deposit, fees and payments ledger (nil: no price set). Records written before
    /// money existed decode with nil.
    public var charges: Charges? {
        get { box.fields.charges }
        set { uniqueBox.fields.charges = newValue }
    }

    /// The memberwise initializer, at `package` level: the store's booking codec (`BookingSchema`)
    /// builds bookings straight from JSON tokens.
    package init(id: BookingID, ref: String, resource: ResourceID, customer: CustomerID?, range: TimeRange,
                 status: BookingStatus, createdBy: Author, updatedBy: Author, version: Int, createdAt: Instant,
                 updatedAt: Instant, notes: String, series: SeriesID?, occurrenceDate: LocalDate?,
                 holdExpiresAt: Instant?, cancellation: Cancellation?, idempotencyKey: String?,
                 overrideReason: String?, history: [HistoryEntry], reminderSentAt: Instant? = nil, charges: Charges? = nil,
                 otherResources: [ResourceID] = [], service: ServiceID? = nil, bufferBefore: TimeSpan = .zero,
                 bufferAfter: TimeSpan = .zero) {
        box = Box(Fields(id: id, ref: ref, resource: resource, customer: customer, range: range, status: status,
                         createdBy: createdBy, updatedBy: updatedBy, version: version, createdAt: createdAt,
                         updatedAt: updatedAt, notes: notes, series: series, occurrenceDate: occurrenceDate,
                         holdExpiresAt: holdExpiresAt, cancellation: cancellation, idempotencyKey: idempotencyKey,
                         overrideReason: overrideReason, history: history, reminderSentAt: reminderSentAt,
                         charges: charges, otherResources: otherResources, service: service,
                         bufferBefore: bufferBefore, bufferAfter: bufferAfter))
    }

    public var start: Instant { range.start }
    public var end: Instant { range.end }

    /// Calendar order: by start, then by id, the order of lists and partition files. The ids
    /// are read only on a tie (a tuple comparison reads both on every call).
    public static func startOrder(_ a: Booking, _ b: Booking) -> Bool {
        let sa = a.start, sb = b.start
        return sa != sb ? sa < sb : a.id < b.id
    }

    /// True when it still keeps others out of its slot at `now`.
    public func blocks(at now: Instant) -> Bool {
        status.blocks(holdExpiresAt: holdExpiresAt, at: now)
    }

    /// True for a `pending_payment` booking whose hold has lapsed at `now`.
    public func holdExpired(at now: Instant) -> Bool {
        status == .pendingPayment && (holdExpiresAt.map { $0 <= now } ?? false)
    }
}

/// How and why a booking was cancelled.
public struct Cancellation: Hashable, Sendable {
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
public struct HistoryEntry: Hashable, Sendable {
    public var at: Instant
    public var actor: Author
    /// `created`, `confirmed`, `rescheduled`, `cancelled`, …
    public var action: String
    /// Human-readable description of what changed (`status tentative → confirmed`).
    public var changes: [String]
    public var version: Int

    package init(at: Instant, actor: Author, action: String, changes: [String], version: Int) {
        self.at = at; self.actor = actor; self.action = action; self.changes = changes; self.version = version
    }
}
