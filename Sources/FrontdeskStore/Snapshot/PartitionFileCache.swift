/// Verified partition files and their scans (``PartitionScan``), kept between a store's reads
/// so that a writer's conflict checks do not read, checksum and scan the same month of a
/// resource again for every booking.
///
/// A generation's files never change once it is in `snapshots/`: a file is found again only
/// under the same generation directory, the same path in it and the same manifest entry (size
/// and checksum). A file of another generation, or one its manifest describes differently
/// (a repaired generation written under a reused name), is a miss and is read and verified
/// as before. What the journal changed since the generation is never taken from here: the
/// readers leave out the bookings it touched, as they do for a file just read.
///
/// The least recently used files are dropped once the cache holds more than `capacity` bytes;
/// a capacity of 0 keeps nothing.
struct PartitionFileCache {
    /// A verified file and its scan (nil when the scan refused it: the full reader decides).
    struct File {
        let bytes: [UInt8]
        let scan: PartitionScan?
    }

    /// Which file: the generation's directory, the path in it, and what its manifest says.
    private struct Key: Hashable {
        var generation: String
        var path: String
        var entry: Manifest.FileEntry
    }

    private var files: [Key: (file: File, used: UInt64)] = [:]
    private var tick: UInt64 = 0
    /// The bytes of the files held.
    private(set) var size = 0
    /// The most bytes held.
    let capacity: Int
    /// How many lookups found their file (tests and benchmarks read it).
    private(set) var hits = 0

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The file at `path` of the generation in `generation` whose manifest entry is `entry`,
    /// if held.
    ///
    /// - Complexity: O(1) expected.
    mutating func file(generation: String, path: String, entry: Manifest.FileEntry) -> File? {
        let key = Key(generation: generation, path: path, entry: entry)
        guard let held = files[key] else { return nil }
        tick += 1
        files[key]!.used = tick
        hits += 1
        return held.file
    }

    /// Holds `file`, verified against `entry`, dropping the least recently used files beyond
    /// the capacity. A file larger than the capacity is not held.
    ///
    /// - Complexity: O(files held) when something is dropped, else O(1) expected.
    mutating func insert(_ file: File, generation: String, path: String, entry: Manifest.FileEntry) {
        guard file.bytes.count <= capacity else { return }
        let key = Key(generation: generation, path: path, entry: entry)
        tick += 1
        if let old = files.updateValue((file, tick), forKey: key) { size -= old.file.bytes.count }
        size += file.bytes.count
        while size > capacity, let oldest = files.min(by: { $0.value.used < $1.value.used }) {
            size -= oldest.value.file.bytes.count
            files[oldest.key] = nil
        }
    }

    /// Drops every file held.
    mutating func removeAll() {
        files = [:]
        size = 0
    }
}
