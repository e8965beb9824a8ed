import FrontdeskCore
import FrontdeskJSON

/// The idempotency key schema: a shard `idempotency/<NNNN>.json` (a format-2 generation's
/// `idempotency.json`: the same list, every key) and a record's `{"idempotency_key":…}`
/// mutation (see docs/STORAGE.md, "Schema").
///
/// `{"key","fingerprint","bookings":["<booking id>"…],"createdAt":T,"response"?}` in that order;
/// `response` (the first answer's exact text, kept by the HTTP API) is left out when absent,
/// so records without it are byte for byte what earlier builds wrote.
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
        if let response = r.response { out.raw(#","response":"#); out.string(response) }
        out.byte(0x7D)
    }

    /// The record at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> IdempotencyRecord {
        let o = try v.object()
        return IdempotencyRecord(key: try o.value("key").string(), fingerprint: try o.value("fingerprint").string(),
                                 bookings: try o.value("bookings").array { e throws(SchemaError) in BookingID(try e.string()) },
                                 createdAt: try o.value("createdAt").instant(), response: try o.optional("response")?.string())
    }

    /// The records of a shard (or a format-2 `idempotency.json`), read straight from the
    /// tokens when the text has the shape ``write(_:to:)`` gives, else by the general reader.
    ///
    /// A command that checks a key reads one shard of about a thousand records; the general
    /// reader would build a member path for each of them.
    ///
    /// - Throws: `JSONSyntaxError`, or a ``SchemaError`` naming the item and member that do not fit.
    /// - Complexity: O(n) in the length of the text.
    static func readList(_ bytes: [UInt8]) throws -> [IdempotencyRecord] {
        try SchemaFile.read(from: bytes, fast: { doc in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { record(r, at: $0) }
        }, general: { v throws(SchemaError) in try v.array(read) })
    }

    private static let keys = ["key", "fingerprint", "bookings", "createdAt", "response"].map { Array($0.utf8) }

    /// The record at token `index`, or nil if it is not the plain shape (every member present,
    /// of its type, keys without escapes or duplicates).
    private static func record(_ r: BookingSchema.Reader, at index: Int) -> IdempotencyRecord? {
        var key: String?, fingerprint: String?, bookings: [BookingID]?, createdAt: Instant?, response: String?
        guard r.members(of: index, keys, { k, v in
            switch k {
            case 0: key = r.string(v); return key != nil
            case 1: fingerprint = r.string(v); return fingerprint != nil
            case 2: bookings = r.elements(of: v) { r.string($0).map(BookingID.init) }; return bookings != nil
            case 3: createdAt = r.instant(v); return createdAt != nil
            default: response = r.string(v); return response != nil
            }
        }), let key, let fingerprint, let bookings, let createdAt else { return nil }
        return IdempotencyRecord(key: key, fingerprint: fingerprint, bookings: bookings, createdAt: createdAt, response: response)
    }
}
