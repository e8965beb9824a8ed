import FrontdeskCore
import FrontdeskJSON
#if canImport(Glibc)
import Glibc
#endif

/// The manifest schema: `snapshots/<generation>/manifest.json`, one framed line
/// (`<crc32c 8 hex> <json>\n`, see ``Frame``) holding
/// `{"format":F,"generation":G,"lastSequence":S,"counters":{...},"maxBookingSeconds":N,"files":{...}}`
/// with `files` mapping each file's path in the generation to `{"crc":"8 hex","size":bytes}`,
/// sorted by the bytes of the paths (see docs/STORAGE.md, "Schema"). From format 5 `files` holds
/// only the files of no section, and `"lists":{"<section>":{"crc":"8 hex","size":bytes,"count":files}}`
/// names each section's list file (`lists/<section>.json`: `{"files":{...}}`, the same shape),
/// see ``ManifestSections``.
enum ManifestSchema {
    // MARK: Writing

    /// The JSON of `m` (the line's payload, without the framing).
    ///
    /// - Complexity: O(f log f) for f files (the sort).
    static func bytes(_ m: Manifest) -> [UInt8] {
        var out = JSONWriter()
        out.bytes.reserveCapacity(200 + (m.lists.isEmpty ? m.direct.count : m.lists.count) * 72)
        out.raw(#"{"format":"#); out.signed(Int64(m.format))
        out.raw(#","generation":"#); out.unsigned(m.generation)
        out.raw(#","lastSequence":"#); out.unsigned(m.lastSequence)
        out.raw(#","counters":"#); counters(m.counters, to: &out)
        out.raw(#","maxBookingSeconds":"#); out.signed(m.maxBookingSeconds)
        out.raw(#","files":"#)
        let own = m.lists.isEmpty ? m.direct : m.direct.filter { ManifestSections.section(of: $0.key) == nil }
        table(own, to: &out)
        if !m.lists.isEmpty {
            out.raw(#","lists":{"#)
            for (i, section) in m.lists.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                let list = m.lists[section]!
                if i > 0 { out.byte(0x2C) }
                out.string(section)
                out.raw(#":{"crc":"#); out.string(list.crc)
                out.raw(#","size":"#); out.signed(list.size)
                out.raw(#","count":"#); out.signed(Int64(list.count))
                out.byte(0x7D)
            }
            out.byte(0x7D)
        }
        out.byte(0x7D)
        return out.bytes
    }

    /// The JSON of one section list file: `{"files":{...}}`.
    static func listBytes(_ files: [String: Manifest.FileEntry]) -> [UInt8] {
        var out = JSONWriter()
        out.bytes.reserveCapacity(20 + files.count * 72)
        out.raw(#"{"files":"#)
        table(files, to: &out)
        out.byte(0x7D)
        return out.bytes
    }

    /// `{"path":{"crc":"hex","size":N},...}` sorted by the bytes of the paths.
    static func table(_ files: [String: Manifest.FileEntry], to out: inout JSONWriter) {
        out.byte(0x7B)
        // Paths are percent-encoded ASCII (``Partition``): their bytes are their JSON bytes.
        for (i, path) in files.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            let entry = files[path]!
            if i > 0 { out.byte(0x2C) }
            out.string(path)
            out.raw(#":{"crc":"#); out.string(entry.crc)
            out.raw(#","size":"#); out.signed(entry.size)
            out.byte(0x7D)
        }
        out.byte(0x7D)
    }

    /// `{"bookings":N,"resources":N,"customers":N,"schedules":N,"waitlist":N}`.
    static func counters(_ c: Counters, to out: inout JSONWriter) {
        out.raw(#"{"bookings":"#); out.signed(Int64(c.bookings))
        out.raw(#","resources":"#); out.signed(Int64(c.resources))
        out.raw(#","customers":"#); out.signed(Int64(c.customers))
        out.raw(#","schedules":"#); out.signed(Int64(c.schedules))
        out.raw(#","waitlist":"#); out.signed(Int64(c.waitlist))
        out.byte(0x7D)
    }

    // MARK: Reading

    /// The manifest in a line's payload.
    ///
    /// - Throws: ``SchemaError`` naming the member that is missing or of the wrong type, or
    ///   `JSONSyntaxError` for text that is not JSON.
    static func read<Bytes: Collection<UInt8>>(_ payload: Bytes) throws -> Manifest {
        let parse = { (raw: UnsafeRawBufferPointer) throws(JSONSyntaxError) in try JSONDocument(raw) }
        let doc = try payload.withContiguousStorageIfAvailable { try parse(UnsafeRawBufferPointer($0)) }
            ?? Array(payload).withUnsafeBytes { try parse($0) }
        let o = try SchemaObject(doc, at: 0, path: "")
        let table = try FileTable.read(doc, object: o.token("files")) ?? FileTable(o.object("files"))
        let c = try o.object("counters")
        var counters = Counters()
        counters.bookings = try c.integer("bookings", as: Int.self)
        counters.resources = try c.integer("resources", as: Int.self)
        counters.customers = try c.integer("customers", as: Int.self)
        counters.schedules = try c.integer("schedules", as: Int.self)
        counters.waitlist = try c.integer("waitlist", as: Int.self)
        var lists: [String: Manifest.ListEntry] = [:]
        let listed = o.optional("lists")
        if let listed, let fast = Self.readLists(doc, object: listed.index) {
            lists = fast
        } else if let listed {
            let l = try listed.object()
            for section in l.keys {
                let e = try l.object(section)
                let count = try e.integer("count", as: Int.self)
                guard count >= 0 else { throw SchemaError(path: l.path(of: section), message: "count \(count) is negative") }
                lists[section] = Manifest.ListEntry(crc: try e.string("crc"), size: try e.integer("size", as: Int64.self), count: count)
            }
        }
        return Manifest(format: try o.integer("format", as: Int.self),
                        generation: try o.integer("generation", as: UInt64.self),
                        lastSequence: try o.integer("lastSequence", as: UInt64.self),
                        counters: counters,
                        maxBookingSeconds: try o.integer("maxBookingSeconds", as: Int64.self),
                        direct: table.entries, partitionsInOrder: table.partitionsInOrder,
                        lists: lists, complete: listed == nil)
    }

    /// The `lists` object at token `object`, or nil if it is not the plain shape
    /// `{"section": {"crc": "hex", "size": integer, "count": integer ≥ 0}, ...}` with unescaped
    /// ASCII keys (the general reader then judges it).
    ///
    /// Every process reads the manifest when it opens the store, and a generation of a million
    /// customers, keys and bookings has hundreds of lists: this reads them straight from the
    /// tokens.
    ///
    /// - Complexity: O(lists).
    static func readLists(_ doc: JSONDocument, object: Int) -> [String: Manifest.ListEntry]? {
        guard doc.tokens[object].kind == .object else { return nil }
        var lists: [String: Manifest.ListEntry] = [:]
        lists.reserveCapacity(Int(doc.tokens[object].a))
        let plain = forEachPlainEntry(doc, object: object, counted: true) { section, crc, size, count in
            guard let count, count >= 0, count <= Int64(Int.max) else { return false }
            // A repeated section: the general reader decides which one counts.
            return lists.updateValue(Manifest.ListEntry(crc: crc, size: size, count: Int(count)), forKey: section) == nil
        }
        return plain ? lists : nil
    }

    /// Calls `body` with the key, `crc`, `size` and (when `counted`) `count` of each entry of the
    /// object at token `object`, while every entry has the plain shape
    /// `{"crc": "hex", "size": integer}` (with `"count": integer` as well when `counted`, and no
    /// other member) and the keys are unescaped ASCII. The manifest's `files` and `lists` tables
    /// and each section list file share this shape.
    ///
    /// - Returns: false as soon as an entry is not that shape or `body` returns false (the
    ///   general reader then judges the table); true when every entry was given to `body`.
    /// - Complexity: O(entries).
    static func forEachPlainEntry(_ doc: JSONDocument, object: Int, counted: Bool,
                                  _ body: (_ key: String, _ crc: String, _ size: Int64, _ count: Int64?) -> Bool) -> Bool {
        let header = doc.tokens[object]
        guard header.kind == .object, header.flags & JSONToken.Flag.slowKeys == 0 else { return false }
        let members: Int32 = counted ? 3 : 2
        var pos = object + 1
        let end = Int(header.b)
        while pos < end {
            let key = doc.tokens[pos], value = doc.tokens[pos + 1]
            guard key.flags == 0, value.kind == .object, value.a == members, value.flags & JSONToken.Flag.slowKeys == 0 else { return false }
            var crc: String?, size: Int64?, count: Int64?
            var member = pos + 2
            for _ in 0..<members {
                let name = doc.tokens[member], v = doc.tokens[member + 1]
                guard name.flags == 0 else { return false }
                if doc.raw(name).elementsEqual("crc".utf8), v.kind == .string, v.flags == 0 {
                    crc = doc.string(v)
                } else if doc.raw(name).elementsEqual("size".utf8), v.kind == .number {
                    size = JSONNumber.int64(doc.raw(v), plain: v.flags == 0)
                } else if counted, doc.raw(name).elementsEqual("count".utf8), v.kind == .number {
                    count = JSONNumber.int64(doc.raw(v), plain: v.flags == 0)
                }
                member = doc.next(at: member + 1)
            }
            guard let crc, let size, !counted || count != nil, body(doc.string(key), crc, size, count) else { return false }
            pos = Int(value.b)
        }
        return true
    }

    /// The files a section list file names (``listBytes(_:)``).
    ///
    /// - Throws: ``SchemaError`` or `JSONSyntaxError`, as ``read(_:)``.
    static func readList(_ bytes: [UInt8]) throws -> [String: Manifest.FileEntry] {
        let doc = try bytes.withUnsafeBytes { raw throws(JSONSyntaxError) in try JSONDocument(raw) }
        let o = try SchemaObject(doc, at: 0, path: "")
        return try (FileTable.read(doc, object: o.token("files")) ?? FileTable(o.object("files"))).entries
    }

    /// The entry of `path` in section list bytes that ``listEntry(_:in:section:count:)`` has
    /// judged (as written, every rule kept): found by its member name alone, since in such a
    /// list `"<path>":{"crc":"` can only be the member for `path`; nil when the list lacks it.
    ///
    /// - Complexity: O(bytes) of byte comparison at each quote; one string made, the answer's
    ///   checksum.
    static func judgedListEntry(_ path: String, in bytes: [UInt8]) -> Manifest.FileEntry? {
        let needle = Array(#"""#.utf8) + Array(path.utf8) + Array(#"":{"crc":""#.utf8)
        let sizeKey = Array(#"","size":"#.utf8)
        return bytes.withUnsafeBufferPointer { u -> Manifest.FileEntry? in
            guard let base = u.baseAddress, u.count >= needle.count else { return nil }
            let n = u.count
            // Each quote in turn (`memchr`) until the needle starts there.
            var from = 0
            var found: Int?
            while found == nil, from + needle.count <= n, let q = memchr(base + from, 0x22, n - from) {
                let i = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
                guard i + needle.count <= n else { break }
                if UnsafeBufferPointer(rebasing: u[i..<(i + needle.count)]).elementsEqual(needle) { found = i }
                from = i + 1
            }
            guard let hit = found else { return nil }
            var at = hit + needle.count
            let crcStart = at
            while at < n, u[at] != 0x22 { at += 1 }
            let crc = String(decoding: UnsafeBufferPointer(rebasing: u[crcStart..<at]), as: UTF8.self)
            guard at + sizeKey.count <= n, UnsafeBufferPointer(rebasing: u[at..<(at + sizeKey.count)]).elementsEqual(sizeKey) else { return nil }
            at += sizeKey.count
            var size: Int64 = 0
            while at < n, u[at] >= 0x30, u[at] <= 0x39 {
                size = size * 10 + Int64(u[at] - 0x30)
                at += 1
            }
            return Manifest.FileEntry(crc: crc, size: size)
        }
    }

    /// The entry of `path` in a section list file's bytes, read without decoding the list
    /// when the whole file is spelled as ``listBytes(_:)`` writes it, else nil (the caller
    /// then decodes the list).
    ///
    /// The file must be `{"files":{` and members `"<path>":{"crc":"<hex>","size":<digits>}`
    /// separated by commas, then `}}`, with ASCII paths without escapes in strictly ascending
    /// byte order (so none twice), as many as `count`, each of section `section`: what the
    /// full reader requires of a list, judged on the bytes. Any other text returns nil, and
    /// the full reader says what is wrong with it.
    ///
    /// - Returns: `.some(entry)` or `.some(nil)` (the list is as written and lacks `path`),
    ///   or nil when the bytes are not in the writer's spelling or break a rule above.
    /// - Complexity: O(bytes), one small string per member for its section.
    static func listEntry(_ path: String, in bytes: [UInt8], section: String, count: Int) -> Manifest.FileEntry?? {
        let want = Array(path.utf8)
        return bytes.withUnsafeBufferPointer { u -> Manifest.FileEntry?? in
            let n = u.count
            var at = 0
            func literal(_ l: StaticString) -> Bool {
                let c = l.utf8CodeUnitCount
                guard at + c <= n else { return false }
                let p = l.utf8Start
                for k in 0..<c where u[at + k] != p[k] { return false }
                at += c
                return true
            }
            /// The bytes of a string without escapes or control bytes, `at` on its opening quote.
            func string() -> Range<Int>? {
                guard at < n, u[at] == 0x22 else { return nil }
                let s = at + 1
                var i = s
                while i < n, u[i] != 0x22 {
                    guard u[i] != 0x5C, u[i] >= 0x20, u[i] < 0x80 else { return nil }
                    i += 1
                }
                guard i < n else { return nil }
                at = i + 1
                return s..<i
            }
            guard literal(#"{"files":{"#) else { return nil }
            var found: Manifest.FileEntry?
            var members = 0
            var previous: Range<Int>?
            if at < n, u[at] == 0x7D {
                at += 1
            } else {
                while true {
                    guard let name = string(), literal(#":{"crc":"#) else { return nil }
                    guard let crc = string(), literal(#","size":"#) else { return nil }
                    var size: Int64 = 0, digits = 0
                    while at < n, u[at] >= 0x30, u[at] <= 0x39, digits < 18 {
                        size = size * 10 + Int64(u[at] - 0x30)
                        at += 1
                        digits += 1
                    }
                    guard digits > 0, literal("}") else { return nil }
                    let nameBytes = UnsafeBufferPointer(rebasing: u[name])
                    if let previous, !UnsafeBufferPointer(rebasing: u[previous]).lexicographicallyPrecedes(nameBytes) { return nil }
                    guard ManifestSections.section(of: String(decoding: nameBytes, as: UTF8.self)) == section else { return nil }
                    if nameBytes.elementsEqual(want) {
                        found = Manifest.FileEntry(crc: String(decoding: UnsafeBufferPointer(rebasing: u[crc]), as: UTF8.self), size: size)
                    }
                    previous = name
                    members += 1
                    if literal(",") { continue }
                    guard literal("}") else { return nil }
                    break
                }
            }
            guard literal("}"), at == n, members == count else { return nil }
            return .some(found)
        }
    }

    /// The `files` object.
    struct FileTable {
        var entries: [String: Manifest.FileEntry]
        /// The partition keys in the order the text lists them (writers sort their keys).
        var partitionsInOrder: [String]

        init(entries: [String: Manifest.FileEntry], partitionsInOrder: [String]) {
            self.entries = entries
            self.partitionsInOrder = partitionsInOrder
        }

        /// Any spelling of the table, member by member.
        ///
        /// - Throws: ``SchemaError`` naming an entry that is not `{"crc": string, "size": integer}`.
        init(_ o: SchemaObject) throws(SchemaError) {
            entries = [:]
            for path in o.keys {
                let e = try o.object(path)
                entries[path] = Manifest.FileEntry(crc: try e.string("crc"), size: try e.integer("size", as: Int64.self))
            }
            partitionsInOrder = entries.keys.compactMap(Manifest.partitionKey)
        }

        /// The entries of the object at token `object`, or nil if it is not the plain shape
        /// `{"path": {"crc": "hex", "size": integer}, ...}` with unescaped ASCII keys.
        ///
        /// Every process reads the manifest when it opens the store, and a large store's
        /// manifest lists thousands of files: this reads them straight from the tokens.
        ///
        /// - Complexity: O(entries).
        static func read(_ doc: JSONDocument, object: Int) -> FileTable? {
            guard doc.tokens[object].kind == .object else { return nil }
            let capacity = Int(doc.tokens[object].a)
            var entries: [String: Manifest.FileEntry] = [:]
            entries.reserveCapacity(capacity)
            var partitions: [String] = []
            partitions.reserveCapacity(capacity)
            let plain = ManifestSchema.forEachPlainEntry(doc, object: object, counted: false) { path, crc, size, _ in
                if let partition = Manifest.partitionKey(path) { partitions.append(partition) }
                entries[path] = Manifest.FileEntry(crc: crc, size: size)
                return true
            }
            return plain ? FileTable(entries: entries, partitionsInOrder: partitions) : nil
        }
    }
}
