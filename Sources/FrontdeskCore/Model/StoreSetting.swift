/// One store-wide setting (`currency`), with who set it and when.
public struct StoreSetting: Hashable, Sendable {
    /// The setting's name (``StoreSetting/currency``).
    public var name: String
    public var value: String
    /// 1 when first set, +1 on every change.
    public var version: Int
    public var at: Instant
    public var by: Author

    public init(name: String, value: String, version: Int, at: Instant, by: Author) {
        self.name = name; self.value = value; self.version = version; self.at = at; self.by = by
    }

    /// The store's currency: an ISO 4217 code (``Currency``).
    public static let currency = "currency"
}
