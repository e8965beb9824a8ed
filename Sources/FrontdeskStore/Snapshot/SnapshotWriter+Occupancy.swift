import FrontdeskCore

/// What a rewritten partition means for the occupancy files: the files its bookings named
/// before and now (`touched`), and the entries its bookings now make (`entries`).
struct OccupancyDelta: Sendable {
    var key: String
    var touched: Set<String>
    var entries: [(occupancy: String, id: String)]

    /// - Complexity: O(old + merged), and nothing more for bookings of one resource.
    init(key: String, old: [Booking], merged: [Booking]) {
        self.key = key
        touched = []
        entries = []
        for b in old where !b.otherResources.isEmpty { touched.formUnion(OccupancyLayout.keys(of: b)) }
        for b in merged where !b.otherResources.isEmpty {
            for k in OccupancyLayout.keys(of: b) {
                touched.insert(k)
                entries.append((k, b.id.rawValue))
            }
        }
    }
}

extension SnapshotWriter {
    /// Writes the occupancy files the rewritten partitions touch and links the others.
    ///
    /// A touched file keeps the base's entries whose home partition was not rewritten and
    /// gains every entry of the rewritten partitions: a rewritten partition's bookings are
    /// all in `deltas`, so what they named before and no longer name drops out.
    /// - Complexity: O(entries of the touched files + bookings of the rewritten partitions).
    mutating func writeOccupancy(deltas: [OccupancyDelta]) throws(StoreError) {
        var touched: Set<String> = []
        for d in deltas { touched.formUnion(d.touched) }
        for key in try base?.manifest.occupancies() ?? [] where !touched.contains(key) {
            try linkFromBase(OccupancyLayout.path(key))
        }
        guard !touched.isEmpty else { return }
        let rewritten = Set(deltas.map(\.key))
        var files: [String: [OccupancySchema.Entry]] = [:]
        for key in touched {
            files[key] = try (base?.occupancy(key, fs: fs) ?? []).filter { !rewritten.contains($0.home) }
        }
        for d in deltas {
            for (k, id) in d.entries { files[k, default: []].append(OccupancySchema.Entry(id: id, home: d.key)) }
        }
        for (key, entries) in files.sorted(by: { $0.key < $1.key }) where !entries.isEmpty {
            try put(OccupancyLayout.path(key), bytes: OccupancySchema.bytes(entries))
        }
    }
}
