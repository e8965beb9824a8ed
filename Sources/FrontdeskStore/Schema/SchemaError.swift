/// Why a persisted file's text does not fit its schema: where in the value (`files."x".size`)
/// and what is wrong there.
struct SchemaError: Error, CustomStringConvertible {
    /// The path of keys to the problem, dotted, with keys that are not plain names quoted;
    /// empty for the whole value.
    var path: String
    var message: String

    var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
