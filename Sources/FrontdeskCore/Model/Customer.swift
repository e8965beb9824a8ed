/// A person or company that books.
public struct Customer: Hashable, Sendable, Identifiable {
    public var id: CustomerID
    public var ref: String
    public var name: String
    public var phone: String?
    public var email: String?
    public var notes: String?
    public var version: Int
    /// The desk's labels (`vip`, `allergy`), normalised as resource tags are, sorted.
    public var tags: [String]
    /// The customer this one was merged into (``BookingEngine/mergeCustomers(into:from:bookings:reason:in:by:)``):
    /// an alias whose bookings now belong to that customer; nil for a customer in use.
    public var mergedInto: CustomerID?
    /// True once the customer's details were erased (``BookingEngine/eraseCustomer(_:bookings:reason:in:by:)``):
    /// the name is a placeholder and contact details, notes and tags are gone.
    public var erased: Bool

    public init(id: CustomerID, ref: String, name: String, phone: String? = nil, email: String? = nil, notes: String? = nil, version: Int = 1,
                tags: [String] = [], mergedInto: CustomerID? = nil, erased: Bool = false) {
        self.id = id; self.ref = ref; self.name = name; self.phone = phone; self.email = email; self.notes = notes; self.version = version
        self.tags = tags; self.mergedInto = mergedInto; self.erased = erased
    }
}
