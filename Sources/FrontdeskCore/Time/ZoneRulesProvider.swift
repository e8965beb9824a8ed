/// Where a ``ZoneDatabase`` gets the rules of named zones: the operating system's tz database
/// (``ZoneInfoDirectory``) in every real run, or fixed bytes in tests.
///
/// ``ZoneDatabase`` validates names and caches results, so a provider sees each valid name at
/// most once per process (twice under a race) and never sees "UTC".
package protocol ZoneRulesProvider: Sendable {
    /// Where the rules come from, e.g. `/usr/share/zoneinfo`: named in messages, and the prefix
    /// an absolute `TZ` path must have to name a zone.
    var location: String { get }

    /// The rules of `identifier`, a name ``ZoneDatabase/isValidIdentifier(_:)`` accepted.
    func rules(for identifier: String) throws(ZoneLookupError) -> ZoneRules

    /// The name of the zone the machine is configured for, nil when none is configured.
    func configuredLocalIdentifier() -> String?
}
