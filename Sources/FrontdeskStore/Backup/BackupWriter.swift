#if canImport(Glibc)
import Glibc
#endif

/// Writes the files of one backup into its directory (private: 0700 directories, 0600 files)
/// and keeps their table for the manifest.
///
/// Each file is created new (`O_EXCL`), written whole and fsynced; the directories are fsynced
/// by `finish`. A file identical to one an earlier backup of the chain holds (same path inside
/// its generation, size and checksum) is hard-linked from it instead when both are on the same
/// file system, so an incremental backup of a large store costs only what changed.
final class BackupWriter {
    let fs: any FileSystem
    /// The backup's directory (while it is written: `.partial-<name>-<pid>` in the destination).
    let root: String
    private(set) var files: [String: Manifest.FileEntry] = [:]
    private var directories: Set<String> = []
    /// Files of the chain by `<path inside the generation>|<crc>|<size>` → their full path.
    var linkable: [String: String] = [:]
    /// How many files were hard-linked and how many bytes were written.
    private(set) var linked = 0
    private(set) var bytesWritten: Int64 = 0

    /// Creates `root` (0700) and confines `fs` to it.
    init(root: String, fs: any FileSystem) throws(StoreError) {
        self.fs = fs
        self.root = root
        try fs.mkdir(root, mode: 0o700)
        try fs.chmod(root, mode: 0o700)
        try fs.confine(to: root)
    }

    /// Makes the directories above `rel` that are not there yet.
    private func makeParents(_ rel: String) throws(StoreError) {
        var parts = rel.split(separator: "/").dropLast()
        var prefix = ""
        while let p = parts.first {
            parts.removeFirst()
            prefix += (prefix.isEmpty ? "" : "/") + p
            if directories.insert(prefix).inserted { try fs.makeDirectory(root + "/" + prefix) }
        }
    }

    /// Writes `bytes` to `rel` (a new file).
    func put(_ rel: String, _ bytes: [UInt8]) throws(StoreError) {
        try makeParents(rel)
        try fs.writeNewFile(root + "/" + rel, bytes)
        files[rel] = Manifest.FileEntry(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        bytesWritten += Int64(bytes.count)
    }

    /// Hard-links `rel` from the chain's copy of the same generation file when there is one;
    /// false when there is none or the link fails (another file system): the caller copies.
    func linkFromChain(_ rel: String, keyInGeneration key: String, entry: Manifest.FileEntry) throws(StoreError) -> Bool {
        guard let from = linkable[BackupWriter.linkKey(key, entry)] else { return false }
        try makeParents(rel)
        do { try fs.link(from, to: root + "/" + rel) } catch { return false }
        files[rel] = entry
        linked += 1
        return true
    }

    static func linkKey(_ pathInGeneration: String, _ e: Manifest.FileEntry) -> String {
        pathInGeneration + "|" + e.crc + "|" + String(e.size)
    }

    /// Makes every directory entry durable (the files were fsynced as they were written).
    func syncDirectories() throws(StoreError) {
        for d in directories.sorted(by: >) { try fs.fsyncDirectory(root + "/" + d) }
        try fs.fsyncDirectory(root)
    }
}
