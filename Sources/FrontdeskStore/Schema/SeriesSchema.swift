import FrontdeskJSON

/// The series schema: `series.json`, each recurring series' id → the partitions that may hold
/// its members (a superset), `{"<series id>":["<YYYY-MM>/<resource>",…],…}`, members sorted by
/// the bytes of their (escaped) keys (see docs/STORAGE.md, "Schema").
enum SeriesSchema {
    /// Where the file is in a generation.
    static let path = "series.json"

    /// The file's bytes.
    ///
    /// - Complexity: O(n log n) for n series (the sort), plus the bytes written.
    static func bytes(_ series: [String: [String]]) -> [UInt8] {
        SchemaFile.sortedListMap(series) { partition, out in out.string(partition) }
    }

    /// The map in the file's bytes.
    ///
    /// - Throws: ``SchemaError`` naming a member that is not an array of strings, or
    ///   `JSONSyntaxError` for text that is not JSON.
    static func read(_ bytes: [UInt8]) throws -> [String: [String]] {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        let o = try SchemaObject(doc, at: 0, path: "")
        var series: [String: [String]] = [:]
        series.reserveCapacity(o.keys.count)
        for id in o.keys { series[id] = try o.strings(id) }
        return series
    }
}
