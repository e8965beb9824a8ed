import FrontdeskCore

extension ReportedBooking: ScannedBooking {
    init(inMemory booking: Booking) { self.init(booking) }

    static func decodePartition(_ key: String, bytes: [UInt8], in generation: Generation) throws(StoreError) -> [ReportedBooking] {
        try generation.decodePartition(key, bytes: bytes, BookingSchema.readReportedPartition)
    }
}
