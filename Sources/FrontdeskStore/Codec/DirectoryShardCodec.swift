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
        guard plainKeys(shard.ids), plainKeys(shard.refs) else { return false }
        out.raw(#"{"ids":"#)
        members(shard.ids, to: &out)
        out.raw(#","refs":"#)
        members(shard.refs, to: &out)
        out.byte(0x7D)
        return true
    }

    /// Whether no key has a byte that JSON escapes (then its escaped bytes are its UTF-8 bytes).
    private static func plainKeys(_ d: [String: String]) -> Bool {
        d.keys.allSatisfy { $0.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C } }
    }

    private static func members(_ d: [String: String], to out: inout JSONWriter) {
        out.byte(0x7B)
        for (i, (key, value)) in d.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
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
