import FrontdeskCore
import FrontdeskJSON

/// The table of contents of one backup (`<backup>/backup.json`), framed like a journal record
/// (`<crc32c> <json>\n`): what the backup holds, up to which journal record, and which backup
/// it continues.
///
/// A full backup holds every snapshot generation the store kept and every journal record the
/// store still had (in `journal/` and `events/`) up to `lastSequence`. An incremental one holds
/// only the generations and records its `previous` backup (and that one's predecessors: the
/// chain) do not, so restoring it needs the whole chain.
package struct BackupManifest: Sendable, Equatable {
    /// The name of the manifest inside a backup directory.
    package static let fileName = "backup.json"
    /// The version of this manifest's layout; a newer one is refused.
    static let currentVersion = 1

    package var version = BackupManifest.currentVersion
    /// The backup's directory name inside its destination (`<lastSequence, 20 digits>-<NNN>`).
    package var name: String
    /// The store's format (`FORMAT`), which the restored store gets.
    var storeFormat: Int
    /// The backup this one continues (its directory name, beside this one); nil for a full backup.
    package var previous: String?
    /// The last journal record the backup (with its chain) contains.
    package var lastSequence: UInt64
    /// The first journal record this backup itself holds; `lastSequence + 1` when it holds none.
    package var firstSequence: UInt64
    /// When the backup was taken (the store's clock).
    package var createdAt: Instant
    /// The generations this backup itself holds: number → the last record folded into it.
    package var generations: [UInt64: UInt64]
    /// Every file of the backup but this manifest, by path relative to the backup directory.
    package var files: [String: Manifest.FileEntry]

    /// The framed line written to `backup.json`.
    package func encoded() -> [UInt8] {
        var fileTable: [String: JSONTree] = [:]
        for (path, e) in files { fileTable[path] = .object(["crc": .string(e.crc), "size": .integer(e.size)]) }
        var gens: [String: JSONTree] = [:]
        for (g, s) in generations { gens[String(g)] = .integer(s) }
        let tree: JSONTree = .object([
            "version": .integer(version), "name": .string(name), "storeFormat": .integer(storeFormat),
            "previous": .string(previous), "lastSequence": .integer(lastSequence), "firstSequence": .integer(firstSequence),
            "createdAt": .string(createdAt.iso8601), "generations": .object(gens), "files": .object(fileTable),
        ])
        return Frame.encode(tree.serialized())
    }

    /// Reads a manifest's bytes; `path` names the file in errors.
    ///
    /// - Throws: `StoreError.damaged` naming the file and what is wrong with it.
    package static func read(_ bytes: [UInt8], path: String) throws(StoreError) -> BackupManifest {
        guard let nl = bytes.firstIndex(of: 0x0A), nl == bytes.count - 1, let body = Frame.payload(bytes[..<nl]) else {
            throw .damaged(path: path, detail: "backup manifest checksum or framing is wrong")
        }
        func bad(_ what: String) -> StoreError { .damaged(path: path, detail: "backup manifest: \(what)") }
        guard let tree = try? JSONTree(parsing: body), let o = tree.objectValue else { throw bad("not a JSON object") }
        func number(_ key: String) throws(StoreError) -> UInt64 {
            guard case .number(let n)? = o[key], let v = UInt64(n) else { throw bad("\(key): expected a whole number") }
            return v
        }
        func text(_ key: String) throws(StoreError) -> String {
            guard let s = o[key]?.stringValue else { throw bad("\(key): expected a string") }
            return s
        }
        let version = Int(try number("version"))
        guard version <= currentVersion else { throw bad("version \(version) is newer than this program reads (\(currentVersion)); upgrade Frontdesk") }
        let format = Int(try number("storeFormat"))
        guard format >= 1 else { throw bad("storeFormat: expected a format number") }
        if format > StoreFormat.current { throw .newerFormat(found: format, supported: StoreFormat.current) }
        let name = try text("name")
        let previous: String?
        switch o["previous"] {
        case .null?, nil: previous = nil
        case .string(let s)?: previous = s
        default: throw bad("previous: expected a string or null")
        }
        if let previous, !BackupManifest.isBackupName(previous) { throw bad("previous: \"\(previous)\" is not a backup name") }
        guard let created = Instant(iso8601: try text("createdAt")) else { throw bad("createdAt: expected a time") }
        guard let gens = o["generations"]?.objectValue else { throw bad("generations: expected an object") }
        var generations: [UInt64: UInt64] = [:]
        for (k, v) in gens {
            guard let g = UInt64(k), case .number(let n) = v, let s = UInt64(n) else { throw bad("generations.\(k): expected a whole number") }
            generations[g] = s
        }
        guard let table = o["files"]?.objectValue else { throw bad("files: expected an object") }
        var files: [String: Manifest.FileEntry] = [:]
        for (p, v) in table {
            guard let e = v.objectValue, let crc = e["crc"]?.stringValue, crc.utf8.count == 8,
                  case .number(let n)? = e["size"], let size = Int64(n), size >= 0 else {
                throw bad("files.\"\(p)\": expected {\"crc\",\"size\"}")
            }
            guard BackupManifest.isSafeRelativePath(p) else { throw bad("files: \"\(p)\" is not a path inside the backup") }
            files[p] = Manifest.FileEntry(crc: crc, size: size)
        }
        let m = BackupManifest(version: version, name: name, storeFormat: format, previous: previous,
                               lastSequence: try number("lastSequence"), firstSequence: try number("firstSequence"),
                               createdAt: created, generations: generations, files: files)
        guard m.firstSequence <= m.lastSequence + 1 else { throw bad("firstSequence \(m.firstSequence) is past lastSequence \(m.lastSequence)") }
        return m
    }

    /// Whether `name` looks like a backup directory's name: 20 digits, a dash, 3 digits.
    static func isBackupName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count == 24, u[20] == UInt8(ascii: "-") else { return false }
        return u.enumerated().allSatisfy { i, c in i == 20 || (c >= 0x30 && c <= 0x39) }
    }

    /// A relative path of plain components (no `..`, `.`, empty component or leading slash), so
    /// a manifest cannot name a file outside its backup.
    static func isSafeRelativePath(_ p: String) -> Bool {
        guard !p.isEmpty, !p.hasPrefix("/") else { return false }
        return p.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }
}
