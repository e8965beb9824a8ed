import FrontdeskCore

/// The resources a chunk of import rows names, each distinct text resolved once against the
/// chunk's state (as `Resolver.resource` resolves it, with the same outcome and the same error).
///
/// A chunk names the same few resources on many rows, and `Resolver.resource` compares the
/// text with every resource's reference and name; asking it once per text keeps a row's cost
/// independent of how many resources the store has.
///
/// - Complexity: one `Resolver.resource` per distinct text (O(resources)); O(1) expected per
///   row after that.
struct ImportResources {
    /// What each text asked so far resolved to. It holds no state: a copy of the state kept
    /// past the chunk's parse would make the batch write copy every table.
    private var known: [String: Result<Resource, any Error>] = [:]

    /// The resource `text` names in `state`, which must be the same state on every call.
    ///
    /// - Throws: what `Resolver.resource` throws for `text` (not found, ambiguous).
    mutating func resource(_ text: String, in state: BookingState) throws -> Resource {
        if let hit = known[text] { return try hit.get() }
        let found = Result { try Resolver.resource(text, in: state) }
        known[text] = found
        return try found.get()
    }
}
