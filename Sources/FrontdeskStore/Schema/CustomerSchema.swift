import FrontdeskCore
import FrontdeskJSON

/// The customer schema: `customers.json` and a record's `{"customer":…}` mutation (see
/// docs/STORAGE.md, "Schema").
///
/// `{"id","ref","name","phone"?,"email"?,"notes"?,"version","tags"?,"merged_into"?,"erased"?}` in that
/// order, absent optionals left out: `tags` only when there are some, `merged_into` only for an
/// alias, `erased` only as `true`. A customer without them is written as before, so format 5
/// stays.
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
        if !c.tags.isEmpty {
            out.raw(#","tags":["#)
            for (i, t) in c.tags.enumerated() {
                if i > 0 { out.byte(0x2C) }
                out.string(t)
            }
            out.byte(0x5D)
        }
        if let m = c.mergedInto { out.raw(#","merged_into":"#); out.string(m.rawValue) }
        if c.erased { out.raw(#","erased":true"#) }
        out.byte(0x7D)
    }

    /// The customer at `v`.
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> Customer {
        let o = try v.object()
        var tags: [String] = []
        if let list = o.optional("tags") {
            tags = try list.array { (t: SchemaValue) throws(SchemaError) -> String in try t.string() }
            guard let normal = try? ResourceTags.normalise(tags), normal == tags else {
                throw list.error("tags must be normalised (a-z, 0-9, - and _), sorted and each once")
            }
        }
        return Customer(id: CustomerID(try o.value("id").string()), ref: try o.value("ref").string(), name: try o.value("name").string(),
                        phone: try o.optional("phone")?.string(), email: try o.optional("email")?.string(),
                        notes: try o.optional("notes")?.string(), version: try o.value("version").integer(Int.self),
                        tags: tags, mergedInto: try o.optional("merged_into").map { m throws(SchemaError) in CustomerID(try m.string()) },
                        erased: try o.optional("erased")?.bool() ?? false)
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

    private static let keys = ["id", "ref", "name", "phone", "email", "notes", "version", "tags", "merged_into", "erased"].map { Array($0.utf8) }

    /// The customer at token `index`, or nil for anything the general reader must judge.
    private static func read(_ r: BookingSchema.Reader, at index: Int) -> Customer? {
        var text: [String?] = [nil, nil, nil, nil, nil, nil]
        var version: Int?
        let ok = r.members(of: index, keys) { k, v in
            // Tags, an alias and an erasure are rare: the general reader judges them.
            if k > 6 { return false }
            if k == 6 { version = r.int(v); return version != nil }
            text[k] = r.string(v)
            return text[k] != nil
        }
        guard ok, let id = text[0], let ref = text[1], let name = text[2], let version else { return nil }
        return Customer(id: CustomerID(id), ref: ref, name: name, phone: text[3], email: text[4], notes: text[5], version: version)
    }
}
