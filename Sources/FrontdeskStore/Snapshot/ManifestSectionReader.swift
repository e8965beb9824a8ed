import Synchronization

/// Reads the section lists (`lists/<section>.json`) of one generation read from disk, each at
/// most once, and keeps them: every copy of the generation's ``Manifest`` shares it, and a
/// compaction's thread may ask for a list while the store's thread does.
///
/// A list is untrusted like every file: its size and CRC32C must be what the manifest says, it
/// must decode, name exactly as many files as the manifest counts, and only files of its own
/// section (a file in another section's list would never be found).
final class ManifestSectionReader: Sendable {
    let path: String
    let fs: any FileSystem
    private let read = Mutex<[String: [String: Manifest.FileEntry]]>([:])
    /// Verified bytes of lists looked up one entry at a time, not decoded whole yet.
    private let verified = Mutex<[String: [UInt8]]>([:])
    /// Sections whose verified bytes ``ManifestSchema/listEntry(_:in:section:count:)`` has
    /// judged as written: their later lookups only find the path
    /// (``ManifestSchema/judgedListEntry(_:in:)``). A desk's day reads the customer lists of
    /// a dozen partitions of one month, all listed in one section.
    private let judged = Mutex<Set<String>>([])

    init(path: String, fs: any FileSystem) {
        self.path = path
        self.fs = fs
    }

    /// The files section `section` lists, read and verified against `list` the first time.
    ///
    /// - Throws: `StoreError.damaged` naming the list file.
    /// - Complexity: O(files of the section) the first time, O(1) after.
    func files(of section: String, list: Manifest.ListEntry) throws(StoreError) -> [String: Manifest.FileEntry] {
        if let known = read.withLock({ $0[section] }) { return known }
        let file = path + "/" + ManifestSections.listPath(section)
        let bytes = try verifiedBytes(of: section, list: list)
        let files: [String: Manifest.FileEntry]
        do { files = try ManifestSchema.readList(bytes) } catch {
            throw .damaged(path: file, detail: "does not decode: \(error)")
        }
        guard files.count == list.count else {
            throw .damaged(path: file, detail: "lists \(files.count) files, manifest says \(list.count)")
        }
        if let stray = files.keys.first(where: { ManifestSections.section(of: $0) != section }) {
            throw .damaged(path: file, detail: "lists \(stray), which belongs to another section")
        }
        read.withLock { $0[section] = files }
        verified.withLock { $0[section] = nil }
        return files
    }

    /// The entry section `section` lists for `rel` (a path of that section), or nil when it
    /// lists none.
    ///
    /// A list decoded already answers from memory. Otherwise the list's bytes are read and
    /// verified (size and CRC32C, as for a whole read) and, when the whole file is in the
    /// writer's spelling, judged and searched on its bytes
    /// (``ManifestSchema/listEntry(_:in:section:count:)``: every member well formed, in
    /// order, of this section, as many as the manifest counts): one partition or shard of a
    /// section of hundreds costs a pass over the bytes, not decoding them all. Any other
    /// spelling is decoded and judged whole (``files(of:list:)``), which names what is wrong.
    ///
    /// - Throws: `StoreError.damaged` naming the list file.
    /// - Complexity: O(bytes of the list) the first time, a byte search after it, O(1) once
    ///   decoded.
    func entry(_ rel: String, of section: String, list: Manifest.ListEntry) throws(StoreError) -> Manifest.FileEntry? {
        if let known = read.withLock({ $0[section] }) { return known[rel] }
        let bytes = try verifiedBytes(of: section, list: list)
        if judged.withLock({ $0.contains(section) }) { return ManifestSchema.judgedListEntry(rel, in: bytes) }
        if let answer = ManifestSchema.listEntry(rel, in: bytes, section: section, count: list.count) {
            judged.withLock { _ = $0.insert(section) }
            return answer
        }
        return try files(of: section, list: list)[rel]
    }

    /// The bytes of section `section`'s list file, checked against `list`'s size and CRC32C;
    /// read once.
    ///
    /// - Throws: `StoreError.damaged` naming the list file.
    private func verifiedBytes(of section: String, list: Manifest.ListEntry) throws(StoreError) -> [UInt8] {
        if let known = verified.withLock({ $0[section] }) { return known }
        let file = path + "/" + ManifestSections.listPath(section)
        let bytes = try fs.readFile(file)
        guard Int64(bytes.count) == list.size else {
            throw .damaged(path: file, detail: "size \(bytes.count), manifest says \(list.size)")
        }
        let crc = CRC32C.hex(CRC32C.checksum(bytes))
        guard crc == list.crc else { throw .damaged(path: file, detail: "checksum \(crc), manifest says \(list.crc)") }
        verified.withLock { $0[section] = bytes }
        return bytes
    }
}
