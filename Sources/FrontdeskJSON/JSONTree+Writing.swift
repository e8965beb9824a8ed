extension JSONTree {
    /// The value as UTF-8 JSON, as `JSONSerialization.data(withJSONObject:options:
    /// [.sortedKeys, .withoutEscapingSlashes])` wrote it (with `prettyPrinted`, as
    /// ``JSONWriter/prettyPrinted`` lays it out): strings escaped as ``JSONWriter``
    /// escapes them (the same escapes, `/` left alone), numbers as held, object members sorted
    /// by the UTF-8 bytes of their keys.
    ///
    /// That sort is `JSONEncoder`'s `.sortedKeys`, not quite `JSONSerialization`'s, which used
    /// ICU collation (`_` before letters, letters regardless of case, digits by value: it put
    /// `created_at` before `createdAt` and `a9` before `a10`). For the keys Frontdesk writes
    /// (lowercase snake_case names, weekday names, `YYYY-MM-DD` dates) the two orders agree;
    /// the command line's parity tests compare its error, schedule and event JSON with
    /// `JSONSerialization`'s bytes.
    package func serialized(prettyPrinted: Bool = false) -> [UInt8] {
        var w = JSONWriter(prettyPrinted: prettyPrinted)
        w.value(self)
        return w.bytes
    }

    /// ``serialized(prettyPrinted:)`` as a `String`.
    package var text: String { String(decoding: serialized(), as: UTF8.self) }
}

extension JSONWriter {
    /// A tree as one value, its object members sorted by the UTF-8 bytes of their keys.
    package mutating func value(_ tree: JSONTree) {
        switch tree {
        case .null: nullValue()
        case .bool(let b): value(b)
        case .number(let n): rawValue(n)
        case .string(let s): value(s)
        case .array(let elements):
            beginArray()
            for e in elements { value(e) }
            endArray()
        case .object(let members):
            beginObject()
            for key in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                self.key(key)
                value(members[key]!)
            }
            endObject()
        }
    }
}
