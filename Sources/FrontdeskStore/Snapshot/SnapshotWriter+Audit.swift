import FrontdeskCore

extension SnapshotWriter {
    /// The audit log of the new generation: the base's chunks, linked, plus the entries of the
    /// records after the base (`content.audit`), appended to their month's last chunk while
    /// it has room (that chunk rewritten) and to new chunks after it.
    ///
    /// - Complexity: O(new entries + entries of the last chunk of each month they fall in);
    ///   every other chunk costs one hard link.
    ///
    /// After an erasure (an ``AuditErasure`` among the new entries), every chunk of the base is
    /// read and those holding the erased customer's name are rewritten without it (the others
    /// still linked), and the new entries are written without it too.
    mutating func putAuditLog() throws(StoreError) {
        let after = base?.manifest.lastSequence ?? 0
        let erasure = AuditErasure(recordedIn: content.audit.lazy.filter { $0.seq > after }.map(\.entry))
        var fresh: [String: [AuditEntry]] = [:]
        var months: [String] = []
        for logged in content.audit where logged.seq > after {
            let m = Partition.month(logged.entry.at)
            if fresh[m] == nil { months.append(m) }
            fresh[m, default: []].append(erasure?.apply(logged.entry) ?? logged.entry)
        }
        let old = try base.map { b throws(StoreError) in try AuditLayout.chunks(b.manifest) } ?? []
        var last: [String: AuditLayout.Chunk] = [:]
        for c in old { last[c.month] = c }
        for c in old where fresh[c.month] == nil || last[c.month] != c { try carryFromBase(c, erasure: erasure) }
        for m in months.sorted() {
            var pending = fresh[m] ?? []
            var chunk = AuditLayout.Chunk(month: m, number: 0)
            var entries: [AuditEntry] = []
            if let tail = last[m], let base {
                chunk = tail
                guard let bytes = try base.bytes(tail.path, fs: fs) else { continue }
                do { entries = try AuditSchema.readChunk(bytes) } catch {
                    throw .damaged(path: base.path + "/" + tail.path, detail: "does not decode: \(error); not carried into the next generation")
                }
                if let erasure { entries = entries.map(erasure.apply) }
                if entries.count >= AuditLayout.entriesPerChunk {
                    try carryFromBase(tail, erasure: erasure)
                    chunk.number += 1
                    entries = []
                }
            }
            while !pending.isEmpty {
                let room = AuditLayout.entriesPerChunk - entries.count
                entries += pending.prefix(room)
                pending.removeFirst(min(room, pending.count))
                let rel = chunk.path, all = entries
                try put(rel, bytes: Self.encode(target + "/" + rel) { try AuditSchema.chunkBytes(all) })
                chunk.number += 1
                entries = []
            }
        }
    }

    /// Carries chunk `c` of the base into the new generation: a hard link, or after an
    /// erasure, a copy without the erased names when the chunk holds any.
    private mutating func carryFromBase(_ c: AuditLayout.Chunk, erasure: AuditErasure?) throws(StoreError) {
        guard let erasure, let base, let bytes = try base.bytes(c.path, fs: fs) else { return try linkFromBase(c.path) }
        let entries: [AuditEntry]
        do { entries = try AuditSchema.readChunk(bytes) } catch {
            throw .damaged(path: base.path + "/" + c.path, detail: "does not decode: \(error); not carried into the next generation")
        }
        let scrubbed = entries.map(erasure.apply)
        guard scrubbed != entries else { return try linkFromBase(c.path) }
        let rel = c.path
        try put(rel, bytes: Self.encode(target + "/" + rel) { try AuditSchema.chunkBytes(scrubbed) })
    }
}
