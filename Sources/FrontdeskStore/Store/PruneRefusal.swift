/// Why compaction prunes no `events/` segment: a consumer file or the retention pin that
/// exists but does not decode (pruning past a reader it cannot read could lose its events).
struct PruneRefusal: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
