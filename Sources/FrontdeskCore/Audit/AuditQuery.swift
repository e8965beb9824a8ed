/// Which audit entries to list: every condition given must hold.
public struct AuditQuery: Hashable, Sendable {
    public var entity: AuditEntity?
    /// The entity's identifier or reference, compared exactly.
    public var id: String?
    /// The OS user who made the change.
    public var actor: String?
    /// Entries at or after this instant.
    public var since: Instant?
    /// Entries before this instant.
    public var until: Instant?
    /// At most this many, the newest; nil: all.
    public var limit: Int?

    public init(entity: AuditEntity? = nil, id: String? = nil, actor: String? = nil, since: Instant? = nil,
                until: Instant? = nil, limit: Int? = nil) {
        self.entity = entity; self.id = id; self.actor = actor; self.since = since; self.until = until; self.limit = limit
    }

    /// Whether `e` meets every condition but the limit.
    public func matches(_ e: AuditEntry) -> Bool {
        if let entity, e.entity != entity { return false }
        if let id, e.id != id && e.ref != id { return false }
        if let actor, e.actor.user != actor { return false }
        if let since, e.at < since { return false }
        if let until, e.at >= until { return false }
        return true
    }

    /// The entries of `entries` (in log order) that match, sorted by time (ties in log order),
    /// the newest `limit` of them.
    ///
    /// - Complexity: O(n log n).
    public func select(_ entries: [AuditEntry]) -> [AuditEntry] {
        var kept = entries.enumerated().filter { matches($0.element) }
        kept.sort { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
        if let limit, kept.count > limit { kept.removeFirst(kept.count - limit) }
        return kept.map(\.element)
    }
}
