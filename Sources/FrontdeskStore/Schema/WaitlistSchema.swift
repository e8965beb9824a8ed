import FrontdeskCore
import FrontdeskJSON

/// The waitlist schema: `waitlist.json`, a record's `{"waitlist":…}` mutation and a waitlist
/// event's `"waitlistEntry"` (see docs/STORAGE.md, "Schema").
///
/// `{"id","ref","customer","resources":[…],"window":{"start":T,"end":T},"duration","notes","createdAt":T,"createdBy":A,"fulfilledBy"?,"removedAt"?:T,"service"?}`
/// in that order, absent optionals left out.
package enum WaitlistSchema {
    /// Appends `w` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ w: WaitlistEntry, to out: inout JSONWriter) throws {
        out.raw(#"{"id":"#); out.string(w.id.rawValue)
        out.raw(#","ref":"#); out.string(w.ref)
        out.raw(#","customer":"#); out.string(w.customer.rawValue)
        out.raw(#","resources":["#)
        for (i, r) in w.resources.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(r.rawValue)
        }
        out.raw(#"],"window":"#); try BookingSchema.range(w.window, to: &out)
        out.raw(#","duration":"#); out.signed(w.duration.seconds)
        out.raw(#","notes":"#); out.string(w.notes)
        out.raw(#","createdAt":"#); try BookingSchema.instant(w.createdAt, to: &out)
        out.raw(#","createdBy":"#); BookingSchema.actor(w.createdBy, to: &out)
        if let f = w.fulfilledBy { out.raw(#","fulfilledBy":"#); out.string(f.rawValue) }
        if let r = w.removedAt { out.raw(#","removedAt":"#); try BookingSchema.instant(r, to: &out) }
        if let s = w.service { out.raw(#","service":"#); out.string(s.rawValue) }
        out.byte(0x7D)
    }

    /// The entry at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> WaitlistEntry {
        let o = try v.object()
        return WaitlistEntry(id: WaitlistEntryID(try o.value("id").string()), ref: try o.value("ref").string(),
                             customer: CustomerID(try o.value("customer").string()),
                             resources: try o.value("resources").array { e throws(SchemaError) in ResourceID(try e.string()) },
                             window: try o.value("window").range(), duration: try o.value("duration").duration(),
                             notes: try o.value("notes").string(), createdAt: try o.value("createdAt").instant(),
                             createdBy: try o.value("createdBy").actor(),
                             fulfilledBy: (try o.optional("fulfilledBy")?.string()).map(BookingID.init),
                             removedAt: try o.optional("removedAt")?.instant(),
                             service: (try o.optional("service")?.string()).map(ServiceID.init))
    }
}
