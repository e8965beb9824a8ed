import FrontdeskCore
import FrontdeskJSON

/// The customer schema: `customers.json` and a record's `{"customer":…}` mutation (see
/// docs/STORAGE.md, "Schema").
///
/// `{"id","ref","name","phone"?,"email"?,"notes"?,"version"}` in that order, absent optionals left out.
enum CustomerSchema {
    /// Appends `c` as JSON.
    static func write(_ c: Customer, to out: inout JSONWriter) {
        out.raw(#"{"id":"#); out.string(c.id.rawValue)
        out.raw(#","ref":"#); out.string(c.ref)
        out.raw(#","name":"#); out.string(c.name)
        if let p = c.phone { out.raw(#","phone":"#); out.string(p) }
        if let e = c.email { out.raw(#","email":"#); out.string(e) }
        if let n = c.notes { out.raw(#","notes":"#); out.string(n) }
        out.raw(#","version":"#); out.signed(Int64(c.version))
        out.byte(0x7D)
    }

    /// The customer at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> Customer {
        let o = try v.object()
        return Customer(id: CustomerID(try o.value("id").string()), ref: try o.value("ref").string(), name: try o.value("name").string(),
                        phone: try o.optional("phone")?.string(), email: try o.optional("email")?.string(),
                        notes: try o.optional("notes")?.string(), version: try o.value("version").integer(Int.self))
    }
}
