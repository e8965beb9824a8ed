import FrontdeskCore

/// The desk's storage and who is at the desk.
///
/// Every write goes through `write`: the storage loads what the change reads, plans it against
/// the latest state under its own concurrency control and stores the transaction. The
/// executable passes the file store; tests pass an `InMemoryBookingStorage`.
public final class DeskConnection {
    /// Where the bookings live.
    public let storage: any BookingStorage
    /// Who is at the desk: user, origin, source `.tui`.
    public let actor: Author
    /// The watch for other desks' changes, kept while the desk runs.
    private var subscription: (any ChangeSubscription)?

    public init(storage: any BookingStorage, actor: Author) {
        self.storage = storage
        self.actor = actor
    }

    /// Everything loaded so far.
    public var state: BookingState { storage.state }
    /// Plans changes (never mutates the state).
    public var engine: BookingEngine { storage.engine }
    /// Live, read-only or busy.
    public var mode: StorageMode { storage.mode }

    /// Makes sure the bookings of `resources` (nil: all) within `range` are in memory.
    func load(resources: [ResourceID]?, range: TimeRange) throws {
        try storage.load(resources: resources, range: range)
    }

    /// Plans and stores one change; throws the planner's `CoreError` (possibly wrapped) when
    /// refused, or a storage error.
    func write<T>(_ operation: String, _ change: ChangeRequest,
                  _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        try storage.write(operation, change, plan)
    }

    /// Bookings matching `text` across every date (not only what is loaded), in start order
    /// (latest first with `backward`).
    func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking] {
        try storage.search(text: text, range: range, limit: limit, backward: backward)
    }

    /// Applies other processes' changes; true when anything changed.
    func refresh() throws -> Bool { try storage.refresh() }

    /// Registers a callback run (on any thread) when the data changed elsewhere.
    func onExternalChange(_ callback: @escaping @Sendable () -> Void) {
        subscription = storage.subscribe(callback)
    }

    /// The core refusal inside an error, if any, and one sentence to show for it.
    func describe(_ error: any Error) -> (CoreError?, String) {
        let d = storage.describe(error)
        return (d.refusal, d.message)
    }
}
