import FrontdeskCore

extension Store {
    /// The audit entries `query` selects, oldest first: the generation's chunks of the months
    /// the query's period touches, then the journal tail read so far. A query with a limit and
    /// no start reads months from the newest back until it has enough.
    ///
    /// Call ``refresh()`` first to include other processes' latest changes.
    ///
    /// - Throws: `StoreError.damaged` naming a chunk that does not verify or decode.
    /// - Complexity: O(entries in the months read + tail entries); nothing is kept in memory.
    public func auditEntries(_ query: AuditQuery) throws(StoreError) -> [AuditEntry] {
        let gen = generation
        let from = query.since.map(Partition.month)
        let to = query.until.map(Partition.month)
        var byMonth: [String: [AuditLayout.Chunk]] = [:]
        for c in try AuditLayout.chunks(gen.manifest) {
            if let from, c.month < from { continue }
            if let to, c.month > to { continue }
            byMonth[c.month, default: []].append(c)
        }
        let tail = auditTail.map(\.entry)
        var found = tail.filter(query.matches).count
        var read: [(month: String, entries: [AuditEntry])] = []
        for month in byMonth.keys.sorted(by: >) {
            if let limit = query.limit, query.since == nil, found >= limit { break }
            var entries: [AuditEntry] = []
            for c in byMonth[month] ?? [] { entries += try auditChunk(c, of: gen) }
            found += entries.filter(query.matches).count
            read.append((month, entries))
        }
        var log: [AuditEntry] = []
        for part in read.reversed() { log += part.entries }
        return query.select(log + tail)
    }

    /// The entries of one chunk of `gen`.
    ///
    /// - Throws: `StoreError.damaged` naming the chunk.
    func auditChunk(_ c: AuditLayout.Chunk, of gen: Generation) throws(StoreError) -> [AuditEntry] {
        guard let bytes = try gen.bytes(c.path, fs: fs) else { return [] }
        auditChunksRead += 1
        do { return try AuditSchema.readChunk(bytes) } catch {
            throw .damaged(path: gen.path + "/" + c.path, detail: "does not decode: \(error)")
        }
    }

    /// Decodes every audit chunk of a generation whose files verified, failing each one that
    /// does not decode or whose entries lie outside its month (`check()`).
    func checkAuditChunks(_ gen: Generation, fail: (String) -> Void) -> Int {
        var entries = 0
        let chunks: [AuditLayout.Chunk]
        do {
            for rel in try gen.manifest.files(under: AuditLayout.directory + "/").keys where AuditLayout.chunk(rel) == nil {
                fail("\(gen.path)/\(rel): not an audit chunk name (audit/YYYY-MM/NNNNNN.json)")
            }
            chunks = try AuditLayout.chunks(gen.manifest)
        } catch {
            fail("\(error) — the audit log cannot be read")
            return 0
        }
        for c in chunks {
            do {
                let list = try auditChunk(c, of: gen)
                if let stray = list.first(where: { Partition.month($0.at) != c.month }) {
                    fail("\(gen.path)/\(c.path): an entry of \(stray.at.iso8601) in the chunk of \(c.month)")
                }
                entries += list.count
            } catch {
                fail("\(error) — the audit log of \(c.month) cannot be read")
            }
        }
        return entries
    }
}
