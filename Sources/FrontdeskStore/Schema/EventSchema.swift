import FrontdeskCore
import FrontdeskJSON

/// The event schema: a journal record's `"events"` (see docs/STORAGE.md, "Schema").
///
/// `{"id","type","at":T,"actor":A,"booking"?:B,"waitlistEntry"?:W,"slot"?:{"resource","range":{"start":T,"end":T}},"change"?:E}`
/// in that order, absent optionals left out; `type` is one of ``EventType``'s raw values;
/// `change` is an audit entry (``AuditSchema``) for events about other entities; `ledgerEntry`
/// (after `change`) a ledger entry (``ChargesSchema``) for `payment.recorded`, `refund.due` and `fee.charged`.
package enum EventSchema {
    /// Appends `e` as JSON.
    ///
    /// - Throws: `EncodingError.invalidValue` for a time outside ``SupportedRange``.
    static func write(_ e: DomainEvent, to out: inout JSONWriter) throws {
        out.raw(#"{"id":"#); out.string(e.id)
        out.raw(#","type":"#); out.string(e.type.rawValue)
        out.raw(#","at":"#); try BookingSchema.instant(e.at, to: &out)
        out.raw(#","actor":"#); BookingSchema.actor(e.actor, to: &out)
        if let b = e.booking { out.raw(#","booking":"#); try BookingSchema.write(b, to: &out) }
        if let w = e.waitlistEntry { out.raw(#","waitlistEntry":"#); try WaitlistSchema.write(w, to: &out) }
        if let s = e.slot {
            out.raw(#","slot":{"resource":"#); out.string(s.resource.rawValue)
            out.raw(#","range":"#); try BookingSchema.range(s.range, to: &out)
            out.byte(0x7D)
        }
        if let c = e.change { out.raw(#","change":"#); try AuditSchema.write(c, to: &out) }
        if let l = e.ledgerEntry { out.raw(#","ledgerEntry":"#); try ChargesSchema.write(l, to: &out) }
        out.byte(0x7D)
    }

    /// The event as a tree: the bytes ``write(_:to:)`` gives, read back. Written with sorted
    /// keys (``JSONTree/serialized(prettyPrinted:)``) it is the deliverer's form of an event
    /// (`delivery-state.json`, the core data of a hook's or webhook's envelope), so an event is
    /// written in one place, here.
    ///
    /// - Throws: ``StoreError/core(_:)`` with `outsideSupportedRange` for a time outside
    ///   ``SupportedRange`` (an event read from the journal is always inside it).
    /// - Complexity: O(bytes of the event).
    package static func tree(_ e: DomainEvent) throws(StoreError) -> JSONTree {
        var out = JSONWriter()
        do {
            try write(e, to: &out)
        } catch EncodingError.invalidValue(let value as Instant, _) {
            throw .core(.outsideSupportedRange(field: "time", value: value.iso8601))
        } catch {
            throw .damaged(path: "(encoding)", detail: "cannot encode event \(e.id): \(error)")
        }
        do {
            return try JSONTree(parsing: out.bytes)
        } catch {
            throw .damaged(path: "(encoding)", detail: "event \(e.id) written as JSON that does not read back: \(error)")
        }
    }

    /// The event at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    package static func read(_ v: SchemaValue) throws(SchemaError) -> DomainEvent {
        let o = try v.object()
        let typeValue = try o.value("type")
        let typeText = try typeValue.string()
        guard let type = EventType(rawValue: typeText) else { throw typeValue.error("unknown event type \"\(typeText)\"") }
        var slot: Slot?
        if let s = o.optional("slot") {
            let so = try s.object()
            slot = Slot(resource: ResourceID(try so.value("resource").string()), range: try so.value("range").range())
        }
        return DomainEvent(id: try o.value("id").string(), type: type, at: try o.value("at").instant(), actor: try o.value("actor").actor(),
                           booking: try o.optional("booking").map { b throws(SchemaError) in try BookingSchema.read(b) },
                           waitlistEntry: try o.optional("waitlistEntry").map { w throws(SchemaError) in try WaitlistSchema.read(w) },
                           slot: slot, change: try o.optional("change").map { c throws(SchemaError) in try AuditSchema.read(c) },
                           ledgerEntry: try o.optional("ledgerEntry").map { l throws(SchemaError) in try ChargesSchema.entry(l) })
    }
}
