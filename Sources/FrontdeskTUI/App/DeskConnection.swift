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
    /// The account's role in the store: every action and every write is checked against it
    /// (``Access/authorize(_:_:_:)``). nil: a storage without staff (tests, in memory), where
    /// everything is allowed.
    public let access: Access?
    /// The watch for other desks' changes, kept while the desk runs.
    private var subscription: (any ChangeSubscription)?

    public init(storage: any BookingStorage, actor: Author, access: Access? = nil) {
        self.storage = storage
        self.actor = actor
        self.access = access
    }

    /// Throws, naming the role needed, unless the account may take `action`.
    func authorize(_ action: AccessAction) throws(CoreError) {
        guard let access else { return }
        try Access.authorize(actor, access, action)
    }

    /// Whether the account may take `action`.
    func allows(_ action: AccessAction) -> Bool { access?.allows(action) ?? true }

    /// The user and role as the status bar shows them: `alice (desk)`.
    var userLabel: String {
        guard let access else { return actor.user }
        return "\(actor.user) (\(access.role?.name ?? "no role"))"
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
        guard let access else { return try storage.write(operation, change, plan) }
        // What the plan does, whichever key or form asked for it, is checked against the role.
        let actor = self.actor
        return try storage.write(operation, change) { state, engine throws(CoreError) in
            let planned = try plan(state, engine)
            try Access.authorize(actor, access, transaction: planned.transaction, before: state)
            return planned
        }
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
