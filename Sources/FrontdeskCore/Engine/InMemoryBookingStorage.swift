import Synchronization

/// A ``BookingStorage`` over a `BookingState` in memory: for tests, the demo and benchmarks.
///
/// `external(_:)` plays another desk writing meanwhile: the change is applied at once (as if
/// stored), and the next `refresh()` reports it.
///
/// Not `Sendable`: one thread uses it. Only the subscribers are reached from other threads,
/// and they live in a `Sendable` ``Watchers``.
public final class InMemoryBookingStorage: BookingStorage {
    public private(set) var state: BookingState
    public let engine: BookingEngine
    public var mode: StorageMode = .live
    /// Writes made through this storage, in order (operation names).
    public private(set) var writes: [String] = []
    /// The change requests of those writes, in order.
    public private(set) var changes: [ChangeRequest] = []
    /// The audit entries of every change stored here, in order.
    public private(set) var auditLog: [AuditEntry] = []
    /// The resources of every `load` call, in order (everything is in memory already).
    public private(set) var loads: [[ResourceID]?] = []
    /// Whether another desk wrote since the last refresh, and whom to tell when one does.
    private let externalChange = Watchers()

    /// The subscribers and the pending change, shared with the subscriptions' cancel.
    private final class Watchers: Sendable {
        let state = Mutex<(pending: Bool, callbacks: [Int: @Sendable () -> Void], next: Int)>((false, [:], 0))
    }

    public init(state: BookingState, engine: BookingEngine) {
        self.state = state; self.engine = engine
    }

    public func load(resources: [ResourceID]?, range: TimeRange) { loads.append(resources) }

    public func booking(idOrRef: String) -> Booking? {
        let text = idOrRef.trimming(.whitespaces)
        return state.bookings[BookingID(text)] ?? state.booking(ref: text)
    }

    /// Refuses in read-only mode; otherwise plans against the state and applies the result.
    public func write<T>(_ operation: String, _ change: ChangeRequest,
                         _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        if case .readOnly(let why) = mode { throw StorageRefusal(message: "read-only: \(why)") }
        let planned = try plan(state, engine)
        state.apply(planned.transaction)
        auditLog += planned.transaction.auditEntries
        writes.append(operation)
        changes.append(change)
        return planned.value
    }

    /// Selects from ``auditLog``.
    public func auditEntries(_ query: AuditQuery) -> [AuditEntry] { query.select(auditLog) }

    public func refresh() -> Bool {
        externalChange.state.withLock { let c = $0.pending; $0.pending = false; return c }
    }

    public func subscribe(_ onChange: @escaping @Sendable () -> Void) -> Subscription {
        let watchers = externalChange
        let key = watchers.state.withLock { s in
            let k = s.next
            s.next += 1
            s.callbacks[k] = onChange
            return k
        }
        return Subscription { [weak watchers] in watchers?.state.withLock { _ = $0.callbacks.removeValue(forKey: key) } }
    }

    /// Another desk's change: planned and applied now, announced to the subscribers.
    public func external<T>(_ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws(CoreError) -> T {
        let planned = try plan(state, engine)
        state.apply(planned.transaction)
        auditLog += planned.transaction.auditEntries
        let callbacks = externalChange.state.withLock { $0.pending = true; return Array($0.callbacks.values) }
        for c in callbacks { c() }
        return planned.value
    }

    /// A watch on an ``InMemoryBookingStorage``: cancelling it forgets the callback.
    public final class Subscription: ChangeSubscription {
        private let stop: Mutex<(@Sendable () -> Void)?>

        init(stop: @escaping @Sendable () -> Void) { self.stop = Mutex(stop) }

        public func cancel() {
            let s = stop.withLock { let s = $0; $0 = nil; return s }
            s?()
        }

        deinit { cancel() }
    }
}
