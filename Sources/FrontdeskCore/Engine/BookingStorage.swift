/// Where bookings live, as the front ends see it: the file store is one implementation,
/// ``InMemoryBookingStorage`` another; a database or a remote API can be the next.
///
/// A change is a ``ChangeRequest`` and a plan. The storage works out what the plan reads with
/// ``BookingEngine/footprint(of:in:)``, makes that current under its own concurrency control
/// (a lock, a serializable transaction, …), runs the plan against it, and stores the planned
/// transaction atomically: all of it or nothing. Nothing here assumes files, locks or a journal.
public protocol BookingStorage: AnyObject {
    /// What ``subscribe(_:)`` returns.
    associatedtype Subscription: ChangeSubscription

    /// Everything loaded so far: all reference data, and the bookings of what was loaded.
    var state: BookingState { get }
    /// Plans changes (never mutates the state).
    var engine: BookingEngine { get }
    /// Whether writes are possible right now.
    var mode: StorageMode { get }

    /// Makes sure the bookings of `resources` (nil: all) overlapping `range` are in ``state``.
    func load(resources: [ResourceID]?, range: TimeRange) throws
    /// The bookings of `customer` overlapping `range`, any status, in start order (ties by
    /// reference); afterwards they are in ``state``. A storage with an index by customer reads
    /// only that customer's bookings; the default loads every booking in `range`.
    func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws -> [Booking]
    /// Finds a booking by id (`bk_…`) or reference (`B-7K2`), with the rest of its series in
    /// ``state`` too; nil when there is none.
    func booking(idOrRef: String) throws -> Booking?
    /// Plans and stores one change: loads the footprint of `change` as it is now, runs `plan`
    /// on the up-to-date state and stores its transaction atomically (an empty one stores
    /// nothing). Throws the planner's refusal (possibly wrapped) or a storage error.
    func write<T>(_ operation: String, _ change: ChangeRequest,
                  _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T
    /// Applies changes made elsewhere since the last look; true when anything changed.
    func refresh() throws -> Bool
    /// Calls `onChange` (on any thread) when a change may have been made elsewhere; the caller
    /// then calls ``refresh()``. The watch lasts until cancelled or released.
    func subscribe(_ onChange: @escaping @Sendable () -> Void) -> Subscription
    /// The planner's refusal inside an error thrown here, if any, and one sentence to show.
    func describe(_ error: any Error) -> (refusal: CoreError?, message: String)
}

extension BookingStorage {
    /// Loads every resource's bookings in `range` and keeps the customer's.
    ///
    /// - Complexity: O(bookings in memory) after the load.
    public func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws -> [Booking] {
        try load(resources: nil, range: range)
        return state.bookings.values.filter { $0.customer == customer && $0.range.overlaps(range) }
            .sorted { ($0.start, $0.ref) < ($1.start, $1.ref) }
    }

    /// A bare `CoreError` and its description, or the error's own text.
    public func describe(_ error: any Error) -> (refusal: CoreError?, message: String) {
        if let e = error as? CoreError { return (e, e.description) }
        return (nil, String(describing: error))
    }
}
