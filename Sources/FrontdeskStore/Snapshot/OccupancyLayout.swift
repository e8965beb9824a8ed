import FrontdeskCore

/// Where a generation keeps its occupancy files: for each UTC month and resource, the bookings
/// that hold the resource as one of their `otherResources` and live in another resource's
/// partition (``OccupancySchema``). A store whose bookings each hold one resource has none.
enum OccupancyLayout {
    static let directory = "occupancy/"

    /// `occupancy/2027-03/res_x.json` for key `2027-03/res_x`.
    static func path(_ key: String) -> String { directory + key + ".json" }

    /// `2027-03/res_x` for `occupancy/2027-03/res_x.json`, nil for other files.
    static func key(_ path: String) -> String? {
        guard path.hasPrefix(directory), path.hasSuffix(".json") else { return nil }
        return String(path.dropFirst(directory.count).dropLast(".json".count))
    }

    /// The occupancy keys of `b`: one per other resource, in its start month.
    static func keys(of b: Booking) -> [String] {
        guard !b.otherResources.isEmpty else { return [] }
        let month = Partition.month(b.start)
        return b.otherResources.map { Partition.key(month: month, resource: $0) }
    }
}
