/// The offsets of one time zone through history: the transitions of a TZif file and the POSIX
/// rule that continues them.
///
/// Immutable and shared by reference, so a `Zone` that holds it stays two words to copy. Built
/// by `TZifParser` (or `ZoneRules.utc`); every array was validated there, so lookups need no
/// checks beyond the binary search's.
package final class ZoneRules: Sendable {
    /// An offset from UTC and whether it counts as daylight-saving time.
    package struct Period: Hashable, Sendable {
        /// Seconds east of UTC.
        package let offset: Int32
        let isDaylightSaving: Bool

        package init(offset: Int32, isDaylightSaving: Bool) {
            self.offset = offset
            self.isDaylightSaving = isDaylightSaving
        }
    }

    /// Instants (seconds since the epoch) at which the offset changes, strictly ascending.
    let transitions: [Int64]
    /// `periods[i]` is in force from `transitions[i]` until the next transition.
    let periods: [Period]
    /// In force before the first transition (RFC 8536: time type 0).
    let initial: Period
    /// In force from the last transition on; nil keeps the last transition's period.
    let footer: PosixTZRule?

    /// The rules of a zone that never changes its offset.
    init(fixed period: Period) {
        self.transitions = []
        self.periods = []
        self.initial = period
        self.footer = nil
    }

    /// Rules from validated parts; `transitions` and `periods` have the same length and
    /// `transitions` is strictly ascending (``TZifParser`` checks both).
    init(initial: Period, transitions: [Int64], periods: [Period], footer: PosixTZRule?) {
        precondition(transitions.count == periods.count, "one period per transition")
        self.transitions = transitions
        self.periods = periods
        self.initial = initial
        self.footer = footer
    }

    /// UTC: offset 0 at every instant, with no tz database at all.
    package static let utc = ZoneRules(fixed: Period(offset: 0, isDaylightSaving: false))

    /// Offset from UTC, in seconds, in force at `seconds` since the epoch.
    ///
    /// - Complexity: O(log n) in the number of transitions (a branch-free binary search,
    ///   ~8 steps for a zone with European DST history); O(1) after the last transition.
    @inline(__always)
    package func offset(at seconds: Int64) -> Int { Int(period(at: seconds).offset) }

    /// The period in force at `seconds` since the epoch: before the first transition the
    /// initial period, after the last the footer rule (or the last period), else the period
    /// of the latest transition at or before it.
    ///
    /// - Complexity: as ``offset(at:)``.
    package func period(at seconds: Int64) -> Period {
        transitions.withUnsafeBufferPointer { t in
            let n = t.count
            guard n > 0 else { return footer?.period(at: seconds) ?? initial }
            if seconds < t[0] { return initial }
            if seconds >= t[n - 1] { return footer?.period(at: seconds) ?? periods[n - 1] }
            // The latest i with t[i] <= seconds lies in 0..<n-1: halve [lo, lo + len) onto it.
            var lo = 0
            var len = n - 1
            while len > 1 {
                let half = len >> 1
                lo = t[lo + half] <= seconds ? lo + half : lo
                len -= half
            }
            return periods.withUnsafeBufferPointer { $0[lo] }
        }
    }
}
