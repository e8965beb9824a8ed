/// Directory shards written and read straight between JSON bytes and ``DirectoryShard``.
///
/// The 64 shards map every booking id to its partition and every reference to its id, so they
/// grow with the store (73 MB at a million bookings), and booking ids are random: nearly every
/// compaction reads and rewrites all of them, and `show` reads one. Through `Codable` each
/// entry went through a dictionary container and the encoder's member sort.
///
/// The bytes are exactly those of the synthesized conformance through ``CompactJSONEncoder``:
/// `{"ids":{...},"refs":{...}}`, members sorted by the bytes of their keys. A shard with a
/// key that JSON must escape is left to `Codable` (whose sort looks at the escaped bytes); so
/// is any text the reader does not recognize.
enum DirectoryShardCodec {
    /// Writes `shard`, or returns false (writing nothing) if a key needs escaping.
    ///
    /// - Complexity: O(n log n) for n entries (the sort).
    static func write(_ shard: DirectoryShard, to out: inout JSONWriter) -> Bool {
        guard let idsASCII = plainKeys(shard.ids), let refsASCII = plainKeys(shard.refs) else { return false }
        out.raw(#"{"ids":"#)
        members(shard.ids, ascii: idsASCII, to: &out)
        out.raw(#","refs":"#)
        members(shard.refs, ascii: refsASCII, to: &out)
        out.byte(0x7D)
        return true
    }

    /// Nil if some key has a byte that JSON escapes; otherwise (its escaped bytes are then its
    /// UTF-8 bytes) whether every key is ASCII.
    private static func plainKeys(_ d: [String: String]) -> Bool? {
        var ascii = true
        for key in d.keys {
            for b in key.utf8 {
                if b < 0x20 || b == 0x22 || b == 0x5C { return nil }
                if b >= 0x80 { ascii = false }
            }
        }
        return ascii
    }

    /// The members in the order of their keys' bytes. For ASCII keys that is `String`'s own
    /// order (a byte comparison); other keys are compared byte by byte, since `String` orders
    /// non-ASCII text by Unicode scalars after normalization.
    private static func members(_ d: [String: String], ascii: Bool, to out: inout JSONWriter) {
        out.byte(0x7B)
        let sorted = ascii ? d.sorted { $0.key < $1.key } : d.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (i, (key, value)) in sorted.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.string(key)
            out.byte(0x3A)
            out.string(value)
        }
        out.byte(0x7D)
    }

    private static let keys = ["ids", "refs"].map { Array($0.utf8) }

    /// The shard at token `index`, or nil if it is not the plain shape (both maps present,
    /// string values, keys without escapes or duplicates).
    ///
    /// - Complexity: O(entries).
    static func read(_ doc: JSONDocument, at index: Int) -> DirectoryShard? {
        let r = BookingCodec.Reader(doc: doc)
        var ids: [String: String]?, refs: [String: String]?
        guard r.members(of: index, keys, { k, v in
            let map = strings(doc, at: v)
            if k == 0 { ids = map } else { refs = map }
            return map != nil
        }), let ids, let refs else { return nil }
        var shard = DirectoryShard()
        shard.ids = ids
        shard.refs = refs
        return shard
    }

    /// A `[String: String]` object read from its tokens, or nil.
    private static func strings(_ doc: JSONDocument, at index: Int) -> [String: String]? {
        let header = doc.tokens[index]
        guard header.kind == .object, header.flags & JSONToken.Flag.slowKeys == 0 else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(Int(header.a))
        var pos = index + 1
        while pos < Int(header.b) {
            let value = doc.tokens[pos + 1]
            guard value.kind == .string else { return nil }
            out[doc.string(doc.tokens[pos])] = doc.string(value)
            pos += 2
        }
        return out
    }
}
