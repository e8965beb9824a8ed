import FrontdeskCore

extension Store {
    /// The occupancy files of the generation in use against its bookings (after
    /// `checkBookings` loaded every partition): each booking holding other resources is listed
    /// in the file of each of them for its start month, with its partition, and nothing else
    /// is listed. A booking the journal changed since the generation is in memory as its newer
    /// version, so its entries are not judged (the next compaction rewrites them).
    /// - Complexity: O(bookings + occupancy entries).
    func checkOccupancy(fail: (String) -> Void, note: (String) -> Void) {
        let gen = generation
        var expected: [String: Set<OccupancySchema.Entry>] = [:]
        for b in state.bookings.values where !b.otherResources.isEmpty && !touched.contains(b.id) {
            let home = Partition.key(b)
            for k in OccupancyLayout.keys(of: b) { expected[k, default: []].insert(.init(id: b.id.rawValue, home: home)) }
        }
        var found: [String: Set<OccupancySchema.Entry>] = [:]
        var unreadable: Set<String> = []
        var entries = 0
        let keys: [String]
        do { keys = try gen.manifest.occupancies() } catch {
            // Damage was reported with the generation's files.
            note("note occupancy files not checked: \(error)")
            return
        }
        for key in keys {
            do {
                for e in try gen.occupancy(key, fs: fs) where !touched.contains(BookingID(e.id)) {
                    found[key, default: []].insert(e)
                    entries += 1
                }
            } catch {
                // Damage was reported with the generation's files.
                unreadable.insert(key)
                note("note \(gen.path)/\(OccupancyLayout.path(key)) not checked: \(error)")
            }
        }
        for key in Set(expected.keys).union(found.keys).sorted() where !unreadable.contains(key) {
            let path = gen.path + "/" + OccupancyLayout.path(key)
            let want = expected[key] ?? [], have = found[key] ?? []
            for e in want.subtracting(have).sorted(by: { $0.id < $1.id }) {
                fail("\(path): booking \(e.id) in \(Generation.partitionPath(e.home)) holds this resource in this month but is not listed: loads of the resource do not find it")
            }
            for e in have.subtracting(want).sorted(by: { $0.id < $1.id }) {
                fail("\(path): lists booking \(e.id) in \(Generation.partitionPath(e.home)), which holds no such booking of this resource in this month")
            }
        }
        if !keys.isEmpty || !expected.isEmpty {
            note("ok   \(entries) occupancy entries checked against the bookings holding several resources")
        }
    }
}
