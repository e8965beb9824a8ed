/// One sentence a receptionist can act on. Times are shown in UTC here; front ends that know the
/// resource's zone may phrase them locally.
extension CoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .conflict(let list) where list.isEmpty:
            return "no free slot fits"
        case .conflict, .seriesConflicts, .outsideOpeningHours, .blackout, .insideMinimumNotice, .beyondMaximumAdvance,
             .insideCancellationNotice:
            return worded(times: .local, zone: { _ in nil }, namedZone: { _ in nil })
        case .invalidInput(let field, let message):
            return "\(field): \(message)"
        case .outsideSupportedRange(let field, let value):
            return "\(field): \(value) is outside the supported range (\(SupportedRange.text))"
        case .emptyRange(let s, let e):
            return "end (\(e)) must be after start (\(s))"
        case .nonexistentLocalTime(let t, let zone):
            return "\(t.text) does not exist in \(zone) (the clocks go forward then); pick a time outside the gap"
        case .notFound(let kind, let id):
            return "no \(kind) \"\(id)\""
        case .ambiguous(let kind, let text, let candidates):
            return "\"\(text)\" matches several \(kind)s: \(candidates.joined(separator: ", ")); use the id or reference"
        case .staleVersion(let id, let expected, let current):
            return "\(id) changed meanwhile: you saw version \(expected), it is now at version \(current); reload and try again"
        case .invalidTransition(let from, let to):
            return "a \(from) booking cannot become \(to)"
        case .notStarted(let status, let start):
            return "cannot mark as \(status) before the booking starts (\(start))"
        case .idempotencyKeyReused(let key, let existing):
            return "idempotency key \"\(key)\" was already used for a different request (booking \(existing.map(\.rawValue).joined(separator: ", ")))"
        case .invalidRecurrence(let m):
            return "repeat rule: \(m)"
        case .seriesTooLong(let m):
            return "series too long: \(m)"
        case .hierarchyCycle(let r):
            return "\(r) cannot be inside itself"
        case .resourceArchived(let r):
            return "\(r) is archived and takes no new bookings"
        case .finalStatus(let id, let status):
            return "\(id) is \(status) and can no longer change"
        case .notPermitted(let user, let role, let action, let needed, let admins):
            let who = admins.joined(separator: ", ")
            guard let role else {
                return "\(user) has no role in this store; an admin (\(who)) can grant one: frontdesk staff add \(user) --role \(needed.name)"
            }
            let above = needed == .admin ? "" : " or above"
            return "\(user) is \(role.name) and may not \(action.phrase): that needs \(needed.name)\(above) (an admin can change roles: \(who))"
        case .lastAdmin(let subject):
            return "\(subject) is the last admin of this store; grant admin to someone else first"
        case .noResourcesFit:
            return worded(times: .local, zone: { _ in nil }, namedZone: { _ in nil })
        }
    }
}

extension ConflictingBooking {
    /// `B-00F (Ann Lee, Room 1, 2027-03-01T09:00:00Z – 10:00:00Z, confirmed, by alice)`, or,
    /// when only its buffer is in the way, `10 min buffer after B-00F (…), until 2027-03-01T10:10:00Z`.
    public var summary: String { summary(times: .local, zone: nil) }

    /// The summary with times written by `times` in `zone` (the resource's, where known).
    func summary(times: TimeWording, zone: Zone?) -> String {
        let what = "\(ref) (\(customerName ?? "blocked time"), \(resourceName), \(times.span(range, zone)), \(status), by \(heldBy))"
        return buffer.map { $0.phrase(what) { times.clock($0, zone) } } ?? what
    }
}

extension BufferClash {
    /// Names the buffer in the way, since the booking's own time does not overlap the request
    /// and would look free, and says whose buffer it is: `10 min buffer after <what>, until
    /// 10:10` (the booking's own), or `<what>: the new booking needs 10 min after it, until
    /// 14:05` (the request's own buffer runs into the booking). `time` formats an instant.
    public func phrase(_ what: String, time: (Instant) -> String) -> String {
        let theirs = self.theirs
        // The other booking's own buffer, ending (after) or starting (before) where it does.
        let theirEdge = side == .after ? edge - (own ?? .zero) : edge + (own ?? .zero)
        let kept = side == .after ? "\(theirs.spoken) buffer after \(what), until \(time(theirEdge))"
                                  : "\(theirs.spoken) buffer before \(what), from \(time(theirEdge))"
        guard let own, let ownEdge else { return kept }
        let needs = side == .after ? "the new booking needs \(own.spoken) before it, from \(time(ownEdge))"
                                   : "the new booking needs \(own.spoken) after it, until \(time(ownEdge))"
        return theirs.seconds > 0 ? "\(kept), and \(needs)" : "\(what): \(needs)"
    }
}

extension TimeSpan {
    /// As said aloud at a desk: `10 min`, `1 h`, `1 h 30 min`, `2 d`.
    public var spoken: String {
        let s = seconds
        if s < 60 { return "\(s) s" }
        if s % 86400 == 0 { return "\(s / 86400) d" }
        let h = s / 3600, m = s % 3600 / 60
        if h == 0 { return "\(m) min" }
        return m == 0 ? "\(h) h" : "\(h) h \(m) min"
    }
}

extension TimeSpan {
    /// Compact form: `45m`, `1h30m`, `2d`.
    public var text: String {
        var s = seconds
        if s == 0 { return "0m" }
        var out = ""
        if s < 0 { out = "-"; s = -s }
        let d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60
        if d > 0 { out += "\(d)d" }
        if h > 0 { out += "\(h)h" }
        if m > 0 { out += "\(m)m" }
        if sec > 0 { out += "\(sec)s" }
        return out
    }

    /// Parses `45m`, `1h30m`, `2d`, `90s`, `1h 15m`; nil for anything else (including zero-unit
    /// text like `10`).
    public init?(text: String) {
        var total: Int64 = 0
        var number: Int64? = nil
        var sawUnit = false
        for ch in text.lowercased() where ch != " " {
            if let d = ch.wholeNumberValue, ch.isASCII {
                let (v, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !o1 else { return nil }
                number = v + Int64(d)
            } else {
                guard let n = number else { return nil }
                let unit: Int64
                switch ch {
                case "d": unit = 86400
                case "h": unit = 3600
                case "m": unit = 60
                case "s": unit = 1
                default: return nil
                }
                let (v, o) = n.multipliedReportingOverflow(by: unit)
                guard !o, v <= 366 * 86400 * 10 else { return nil }
                total += v
                number = nil
                sawUnit = true
            }
        }
        guard number == nil, sawUnit else { return nil }
        self.init(seconds: total)
    }
}

extension CoreError {
    /// The message with times in the resources' own zones (`Mon 2027-03-01 09:00–10:00
    /// Europe/London`), as staff read them. Falls back to UTC where no resource is known.
    ///
    /// The words are the core's; `times` says how a front end writes a range, a moment and a
    /// clock time, and `seriesAdvice` (such as the command line's flag that books the rest)
    /// joins "nothing was booked" in a series refusal.
    public func description(in state: BookingState, times: TimeWording = .local, seriesAdvice: String? = nil) -> String {
        worded(times: times, zone: { state.resources[$0]?.zone },
               namedZone: { name in state.resources.values.first { $0.name == name }?.zone }, seriesAdvice: seriesAdvice,
               serviceZone: { name in (try? state.service(named: name)).flatMap { state.candidates(for: $0).first?.zone } })
    }

    /// The refusals whose message holds times, worded once for every front end: `zone` finds a
    /// conflicting booking's resource zone, `namedZone` a policy's resource (named in the error).
    /// Any other error reads as its ``description``.
    private func worded(times: TimeWording, zone: (ResourceID) -> Zone?, namedZone: (String) -> Zone?,
                        seriesAdvice: String? = nil, serviceZone: (String) -> Zone? = { _ in nil }) -> String {
        func conflict(_ c: ConflictingBooking) -> String { c.summary(times: times, zone: zone(c.resource)) }
        switch self {
        case .conflict(let list) where !list.isEmpty:
            return "conflicts with " + list.map(conflict).joined(separator: "; ")
        case .seriesConflicts(let map):
            let parts = map.keys.sorted().map { d in "\(d): " + (map[d] ?? []).map(conflict).joined(separator: ", ") }
            let head = map.count == 1 ? "1 occurrence of the series conflicts" : "\(map.count) occurrences of the series conflict"
            return head + " (nothing was booked\(seriesAdvice.map { "; " + $0 } ?? "")): " + parts.joined(separator: "; ")
        case .outsideOpeningHours(let r, let range):
            return "\(r) is closed for part of \(times.span(range, namedZone(r)))"
        case .blackout(let r, let reason, let range):
            return "\(r) is unavailable \(times.span(range, namedZone(r))): \(reason)"
        case .insideMinimumNotice(let r, let notice, let start):
            if notice.seconds == 0 { return "\(times.moment(start, namedZone(r))) is in the past" }
            return "\(r) needs \(notice.text) notice; \(times.moment(start, namedZone(r))) is too soon"
        case .beyondMaximumAdvance(let r, let limit, let start):
            return "\(r) takes bookings at most \(limit.text) ahead; \(times.moment(start, namedZone(r))) is too far"
        case .insideCancellationNotice(let notice, let start):
            return "inside the \(notice.text) cancellation notice (starts \(times.moment(start, nil))); a manager override with a reason is needed"
        case .noResourcesFit(let service, let requirement, let start):
            return "no free combination of resources for \"\(service)\" at \(times.moment(start, serviceZone(service))): not enough free \(requirement) for the whole service (buffers, hours and policies counted)"
        default:
            return description
        }
    }
}
