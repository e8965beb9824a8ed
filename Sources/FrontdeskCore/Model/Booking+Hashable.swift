extension Booking: Hashable {
    /// Equal when every field is; two copies of one booking (one shared box) compare without reading them.
    public static func == (a: Booking, b: Booking) -> Bool {
        a.sharesStorage(with: b) || a.fields == b.fields
    }

    public func hash(into hasher: inout Hasher) {
        fields.hash(into: &hasher)
    }
}
