import FrontdeskJSON
import FrontdeskTUI

extension Format {
    /// The value as one line of compact JSON (see ``JSONRepresentable``).
    static func json(_ value: some JSONRepresentable) -> String { value.json.text }

    /// The value as indented JSON: two spaces a level, `"key" : value`, keys sorted, as
    /// `export --format json` has always written it.
    static func prettyJSON(_ value: some JSONRepresentable) -> String {
        String(decoding: value.json.serialized(prettyPrinted: true), as: UTF8.self)
    }
}
