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
        // Each key as it is written, so members sort as their text does.
        let keys = series.keys.map { key -> (key: String, json: [UInt8]) in
            var w = JSONWriter()
            w.string(key)
            return (key, w.bytes)
        }.sorted { $0.json.lexicographicallyPrecedes($1.json) }
        var out = JSONWriter()
        out.byte(0x7B)
        for (i, k) in keys.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.bytes += k.json
            out.pair(0x3A, 0x5B)
            for (j, partition) in series[k.key]!.enumerated() {
                if j > 0 { out.byte(0x2C) }
                out.string(partition)
            }
            out.byte(0x5D)
        }
        out.byte(0x7D)
        return out.bytes
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
