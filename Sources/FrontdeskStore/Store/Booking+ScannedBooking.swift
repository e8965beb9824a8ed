import FrontdeskCore

extension Booking: ScannedBooking {
    init(inMemory booking: Booking) { self = booking }

    static func decodePartition(_ key: String, bytes: [UInt8], in generation: Generation) throws(StoreError) -> [Booking] {
        try generation.decodePartition(key, bytes: bytes)
    }
}
