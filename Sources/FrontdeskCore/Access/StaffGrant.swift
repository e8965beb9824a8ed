/// A role granted to a user or a group, as the store keeps it: versioned like every record,
/// with who granted it and when, so an audit can show each change.
///
/// A removed grant stays as a record with no role (its version goes up), so the next version of
/// a grant given again continues its numbering.
public struct StaffGrant: Hashable, Sendable {
    public var subject: StaffSubject
    /// The role; nil when the grant was removed.
    public var role: Role?
    /// Whether a viewer sees customers' phone numbers and e-mail addresses (desk and above
    /// always do).
    public var contactDetails: Bool
    /// 1 when first granted, one more on every change.
    public var version: Int
    /// When and by whom this version was made.
    public var at: Instant
    public var by: Author

    public init(subject: StaffSubject, role: Role?, contactDetails: Bool = false, version: Int = 1, at: Instant, by: Author) {
        self.subject = subject; self.role = role; self.contactDetails = contactDetails; self.version = version; self.at = at; self.by = by
    }

    /// Whether the grant gives a role (it was not removed).
    public var isActive: Bool { role != nil }
}
