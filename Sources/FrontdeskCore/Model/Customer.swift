/// A person or company that books.
public struct Customer: Hashable, Sendable, Identifiable {
    public var id: CustomerID
    public var ref: String
    public var name: String
    public var phone: String?
    public var email: String?
    public var notes: String?
    public var version: Int

    public init(id: CustomerID, ref: String, name: String, phone: String? = nil, email: String? = nil, notes: String? = nil, version: Int = 1) {
        self.id = id; self.ref = ref; self.name = name; self.phone = phone; self.email = email; self.notes = notes; self.version = version
    }
}
