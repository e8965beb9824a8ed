/// Something that can be booked: a room, a person's time, a vehicle.
public struct Resource: Hashable, Sendable, Identifiable {
    public var id: ResourceID
    /// Short reference staff can type (`R-001`).
    public var ref: String
    public var name: String
    public var kind: ResourceKind
    /// A booking on a parent occupies all its descendants and vice versa (a suite and its rooms).
    public var parent: ResourceID?
    public var zone: Zone
    /// Row height of the day grid; bookings are not forced onto it.
    public var slotLength: TimeSpan
    /// The shared availability rules it follows; nil means open at all times.
    public var schedule: ScheduleID?
    /// Per-resource overrides of the schedule's policy values.
    public var policy: PolicyOverrides
    /// Retired resources keep their history but take no new bookings.
    public var archived: Bool
    public var version: Int
    /// What a service may ask for besides the kind (`stylist`, `colour`): normalised by
    /// ``ResourceTags/normalise(_:field:)``, sorted, each once.
    public var tags: [String]

    public init(id: ResourceID, ref: String, name: String, kind: ResourceKind, parent: ResourceID? = nil,
                zone: Zone, slotLength: TimeSpan = .minutes(15), schedule: ScheduleID? = nil,
                policy: PolicyOverrides = PolicyOverrides(), archived: Bool = false, version: Int = 1, tags: [String] = []) {
        self.id = id; self.ref = ref; self.name = name; self.kind = kind; self.parent = parent
        self.zone = zone; self.slotLength = slotLength; self.schedule = schedule; self.policy = policy
        self.archived = archived; self.version = version; self.tags = tags
    }
}

/// Policy values a resource may set for itself, each overriding its schedule's.
public struct PolicyOverrides: Hashable, Sendable {
    public var bufferBefore: TimeSpan?
    public var bufferAfter: TimeSpan?
    public var minimumNotice: TimeSpan?
    public var maximumAdvance: TimeSpan?
    public var cancellationNotice: TimeSpan?
    /// How long before the start a `reminder.due` event fires.
    public var reminderLead: TimeSpan?

    public init(bufferBefore: TimeSpan? = nil, bufferAfter: TimeSpan? = nil, minimumNotice: TimeSpan? = nil,
                maximumAdvance: TimeSpan? = nil, cancellationNotice: TimeSpan? = nil, reminderLead: TimeSpan? = nil) {
        self.bufferBefore = bufferBefore; self.bufferAfter = bufferAfter; self.minimumNotice = minimumNotice
        self.maximumAdvance = maximumAdvance; self.cancellationNotice = cancellationNotice; self.reminderLead = reminderLead
    }
}

/// The policy in force for one resource once schedule and overrides are combined.
public struct EffectivePolicy: Hashable, Sendable {
    public var bufferBefore: TimeSpan
    public var bufferAfter: TimeSpan
    public var minimumNotice: TimeSpan
    /// nil: no limit.
    public var maximumAdvance: TimeSpan?
    public var cancellationNotice: TimeSpan
    public var reminderLead: TimeSpan?

    /// The time a booking of `range` keeps this resource busy: the range widened on each side
    /// by the larger of the resource's buffer and the booking's own (`before`, `after`: its
    /// service's set-up and clean-up, ``Booking/bufferBefore``).
    public func buffered(_ range: TimeRange, before: TimeSpan = .zero, after: TimeSpan = .zero) -> TimeRange {
        range.widened(before: max(bufferBefore, before), after: max(bufferAfter, after))
    }
}
