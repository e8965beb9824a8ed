/// What an erasure (``BookingEngine/eraseCustomer(_:aliases:bookings:reason:in:by:)``) takes
/// out of audit entries written before it: a customer's quoted name in its own entries, and
/// and tags in its own entries, and the customer's name in the entries of its bookings. Compaction applies it to the audit log
/// it writes after an erasure, so the log keeps who changed what and when, not the name.
public struct AuditErasure: Sendable {
    /// Customers erased (`cus_…`).
    public var customers: Set<String>
    /// Bookings whose customer was erased (`bk_…`).
    public var bookings: Set<String>

    /// The text that stands where a name stood.
    public static let placeholder = "(erased)"
    /// The history action an erasure gives each booking of the customer.
    public static let bookingAction = "customer erased"

    /// The erasures recorded among `entries` (the erasures' own entries), or nil when none.
    ///
    /// - Complexity: O(entries).
    public init?(recordedIn entries: some Sequence<AuditEntry>) {
        var customers: Set<String> = [], bookings: Set<String> = []
        for e in entries {
            if e.entity == .customer && e.action == "erased" { customers.insert(e.id) }
            if e.entity == .booking && e.action == Self.bookingAction { bookings.insert(e.id) }
        }
        guard !customers.isEmpty || !bookings.isEmpty else { return nil }
        self.customers = customers
        self.bookings = bookings
    }

    /// `e` without the erased names: a customer's `name …` and `tags …` changes and a booking's
    /// `customer → …` changes become placeholders; everything else stays as it was.
    public func apply(_ e: AuditEntry) -> AuditEntry {
        var out = e
        switch e.entity {
        case .customer where customers.contains(e.id):
            out.changes = e.changes.map { c in
                for field in ["name ", "tags "] where c.hasPrefix(field) { return field + Self.placeholder }
                return c
            }
        case .booking where bookings.contains(e.id):
            out.changes = e.changes.map { $0.hasPrefix("customer → ") ? "customer → " + Self.placeholder : $0 }
        default: break
        }
        return out
    }
}
