import FrontdeskCore
import FrontdeskJSON

extension BookingSchema {
    /// The report fields (``ReportedBooking``) of the bookings of a month partition file,
    /// without building the rest of each booking: its history, authors, notes and timestamps
    /// are only checked to be there with the right kind of JSON value (the file is checked
    /// against its manifest checksum before this; `check` and every full read decode them).
    /// A booking the fast reader does not take is read whole by the general reader and
    /// projected, so such a file fails here with the same error a full decode gives.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    /// - Complexity: O(bytes of the file).
    package static func readReportedPartition(_ bytes: [UInt8]) throws -> [ReportedBooking] {
        try SchemaFile.read(from: bytes, fast: { doc in
            let r = Reader(doc: doc)
            return r.elements(of: 0, r.reportedBooking(at:))
        }, general: { v throws(SchemaError) in try v.array { e throws(SchemaError) in ReportedBooking(try read(e)) } })
    }

    /// Members a booking must have that a report does not read: the fast reader requires them
    /// (as ``Reader/booking(at:)`` does) without decoding them.
    static let unreadRequiredFields: [Field] = [.createdBy, .updatedBy, .version, .createdAt, .updatedAt, .notes, .history]
}

extension BookingSchema.Reader {
    /// The report fields of the booking whose object is token `index`, or nil if a member a
    /// report reads is not in the shape ``BookingSchema/write(_:to:)`` gives or a required one
    /// is missing (the caller then reads the booking with the general reader).
    ///
    /// - Complexity: O(members of the booking): the skipped members' tokens are stepped over.
    func reportedBooking(at index: Int) -> ReportedBooking? {
        var id: String?, ref: String?, resource: String?, customer: String??, range: TimeRange?
        var status: BookingStatus?, holdExpiresAt: Instant??, cancellation: Cancellation??
        var charges: Charges?, others: [String]?, service: String??
        var bufferBefore: Int64 = 0, bufferAfter: Int64 = 0
        var present: UInt32 = 0
        let ok = members(of: index, BookingSchema.bookingKeys) { k, v in
            let field = BookingSchema.Field(rawValue: k)!
            present |= 1 << UInt32(k)
            switch field {
            case .id: id = string(v); return id != nil
            case .ref: ref = string(v); return ref != nil
            case .resource: resource = string(v); return resource != nil
            case .customer: customer = optional(v, string); return customer != nil
            case .range: range = self.range(v); return range != nil
            case .status: status = string(v).flatMap(BookingStatus.init(rawValue:)); return status != nil
            case .holdExpiresAt: holdExpiresAt = optional(v, instant); return holdExpiresAt != nil
            case .cancellation: cancellation = optional(v, self.cancellation); return cancellation != nil
            case .charges: charges = self.charges(v); return charges != nil
            case .otherResources: others = elements(of: v, string); return others != nil
            case .service: service = optional(v, string); return service != nil
            case .bufferBefore: bufferBefore = int(v).map(Int64.init) ?? -1; return (0...BookingSchema.maximumBookingBuffer).contains(bufferBefore)
            case .bufferAfter: bufferAfter = int(v).map(Int64.init) ?? -1; return (0...BookingSchema.maximumBookingBuffer).contains(bufferAfter)
            case .createdBy, .updatedBy: return doc.tokens[v].kind == .object
            case .version: return doc.tokens[v].kind == .number
            case .createdAt, .updatedAt, .notes: return doc.tokens[v].kind == .string
            case .history: return doc.tokens[v].kind == .array
            case .series, .occurrenceDate, .idempotencyKey, .overrideReason, .reminderSentAt:
                return doc.tokens[v].kind == .string || doc.tokens[v].kind == .null
            }
        }
        guard ok, let id, let ref, let resource, let range, let status else { return nil }
        for f in BookingSchema.unreadRequiredFields where present & (1 << UInt32(f.rawValue)) == 0 { return nil }
        let otherResources = (others ?? []).map(ResourceID.init)
        // A list the engine would not make goes to the general reader, which names the problem.
        if others != nil, BookingSchema.otherResourcesProblem(otherResources, home: ResourceID(resource)) != nil { return nil }
        return ReportedBooking(id: BookingID(id), ref: ref, resource: ResourceID(resource), otherResources: otherResources,
                               customer: (customer ?? nil).map(CustomerID.init), range: range, status: status,
                               holdExpiresAt: holdExpiresAt ?? nil, lateCancellation: (cancellation ?? nil)?.late ?? false,
                               service: (service ?? nil).map(ServiceID.init),
                               bufferBefore: TimeSpan(seconds: bufferBefore), bufferAfter: TimeSpan(seconds: bufferAfter), charges: charges)
    }
}
