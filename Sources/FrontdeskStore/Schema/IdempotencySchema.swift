import FrontdeskCore
import FrontdeskJSON

/// The idempotency key schema: a shard `idempotency/<NNNN>.json` (a format-2 generation's
/// `idempotency.json`: the same list, every key) and a record's `{"idempotency_key":…}`
/// mutation (see docs/STORAGE.md, "Schema").
///
/// `{"key","fingerprint","bookings":["<booking id>"…],"createdAt":T}` in that order.
enum IdempotencySchema {
    /// Appends `r` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ r: IdempotencyRecord, to out: inout JSONWriter) throws {
        out.raw(#"{"key":"#); out.string(r.key)
        out.raw(#","fingerprint":"#); out.string(r.fingerprint)
        out.raw(#","bookings":["#)
        for (i, b) in r.bookings.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(b.rawValue)
        }
        out.raw(#"],"createdAt":"#); try BookingSchema.instant(r.createdAt, to: &out)
        out.byte(0x7D)
    }

    /// The record at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> IdempotencyRecord {
        let o = try v.object()
        return IdempotencyRecord(key: try o.value("key").string(), fingerprint: try o.value("fingerprint").string(),
                                 bookings: try o.value("bookings").array { e throws(SchemaError) in BookingID(try e.string()) },
                                 createdAt: try o.value("createdAt").instant())
    }
}
