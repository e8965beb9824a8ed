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

    /// A customer list's bytes (`customers/<NNNN>.json`, `customers.json`): straight from the
    /// tokens when written as the store writes them, else the general reader.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    static func readList(_ bytes: [UInt8]) throws -> [Customer] {
        try SchemaFile.read(from: bytes, fast: { doc in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { read(r, at: $0) }
        }, general: { v throws(SchemaError) in try v.array(read) })
    }

    private static let keys = ["id", "ref", "name", "phone", "email", "notes", "version"].map { Array($0.utf8) }

    /// The customer at token `index`, or nil for anything the general reader must judge.
    private static func read(_ r: BookingSchema.Reader, at index: Int) -> Customer? {
        var text: [String?] = [nil, nil, nil, nil, nil, nil]
        var version: Int?
        let ok = r.members(of: index, keys) { k, v in
            if k == 6 { version = r.int(v); return version != nil }
            text[k] = r.string(v)
            return text[k] != nil
        }
        guard ok, let id = text[0], let ref = text[1], let name = text[2], let version else { return nil }
        return Customer(id: CustomerID(id), ref: ref, name: name, phone: text[3], email: text[4], notes: text[5], version: version)
    }
}
