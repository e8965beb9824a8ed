import FrontdeskCore

/// What the search index needs from one partition a compaction rewrites, taken while its
/// bookings are in memory: postings to remove (the base versions of changed bookings) and to
/// add (their new versions, or every booking when the index is built anew).
struct SearchDelta: Sendable {
    var removed: [(term: String, posting: SearchIndex.Posting)] = []
    var added: [(term: String, posting: SearchIndex.Posting)] = []

    /// - Complexity: O(old + merged) bookings, tokenising the changed ones (all with `everything`).
    init(key: String, old: [Booking], merged: [Booking], changed: Set<BookingID>, everything: Bool) {
        for b in old where !everything && changed.contains(b.id) {
            let p = SearchIndex.Posting(start: b.start, id: b.id, partition: key)
            for t in SearchIndex.terms(of: b) { removed.append((t, p)) }
        }
        for b in merged where everything || changed.contains(b.id) {
            let p = SearchIndex.Posting(start: b.start, id: b.id, partition: key)
            for t in SearchIndex.terms(of: b) { added.append((t, p)) }
        }
    }
}

extension SnapshotWriter {
    /// Whether the new generation's search index is built from every booking rather than
    /// updated from the base's: the base has none (it is new, or from an older build).
    var rebuildsSearchIndex: Bool { !(base?.hasSearchIndex ?? false) }

    /// Writes the search index (`search/`) of the new generation from the partitions'
    /// `deltas`; the partitions must be written.
    ///
    /// Incremental when the base has an index: only the chunks holding a changed term and the
    /// pages holding a changed posting are rewritten (split past twice their size), the rest
    /// linked. Otherwise built from every posting: the rewritten partitions' deltas, and the
    /// linked partitions read from the base one at a time.
    ///
    /// - Complexity: incremental: O(changed postings + size of the chunks and pages they
    ///   touch + index files linked); rebuilding: O(bookings), reading every partition once.
    mutating func writeSearchIndex(deltas: [SearchDelta], rewritten: Set<String>) throws(StoreError) {
        if rebuildsSearchIndex {
            var all: [String: [SearchIndex.Posting]] = [:]
            for d in deltas { for (t, p) in d.added { all[t, default: []].append(p) } }
            if let base {
                for key in try base.manifest.partitions() where !rewritten.contains(key) {
                    for b in try base.partition(key, fs: fs) {
                        let p = SearchIndex.Posting(start: b.start, id: b.id, partition: key)
                        for t in SearchIndex.terms(of: b) { all[t, default: []].append(p) }
                    }
                }
            }
            try writeWholeSearchIndex(all)
        } else {
            try updateSearchIndex(deltas)
        }
    }

    /// Writes an index holding exactly `all` (term → postings, any order).
    mutating func writeWholeSearchIndex(_ all: [String: [SearchIndex.Posting]]) throws(StoreError) {
        let sizes = content.searchSizes
        var table = SearchIndex.Table(chunks: [], nextChunk: 0, nextPage: 0)
        var chunk: [SearchIndex.Term] = []
        var inline = 0
        func flush() throws(StoreError) {
            let lower = table.chunks.isEmpty ? "" : chunk.first?.term ?? ""
            let n = table.nextChunk
            table.nextChunk += 1
            table.chunks.append(.init(lower: lower, number: n, terms: chunk.count, postings: chunk.reduce(0) { $0 + $1.count }))
            try put(SearchIndex.chunkPath(n), bytes: SearchIndex.chunkBytes(chunk))
            chunk = []; inline = 0
        }
        for term in all.keys.sorted() {
            let postings = all[term]!.sorted(by: SearchIndex.Posting.before)
            var t = SearchIndex.Term(term: term, count: postings.count, inline: [], pages: [])
            if postings.count <= sizes.inlineLimit {
                t.inline = postings
            } else {
                t.pages = try putPages(postings[...], table: &table)
            }
            if !chunk.isEmpty && (chunk.count >= sizes.chunkTerms || inline + t.inline.count > sizes.chunkInlinePostings) { try flush() }
            chunk.append(t)
            inline += t.inline.count
        }
        if !chunk.isEmpty || table.chunks.isEmpty { try flush() }
        try put(SearchIndex.tablePath, bytes: SearchIndex.tableBytes(table))
    }

    /// Writes `postings` (in order) as new pages of `pageSize`, numbered from the table's next.
    mutating func putPages(_ postings: ArraySlice<SearchIndex.Posting>, table: inout SearchIndex.Table) throws(StoreError) -> [SearchIndex.PageRef] {
        let sizes = content.searchSizes
        var refs: [SearchIndex.PageRef] = []
        var i = postings.startIndex
        while i < postings.endIndex {
            let piece = postings[i..<min(i + sizes.pageSize, postings.endIndex)]
            let n = table.nextPage
            table.nextPage += 1
            try put(SearchIndex.pagePath(n), bytes: SearchIndex.pageBytes(Array(piece)))
            refs.append(.init(number: n, first: piece.first!.start.seconds, last: piece.last!.start.seconds, count: piece.count))
            i = piece.endIndex
        }
        return refs
    }

    /// Applies `deltas` to the base's index (``writeSearchIndex(deltas:rewritten:)``).
    mutating func updateSearchIndex(_ deltas: [SearchDelta]) throws(StoreError) {
        guard let base, var table = try base.searchTable(fs: fs) else { return }
        let sizes = content.searchSizes
        var changes: [String: (removed: [SearchIndex.Posting], added: [SearchIndex.Posting])] = [:]
        for d in deltas {
            for (t, p) in d.removed { changes[t, default: ([], [])].removed.append(p) }
            for (t, p) in d.added { changes[t, default: ([], [])].added.append(p) }
        }
        var byChunk: [Int: [String]] = [:]
        for t in changes.keys { byChunk[table.chunk(holding: t), default: []].append(t) }

        var writtenPages: Set<Int> = []
        var droppedPages: Set<Int> = []
        var writtenChunks: Set<Int> = []
        var droppedChunks: Set<Int> = []
        var newChunks: [(position: Int, refs: [SearchIndex.ChunkRef])] = []
        for position in byChunk.keys.sorted() {
            let ref = table.chunks[position]
            var terms: [String: SearchIndex.Term] = [:]
            for t in try base.searchChunk(ref.number, fs: fs) { terms[t.term] = t }
            for term in byChunk[position]! {
                let change = changes[term]!
                var t = terms[term] ?? SearchIndex.Term(term: term, count: 0, inline: [], pages: [])
                if t.pages.isEmpty {
                    let gone = Set(change.removed.map(\.id))
                    var list = t.inline.filter { !gone.contains($0.id) }
                    list += change.added
                    list.sort(by: SearchIndex.Posting.before)
                    if list.count <= sizes.inlineLimit {
                        t.inline = list
                    } else {
                        t.inline = []
                        t.pages = try putPages(list[...], table: &table)
                        writtenPages.formUnion(t.pages.map(\.number))
                    }
                } else {
                    var pages: [Int: [SearchIndex.Posting]] = [:]
                    func page(_ i: Int) throws(StoreError) -> Int {
                        let n = t.pages[i].number
                        if pages[n] == nil { pages[n] = try base.searchPage(n, fs: fs) }
                        return n
                    }
                    for p in change.removed {
                        for i in t.pages.indices where t.pages[i].first <= p.start.seconds && p.start.seconds <= t.pages[i].last {
                            let n = try page(i)
                            pages[n]!.removeAll { $0.id == p.id }
                        }
                    }
                    for p in change.added {
                        var i = 0
                        while i + 1 < t.pages.count && t.pages[i + 1].first <= p.start.seconds { i += 1 }
                        let n = try page(i)
                        pages[n]!.append(p)
                    }
                    var refs: [SearchIndex.PageRef] = []
                    for r in t.pages {
                        guard var list = pages[r.number] else { refs.append(r); continue }
                        list.sort(by: SearchIndex.Posting.before)
                        if list.isEmpty { droppedPages.insert(r.number); continue }
                        let cut = list.count > 2 * sizes.pageSize ? sizes.pageSize : list.count
                        // The first piece keeps the page's number; the rest are new pages.
                        try put(SearchIndex.pagePath(r.number), bytes: SearchIndex.pageBytes(Array(list[..<cut])))
                        writtenPages.insert(r.number)
                        refs.append(.init(number: r.number, first: list[0].start.seconds, last: list[cut - 1].start.seconds, count: cut))
                        if cut < list.count {
                            let more = try putPages(list[cut...], table: &table)
                            writtenPages.formUnion(more.map(\.number))
                            refs += more
                        }
                    }
                    t.pages = refs
                }
                t.count = t.inline.count + t.pages.reduce(0) { $0 + $1.count }
                terms[term] = t.count == 0 ? nil : t
            }
            // Split a chunk grown past twice its size; the first piece keeps number and bound.
            let sorted = terms.keys.sorted().map { terms[$0]! }
            var pieces: [[SearchIndex.Term]] = [[]]
            var inline = 0
            let big = sorted.count > 2 * sizes.chunkTerms || sorted.reduce(0, { $0 + $1.inline.count }) > 2 * sizes.chunkInlinePostings
            for t in sorted {
                if big && !pieces[pieces.count - 1].isEmpty
                    && (pieces[pieces.count - 1].count >= sizes.chunkTerms || inline + t.inline.count > sizes.chunkInlinePostings) {
                    pieces.append([]); inline = 0
                }
                pieces[pieces.count - 1].append(t)
                inline += t.inline.count
            }
            var refs: [SearchIndex.ChunkRef] = []
            if sorted.isEmpty && position > 0 {
                // Its terms' range falls to the chunk before.
                droppedChunks.insert(ref.number)
            } else {
                for (i, piece) in pieces.enumerated() {
                    let number: Int
                    if i == 0 { number = ref.number } else { number = table.nextChunk; table.nextChunk += 1 }
                    refs.append(.init(lower: i == 0 ? ref.lower : piece[0].term, number: number, terms: piece.count,
                                      postings: piece.reduce(0) { $0 + $1.count }))
                    try put(SearchIndex.chunkPath(number), bytes: SearchIndex.chunkBytes(piece))
                    writtenChunks.insert(number)
                }
            }
            newChunks.append((position, refs))
        }
        for (position, refs) in newChunks.reversed() { table.chunks.replaceSubrange(position...position, with: refs) }
        for rel in try base.manifest.files(under: SearchIndex.directory).keys.sorted() where rel != SearchIndex.tablePath {
            if files[rel] != nil { continue }
            if let n = SearchIndex.number(rel, in: "search/pages/"), droppedPages.contains(n) || writtenPages.contains(n) { continue }
            if let n = SearchIndex.number(rel, in: "search/terms/"), droppedChunks.contains(n) || writtenChunks.contains(n) { continue }
            try linkFromBase(rel)
        }
        try put(SearchIndex.tablePath, bytes: SearchIndex.tableBytes(table))
    }
}

extension SearchIndex {
    /// The number of `search/pages/000012.json` (with `directory` `search/pages/`), else nil.
    static func number(_ rel: String, in directory: String) -> Int? {
        guard rel.hasPrefix(directory), rel.hasSuffix(".json") else { return nil }
        return Int(rel.dropFirst(directory.count).dropLast(5))
    }
}
