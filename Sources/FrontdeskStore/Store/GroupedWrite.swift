import FrontdeskCore

/// One change of a group commit (``Store/writeGroup(_:_:)``): what it is about, the role that
/// checks it, and its plan, exactly what one ``Store/write(_:_:_:)`` takes.
public struct GroupedWrite<Value: Sendable> {
    /// What the plan is about; the store loads its footprint before planning.
    public var change: ChangeRequest
    /// The role every planned change is checked against (nil: no check), as ``Store/access``.
    public var access: Access?
    /// Plans the change against the caught-up state, the group's earlier changes applied.
    public var plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<Value>

    public init(change: ChangeRequest, access: Access?,
                plan: @escaping (BookingState, BookingEngine) throws(CoreError) -> Planned<Value>) {
        self.change = change; self.access = access; self.plan = plan
    }
}
