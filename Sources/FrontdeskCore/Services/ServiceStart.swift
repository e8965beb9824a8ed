/// A start time where a whole service fits, with the resources it would take.
public struct ServiceStart: Hashable, Sendable {
    /// The booked time (buffers not included).
    public var range: TimeRange
    /// The first combination that fits, one list per requirement (``ResourceChooser``).
    public var resources: [[ResourceID]]
    public init(range: TimeRange, resources: [[ResourceID]]) { self.range = range; self.resources = resources }
}
