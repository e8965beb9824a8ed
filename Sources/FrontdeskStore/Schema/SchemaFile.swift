import FrontdeskJSON

/// Reading one whole persisted file through its schema.
enum SchemaFile {
    /// The value in `bytes`: read straight from the tokens by `fast` when the text has the
    /// shape the store writes, else by `general` (``SchemaObject``-based), which accepts other
    /// spellings of the same value (escaped keys, members in another order) and otherwise
    /// throws a ``SchemaError`` naming the member that does not fit.
    ///
    /// - Throws: `JSONSyntaxError` for text that is not JSON, or `general`'s ``SchemaError``.
    /// - Complexity: O(n) in the length of the text, plus the readers' work.
    static func read<T>(from bytes: [UInt8], fast: (JSONDocument) -> T?,
                        general: (SchemaValue) throws(SchemaError) -> T) throws -> T {
        let root = try SchemaValue.root(bytes)
        if let value = fast(root.doc) { return value }
        return try general(root)
    }

    /// A reference file's items, one ``SchemaValue`` reader per item.
    ///
    /// - Throws: `JSONSyntaxError` for text that is not JSON, or a ``SchemaError`` naming the
    ///   item and member that do not fit.
    static func readList<T>(_ bytes: [UInt8], _ read: (SchemaValue) throws(SchemaError) -> T) throws -> [T] {
        try SchemaValue.root(bytes).array(read)
    }

    /// A reference file's bytes: `[item,…]`, each written by `write`.
    static func list<T>(_ items: [T], _ write: (T, inout JSONWriter) throws -> Void) rethrows -> [UInt8] {
        var out = JSONWriter()
        out.byte(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { out.byte(0x2C) }
            try write(item, &out)
        }
        out.byte(0x5D)
        return out.bytes
    }

    /// `{"key":[element,…],…}`, members sorted by the bytes of their written keys, so the same
    /// map always gives the same file; `element` writes one element of a list.
    ///
    /// - Complexity: O(n log n) for n members (the sort), plus the bytes written.
    static func sortedListMap<Element>(_ map: [String: [Element]], element: (Element, inout JSONWriter) -> Void) -> [UInt8] {
        // Each key as it is written, so members sort as their text does.
        let keys = map.keys.map { key -> (key: String, json: [UInt8]) in
            var w = JSONWriter()
            w.string(key)
            return (key, w.bytes)
        }.sorted { $0.json.lexicographicallyPrecedes($1.json) }
        var out = JSONWriter()
        out.byte(0x7B)
        for (i, k) in keys.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.bytes += k.json
            out.pair(0x3A, 0x5B)
            for (j, e) in map[k.key]!.enumerated() {
                if j > 0 { out.byte(0x2C) }
                element(e, &out)
            }
            out.byte(0x5D)
        }
        out.byte(0x7D)
        return out.bytes
    }
}
