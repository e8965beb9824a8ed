import FrontdeskCore
import FrontdeskJSON

/// The members of one JSON object in a delivery file, read with their types checked.
///
/// Each failure names the member by its path from the top of the file (`queue[2].event.at`)
/// and says what was expected, so a hand-edited or damaged file reports where it went wrong.
/// Members the reader does not ask for are ignored, so a file with extra keys still reads.
struct JSONFields {
    /// Why a delivery file's JSON is not in the shape its reader expects.
    struct ShapeError: Error, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { path.isEmpty ? message : "\(path): \(message)" }
    }

    let members: [String: JSONTree]
    /// Where this object is, for messages (empty at the top).
    let path: String

    /// The object `tree`, or a ``ShapeError`` naming `path` when it is another kind of value.
    init(_ tree: JSONTree, path: String = "") throws(ShapeError) {
        guard let members = tree.objectValue else { throw ShapeError(path: path, message: "expected an object, found \(tree.kindDescription)") }
        self.members = members
        self.path = path
    }

    /// Parses `bytes` as one JSON object; syntax errors name their line and column.
    static func parse(_ bytes: [UInt8]) throws(ShapeError) -> JSONFields {
        let tree: JSONTree
        do { tree = try JSONTree(parsing: bytes) } catch { throw ShapeError(path: "", message: error.description) }
        return try JSONFields(tree)
    }

    private func at(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONTree) -> ShapeError {
        ShapeError(path: at(key), message: "expected \(expected), found \(found.kindDescription)")
    }

    /// The member `key`, which must be present (`null` counts as present).
    func value(_ key: String) throws(ShapeError) -> JSONTree {
        guard let v = members[key] else { throw ShapeError(path: at(key), message: "missing") }
        return v
    }

    /// The member, or nil when it is absent or `null`.
    func optionalValue(_ key: String) -> JSONTree? {
        guard let v = members[key], v != .null else { return nil }
        return v
    }

    func string(_ key: String) throws(ShapeError) -> String {
        let v = try value(key)
        guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
        return s
    }

    func optionalString(_ key: String) throws(ShapeError) -> String? {
        guard optionalValue(key) != nil else { return nil }
        return try string(key)
    }

    func bool(_ key: String) throws(ShapeError) -> Bool {
        let v = try value(key)
        guard case .bool(let b) = v else { throw mismatch(key, "true or false", v) }
        return b
    }

    /// A whole number that fits `T`.
    func integer<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(ShapeError) -> T {
        let v = try value(key)
        guard case .number(let text) = v else { throw mismatch(key, "a whole number", v) }
        guard let n = T(text) else { throw ShapeError(path: at(key), message: "\(text) is not a whole number in the range of \(T.self)") }
        return n
    }

    /// A whole number that fits `Int`.
    func integer(_ key: String) throws(ShapeError) -> Int { try integer(key, as: Int.self) }

    func optionalInteger<T: FixedWidthInteger>(_ key: String, as type: T.Type) throws(ShapeError) -> T? {
        guard optionalValue(key) != nil else { return nil }
        return try integer(key, as: T.self)
    }

    func optionalInteger(_ key: String) throws(ShapeError) -> Int? { try optionalInteger(key, as: Int.self) }

    /// A UTC time such as `2027-03-01T09:00:00Z`, inside ``SupportedRange``.
    func instant(_ key: String) throws(ShapeError) -> Instant {
        let text = try string(key)
        guard let t = Instant(iso8601: text) else {
            throw ShapeError(path: at(key), message: "expected a UTC time like 2027-03-01T09:00:00Z, got \"\(text)\"")
        }
        guard SupportedRange.contains(t) else {
            throw ShapeError(path: at(key), message: "\"\(text)\" is outside the supported range (\(SupportedRange.text))")
        }
        return t
    }

    func optionalInstant(_ key: String) throws(ShapeError) -> Instant? {
        guard optionalValue(key) != nil else { return nil }
        return try instant(key)
    }

    /// The member as an object of its own.
    func object(_ key: String) throws(ShapeError) -> JSONFields {
        try JSONFields(try value(key), path: at(key))
    }

    func optionalObject(_ key: String) throws(ShapeError) -> JSONFields? {
        guard optionalValue(key) != nil else { return nil }
        return try object(key)
    }

    /// The member as an array, each element read by `read` with its own path.
    func array<T>(_ key: String, _ read: (JSONTree, String) throws(ShapeError) -> T) throws(ShapeError) -> [T] {
        let v = try value(key)
        guard let elements = v.arrayValue else { throw mismatch(key, "an array", v) }
        var out: [T] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() { out.append(try read(e, "\(at(key))[\(i)]")) }
        return out
    }

    /// The member as an array of strings.
    func strings(_ key: String) throws(ShapeError) -> [String] {
        try array(key) { (e, path) throws(ShapeError) in
            guard let s = e.stringValue else { throw ShapeError(path: path, message: "expected a string, found \(e.kindDescription)") }
            return s
        }
    }
}
