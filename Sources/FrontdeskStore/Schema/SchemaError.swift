/// Why a persisted file's text does not fit its schema: where in the value (`files."x".size`)
/// and what is wrong there.
package struct SchemaError: Error, CustomStringConvertible {
    /// The path of keys to the problem, dotted, with keys that are not plain names quoted;
    /// empty for the whole value.
    package var path: String
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
