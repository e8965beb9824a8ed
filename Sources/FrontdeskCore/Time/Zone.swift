import Foundation

/// An IANA time zone, and the conversions between instants and wall-clock times in it.
///
/// Wall-clock times that do not exist (the spring-forward gap) are refused; wall-clock times
/// that happen twice (the fall-back fold) mean their **first** occurrence, the earlier instant.
public struct Zone: Hashable, Sendable {
    public let identifier: String
    let timeZone: TimeZone

    /// Creates the zone, or nil for a name the system's tz database does not know.
    public init?(_ identifier: String) {
        // Foundation accepts abbreviations such as "EST" and fixed offsets; we only take IANA
        // names (and UTC) so that a resource's rules follow its region's DST history.
        guard identifier == "UTC" || identifier.contains("/"),
              let tz = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.timeZone = tz
    }

    public static let utc = Zone("UTC")!

    public static func == (a: Zone, b: Zone) -> Bool { a.identifier == b.identifier }
    public func hash(into h: inout Hasher) { h.combine(identifier) }

    /// Offset from UTC, in seconds, in force at `instant`.
    public func offset(at instant: Instant) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

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
        // Candidate offsets: whatever is in force a day either side covers every real transition.
        var offsets = Set<Int>()
        for probe in [wall - 86400, wall, wall + 86400] {
            offsets.insert(offset(at: Instant(seconds: probe)))
        }
        var found: [Instant] = []
        for o in offsets {
            let candidate = Instant(seconds: wall - Int64(o))
            if offset(at: candidate) == o { found.append(candidate) }
        }
        found.sort()
        switch found.count {
        case 0: return .nonexistent
        case 1: return .unique(found[0])
        default: return .ambiguous(first: found[0], second: found[found.count - 1])
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

extension Zone: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let z = Zone(name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown time zone \"\(name)\" (expected an IANA name such as Europe/London)")
        }
        self = z
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(identifier)
    }
}

extension Zone: CustomStringConvertible {
    public var description: String { identifier }
}
