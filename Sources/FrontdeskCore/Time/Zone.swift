/// An IANA time zone, and the conversions between instants and wall-clock times in it.
///
/// Wall-clock times that do not exist (the spring-forward gap) are refused; wall-clock times
/// that happen twice (the fall-back fold) mean their **first** occurrence, the earlier instant.
///
/// The rules come from the operating system's tz database through ``ZoneDatabase/shared``,
/// read once per name; "UTC" needs no database. Copying a zone copies a name and a reference.
public struct Zone: Hashable, Sendable {
    public let identifier: String
    let rules: ZoneRules

    /// Creates the zone, or nil for a name the system's tz database does not know.
    ///
    /// Only IANA names (and UTC) are taken, not abbreviations such as "EST" or fixed offsets,
    /// so that a resource's rules follow its region's DST history.
    public init?(_ identifier: String) {
        guard case .success(let zone) = ZoneDatabase.shared.zone(identifier) else { return nil }
        self = zone
    }

    /// A zone with the given rules; ``ZoneDatabase`` is the one that pairs names with rules.
    init(identifier: String, rules: ZoneRules) {
        self.identifier = identifier
        self.rules = rules
    }

    public static let utc = Zone(identifier: "UTC", rules: .utc)

    public static func == (a: Zone, b: Zone) -> Bool { a.identifier == b.identifier }
    public func hash(into h: inout Hasher) { h.combine(identifier) }

    /// Offset from UTC, in seconds, in force at `instant`.
    ///
    /// - Complexity: O(log n) in the zone's transitions (see ``ZoneRules/offset(at:)``).
    @inline(__always)
    public func offset(at instant: Instant) -> Int { rules.offset(at: instant.seconds) }

    /// The wall-clock time at `instant`.
    public func local(_ instant: Instant) -> LocalDateTime {
        LocalDateTime(secondsSinceEpochAsUTC: instant.seconds + Int64(offset(at: instant)))
    }

    /// How a wall-clock time maps to instants in this zone.
    public enum Resolution: Hashable, Sendable {
        case unique(Instant)
        /// Happens twice (fall-back); the instants in order.
        case ambiguous(first: Instant, second: Instant)
        /// Does not exist (spring-forward gap).
        case nonexistent
    }

    /// Every instant whose wall-clock time in this zone is `local`.
    public func resolve(_ local: LocalDateTime) -> Resolution {
        let wall = local.secondsSinceEpochAsUTC
        // Candidate offsets: whatever is in force a day either side covers every real transition
        // (Pacific/Apia's skipped day included). A candidate is real when its own offset is in
        // force at the instant it gives. Distinct offsets give distinct instants.
        let before = rules.offset(at: wall - 86400), at = rules.offset(at: wall), after = rules.offset(at: wall + 86400)
        var earliest = Int64.max, latest = Int64.min, found = 0
        func check(_ o: Int) {
            let candidate = wall - Int64(o)
            guard rules.offset(at: candidate) == o else { return }
            found += 1
            earliest = min(earliest, candidate)
            latest = max(latest, candidate)
        }
        check(before)
        if at != before { check(at) }
        if after != before && after != at { check(after) }
        switch found {
        case 0: return .nonexistent
        case 1: return .unique(Instant(seconds: earliest))
        default: return .ambiguous(first: Instant(seconds: earliest), second: Instant(seconds: latest))
        }
    }

    /// The instant for a wall-clock time: the first occurrence when ambiguous, nil in a gap.
    public func instant(_ local: LocalDateTime) -> Instant? {
        switch resolve(local) {
        case .unique(let i): return i
        case .ambiguous(let first, _): return first
        case .nonexistent: return nil
        }
    }

    /// The instant of the start of a local day. A day that starts inside a gap (rare: some zones
    /// skip midnight) starts at the first existing instant after it.
    public func startOfDay(_ date: LocalDate) -> Instant {
        instantOrNextAfterGap(LocalDateTime(date: date, secondOfDay: 0))
    }

    /// The instant for a wall-clock time, or the end of the gap when it falls in one. Used for
    /// opening-hour boundaries, which must not vanish on DST days.
    func instantOrNextAfterGap(_ local: LocalDateTime) -> Instant {
        if let i = instant(local) { return i }
        // In a gap the wall time read with the pre-transition offset lands after the transition.
        let wall = local.secondsSinceEpochAsUTC
        let before = offset(at: Instant(seconds: wall - 86400))
        return Instant(seconds: wall - Int64(before))
    }

    /// The instant at which a local wall-clock `secondOfDay` (which may be 86400, "24:00") falls.
    func boundary(_ date: LocalDate, secondOfDay: Int) -> Instant {
        if secondOfDay >= 86400 { return startOfDay(date.adding(days: 1)) }
        return instantOrNextAfterGap(LocalDateTime(date: date, secondOfDay: secondOfDay))
    }
}

extension Zone: CustomStringConvertible {
    public var description: String { identifier }
}
