import FrontdeskCore

/// The table of contents of one snapshot generation, stored framed like a journal record
/// (`<crc32c> <json>\n`) in `snapshots/<gen>/manifest.json`.
///
/// Up to format 4 the manifest lists every file of the generation. From format 5 it lists the
/// few files of no section and, for each section (``ManifestSections``), one list file
/// (`lists/<section>.json`) naming that section's files, read the first time a file of the
/// section is asked for: opening a store reads a manifest of a few dozen entries however many
/// partitions and shards it has, and a command reads only the lists of the tables it uses.
/// A manifest a writer has just made holds every file itself (``isComplete``).
package struct Manifest: Sendable {
    /// One file of the generation and what its bytes must hash to.
    package struct FileEntry: Sendable, Hashable {
        package var crc: String
        package var size: Int64
    }

    /// One section's list file: what its bytes must hash to and how many files it names.
    package struct ListEntry: Sendable, Hashable {
        package var crc: String
        package var size: Int64
        package var count: Int
    }

    package let format: Int
    package let generation: UInt64
    /// The last journal record folded into this generation.
    package let lastSequence: UInt64
    package let counters: Counters
    /// The longest booking in any partition, so range loads can reach back into the previous month.
    package let maxBookingSeconds: Int64
    /// The files the manifest names itself: every file when ``isComplete``, else those of no section.
    let direct: [String: FileEntry]
    /// Section → its list file; empty in a manifest of format 4 or before.
    package let lists: [String: ListEntry]
    /// Whether ``direct`` holds every file (a manifest before format 5, or one a writer made).
    package let isComplete: Bool
    /// The partition keys of ``direct`` (`2027-03/res_x`), sorted: by month, then resource.
    /// Worked out once, because every write and range load looks through them.
    let directPartitions: [String]
    /// The months that have a partition section, sorted (a manifest read from format 5).
    let partitionMonths: [String]
    /// How many customer index shards (`by-customer/`) the generation has; 0 when it has no
    /// index (written by an older build). Counted once, because every customer query needs it.
    package let customerIndexShards: Int
    /// How many idempotency shard files (`idempotency/<NNNN>.json`) the generation has
    /// (``IdempotencyLayout``).
    package let idempotencyShardCount: Int
    /// Occupancy keys (`2027-03/res_x`, ``OccupancyLayout``) of ``direct`` that have a file, sorted.
    let directOccupancies: [String]
    /// The months that have an occupancy section, sorted (a manifest read from format 5).
    let occupancyMonths: [String]
    /// Reads and keeps the section lists of a manifest read from disk; nil when ``isComplete``.
    private(set) var sections: ManifestSectionReader?
    /// Files the section lists hold, summed by the first component of their section
    /// (`customers` for `customers/g1`): the shard counts of a table without a pass over every
    /// list.
    private let listedByTop: [String: Int]

    /// A manifest naming every file itself, with the section lists a writer wrote beside it
    /// (none for a manifest of format 4 or before).
    package init(format: Int, generation: UInt64, lastSequence: UInt64, counters: Counters, maxBookingSeconds: Int64,
                 files: [String: FileEntry], lists: [String: ListEntry] = [:]) {
        self.init(format: format, generation: generation, lastSequence: lastSequence, counters: counters,
                  maxBookingSeconds: maxBookingSeconds, direct: files, partitionsInOrder: files.keys.compactMap(Manifest.partitionKey),
                  lists: lists, complete: true)
    }

    /// A manifest whose directly listed partition keys are given in the order its text listed them.
    ///
    /// They are sorted only if they are not in order already (writers sort their keys).
    init(format: Int, generation: UInt64, lastSequence: UInt64, counters: Counters, maxBookingSeconds: Int64,
         direct: [String: FileEntry], partitionsInOrder: [String], lists: [String: ListEntry], complete: Bool) {
        self.format = format
        self.generation = generation
        self.lastSequence = lastSequence
        self.counters = counters
        self.maxBookingSeconds = maxBookingSeconds
        self.direct = direct
        self.lists = lists
        isComplete = complete
        let sorted = zip(partitionsInOrder, partitionsInOrder.dropFirst()).allSatisfy { $0 < $1 }
        directPartitions = sorted ? partitionsInOrder : partitionsInOrder.sorted()
        partitionMonths = complete ? [] : lists.keys.compactMap(Manifest.partitionMonth).sorted()
        var byTop: [String: Int] = [:]
        if !complete {
            for (section, list) in lists { byTop[Self.topComponent(section), default: 0] += list.count }
        }
        listedByTop = byTop
        var byCustomer = 0, keys = 0
        for rel in direct.keys {
            if rel.hasPrefix(CustomerIndex.directory) { byCustomer += 1 }
            if rel.hasPrefix(IdempotencyLayout.directory) { keys += 1 }
        }
        if !complete {
            byCustomer += Self.listed(lists, byTop: byTop, under: CustomerIndex.directory)
            keys += Self.listed(lists, byTop: byTop, under: IdempotencyLayout.directory)
        }
        customerIndexShards = byCustomer
        idempotencyShardCount = keys
        directOccupancies = direct.keys.compactMap(OccupancyLayout.key).sorted()
        occupancyMonths = complete ? [] : lists.keys.compactMap(Manifest.occupancyMonth).sorted()
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

    /// Whether the generation has any occupancy file (no list is read).
    var hasOccupancies: Bool { !directOccupancies.isEmpty || !occupancyMonths.isEmpty }

    /// Every occupancy key that has a file, sorted.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    func occupancies() throws(StoreError) -> [String] {
        if isComplete { return directOccupancies }
        return try occupancies(months: occupancyMonths[...])
    }

    /// The occupancy keys whose month is in `from...to` (`YYYY-MM`), in order.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(log o + k) for o occupancy files, k of them in range; from format 5 it
    ///   reads the lists of the months in range.
    func occupancies(fromMonth from: String, toMonth to: String) throws(StoreError) -> [String] {
        if isComplete { return Array(Self.range(directOccupancies, from: from, to: to)) }
        return try occupancies(months: Self.range(occupancyMonths, from: from, to: to))
    }

    private func occupancies(months: ArraySlice<String>) throws(StoreError) -> [String] {
        var out: [String] = []
        for month in months {
            let section = OccupancyLayout.directory + month
            guard let list = lists[section] else { continue }
            out += try files(ofSection: section, list: list).keys.compactMap(OccupancyLayout.key).sorted()
        }
        return out
    }

    /// Lets the manifest read its section lists from the generation at `path`: how
    /// ``Generation/open(_:fs:)`` completes a manifest it read.
    mutating func readSections(of path: String, fs: any FileSystem) {
        if !isComplete { sections = ManifestSectionReader(path: path, fs: fs) }
    }

    /// The entry of `rel` (a file of the generation or one of its section lists), or nil when
    /// the generation has no such file. Reads the list of `rel`'s section the first time.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that fails its size, checksum or
    ///   decoding.
    /// - Complexity: O(1) once the section is read; reading it is O(files of the section).
    package func entry(_ rel: String) throws(StoreError) -> FileEntry? {
        if let e = direct[rel] { return e }
        guard !isComplete else { return nil }
        if rel.hasPrefix(ManifestSections.listDirectory + "/") { return listFiles[rel] }
        guard let section = ManifestSections.section(of: rel), let list = lists[section] else { return nil }
        guard let sections else { return nil }
        return try sections.entry(rel, of: section, list: list)
    }

    /// The section lists as files of the generation: list path → entry.
    package var listFiles: [String: FileEntry] {
        var out: [String: FileEntry] = [:]
        for (section, list) in lists { out[ManifestSections.listPath(section)] = FileEntry(crc: list.crc, size: list.size) }
        return out
    }

    /// Every file of the generation with its entry, the section lists included.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(files); reads every section list not read yet.
    package func allFiles() throws(StoreError) -> [String: FileEntry] {
        var out = direct
        if isComplete { return out }
        for (rel, e) in listFiles { out[rel] = e }
        for (section, list) in lists {
            for (rel, e) in try files(ofSection: section, list: list) { out[rel] = e }
        }
        return out
    }

    /// The files whose path starts with `prefix` (a directory with its slash: `customers/`),
    /// with their entries, in no particular order.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(files of the sections below `prefix` + files the manifest names itself).
    package func files(under prefix: String) throws(StoreError) -> [String: FileEntry] {
        var out = direct.filter { $0.key.hasPrefix(prefix) }
        if isComplete { return out }
        for (section, list) in lists where Self.overlaps(section, prefix) {
            for (rel, e) in try files(ofSection: section, list: list) where rel.hasPrefix(prefix) { out[rel] = e }
        }
        return out
    }

    /// How many files lie below directory `prefix` (with its slash), from the counts the
    /// lists carry: no list is read.
    ///
    /// - Complexity: O(files the manifest names itself + sections).
    package func count(under prefix: String) -> Int {
        let own = direct.keys.reduce(0) { $0 + ($1.hasPrefix(prefix) ? 1 : 0) }
        return isComplete ? own : own + Self.listed(lists, byTop: listedByTop, under: prefix)
    }

    /// Whether the manifest lists a file of the generation, the section lists included.
    package func contains(_ rel: String) throws(StoreError) -> Bool { try entry(rel) != nil }

    /// Every partition key that has a file, sorted: by month, then resource.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    package func partitions() throws(StoreError) -> [String] {
        if isComplete { return directPartitions }
        return try partitions(months: partitionMonths[...])
    }

    /// The partition keys whose month is in `from...to` (`YYYY-MM`), in order.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(log p + k) for p partitions, k of them in range; from format 5 it reads
    ///   the lists of the months in range.
    package func partitions(fromMonth from: String, toMonth to: String) throws(StoreError) -> [String] {
        if isComplete { return Array(Self.range(directPartitions, from: from, to: to)) }
        return try partitions(months: Self.range(partitionMonths, from: from, to: to))
    }

    /// The partition keys of the resources whose file-name-safe ids are `safe` with a month
    /// in `from...to`, in order: from format 5 each one is looked up in its month's list
    /// (``entry(_:)``) rather than the month listed, which is what a few resources want.
    ///
    /// - Throws: `StoreError.damaged` naming a section list that cannot be read.
    /// - Complexity: O(months × resources × bytes of a month's list) from format 5.
    package func partitions(fromMonth from: String, toMonth to: String, resources safe: Set<String>) throws(StoreError) -> [String] {
        if isComplete {
            return Self.range(directPartitions, from: from, to: to).filter { key in
                key.firstIndex(of: "/").map { safe.contains(String(key[key.index(after: $0)...])) } ?? false
            }
        }
        var out: [String] = []
        let resources = safe.sorted()
        for month in Self.range(partitionMonths, from: from, to: to) {
            for r in resources {
                let key = month + "/" + r
                if try entry(Generation.partitionPath(key)) != nil { out.append(key) }
            }
        }
        return out
    }

    private func partitions(months: ArraySlice<String>) throws(StoreError) -> [String] {
        var out: [String] = []
        for month in months {
            let section = "bookings/" + month
            guard let list = lists[section] else { continue }
            out += try files(ofSection: section, list: list).keys.compactMap(Manifest.partitionKey).sorted()
        }
        return out
    }

    private func files(ofSection section: String, list: ListEntry) throws(StoreError) -> [String: FileEntry] {
        guard let sections else { return [:] }
        return try sections.files(of: section, list: list)
    }

    /// The keys of sorted `keys` (`YYYY-MM…`) whose month is in `from...to`.
    private static func range(_ keys: [String], from: String, to: String) -> ArraySlice<String> {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        // "YYYY-MM/" sorts after "YYYY-MM", so every key of month `to` is below `to` + "0".
        let limit = to + "0"
        while end < keys.count, keys[end] < limit { end += 1 }
        return keys[lo..<end]
    }

    /// Files the lists of sections below directory `prefix` name, by their counts.
    ///
    /// A one-directory prefix (`customers/`) overlaps exactly the sections whose first
    /// component is that directory, so it is answered from `byTop`; any other prefix looks
    /// at every section.
    private static func listed(_ lists: [String: ListEntry], byTop: [String: Int], under prefix: String) -> Int {
        let u = prefix.utf8
        if let slash = u.firstIndex(of: 0x2F), slash != u.startIndex, u.index(after: slash) == u.endIndex {
            return byTop[String(prefix[..<slash])] ?? 0
        }
        return lists.reduce(0) { $0 + (overlaps($1.key, prefix) ? $1.value.count : 0) }
    }

    /// The first component of a section (`customers` for `customers/g1`, itself without a slash).
    private static func topComponent(_ section: String) -> String {
        guard let slash = section.utf8.firstIndex(of: 0x2F) else { return section }
        return String(section[..<slash])
    }

    /// Whether section `section` may hold paths starting with `prefix`.
    private static func overlaps(_ section: String, _ prefix: String) -> Bool {
        let dir = ManifestSections.directory(of: section) + "/"
        return dir.hasPrefix(prefix) || prefix.hasPrefix(dir)
    }

    /// `2027-03/res_x` for `bookings/2027-03/res_x.json`, nil for other files.
    static func partitionKey(_ path: String) -> String? {
        guard path.hasPrefix("bookings/"), path.hasSuffix(".json") else { return nil }
        return String(path.dropFirst("bookings/".count).dropLast(".json".count))
    }

    /// `2027-03` for section `bookings/2027-03`, nil for other sections.
    static func partitionMonth(_ section: String) -> String? {
        guard section.hasPrefix("bookings/") else { return nil }
        return String(section.dropFirst("bookings/".count))
    }

    /// `2027-03` for section `occupancy/2027-03`, nil for other sections.
    static func occupancyMonth(_ section: String) -> String? {
        guard section.hasPrefix(OccupancyLayout.directory) else { return nil }
        return String(section.dropFirst(OccupancyLayout.directory.count))
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

    /// The month of the last partition that can hold a booking overlapping `range`: that of its
    /// last instant. A range ends before its `end`, and a booking is filed under the month of
    /// its start, so a range ending at a month's first second needs nothing of that month.
    package static func lastMonth(of range: TimeRange) -> String {
        month(range.end > range.start ? range.end - TimeSpan(seconds: 1) : range.start)
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
