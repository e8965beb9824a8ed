import FrontdeskJSON

/// The directory shard schema: `directory/<00-63>.json`, written and read straight between
/// JSON bytes and ``DirectoryShard`` (see docs/STORAGE.md, "Schema").
///
/// The 64 shards map every booking id to its partition and every reference to its id, so they
/// grow with the store, and booking ids are random: nearly every compaction reads and rewrites
/// all of them, and `show` reads one.
///
/// `{"ids":{...},"refs":{...}}`, members sorted by the bytes of their written (escaped) keys.
/// A shard with a key or value that JSON must escape, and any text the token reader does not
/// recognize, take the general writer and reader (``SchemaObject``).
enum DirectoryShardSchema {
    /// Writes `shard`, or returns false (writing nothing) if a key or value needs escaping.
    ///
    /// - Complexity: O(n log n) for n entries (the sort).
    static func write(_ shard: DirectoryShard, to out: inout JSONWriter) -> Bool {
        guard let ids = SortedMembers(shard.ids), let refs = SortedMembers(shard.refs) else { return false }
        out.raw(#"{"ids":"#)
        ids.write(to: &out)
        out.raw(#","refs":"#)
        refs.write(to: &out)
        out.byte(0x7D)
        return true
    }

    /// A shard file's bytes. A shard with a key or value that JSON escapes is written by
    /// ``writeEscaped(_:to:)``, whose member sort looks at the escaped bytes.
    static func bytes(_ shard: DirectoryShard) throws -> [UInt8] {
        var out = JSONWriter()
        if write(shard, to: &out) { return out.bytes }
        return generalBytes(shard)
    }

    /// A shard file's bytes for any keys and values (the general writer).
    ///
    /// - Complexity: O(n log n) for n entries, each key written twice.
    static func generalBytes(_ shard: DirectoryShard) -> [UInt8] {
        var out = JSONWriter()
        out.raw(#"{"ids":"#)
        writeEscaped(shard.ids, to: &out)
        out.raw(#","refs":"#)
        writeEscaped(shard.refs, to: &out)
        out.byte(0x7D)
        return out.bytes
    }

    /// A map whose keys or values need escaping: each key written first, members sorted by
    /// those written bytes inside the quotes (an empty key first).
    private static func writeEscaped(_ d: [String: String], to out: inout JSONWriter) {
        let keys = d.keys.map { key -> (key: String, json: [UInt8]) in
            var w = JSONWriter()
            w.string(key)
            return (key, w.bytes)
        }.sorted { $0.json.dropFirst().dropLast().lexicographicallyPrecedes($1.json.dropFirst().dropLast()) }
        out.byte(0x7B)
        for (i, k) in keys.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.bytes += k.json
            out.byte(0x3A)
            out.string(d[k.key]!)
        }
        out.byte(0x7D)
    }

    /// The shard in a shard file's bytes.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit the schema, or `JSONSyntaxError`.
    static func read(_ bytes: [UInt8]) throws -> DirectoryShard {
        try SchemaFile.read(from: bytes, fast: { read($0, at: 0) }, general: read)
    }

    /// The shard at `v`, in any spelling (the general reader).
    ///
    /// - Throws: ``SchemaError`` naming the member that does not fit.
    static func read(_ v: SchemaValue) throws(SchemaError) -> DirectoryShard {
        let o = try v.object()
        var shard = DirectoryShard()
        shard.ids = try map(try o.value("ids"))
        shard.refs = try map(try o.value("refs"))
        return shard
    }

    private static func map(_ v: SchemaValue) throws(SchemaError) -> [String: String] {
        let o = try v.object()
        var out: [String: String] = [:]
        out.reserveCapacity(o.keys.count)
        for key in o.keys { out[key] = try o.value(key).string() }
        return out
    }

    /// A map's members in the order of their keys' bytes, with the keys' and values' bytes
    /// copied into one buffer.
    ///
    /// Sorted as integers: each key's first 16 bytes, big-endian and zero-padded (keys here have
    /// no byte below 0x20, so a shorter key still sorts first), with the whole keys compared
    /// only on a tie. Booking ids and references differ within their first 16 bytes, so a
    /// shard of a million-booking store (~31,000 entries a map) sorts without comparing or
    /// moving strings. Each string is read once, in the table's order, for its bytes (and
    /// the key's prefix) and the check that JSON need not escape it: they are a
    /// million-booking store's scattered small allocations, and reading each again in sorted
    /// order (and the keys once more for the escape check) would cost a cache miss apiece, more
    /// than the rest of writing the shards.
    private struct SortedMembers {
        /// Each member: its key's first 16 bytes as integers, and where its key's and its
        /// value's bytes are in `bytes`.
        var order: [(high: UInt64, low: UInt64, key: Int32, keyCount: Int32, value: Int32, valueCount: Int32)] = []
        var bytes: [UInt8] = []

        /// Nil when a key or value has a byte that JSON escapes (then its escaped bytes are not
        /// its UTF-8 bytes), or when the bytes outgrow 32-bit offsets.
        init?(_ d: [String: String]) {
            order.reserveCapacity(d.count)
            bytes.reserveCapacity(d.count * 40)
            var plain = true
            var i = d.startIndex
            while i != d.endIndex {
                var (key, value) = d[i]
                let keyStart = bytes.count
                let (high, low) = key.withUTF8 { u -> (UInt64, UInt64) in
                    var high: UInt64 = 0, low: UInt64 = 0
                    for j in 0..<8 { high = high << 8 | UInt64(j < u.count ? u[j] : 0) }
                    for j in 8..<16 { low = low << 8 | UInt64(j < u.count ? u[j] : 0) }
                    for b in u where b < 0x20 || b == 0x22 || b == 0x5C { plain = false }
                    bytes.append(contentsOf: u)
                    return (high, low)
                }
                let valueStart = bytes.count
                value.withUTF8 { u in
                    for b in u where b < 0x20 || b == 0x22 || b == 0x5C { plain = false }
                    bytes.append(contentsOf: u)
                }
                // Offsets are 32-bit: a shard larger than `Int32.max` bytes takes the general writer.
                guard plain, bytes.count <= Int(Int32.max) else { return nil }
                order.append((high, low, Int32(keyStart), Int32(valueStart - keyStart), Int32(valueStart), Int32(bytes.count - valueStart)))
                d.formIndex(after: &i)
            }
            bytes.withUnsafeBufferPointer { buf in
                order.sort { a, b in
                    if a.high != b.high { return a.high < b.high }
                    if a.low != b.low { return a.low < b.low }
                    return buf[Int(a.key)..<Int(a.key + a.keyCount)].lexicographicallyPrecedes(buf[Int(b.key)..<Int(b.key + b.keyCount)])
                }
            }
        }

        /// `{"key":"value",...}` in key order.
        func write(to out: inout JSONWriter) {
            out.byte(0x7B)
            bytes.withUnsafeBufferPointer { buf in
                for (n, o) in order.enumerated() {
                    if n > 0 { out.byte(0x2C) }
                    out.byte(0x22)
                    out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[Int(o.key)..<Int(o.key + o.keyCount)]))
                    out.pair(0x22, 0x3A)
                    out.byte(0x22)
                    out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[Int(o.value)..<Int(o.value + o.valueCount)]))
                    out.byte(0x22)
                }
            }
            out.byte(0x7D)
        }
    }

    private static let keys = ["ids", "refs"].map { Array($0.utf8) }

    /// The shard at token `index`, or nil if it is not the plain shape (both maps present,
    /// string values, keys without escapes or duplicates).
    ///
    /// - Complexity: O(entries).
    static func read(_ doc: JSONDocument, at index: Int) -> DirectoryShard? {
        let r = BookingSchema.Reader(doc: doc)
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
