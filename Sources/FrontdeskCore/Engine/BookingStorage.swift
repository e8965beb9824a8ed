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
    /// Bookings whose reference, notes or customer's name match `text` (``SearchWords``: every
    /// word a prefix of one of theirs, any case and accents), in start order (then id), across
    /// every date unless `range` is given (then those overlapping it), at most `limit`; not only
    /// those in ``state``. With `backward`, the last `limit` of them, latest first.
    func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking]
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

    /// The audit entries `query` selects, oldest first (``AuditQuery/select(_:)``), from every
    /// change stored so far that this storage has seen (call ``refresh()`` first for others').
    func auditEntries(_ query: AuditQuery) throws -> [AuditEntry]

    /// The customer with id `id`, now in ``state`` too; nil when there is none.
    func customer(id: CustomerID) throws -> Customer?
    /// Customers with index key `key` (``CustomerKey``: a folded name, reference, phone or
    /// e-mail), sorted by reference, now in ``state`` too.
    func customers(key: String) throws -> [Customer]
    /// Customers whose folded name, or its rest from a later word, starts with `prefix`
    /// folded (search-as-you-type), in the order of ``CustomerKey/searchKey(_:prefix:)`` then
    /// id, at most `limit`, now in ``state`` too.
    func customers(namePrefix prefix: String, limit: Int) throws -> [Customer]
    /// Every customer, aliases and erased ones included, in no particular order, now in
    /// ``state`` too (`customer list`).
    func allCustomers() throws -> [Customer]
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

    /// Looks in ``state``: storage that holds every customer in memory needs no index.
    public func customer(id: CustomerID) throws -> Customer? { state.customers[id] }

    /// Scans ``state``. - Complexity: O(customers).
    public func customers(key: String) throws -> [Customer] {
        state.customers.values.filter { CustomerKey.keys(of: $0).contains(key) }.sorted { ($0.ref, $0.id.rawValue) < ($1.ref, $1.id.rawValue) }
    }

    /// The customers in ``state``.
    public func allCustomers() throws -> [Customer] { Array(state.customers.values) }

    /// Scans ``state``. - Complexity: O(customers).
    public func customers(namePrefix prefix: String, limit: Int) throws -> [Customer] {
        CustomerKey.nameSearch(state.customers.values, prefix: CustomerKey.foldedName(prefix), limit: limit)
    }

    /// The customer `text` names: an id, else a reference, else a name (case- and
    /// accent-insensitive), else a phone number or e-mail address. A name, phone or e-mail
    /// shared by several customers is ambiguous.
    ///
    /// - Throws: ``CoreError/ambiguous(kind:text:candidates:)`` listing them by reference, or
    ///   ``CoreError/notFound(kind:id:)``.
    public func resolveCustomer(_ text: String) throws -> Customer { try resolveCustomerAlias(text).customer }

    /// The customer `text` names as ``resolveCustomer(_:)`` finds it, and the alias it went
    /// through when `text` named a customer since merged into another (nil otherwise), so a
    /// front end can say "C-002 was merged into C-001".
    ///
    /// - Throws: as ``resolveCustomer(_:)``.
    public func resolveCustomerAlias(_ text: String) throws -> (customer: Customer, alias: Customer?) {
        let t = text.trimming(.whitespaces)
        // Only what looks like an id is looked up as one: storage that loads customers lazily
        // would read a shard for every name otherwise.
        if t.hasPrefix("cus_") || state.customers[CustomerID(t)] != nil, let c = try customer(id: CustomerID(t)) { return try followAlias(c) }
        for key in CustomerKey.candidates(t) {
            var found: [(customer: Customer, alias: Customer?)] = []
            for c in try customers(key: key) {
                let r = try followAlias(c)
                if !found.contains(where: { $0.customer.id == r.customer.id }) { found.append(r) }
            }
            if found.count == 1 { return found[0] }
            if found.count > 1 {
                throw CoreError.ambiguous(kind: "customer", text: t, candidates: found.map(\.customer).map {
                    "\($0.ref) \($0.name)" + ($0.phone.map { " \($0)" } ?? "")
                })
            }
        }
        throw CoreError.notFound(kind: "customer", id: t)
    }

    /// `c`, or the customer it was merged into (following a merged target's own merge), with
    /// `c` as the alias.
    private func followAlias(_ c: Customer) throws -> (customer: Customer, alias: Customer?) {
        var current = c
        // A merge refuses an alias on either side, so each step is a later merge: the chain
        // is short, and the bound only guards against a forged cycle.
        for _ in 0..<64 {
            guard let next = current.mergedInto else { return (current, current.id == c.id ? nil : c) }
            guard let t = try customer(id: next) else { throw CoreError.notFound(kind: "customer", id: next.rawValue) }
            current = t
        }
        throw CoreError.notFound(kind: "customer", id: c.mergedInto?.rawValue ?? c.id.rawValue)
    }

    /// A storage that holds every booking in ``state`` searches it.
    ///
    /// - Complexity: O(bookings in memory).
    public func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking] {
        SearchWords.search(text, range: range, limit: limit, backward: backward, in: state)
    }

    /// The first `limit` bookings matching `text` in start order (``search(text:range:limit:backward:)``).
    public func search(text: String, range: TimeRange?, limit: Int) throws -> [Booking] {
        try search(text: text, range: range, limit: limit, backward: false)
    }

    /// A bare `CoreError` and its description, or the error's own text.
    public func describe(_ error: any Error) -> (refusal: CoreError?, message: String) {
        if let e = error as? CoreError { return (e, e.description) }
        return (nil, String(describing: error))
    }
}
