import FrontdeskCore

/// What a scan of the store's bookings (``Store/scanBookings(resources:range:into:_:)``) hands
/// over for each booking: the whole ``Booking``, or a projection such as ``ReportedBooking``
/// that its schema reader fills from a partition without building the rest.
protocol ScannedBooking: Sendable {
    var id: BookingID { get }
    /// The home resource.
    var resource: ResourceID { get }
    /// The other resources it holds.
    var otherResources: [ResourceID] { get }
    /// The scanned form of a booking in memory (the journal's changes, loaded partitions).
    init(inMemory booking: Booking)
    /// The bookings of partition `key` of `generation`, from its verified bytes. Pure: safe
    /// on any thread.
    ///
    /// - Throws: `StoreError.damaged` naming the file when it does not decode.
    static func decodePartition(_ key: String, bytes: [UInt8], in generation: Generation) throws(StoreError) -> [Self]
}

extension ScannedBooking {
    /// Whether it holds any of `set`. - Complexity: O(resources held).
    func holds(anyOf set: Set<ResourceID>) -> Bool {
        set.contains(resource) || (!otherResources.isEmpty && otherResources.contains(where: set.contains))
    }
}
