import FrontdeskJSON

/// One JSON object of a persisted file, read member by member with errors that name the key:
/// the general path of the schema readers, for text the store did not write itself (members in
/// another order, escaped keys, extra keys). The first of a repeated key counts; unknown keys
/// are ignored.
package struct SchemaObject {
    package let doc: JSONDocument
    /// Where the object is, for messages (`files."bookings/2027-03/r.json"`).
    package let path: String
    private var members: [String: Int] = [:]

    /// The object at token `index`.
    ///
    /// - Throws: ``SchemaError`` if the value is not an object.
    package init(_ doc: JSONDocument, at index: Int, path: String) throws(SchemaError) {
        self.doc = doc
        self.path = path
        let header = doc.tokens[index]
        guard header.kind == .object else { throw SchemaError(path: path, message: "expected an object, found \(Self.kind(header))") }
        var pos = index + 1
        while pos < Int(header.b) {
            let key = doc.string(doc.tokens[pos])
            if members[key] == nil { members[key] = pos + 1 }
            pos = doc.next(at: pos + 1)
        }
    }

    /// The path of a member, for messages and nested objects.
    package func path(of key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        let name = plain ? key : "\"\(key)\""
        return path.isEmpty ? name : path + "." + name
    }

    /// Every key, in no particular order.
    package var keys: Dictionary<String, Int>.Keys { members.keys }

    /// The token of a member's value.
    ///
    /// - Throws: ``SchemaError`` if the member is missing.
    package func token(_ key: String) throws(SchemaError) -> Int {
        guard let t = members[key] else { throw SchemaError(path: path(of: key), message: "missing") }
        return t
    }

    /// A string member.
    package func string(_ key: String) throws(SchemaError) -> String {
        let t = doc.tokens[try token(key)]
        guard t.kind == .string else { throw SchemaError(path: path(of: key), message: "expected a string, found \(Self.kind(t))") }
        return doc.string(t)
    }

    /// A whole-number member that fits `T`.
    package func integer<T: FixedWidthInteger>(_ key: String, as: T.Type) throws(SchemaError) -> T {
        try value(key).integer(T.self)
    }

    /// A member's value, to read as its type.
    ///
    /// - Throws: ``SchemaError`` if the member is missing.
    package func value(_ key: String) throws(SchemaError) -> SchemaValue {
        SchemaValue(doc: doc, index: try token(key), path: path(of: key))
    }

    /// An optional member's value: nil when it is absent or null (how the store has always read
    /// optional members).
    package func optional(_ key: String) -> SchemaValue? {
        guard let t = members[key], doc.tokens[t].kind != .null else { return nil }
        return SchemaValue(doc: doc, index: t, path: path(of: key))
    }

    /// A member that is an array of strings.
    package func strings(_ key: String) throws(SchemaError) -> [String] {
        let index = try token(key)
        let header = doc.tokens[index]
        guard header.kind == .array else { throw SchemaError(path: path(of: key), message: "expected an array, found \(Self.kind(header))") }
        var out: [String] = []
        out.reserveCapacity(Int(header.a))
        var pos = index + 1
        while pos < Int(header.b) {
            let t = doc.tokens[pos]
            guard t.kind == .string else {
                throw SchemaError(path: path(of: key) + "[\(out.count)]", message: "expected a string, found \(Self.kind(t))")
            }
            out.append(doc.string(t))
            pos = doc.next(at: pos)
        }
        return out
    }

    /// An object member.
    package func object(_ key: String) throws(SchemaError) -> SchemaObject {
        try SchemaObject(doc, at: try token(key), path: path(of: key))
    }

    /// A value's kind as messages name it ("a string", "an object", …).
    package static func kind(_ t: JSONToken) -> String {
        switch t.kind {
        case .null: "null"
        case .true, .false: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
