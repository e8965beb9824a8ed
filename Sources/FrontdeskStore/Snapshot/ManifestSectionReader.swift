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
        let rel = ManifestSections.listPath(section)
        let file = path + "/" + rel
        let bytes = try fs.readFile(file)
        guard Int64(bytes.count) == list.size else {
            throw .damaged(path: file, detail: "size \(bytes.count), manifest says \(list.size)")
        }
        let crc = CRC32C.hex(CRC32C.checksum(bytes))
        guard crc == list.crc else { throw .damaged(path: file, detail: "checksum \(crc), manifest says \(list.crc)") }
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
        return files
    }
}
