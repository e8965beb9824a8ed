import FrontdeskCore

/// The types the store's encoder and decoder write and read by hand instead of through their
/// `Codable` conformances: the ones that make up nearly all of the store's bytes.
///
/// ``JSONValueEncoder`` and ``JSONValueDecoder`` ask here first for every value whose static
/// type is one of these (wherever it sits: the root of a file, a record's member, an array
/// element). A hand-written reader returns nil for anything but the usual shape, and the value
/// is then decoded through `Codable`, which accepts or reports it itself; a writer that
/// cannot produce exactly the conformance's bytes returns false and leaves the value to it.
enum HandWrittenCodecs {
    /// The value of type `T` at token `index`, or nil when `T` has no hand-written reader or
    /// the value is not in the usual shape.
    @inline(__always)
    static func decode<T>(_ type: T.Type, _ doc: JSONDocument, at index: Int) -> T? {
        if T.self == Booking.self { return BookingCodec.read(doc, at: index).map { $0 as! T } }
        if T.self == [Booking].self { return BookingCodec.readArray(doc, at: index).map { $0 as! T } }
        if T.self == Mutation.self { return BookingCodec.readMutation(doc, at: index).map { $0 as! T } }
        if T.self == DirectoryShard.self { return DirectoryShardCodec.read(doc, at: index).map { $0 as! T } }
        return nil
    }

    /// Writes `value` if `T` has a hand-written writer that can write it; false otherwise
    /// (nothing written).
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange`` (the caller
    ///   drops what was written).
    @inline(__always)
    static func encode<T>(_ value: T, to out: inout JSONWriter) throws -> Bool {
        if T.self == Booking.self { try BookingCodec.write(value as! Booking, to: &out); return true }
        if T.self == DirectoryShard.self { return DirectoryShardCodec.write(value as! DirectoryShard, to: &out) }
        if T.self == Mutation.self { return try BookingCodec.writeMutation(value as! Mutation, to: &out) }
        if T.self == DomainEvent.self { return try BookingCodec.writeEvent(value as! DomainEvent, to: &out) }
        return false
    }
}
