import FrontdeskCore

/// The wrapped storage's members, with `write` checking each plan against the role first.
extension RoleCheckedStorage: BookingStorage {
    var state: BookingState { base.state }
    var engine: BookingEngine { base.engine }
    var mode: StorageMode { base.mode }

    func load(resources: [ResourceID]?, range: TimeRange) throws { try base.load(resources: resources, range: range) }

    func bookings(ofCustomer customer: CustomerID, range: TimeRange) throws -> [Booking] {
        try base.bookings(ofCustomer: customer, range: range)
    }

    func booking(idOrRef: String) throws -> Booking? { try base.booking(idOrRef: idOrRef) }

    func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws -> [Booking] {
        try base.search(text: text, range: range, limit: limit, backward: backward)
    }

    /// Plans inside the wrapped storage's write and refuses, before anything is stored, a plan
    /// whose transaction the role does not allow (``CoreError/notPermitted(user:role:action:needed:admins:)``).
    func write<T>(_ operation: String, _ change: ChangeRequest,
                  _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> T {
        let (actor, access) = (self.actor, self.access)
        return try base.write(operation, change) { state, engine throws(CoreError) in
            let planned = try plan(state, engine)
            try Access.authorize(actor, access, transaction: planned.transaction, before: state)
            return planned
        }
    }

    func refresh() throws -> Bool { try base.refresh() }

    func subscribe(_ onChange: @escaping @Sendable () -> Void) -> Base.Subscription { base.subscribe(onChange) }

    func describe(_ error: any Error) -> (refusal: CoreError?, message: String) { base.describe(error) }

    func auditEntries(_ query: AuditQuery) throws -> [AuditEntry] { try base.auditEntries(query) }

    func customer(id: CustomerID) throws -> Customer? { try base.customer(id: id) }

    func customers(key: String) throws -> [Customer] { try base.customers(key: key) }

    func customers(namePrefix prefix: String, limit: Int) throws -> [Customer] { try base.customers(namePrefix: prefix, limit: limit) }

    func allCustomers() throws -> [Customer] { try base.allCustomers() }
}
