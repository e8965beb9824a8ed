import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// A backup and the backups it continues (its chain), oldest first, read from their
/// `backup.json` manifests: what generations and journal records they hold together.
///
/// Every path inside a backup is opened without following symbolic links (each backup
/// directory is a confined root of the file system it is read with).
package struct BackupChain {
    /// One backup of the chain: its directory and its manifest.
    package struct Member: Sendable {
        package let path: String
        package let manifest: BackupManifest
    }

    /// One journal record a backup holds: where its line is and when it was committed.
    package struct HeldRecord: Sendable {
        package let seq: UInt64
        package let at: Instant
        /// The backup file holding the framed line, and the line's bytes there (newline included).
        package let file: String
        package let range: Range<Int>
    }

    /// One snapshot generation a backup holds.
    package struct HeldGeneration: Sendable {
        package let number: UInt64
        package let lastSequence: UInt64
        /// Its directory inside the backup (`<backup>/snapshots/<gen>`).
        package let path: String
    }

    /// Oldest first; the last one is the backup that was asked for.
    package let members: [Member]

    /// The newest member's last record: what restoring the whole chain gives.
    package var lastSequence: UInt64 { members.last?.manifest.lastSequence ?? 0 }

    /// Loads the backup at `source` and every backup it continues, each found beside it by the
    /// name in `previous`. `source` is a backup directory (holding `backup.json`) or a
    /// destination holding backups, of which the newest is taken.
    ///
    /// - Throws: `StoreError.notFound` when there is no backup at `source`,
    ///   `.backupLinkMissing` naming an absent link of the chain, `.damaged` naming a manifest
    ///   that does not verify.
    /// - Complexity: O(m) manifests read for a chain of m backups.
    package static func load(_ source: String, fs: any FileSystem) throws(StoreError) -> BackupChain {
        var path = source
        if fs.stat(source + "/" + BackupManifest.fileName) == nil {
            guard let newest = try newestBackup(in: source, fs: fs) else { throw .notFound(path: source + "/" + BackupManifest.fileName) }
            path = source + "/" + newest
        }
        var members: [Member] = []
        var seen: Set<String> = []
        while true {
            guard seen.insert(path).inserted else { throw .damaged(path: path + "/" + BackupManifest.fileName, detail: "the chain of previous backups loops back to this one") }
            try fs.confine(to: path)
            let manifest = try readManifest(path, fs: fs)
            members.append(Member(path: path, manifest: manifest))
            guard let previous = manifest.previous else { break }
            let parent = Path.parent(of: path)
            let previousPath = (parent.isEmpty ? "." : parent) + "/" + previous
            guard fs.stat(previousPath + "/" + BackupManifest.fileName) != nil else {
                throw .backupLinkMissing(missing: previousPath, neededBy: path)
            }
            let next = try readManifest(previousPath, fs: fs)
            guard next.lastSequence <= manifest.lastSequence, next.lastSequence < manifest.firstSequence else {
                throw .damaged(path: path + "/" + BackupManifest.fileName, detail: "holds records from \(manifest.firstSequence) to \(manifest.lastSequence), which do not follow \(previous) (up to \(next.lastSequence))")
            }
            path = previousPath
        }
        return BackupChain(members: members.reversed())
    }

    /// The manifest of the backup in `path`, read and verified.
    static func readManifest(_ path: String, fs: any FileSystem) throws(StoreError) -> BackupManifest {
        let file = path + "/" + BackupManifest.fileName
        let bytes = try fs.readFile(file)
        return try BackupManifest.read(bytes, path: file)
    }

    /// The newest complete backup in a destination directory (by name: last sequence, then
    /// number), nil when there is none. Unfinished backups (`.partial-*`) are not backups.
    static func newestBackup(in destination: String, fs: any FileSystem) throws(StoreError) -> String? {
        guard let st = fs.stat(destination), st.isDirectory else { return nil }
        for name in try fs.list(destination).filter(BackupManifest.isBackupName).sorted(by: >)
        where fs.stat(destination + "/" + name + "/" + BackupManifest.fileName) != nil {
            return name
        }
        return nil
    }

    /// Checks every file of every backup of the chain against its manifest (size and CRC32C),
    /// so nothing is restored from a backup with a flipped byte or a missing file.
    ///
    /// - Throws: `StoreError.damaged` naming the first file that does not verify.
    /// - Complexity: reads every byte of the chain.
    package func verify(fs: any FileSystem) throws(StoreError) {
        for m in members {
            for (rel, entry) in m.manifest.files.sorted(by: { $0.key < $1.key }) {
                let file = m.path + "/" + rel
                let bytes: [UInt8]
                do { bytes = try fs.readFile(file) } catch .io(_, _, ENOENT) {
                    throw .damaged(path: file, detail: "missing: the backup manifest lists it")
                }
                guard Int64(bytes.count) == entry.size else {
                    throw .damaged(path: file, detail: "size \(bytes.count), the backup manifest says \(entry.size)")
                }
                let crc = CRC32C.hex(CRC32C.checksum(bytes))
                guard crc == entry.crc else {
                    throw .damaged(path: file, detail: "checksum \(crc), the backup manifest says \(entry.crc)")
                }
            }
        }
    }

    /// Every generation the chain holds, oldest first.
    package var generations: [HeldGeneration] {
        var out: [UInt64: HeldGeneration] = [:]
        for m in members {
            for (g, s) in m.manifest.generations where out[g] == nil {
                out[g] = HeldGeneration(number: g, lastSequence: s, path: m.path + "/snapshots/" + Manifest.name(g))
            }
        }
        return out.values.sorted { $0.number < $1.number }
    }

    /// Every journal record the chain holds, in sequence order, each once.
    ///
    /// - Throws: `StoreError.damaged` naming a journal file of a backup that does not hold
    ///   exactly consecutive, valid records.
    /// - Complexity: reads and decodes every journal file of the chain.
    package func records(fs: any FileSystem) throws(StoreError) -> [HeldRecord] {
        var out: [HeldRecord] = []
        for m in members {
            let files = m.manifest.files.keys.filter { $0.hasPrefix("journal/") }.sorted()
            for rel in files {
                let file = m.path + "/" + rel
                let name = rel.dropFirst("journal/".count)
                guard name.hasSuffix(".jsonl"), let first = UInt64(name.dropLast(".jsonl".count)) else {
                    throw .damaged(path: file, detail: "not a journal file name (<first record>.jsonl)")
                }
                let bytes = try fs.readFile(file)
                let held = try BackupChain.lines(bytes, first: first, file: file)
                for r in held where r.seq > (out.last?.seq ?? 0) { out.append(r) }
            }
        }
        return out
    }

    /// The records of one journal file of a backup, which holds exactly consecutive, valid
    /// records from `first`, with nothing after them.
    static func lines(_ bytes: [UInt8], first: UInt64, file: String) throws(StoreError) -> [HeldRecord] {
        let scan = SegmentScan(bytes: bytes, offset: 0, expect: first)
        guard scan.tail == .clean, scan.padding == 0, scan.validEnd == Int64(bytes.count) else {
            let detail: String
            switch scan.tail {
            case .corrupt(let at, let d): detail = "offset \(at): \(d)"
            case .torn(let n): detail = "\(n) bytes after the last valid record at offset \(scan.validEnd)"
            case .clean: detail = "\(scan.padding) zero bytes after the last record"
            }
            throw .damaged(path: file, detail: detail)
        }
        var out: [HeldRecord] = []
        out.reserveCapacity(scan.records.count)
        var start = 0
        for rec in scan.records {
            guard let nl = bytes[start...].firstIndex(of: 0x0A) else { break }
            out.append(HeldRecord(seq: rec.seq, at: rec.tx.at, file: file, range: start..<(nl + 1)))
            start = nl + 1
        }
        return out
    }
}
