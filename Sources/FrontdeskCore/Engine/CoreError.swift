/// Every way the core refuses a request. Each case names what was wrong; none leaves the state
/// changed (the engine plans a whole change before anything is applied).
public enum CoreError: Error, Hashable, Sendable {
    /// A field had an unusable value; `field` names it, `message` says what was expected.
    case invalidInput(field: String, message: String)
    /// A time or date lies outside ``SupportedRange`` (1970 to 2199 UTC); `value` is how it was read.
    case outsideSupportedRange(field: String, value: String)
    /// `end` is not after `start`.
    case emptyRange(start: Instant, end: Instant)
    /// A wall-clock time that does not exist in the zone (spring-forward gap).
    case nonexistentLocalTime(LocalDateTime, zone: Zone)
    /// No resource, customer, booking, schedule or waitlist entry with that id or reference.
    case notFound(kind: String, id: String)
    /// A name matched more than one record; the candidates are listed.
    case ambiguous(kind: String, text: String, candidates: [String])
    /// The range overlaps blocking bookings on the resource or a related one.
    case conflict([ConflictingBooking])
    /// Creating a series met conflicts on these occurrences (all-or-nothing mode).
    case seriesConflicts([LocalDate: [ConflictingBooking]])
    /// The caller saw `expected` but the record is at `current`.
    case staleVersion(id: String, expected: Int, current: Int)
    /// The state machine has no arrow from `from` to `to`.
    case invalidTransition(from: BookingStatus, to: BookingStatus)
    /// `completed` and `no_show` need the booking to have started.
    case notStarted(status: BookingStatus, start: Instant)
    /// Policy refusal: outside the resource's opening hours.
    case outsideOpeningHours(resource: String, range: TimeRange)
    /// Policy refusal: inside a blackout.
    case blackout(resource: String, reason: String, range: TimeRange)
    /// Policy refusal: the start is sooner than the minimum notice allows.
    case insideMinimumNotice(resource: String, notice: TimeSpan, start: Instant)
    /// Policy refusal: the start is further ahead than the booking window allows.
    case beyondMaximumAdvance(resource: String, limit: TimeSpan, start: Instant)
    /// Policy refusal: cancelling inside the cancellation notice needs an override with a reason.
    case insideCancellationNotice(notice: TimeSpan, start: Instant)
    /// The idempotency key was used before with a different request.
    case idempotencyKeyReused(key: String, existing: [BookingID])
    /// The recurrence rule could not be read or is not supported.
    case invalidRecurrence(String)
    /// The series is longer than the limit (2 years or 500 occurrences).
    case seriesTooLong(String)
    /// The change would make a resource its own ancestor.
    case hierarchyCycle(resource: String)
    /// The resource is archived and takes no new bookings.
    case resourceArchived(resource: String)
    /// The booking can no longer change (completed, cancelled, no-show).
    case finalStatus(id: String, status: BookingStatus)
    /// The account's role (nil: none) does not allow `action`; `needed` is the least role that
    /// does, `admins` who may grant one.
    case notPermitted(user: String, role: Role?, action: AccessAction, needed: Role, admins: [String])
    /// A staff change that would leave the store without an admin.
    case lastAdmin(subject: String)
    /// No combination of free resources satisfies a service's requirements at that start;
    /// `requirement` names the first one that could not be met (`2 × chair`).
    case noResourcesFit(service: String, requirement: String, start: Instant)
}

/// A booking that stands in the way, with what a person needs to read the message.
public struct ConflictingBooking: Hashable, Sendable {
    public var id: BookingID
    public var ref: String
    public var resource: ResourceID
    public var resourceName: String
    public var range: TimeRange
    public var status: BookingStatus
    public var customerName: String?
    /// Who made (or last changed) it: the message says who holds the slot.
    public var heldBy: String
    /// Set when only the buffer kept clear around the booking stands in the way (its own
    /// range does not overlap the request): a message then names the buffer and when it
    /// ends, not the booking's time, which looks free.
    public var buffer: BufferClash? = nil
}

/// The buffer that a request runs into: kept clear before or after a booking.
public struct BufferClash: Hashable, Sendable {
    public enum Side: String, Hashable, Sendable { case before, after }
    public var side: Side
    /// The whole gap kept between the booking and the request (the booking's buffer on that
    /// side plus the request's on the other, each the larger of its resource's buffer and its
    /// booking's own, a service's).
    public var length: TimeSpan
    /// Where the kept-clear time ends (after) or starts (before): the nearest edge a request may touch.
    public var edge: Instant

    /// The part of `length` that is the requested booking's own buffer (its after-buffer when
    /// it comes before the booking, its before-buffer when it comes after); nil when none. The
    /// message then says the new booking needs that time, not that the other booking keeps it.
    public var own: TimeSpan?
    /// Where the requested booking's own buffer ends (`side` before) or starts (`side` after).
    public var ownEdge: Instant?

    public init(side: Side, length: TimeSpan, edge: Instant, own: TimeSpan? = nil, ownEdge: Instant? = nil) {
        self.side = side; self.length = length; self.edge = edge
        self.own = own.flatMap { $0.seconds > 0 ? $0 : nil }
        self.ownEdge = self.own == nil ? nil : ownEdge
    }

    /// The part of `length` that the other booking's resource keeps around it.
    public var theirs: TimeSpan { TimeSpan(seconds: length.seconds - (own?.seconds ?? 0)) }
}

extension CoreError {
    /// Broad kinds of refusal; the CLI maps each to one exit code.
    public enum Category: Sendable {
        case invalidInput, notFound, conflict, staleVersion, policy, idempotency
        /// The account's role does not allow the action.
        case notPermitted
    }

    public var category: Category {
        switch self {
        case .invalidInput, .outsideSupportedRange, .emptyRange, .nonexistentLocalTime, .ambiguous, .invalidTransition, .notStarted,
             .invalidRecurrence, .seriesTooLong, .hierarchyCycle, .resourceArchived, .finalStatus:
            return .invalidInput
        case .notFound: return .notFound
        case .conflict, .seriesConflicts, .noResourcesFit: return .conflict
        case .staleVersion: return .staleVersion
        case .outsideOpeningHours, .blackout, .insideMinimumNotice, .beyondMaximumAdvance, .insideCancellationNotice:
            return .policy
        case .idempotencyKeyReused: return .idempotency
        case .notPermitted, .lastAdmin: return .notPermitted
        }
    }

    /// True for refusals a manager override may lift (never conflicts).
    public var isOverridablePolicy: Bool { category == .policy }
}
