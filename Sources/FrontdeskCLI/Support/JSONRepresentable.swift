import FrontdeskJSON

/// A value the command line prints as JSON, as the tree ``Format/json(_:)`` writes.
///
/// Scripts read these bytes: the trees are written compact, object members sorted by the UTF-8
/// bytes of their keys, `/` unescaped, which is how `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` wrote the same values before.
protocol JSONRepresentable {
    /// The value as a JSON tree.
    var json: JSONTree { get }
}

extension JSONTree: JSONRepresentable {
    var json: JSONTree { self }
}

extension String: JSONRepresentable {
    var json: JSONTree { .string(self) }
}

extension Int: JSONRepresentable {
    var json: JSONTree { .integer(self) }
}

extension Bool: JSONRepresentable {
    var json: JSONTree { .bool(self) }
}

extension Array: JSONRepresentable where Element: JSONRepresentable {
    var json: JSONTree { .array(map(\.json)) }
}

extension Dictionary: JSONRepresentable where Key == String, Value: JSONRepresentable {
    var json: JSONTree { .object(mapValues(\.json)) }
}

extension JSONTree {
    /// A string, or nil for nil: assigned to an object's member, nil leaves the member out, as a
    /// synthesized `Encodable` conformance leaves out an optional field that is not set.
    static func optional(_ s: String?) -> JSONTree? { s.map { .string($0) } }
}
