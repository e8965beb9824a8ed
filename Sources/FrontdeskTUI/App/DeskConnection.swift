import FrontdeskCore

/// Whether the desk may write right now, as shown in the status bar.
public enum DeskMode: Hashable, Sendable {
    /// Reads and writes work.
    case live
    /// Writes are refused; the reason says why (e.g. "the data directory is not writable").
    case readOnly(String)
    /// Another process holds the write lock; `holder` says who.
    case busy(String)
}

/// The data layer as the TUI sees it: the loaded state, the engine to plan changes, and a way
/// to write a planned change safely. The executable adapts the file store to it; tests use an
/// in-memory implementation over `BookingState` and `BookingEngine`.
///
/// Every write goes through `write`: the connection catches up with other processes, calls
/// `plan` against the latest state under its lock, stores the transaction and applies it.
public protocol DeskConnection: AnyObject {
    /// Everything loaded so far.
    var state: BookingState { get }
    /// Plans changes (never mutates the state).
    var engine: BookingEngine { get }
    /// Who is at the desk: user, origin, source `.tui`.
    var actor: Actor { get }
    /// Live, read-only or busy.
    var mode: DeskMode { get }
    /// Makes sure the bookings of `resources` (nil: all) within `range` are in memory.
    func load(resources: [ResourceID]?, range: TimeRange) throws
    /// Plans and stores one change; throws the planner's `CoreError` (possibly wrapped) when
    /// refused, or a storage error.
    func write<T: Sendable>(_ operation: String, touching: [TimeRange], resources: [ResourceID]?,
                            _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T
    /// Applies other processes' changes; true when anything changed.
    func refresh() throws -> Bool
    /// Registers a callback run (on any thread) when the data changed on disk.
    func onExternalChange(_ callback: @escaping @Sendable () -> Void)
    /// The core refusal inside an error, if any, and one sentence to show for it.
    func describe(_ error: Error) -> (CoreError?, String)
}

extension DeskConnection {
    /// Default: a bare `CoreError` and its description, or the error's own text.
    public func describe(_ error: Error) -> (CoreError?, String) {
        if let e = error as? CoreError { return (e, e.description) }
        return (nil, String(describing: error))
    }
}
