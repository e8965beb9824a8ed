import FrontdeskCore

/// One immutable snapshot generation on disk and its verified manifest.
package struct Generation: Sendable {
    package let path: String
    package let manifest: Manifest

    /// Reads and verifies `<path>/manifest.json`.
    package static func open(_ path: String, fs: any FileSystem) throws(StoreError) -> Generation {
        let file = path + "/manifest.json"
        let bytes = try fs.readFile(file)
        guard let nl = bytes.firstIndex(of: 0x0A), nl == bytes.count - 1, let body = Frame.payload(bytes[..<nl]) else {
            throw .damaged(path: file, detail: "manifest checksum or framing is wrong")
        }
        var m: Manifest
        do { m = try ManifestSchema.read(body) } catch {
            throw .damaged(path: file, detail: "manifest does not decode: \(error)")
        }
        if m.format > StoreFormat.current { throw .newerFormat(found: m.format, supported: StoreFormat.current) }
        m.readSections(of: path, fs: fs)
        return Generation(path: path, manifest: m)
    }

    /// Every file the generation consists of, relative to its directory: `manifest.json` first,
    /// then every file the manifest lists, sorted. The one place that says which files make up a
    /// generation for whoever copies one whole (`backup`, `restore`): a layout that splits the
    /// manifest into more files changes this function and nothing else there.
    ///
    /// - Throws: `StoreError.damaged` naming a manifest section list that cannot be read.
    /// - Complexity: O(f log f) for f files.
    func fileNames() throws(StoreError) -> [String] {
        [Generation.manifestName] + (try manifest.allFiles()).keys.sorted()
    }

    /// The name of the file that holds the manifest, inside the generation's directory.
    static let manifestName = "manifest.json"

    /// The verified bytes of one file of the generation, or nil if the manifest lists no such file.
    package func bytes(_ rel: String, fs: any FileSystem) throws(StoreError) -> [UInt8]? {
        guard let entry = try manifest.entry(rel) else { return nil }
        let b = try fs.readFile(path + "/" + rel)
        guard Int64(b.count) == entry.size else {
            throw .damaged(path: path + "/" + rel, detail: "size \(b.count), manifest says \(entry.size)")
        }
        let crc = CRC32C.hex(CRC32C.checksum(b))
        guard crc == entry.crc else {
            throw .damaged(path: path + "/" + rel, detail: "checksum \(crc), manifest says \(entry.crc)")
        }
        return b
    }

    /// The items of a verified reference file (a list), each read by `read`; nil if the
    /// manifest lists no such file.
    func readList<T>(_ rel: String, fs: any FileSystem, _ read: (SchemaValue) throws(SchemaError) -> T) throws(StoreError) -> [T]? {
        guard let b = try bytes(rel, fs: fs) else { return nil }
        do { return try SchemaFile.readList(b, read) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// Bookings of one partition (`2027-03/res_x`); empty if it has no file.
    package func partition(_ key: String, fs: any FileSystem) throws(StoreError) -> [Booking] {
        guard let b = try bytes(Self.partitionPath(key), fs: fs) else { return [] }
        return try decodePartition(key, bytes: b)
    }

    /// Occupancy file `key` (``OccupancyLayout``): the bookings that hold its resource from
    /// another partition; empty if the generation has no such file.
    func occupancy(_ key: String, fs: any FileSystem) throws(StoreError) -> [OccupancySchema.Entry] {
        let rel = OccupancyLayout.path(key)
        guard let b = try bytes(rel, fs: fs) else { return [] }
        do { return try OccupancySchema.read(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// The series map (``SeriesSchema``); nil if the generation has no such file.
    package func series(fs: any FileSystem) throws(StoreError) -> [String: [String]]? {
        guard let b = try bytes(SeriesSchema.path, fs: fs) else { return nil }
        do { return try SeriesSchema.read(b) } catch {
            throw .damaged(path: path + "/" + SeriesSchema.path, detail: "does not decode: \(error)")
        }
    }

    /// Directory shard `n`; nil if the generation has no file for it.
    package func shard(_ n: Int, fs: any FileSystem) throws(StoreError) -> DirectoryShard? {
        let rel = Partition.shardPath(n)
        guard let b = try bytes(rel, fs: fs) else { return nil }
        do { return try DirectoryShardSchema.read(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// Where the generation keeps its idempotency keys.
    ///
    /// - Throws: `StoreError.damaged` when the manifest's shard files are not a power of two.
    package func idempotencyLayout() throws(StoreError) -> IdempotencyLayout {
        try IdempotencyLayout(manifest, path: path)
    }

    /// The idempotency records of shard `n` of `layout` (this generation's), verified: the file
    /// against the manifest, and in a sharded layout every key in the shard it hashes to, once
    /// (a key elsewhere would never be found). Empty when the layout has no such shard.
    ///
    /// - Throws: `StoreError.damaged` naming the file.
    /// - Complexity: O(bytes of the shard).
    package func idempotencyShard(_ n: Int, layout: IdempotencyLayout, fs: any FileSystem) throws(StoreError) -> [IdempotencyRecord] {
        guard n < layout.count else { return [] }
        let rel = layout.path(n)
        guard let b = try bytes(rel, fs: fs) else {
            if layout.legacy { return [] }
            throw .damaged(path: path + "/manifest.json", detail: "lists \(layout.count) idempotency shard files but not \(rel)")
        }
        let records: [IdempotencyRecord]
        do { records = try IdempotencySchema.readList(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
        guard !layout.legacy else { return records }
        var seen = Set<String>()
        seen.reserveCapacity(records.count)
        for r in records {
            guard layout.shard(of: r.key) == n else {
                throw .damaged(path: path + "/" + rel, detail: "holds key \"\(r.key)\", which belongs in shard \(layout.shard(of: r.key))")
            }
            guard seen.insert(r.key).inserted else { throw .damaged(path: path + "/" + rel, detail: "holds key \"\(r.key)\" twice") }
        }
        return records
    }

    /// Where partition `key` lives inside a generation.
    static func partitionPath(_ key: String) -> String { "bookings/\(key).json" }

    /// Decodes a partition's verified bytes (read with `bytes(_:fs:)`). Pure: safe on any thread.
    func decodePartition(_ key: String, bytes: [UInt8]) throws(StoreError) -> [Booking] {
        try decodePartition(key, bytes: bytes, BookingSchema.readPartition)
    }

    /// Decodes a partition's verified bytes with `read` (whole bookings, or a projection such
    /// as ``BookingSchema/readReportedPartition(_:)``). Pure: safe on any thread.
    ///
    /// - Throws: `StoreError.damaged` naming the file when `read` fails.
    func decodePartition<Row>(_ key: String, bytes: [UInt8], _ read: ([UInt8]) throws -> [Row]) throws(StoreError) -> [Row] {
        do { return try read(bytes) } catch {
            throw .damaged(path: path + "/" + Self.partitionPath(key), detail: "does not decode: \(error)")
        }
    }

    /// Generation numbers under `snapshots/`, newest first.
    package static func list(_ snapshots: String, fs: any FileSystem) throws(StoreError) -> [UInt64] {
        try fs.list(snapshots).compactMap { $0.count == 20 ? UInt64($0) : nil }.sorted(by: >)
    }
}

/// The on-disk format versions this build writes and reads (the `FORMAT` file and each
/// generation's manifest).
///
/// 1: every event carries its booking in full. 2: an event's booking may be a reference to a
/// mutation of the same record (`JournalRecord.compactEvents`). 3: generations keep customers
/// and idempotency keys in shards, with the customer index, the customer → bookings index and
/// the partitions' customer lists. 4: journal records may carry audit entries (`audit`
/// mutations) and generations keep the audit log (`audit/`) and the search index (`search/`).
/// 5: bookings may carry `charges` (price, deposit, fees and payments ledger), records may
/// carry `setting` and `service` mutations, resources `tags`, events a `ledgerEntry`, and
/// generations keep `settings.json` and `services.json` (a generation without one has no
/// settings, or no services).
/// New stores are created with the current format; a store keeps the journal format it was
/// created with, but every generation this build writes is at least ``businessDay``, so that a
/// program that knows only an earlier layout refuses it (`newerFormat`) instead of reading a
/// store without its customers or dropping its audit log at its next compaction.
package enum StoreFormat {
    package static let current = 5
    /// The first format whose generations keep customers and keys in shards.
    static let shardedTables = 3
    /// The first format whose records and generations carry the audit log.
    package static let auditLog = 4
    /// The first format of the business day: bookings carry money and may hold several
    /// resources (`otherResources`, with the occupancy files that find them from each resource),
    /// resources carry tags, generations keep the settings and the service catalog, and
    /// manifests list most files through section lists (``ManifestSections``).
    package static let businessDay = 5
}
