import Synchronization

/// Named time zones for the process: validates names, asks a ``ZoneRulesProvider`` for their
/// rules once, and keeps them.
///
/// ``shared`` is what `Zone(_:)` uses. It starts with the operating system's tz database
/// (``ZoneInfoDirectory/system``), so every executable and every test process can name zones
/// with no set-up; ``install(_:)`` replaces the provider for the whole process. Tests that want
/// other rules make their own `ZoneDatabase` instead: suites run in parallel in one process.
package final class ZoneDatabase: Sendable {
    /// The database `Zone(_:)` reads.
    package static let shared = ZoneDatabase(provider: ZoneInfoDirectory.system)

    private struct State {
        var provider: any ZoneRulesProvider
        var cache: [String: ZoneRules] = [:]
        /// Bumped by `install`, so rules read from a replaced provider are not cached.
        var generation = 0
    }

    private let state: Mutex<State>

    package init(provider: any ZoneRulesProvider) {
        state = Mutex(State(provider: provider))
    }

    /// The provider now in use.
    package var provider: any ZoneRulesProvider { state.withLock { $0.provider } }

    /// Replaces the provider and forgets every cached zone. Zones already made keep the rules
    /// they were made with.
    package func install(_ provider: any ZoneRulesProvider) {
        state.withLock { s in
            s.provider = provider
            s.cache = [:]
            s.generation += 1
        }
    }

    /// The zone named `identifier`, or why there is none. "UTC" needs no database.
    ///
    /// The provider is called outside the lock (it may read a file); a name looked up by two
    /// threads at once may be read twice, and the first result is kept.
    ///
    /// - Complexity: O(length of the name) once cached.
    package func zone(_ identifier: String) -> Result<Zone, ZoneLookupError> {
        if identifier == "UTC" { return .success(.utc) }
        guard ZoneDatabase.isValidIdentifier(identifier) else { return .failure(.invalidIdentifier(identifier)) }
        let (cached, provider, generation) = state.withLock { ($0.cache[identifier], $0.provider, $0.generation) }
        if let cached { return .success(Zone(identifier: identifier, rules: cached)) }
        let rules: ZoneRules
        do throws(ZoneLookupError) { rules = try provider.rules(for: identifier) } catch { return .failure(error) }
        let kept = state.withLock { s -> ZoneRules in
            guard s.generation == generation else { return rules }
            if let other = s.cache[identifier] { return other }
            s.cache[identifier] = rules
            return rules
        }
        return .success(Zone(identifier: identifier, rules: kept))
    }

    /// True for the names `Zone` accepts: "UTC", or `/`-separated components of `A–Z a–z 0–9
    /// _ + -` with at least one `/`, no empty component, and none that is `.` or `..` (which
    /// the character set already excludes). Such a name cannot leave the database's directory.
    ///
    /// Foundation's `TimeZone` also takes abbreviations ("EST") and fixed offsets; resources
    /// need their region's DST history, so only IANA names are taken.
    static func isValidIdentifier(_ identifier: String) -> Bool {
        if identifier == "UTC" { return true }
        let bytes = identifier.utf8
        guard bytes.count <= 255, bytes.contains(UInt8(ascii: "/")) else { return false }
        var componentLength = 0
        for c in bytes {
            switch c {
            case UInt8(ascii: "/"):
                guard componentLength > 0 else { return false }   // leading "/" or "//"
                componentLength = 0
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                componentLength += 1
            default:
                return false                                        // ".", "..", spaces, NUL, ...
            }
        }
        return componentLength > 0                                  // trailing "/"
    }

    /// The zone for displaying times when nothing else names one, from the value of `TZ`
    /// (nil when unset), else the machine's configuration, else UTC.
    ///
    /// `TZ` may be `Area/Location` or `:Area/Location`, an absolute path inside the database's
    /// directory, or a name in `Etc/` such as `GMT`; empty means UTC, as for glibc. A `TZ` that
    /// names no zone (a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`, a misspelling) is ignored
    /// and the machine's zone used, as Foundation's `TimeZone.current` did.
    package func localZone(tz: String?) -> Zone {
        if let tz {
            var name = Substring(tz)
            if name.hasPrefix(":") { name = name.dropFirst() }
            if name.isEmpty { return .utc }
            if let zone = zoneForLocalName(String(name)) { return zone }
        }
        if let configured = provider.configuredLocalIdentifier(), let zone = zoneForLocalName(configured) { return zone }
        return .utc
    }

    /// A zone from a `TZ` value or the machine's configuration, which may be a path into the
    /// database or, without a `/`, a name that only exists in `Etc/` as a zone.
    private func zoneForLocalName(_ name: String) -> Zone? {
        var name = Substring(name)
        if name.hasPrefix("/") {
            let prefix = provider.location.hasSuffix("/") ? provider.location : provider.location + "/"
            guard name.hasPrefix(prefix) else { return nil }
            name = name.dropFirst(prefix.count)
        }
        // The posix/ tree repeats the zones; right/ counts leap seconds, which instants do not.
        for tree in ["posix/", "right/"] where name.hasPrefix(tree) { name = name.dropFirst(tree.count) }
        if name.contains("/") || name == "UTC" { return try? zone(String(name)).get() }
        return try? zone("Etc/" + name).get()
    }
}
