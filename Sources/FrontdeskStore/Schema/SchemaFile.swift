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
}
