/// A ratio of two whole numbers, shown as a percentage with one decimal, computed without
/// floating point (`12.5%`, `—` when the denominator is zero).
public struct ReportRate: Hashable, Sendable {
    public let numerator: Int64
    public let denominator: Int64

    public init(_ numerator: Int64, of denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The rate in tenths of a percent, rounded half up; nil when the denominator is zero.
    public var permille: Int64? {
        guard denominator > 0 else { return nil }
        // The numerator is seconds or counts: times 2000 it stays far from overflow.
        return (numerator * 2000 + denominator) / (2 * denominator)
    }

    /// `12.5%`, or `—` when there is nothing to divide by.
    public var text: String {
        guard let p = permille else { return "—" }
        let sign = p < 0 ? "-" : ""
        let m = p.magnitude
        return "\(sign)\(m / 10).\(m % 10)%"
    }
}

extension ReportRate: CustomStringConvertible {
    public var description: String { text }
}
