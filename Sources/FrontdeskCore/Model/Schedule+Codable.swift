/// Weekdays and dates key JSON objects (`{"mon": [...]}`, `{"2027-12-25": []}`) rather than
/// Swift's default alternating arrays, so hand-edited schedule files read naturally.
extension Weekday: CodingKeyRepresentable {
    public var codingKey: CodingKey { AnyKey(shortName) }
    public init?<T: CodingKey>(codingKey: T) { self.init(name: codingKey.stringValue) }
}

extension LocalDate: CodingKeyRepresentable {
    public var codingKey: CodingKey { AnyKey(description) }
    public init?<T: CodingKey>(codingKey: T) { self.init(codingKey.stringValue) }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
