// TEMPORARY stand-in; replaced by branch `recur`.
public struct RecurrenceRule: Hashable, Sendable, Codable {
    public var text: String
    public init(parsing text: String) throws { self.text = text }
    public func occurrences(startingAt first: LocalDateTime, in zone: Zone) throws -> [Occurrence] { [] }
}
public struct Occurrence: Hashable, Sendable { public var date: LocalDate; public var start: Instant }
