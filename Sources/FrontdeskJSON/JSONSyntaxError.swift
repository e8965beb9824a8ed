/// Where and why a text is not valid JSON.
package struct JSONSyntaxError: Error, CustomStringConvertible, Equatable {
    /// Byte offset of the problem.
    package var offset: Int
    package var message: String

    package init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    package var description: String { "\(message) at byte offset \(offset)" }
}
