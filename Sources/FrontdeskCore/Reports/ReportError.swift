/// Why a report could not be made. Each case names the problem.
public enum ReportError: Error, Hashable, Sendable {
    /// The period ends at or before it starts.
    case emptyPeriod(from: Instant, to: Instant)
    /// A resource asked for is not in the store.
    case unknownResource(ResourceID)
    /// A booking's money is in another currency than the report's.
    case currencyMismatch(booking: String, found: Currency, expected: Currency)
    /// A total does not fit in 64-bit minor units.
    case overflow(booking: String)
}

extension ReportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyPeriod(let from, let to): "the period must end after it starts (from \(from.iso8601) to \(to.iso8601))"
        case .unknownResource(let r): "no resource \(r) in this store"
        case .currencyMismatch(let b, let found, let expected):
            "booking \(b) is in \(found.code), but the report is in \(expected.code); amounts in two currencies cannot be added"
        case .overflow(let b): "a total overflows 64-bit minor units at booking \(b)"
        }
    }
}
