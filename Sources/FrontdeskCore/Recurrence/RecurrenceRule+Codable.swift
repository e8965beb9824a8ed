/// A rule is stored as its canonical RRULE text so the JSON stays readable and hand-editable;
/// text that does not parse is a decoding error carrying the parser's message.
extension RecurrenceRule: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch CoreError.invalidRecurrence(let message) {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "bad recurrence rule \"\(text)\": \(message)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
