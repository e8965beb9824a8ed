import FrontdeskCore

/// The table of contents of one snapshot generation, stored framed like a journal record
/// (`<crc32c> <json>\n`) in `snapshots/<gen>/manifest.json`.
package struct Manifest: Sendable {
    /// One file of the generation and what its bytes must hash to.
    package struct FileEntry: Sendable, Hashable {
        package var crc: String
        package var size: Int64
    }

    package let format: Int
    package let generation: UInt64
    /// The last journal record folded into this generation.
    package let lastSequence: UInt64
    package let counters: Counters
    /// The longest booking in any partition, so range loads can reach back into the previous month.
    package let maxBookingSeconds: Int64
    /// Every file, by path relative to the generation directory.
    package let files: [String: FileEntry]
    /// Partition keys (`2027-03/res_x`) that have a file, sorted: by month, then resource.
    /// Worked out once, because every write and range load looks through them.
    package let partitions: [String]
    /// How many customer index shards (`by-customer/`) the generation has; 0 when it has no
    /// index (written by an older build). Counted once, because every customer query needs it.
    package let customerIndexShards: Int
    /// How many idempotency shard files (`idempotency/<NNNN>.json`) the generation has
    /// (``IdempotencyLayout``).
    package let idempotencyShardCount: Int
    /// Occupancy keys (`2027-03/res_x`, ``OccupancyLayout``) that have a file, sorted.
    let occupancies: [String]

    package init(format: Int, generation: UInt64, lastSequence: UInt64, counters: Counters, maxBookingSeconds: Int64,
                 files: [String: FileEntry]) {
        self.init(format: format, generation: generation, lastSequence: lastSequence, counters: counters,
                  maxBookingSeconds: maxBookingSeconds, files: files, partitionsInOrder: files.keys.compactMap(Manifest.partitionKey))
    }

    /// A manifest whose partition keys are given in the order its text listed them.
    ///
    /// They are sorted only if they are not in order already (writers sort their keys).
    init(format: Int, generation: UInt64, lastSequence: UInt64, counters: Counters, maxBookingSeconds: Int64,
         files: [String: FileEntry], partitionsInOrder: [String]) {
        self.format = format
        self.generation = generation
        self.lastSequence = lastSequence
        self.counters = counters
        self.maxBookingSeconds = maxBookingSeconds
        self.files = files
        let sorted = zip(partitionsInOrder, partitionsInOrder.dropFirst()).allSatisfy { $0 < $1 }
        partitions = sorted ? partitionsInOrder : partitionsInOrder.sorted()
        customerIndexShards = CustomerIndex.shardCount(in: files)
        idempotencyShardCount = files.keys.reduce(0) { $0 + ($1.hasPrefix(IdempotencyLayout.directory) ? 1 : 0) }
        occupancies = files.keys.compactMap(OccupancyLayout.key).sorted()
    }

    /// Whether `key` has a partition's shape: `YYYY-MM/` and a file-name-safe resource id
    /// (what ``Partition/key(month:resource:)`` makes).
    static func isPartitionKey(_ key: String) -> Bool {
        let u = Array(key.utf8)
        guard u.count > 8, u[4] == 0x2D, u[7] == 0x2F else { return false }
        let digits = u[0..<4] + u[5..<7]
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        return u[8...].allSatisfy { c in
            (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x5F || c == 0x2D || c == 0x25
        }
    }

    /// The occupancy keys whose month is in `from...to` (`YYYY-MM`), in order.
    /// - Complexity: O(log o + k) for o occupancy files, k of them in range.
    func occupancies(fromMonth from: String, toMonth to: String) -> ArraySlice<String> {
        Self.keys(occupancies, fromMonth: from, toMonth: to)
    }

    /// `2027-03/res_x` for `bookings/2027-03/res_x.json`, nil for other files.
    static func partitionKey(_ path: String) -> String? {
        guard path.hasPrefix("bookings/"), path.hasSuffix(".json") else { return nil }
        return String(path.dropFirst("bookings/".count).dropLast(".json".count))
    }

    /// The partition keys whose month is in `from...to` (`YYYY-MM`), in order.
    ///
    /// - Complexity: O(log p + k) for p partitions, k of them in range.
    package func partitions(fromMonth from: String, toMonth to: String) -> ArraySlice<String> {
        Self.keys(partitions, fromMonth: from, toMonth: to)
    }

    /// The keys of sorted `partitions` (`YYYY-MM/…`) whose month is in `from...to`.
    private static func keys(_ partitions: [String], fromMonth from: String, toMonth to: String) -> ArraySlice<String> {
        var lo = 0, hi = partitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if partitions[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        // "YYYY-MM/" sorts after "YYYY-MM", so every key of month `to` is below `to` + "0".
        let limit = to + "0"
        while end < partitions.count, partitions[end] < limit { end += 1 }
        return partitions[lo..<end]
    }

    package static func name(_ generation: UInt64) -> String { Journal.pad(generation) }
}

/// How bookings are split into files: by the UTC month of their start and their resource.
package enum Partition {
    /// `2027-03/<resource>`, the resource id made file-name safe.
    package static func key(_ b: Booking) -> String { key(month: month(b.start), resource: b.resource) }

    package static func key(month: String, resource: ResourceID) -> String { month + "/" + safe(resource.rawValue) }

    /// `YYYY-MM` of an instant in UTC.
    package static func month(_ i: Instant) -> String {
        let days = i.seconds >= 0 ? i.seconds / 86400 : (i.seconds - 86399) / 86400
        let d = LocalDate(daysSinceEpoch: days)
        return zeroPadded(d.year, 4) + "-" + zeroPadded(d.month, 2)
    }

    /// `n` in decimal with leading zeros to `width` digits. (`String(format:)` goes through
    /// Foundation's formatter and a CVarArg cast, too much for every partition key of a CLI command.)
    package static func zeroPadded(_ n: Int, _ width: Int) -> String {
        let digits = String(n)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Keeps `[A-Za-z0-9_-]`, percent-encodes the rest, so an id can never escape its directory.
    package static func safe(_ s: String) -> String {
        var out = ""
        for u in s.utf8 {
            switch u {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x5F, 0x2D: out.append(Character(UnicodeScalar(u)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(u >> 4)]) + String(hex[Int(u & 15)])
            }
        }
        return out
    }

    /// Which of the 64 directory shards holds an id or reference.
    package static func shard(_ key: String) -> Int { Int(CRC32C.checksum(key.utf8) % 64) }
    package static func shardPath(_ n: Int) -> String { "directory/" + zeroPadded(n, 2) + ".json" }
}

/// One directory shard: booking id → partition key, reference → booking id.
package struct DirectoryShard: Sendable {
    package var ids: [String: String] = [:]
    package var refs: [String: String] = [:]
    package init() {}
}
