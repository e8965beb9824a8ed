import FrontdeskCore

extension JSONTree {
    /// The value as compact UTF-8 JSON, as `JSONSerialization.data(withJSONObject:options:
    /// [.sortedKeys, .withoutEscapingSlashes])` writes it: strings escaped as ``JSONWriter``
    /// escapes them (the same escapes, `/` left alone), numbers as held, object members sorted
    /// by the UTF-8 bytes of their keys.
    ///
    /// That sort is `JSONEncoder`'s `.sortedKeys`, not quite `JSONSerialization`'s, which uses
    /// ICU collation (`_` before letters, letters regardless of case, digits by value: it puts
    /// `created_at` before `createdAt` and `a9` before `a10`). For the keys Frontdesk writes
    /// (lowercase snake_case names, weekday names, `YYYY-MM-DD` dates) the two orders agree;
    /// the command line's parity tests compare its error, schedule and event JSON with
    /// `JSONSerialization`'s bytes.
    package func serialized() -> [UInt8] {
        var w = JSONWriter()
        write(into: &w)
        return w.bytes
    }

    /// ``serialized()`` as a `String`.
    package var text: String { String(decoding: serialized(), as: UTF8.self) }

    private func write(into w: inout JSONWriter) {
        switch self {
        case .null: w.null()
        case .bool(let b): w.bool(b)
        case .number(let n): w.raw(n)
        case .string(let s): w.string(s)
        case .array(let elements):
            w.byte(UInt8(ascii: "["))
            for (i, e) in elements.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                e.write(into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        case .object(let members):
            w.byte(UInt8(ascii: "{"))
            for (i, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.string(key)
                w.byte(UInt8(ascii: ":"))
                members[key]!.write(into: &w)
            }
            w.byte(UInt8(ascii: "}"))
        }
    }
}
