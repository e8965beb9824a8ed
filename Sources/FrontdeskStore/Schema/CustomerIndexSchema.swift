import FrontdeskJSON

/// The customer index schema: key shards `customer-keys/<NNNN>.json`, name chunks
/// `customer-names/<NNNNNN>.json` and their table `customer-names.json` (see
/// docs/STORAGE.md, "Customers").
///
/// - key shard: `{"<key>":["<customer id>"…]…}`, keys sorted, ids sorted.
/// - name chunk: `[["<folded name>","<customer id>"]…]` sorted by folded name, then id.
/// - name table: `[["<first folded name>","<chunk number>"]…]` in chunk order; the first
///   chunk's separator is empty.
enum CustomerIndexSchema {
    /// A key shard's bytes.
    static func keyShardBytes(_ shard: [String: [String]]) -> [UInt8] {
        var out = JSONWriter()
        out.byte(0x7B)
        for (i, key) in shard.keys.sorted().enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(key)
            out.byte(0x3A)
            writeStrings(shard[key]!.sorted(), to: &out)
        }
        out.byte(0x7D)
        return out.bytes
    }

    /// The key shard in `bytes`.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    static func readKeyShard(_ bytes: [UInt8]) throws -> [String: [String]] {
        try SchemaFile.read(from: bytes, fast: fastKeyShard, general: generalKeyShard)
    }

    /// A key shard straight from its tokens; nil for what the general reader must judge.
    private static func fastKeyShard(_ doc: JSONDocument) -> [String: [String]]? {
        let header = doc.tokens[0]
        guard header.kind == .object, header.flags & JSONToken.Flag.slowKeys == 0 else { return nil }
        let r = BookingSchema.Reader(doc: doc)
        var out: [String: [String]] = [:]
        out.reserveCapacity(Int(header.a))
        var pos = 1
        while pos < Int(header.b) {
            guard let ids = r.elements(of: pos + 1, r.string) else { return nil }
            out[doc.string(doc.tokens[pos])] = ids
            pos = doc.next(at: pos + 1)
        }
        return out
    }

    private static func generalKeyShard(_ v: SchemaValue) throws(SchemaError) -> [String: [String]] {
        let o = try v.object()
        var shard: [String: [String]] = [:]
        shard.reserveCapacity(o.keys.count)
        for key in o.keys { shard[key] = try o.strings(key) }
        return shard
    }

    /// A name chunk's bytes; `entries` must be sorted.
    static func nameChunkBytes(_ entries: [CustomerNameEntry]) -> [UInt8] {
        SchemaFile.list(entries) { e, out in writeStrings([e.folded, e.id], to: &out) }
    }

    /// The name chunk in `bytes`, checked to be sorted.
    static func readNameChunk(_ bytes: [UInt8]) throws -> [CustomerNameEntry] {
        let entries = try SchemaFile.read(from: bytes, fast: { doc -> [CustomerNameEntry]? in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { i -> CustomerNameEntry? in
                guard let pair = r.elements(of: i, r.string), pair.count == 2 else { return nil }
                return CustomerNameEntry(folded: pair[0], id: pair[1])
            }
        }, general: { v throws(SchemaError) in
            try v.array { (v: SchemaValue) throws(SchemaError) -> CustomerNameEntry in
                let pair = try v.array { (s: SchemaValue) throws(SchemaError) in try s.string() }
                guard pair.count == 2 else { throw v.error("expected [folded name, customer id]") }
                return CustomerNameEntry(folded: pair[0], id: pair[1])
            }
        })
        for (a, b) in zip(entries, entries.dropFirst()) where b < a {
            throw SchemaError(path: "$", message: "entries are not sorted by name (\(a.folded) before \(b.folded))")
        }
        return entries
    }

    /// The name table's bytes.
    static func nameTableBytes(_ chunks: [CustomerNameChunk]) -> [UInt8] {
        SchemaFile.list(chunks) { c, out in writeStrings([c.separator, String(c.number)], to: &out) }
    }

    /// The name table in `bytes`, checked: separators rising, the first empty, numbers unique.
    static func readNameTable(_ bytes: [UInt8]) throws -> [CustomerNameChunk] {
        // Straight from the tokens as the writer spells it (a million customers: 2,000 chunks);
        // anything else, or a pair the rules refuse, goes to the general reader, which names it.
        let chunks = try SchemaFile.read(from: bytes, fast: { doc -> [CustomerNameChunk]? in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { i -> CustomerNameChunk? in
                guard let pair = r.elements(of: i, r.string), pair.count == 2, let n = Int(pair[1]), n >= 0, n < 1_000_000 else { return nil }
                return CustomerNameChunk(separator: pair[0], number: n)
            }
        }, general: { v throws(SchemaError) in
            try v.array { (v: SchemaValue) throws(SchemaError) -> CustomerNameChunk in
                let pair = try v.array { (s: SchemaValue) throws(SchemaError) in try s.string() }
                guard pair.count == 2, let n = Int(pair[1]), n >= 0, n < 1_000_000 else { throw v.error("expected [separator, chunk number]") }
                return CustomerNameChunk(separator: pair[0], number: n)
            }
        })
        if let first = chunks.first, !first.separator.isEmpty { throw SchemaError(path: "$[0]", message: "the first separator must be empty") }
        for (a, b) in zip(chunks, chunks.dropFirst()) where b.separator < a.separator {
            throw SchemaError(path: "$", message: "separators are not in order")
        }
        guard Set(chunks.map(\.number)).count == chunks.count else { throw SchemaError(path: "$", message: "a chunk number repeats") }
        return chunks
    }

    private static func writeStrings(_ list: [String], to out: inout JSONWriter) {
        out.byte(0x5B)
        for (i, s) in list.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(s)
        }
        out.byte(0x5D)
    }
}

/// One entry of the name index: a customer's folded name (``CustomerKey/foldedName(_:)``) and id.
struct CustomerNameEntry: Sendable, Hashable, Comparable {
    var folded: String
    var id: String

    static func < (a: Self, b: Self) -> Bool { a.folded != b.folded ? a.folded < b.folded : a.id < b.id }
}

/// One chunk of the name index: the least folded name it may hold and its file number.
struct CustomerNameChunk: Sendable, Hashable {
    var separator: String
    var number: Int
}
