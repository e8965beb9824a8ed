import FrontdeskJSON

/// The occupancy schema: `occupancy/<YYYY-MM>/<resource>.json`, the bookings starting in that
/// UTC month that hold the resource without living in its partition (it is one of their
/// `otherResources`), each with the partition that holds it:
/// `[["<booking id>","<YYYY-MM>/<home resource>"]…]`, sorted by id (see docs/STORAGE.md,
/// "Bookings holding several resources").
enum OccupancySchema {
    /// One booking held elsewhere: its id and its home partition's key.
    struct Entry: Hashable, Sendable {
        var id: String
        var home: String
    }

    /// The file's bytes, `entries` sorted by id (then home, so equal sets give equal bytes).
    /// - Complexity: O(n log n) for n entries.
    static func bytes(_ entries: [Entry]) -> [UInt8] {
        let sorted = entries.sorted { $0.id != $1.id ? $0.id < $1.id : $0.home < $1.home }
        return SchemaFile.list(sorted) { e, out in
            out.byte(0x5B); out.string(e.id); out.byte(0x2C); out.string(e.home); out.byte(0x5D)
        }
    }

    /// The entries in the file's bytes.
    ///
    /// - Throws: ``SchemaError`` naming an element that is not a pair of strings, or
    ///   `JSONSyntaxError` for text that is not JSON.
    static func read(_ bytes: [UInt8]) throws -> [Entry] {
        try SchemaFile.readList(bytes) { v throws(SchemaError) -> Entry in
            let pair = try v.elements()
            guard pair.count == 2 else { throw v.error("expected [booking id, partition], found \(pair.count) elements") }
            let home = try pair[1].string()
            guard Manifest.isPartitionKey(home) else { throw pair[1].error("\"\(home)\" is not a partition (YYYY-MM/resource)") }
            return Entry(id: try pair[0].string(), home: home)
        }
    }
}
