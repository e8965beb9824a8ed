import FrontdeskCore

/// Where a generation keeps the audit log: `audit/<YYYY-MM>/<NNNNNN>.json`, the entries of one
/// UTC month (of their time) in log order, in chunks of at most ``entriesPerChunk``.
///
/// Partitioned by month so that `history --since` reads only the months it asks for, and
/// chunked so that a compaction rewrites at most one chunk per month it adds to (its last,
/// while that has room) and hard-links the rest: the log is never loaded whole, not at open
/// and not at compaction.
enum AuditLayout {
    static let directory = "audit"
    /// Most entries one chunk holds.
    static let entriesPerChunk = 2_000

    /// One chunk of a generation's log.
    struct Chunk: Hashable, Comparable {
        var month: String
        var number: Int
        var path: String { "\(AuditLayout.directory)/\(month)/\(Partition.zeroPadded(number, 6)).json" }
        static func < (a: Chunk, b: Chunk) -> Bool { (a.month, a.number) < (b.month, b.number) }
    }

    /// The chunks a manifest lists, in log order (month, then number); files under `audit/`
    /// that do not name a chunk are left out (``Store/check()`` names them).
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(files under `audit/`).
    static func chunks(_ manifest: Manifest) throws(StoreError) -> [Chunk] {
        try manifest.files(under: directory + "/").keys.compactMap(chunk).sorted()
    }

    /// The chunk a manifest path names, or nil.
    static func chunk(_ rel: String) -> Chunk? {
        let parts = rel.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == directory, parts[1].utf8.count == 7, parts[2].hasSuffix(".json"),
              let n = Int(parts[2].dropLast(5)), n >= 0, parts[2].utf8.count == 11 else { return nil }
        return Chunk(month: String(parts[1]), number: n)
    }
}
