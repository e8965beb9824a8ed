/// Where and why a text is not JSON that ``JSONTree`` can read.
package struct JSONTreeError: Error, CustomStringConvertible, Equatable {
    /// 1-based line and column (counted in characters) of the problem.
    package var line: Int
    package var column: Int
    package var message: String

    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// The error at byte `offset` of `text`, its line and column counted there: people edit
    /// the files ``JSONTree`` reads by hand, and a line and column find the place in an editor.
    package init(_ message: String, at offset: Int, in text: [UInt8]) {
        let upTo = text[..<min(offset, text.count)]
        let lineStart = (upTo.lastIndex(of: 0x0A).map { $0 + 1 }) ?? 0
        self.line = upTo.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        self.column = String(decoding: text[lineStart..<upTo.endIndex], as: UTF8.self).count + 1
        self.message = message
    }

    package var description: String { "line \(line), column \(column): \(message)" }
}
