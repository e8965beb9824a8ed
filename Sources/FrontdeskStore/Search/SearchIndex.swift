import FrontdeskCore
import FrontdeskJSON

/// The booking search index of a generation: a term dictionary over the words of bookings'
/// notes and their references, with postings in start order paged into bounded files (see
/// docs/STORAGE.md, "Search index"). Customer names are not posted: a name word is found
/// through the customer name index, then the customer → bookings index.
///
/// - `search/terms.json` (the table): the dictionary's chunks in term order, each with the
///   least term it may hold, its number, and how many terms and postings it holds; and the
///   next free chunk and page numbers.
/// - `search/terms/<NNNNNN>.json` (a chunk): `[[term, count, [posting…], [page…]]…]` in term
///   order. A term with few postings keeps them inline; one with more lists its pages as
///   `[number, first start, last start, postings]`, in start order.
/// - `search/pages/<NNNNNN>.json` (a page): `[posting…]` of one term, in start order.
///
/// A posting is `[start seconds, booking id, partition key]`. Chunks and pages keep their
/// numbers across generations, so a compaction rewrites the ones that changed and links the
/// rest; a chunk or page that grows past twice its size is split, the new half numbered anew.
package enum SearchIndex {
    /// One posting: a booking holding a term, where and when it is.
    package typealias Posting = CustomerIndex.Entry

    /// One term of a chunk and its postings, inline or paged.
    package struct Term: Sendable, Hashable {
        package var term: String
        package var count: Int
        package var inline: [Posting]
        package var pages: [PageRef]
    }

    /// Where one page of a term's postings is, and the starts it spans.
    package struct PageRef: Sendable, Hashable {
        package var number: Int
        package var first: Int64
        package var last: Int64
        package var count: Int
    }

    /// One chunk of the dictionary as the table lists it.
    package struct ChunkRef: Sendable, Hashable {
        /// The least term the chunk may hold (the first chunk's is empty).
        package var lower: String
        package var number: Int
        package var terms: Int
        package var postings: Int
    }

    /// The table: chunks in term order and the next free numbers.
    package struct Table: Sendable, Hashable {
        package var chunks: [ChunkRef]
        var nextChunk: Int
        var nextPage: Int

        /// The position in ``chunks`` of the chunk that holds `term`: the last whose lower
        /// bound is not above it.
        ///
        /// - Complexity: O(log chunks).
        package func chunk(holding term: String) -> Int {
            var lo = 0, hi = chunks.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if chunks[mid].lower <= term { lo = mid + 1 } else { hi = mid }
            }
            return max(0, lo - 1)
        }

        /// The positions of the chunks that may hold a term starting with `prefix`.
        ///
        /// - Complexity: O(log chunks + the positions returned).
        package func chunks(forPrefix prefix: String) -> Range<Int> {
            guard !chunks.isEmpty else { return 0..<0 }
            let first = chunk(holding: prefix)
            var end = first + 1
            while end < chunks.count, chunks[end].lower.hasPrefix(prefix) { end += 1 }
            return first..<end
        }
    }

    /// When a query word counts as selective: its postings are then gathered whole. A query
    /// with no selective word scans partitions in start order instead, where it matches densely.
    package struct Selectivity: Sendable, Hashable {
        /// Postings a word may have (its index terms' and its customers' bookings).
        package var postings: Int
        /// Customers a word may find by name.
        package var customers: Int

        package init(postings: Int, customers: Int) { self.postings = postings; self.customers = customers }

        /// About sixteen pages of postings, and as many customer index shards as customers.
        package static let standard = Selectivity(postings: 16_384, customers: 32)
    }

    static let directory = "search/"
    static let tablePath = "search/terms.json"
    static func chunkPath(_ n: Int) -> String { "search/terms/" + Partition.zeroPadded(n, 6) + ".json" }
    static func pagePath(_ n: Int) -> String { "search/pages/" + Partition.zeroPadded(n, 6) + ".json" }

    /// How compaction cuts the index into files. Any sizes read back the same: readers
    /// follow the table and the chunks, never these numbers.
    package struct Sizes: Sendable, Hashable {
        /// Postings a term keeps inline; more go to pages.
        package var inlineLimit: Int
        /// Postings a page is cut to; a page is split past twice as many.
        package var pageSize: Int
        /// Terms a chunk is cut to; a chunk is split past twice as many (or past
        /// `chunkInlinePostings` twice over).
        package var chunkTerms: Int
        /// Inline postings a chunk is cut to.
        package var chunkInlinePostings: Int

        package init(inlineLimit: Int, pageSize: Int, chunkTerms: Int, chunkInlinePostings: Int) {
            self.inlineLimit = inlineLimit; self.pageSize = pageSize; self.chunkTerms = chunkTerms
            self.chunkInlinePostings = chunkInlinePostings
        }

        /// The sizes a store writes: pages of 1,024 postings, chunks of 1,024 terms.
        package static let standard = Sizes(inlineLimit: 32, pageSize: 1024, chunkTerms: 1024, chunkInlinePostings: 8192)
    }

    /// The terms `b` is posted under: its reference and the words of its notes.
    static func terms(of b: Booking) -> Set<String> { SearchWords.textTokens(of: b) }

    // MARK: Files

    static func writePosting(_ p: Posting, _ out: inout JSONWriter) {
        out.byte(0x5B)
        out.signed(p.start.seconds)
        out.byte(0x2C)
        out.string(p.id.rawValue)
        out.byte(0x2C)
        out.string(p.partition)
        out.byte(0x5D)
    }

    /// The posting at token `index` as the writer spells it, or nil (the general reader judges it).
    static func posting(_ r: BookingSchema.Reader, at index: Int) -> Posting? {
        let t = r.doc.tokens[index]
        guard t.kind == .array, t.a == 3, let start = r.int(index + 1), let id = r.string(index + 2),
              let partition = r.string(index + 3) else { return nil }
        return Posting(start: Instant(seconds: Int64(start)), id: BookingID(id), partition: partition)
    }

    /// The four integers of the array at token `index`, or nil.
    private static func fourIntegers(_ r: BookingSchema.Reader, at index: Int) -> (Int, Int, Int, Int)? {
        let t = r.doc.tokens[index]
        guard t.kind == .array, t.a == 4, let a = r.int(index + 1), let b = r.int(index + 2), let c = r.int(index + 3),
              let d = r.int(index + 4) else { return nil }
        return (a, b, c, d)
    }

    static func readPosting(_ v: SchemaValue) throws(SchemaError) -> Posting {
        let parts = try v.elements()
        guard parts.count == 3 else { throw v.error("expected [start, booking id, partition], found \(parts.count) elements") }
        return Posting(start: Instant(seconds: try parts[0].integer(Int64.self)), id: BookingID(try parts[1].string()),
                       partition: try parts[2].string())
    }

    /// A page file's bytes.
    static func pageBytes(_ postings: [Posting]) -> [UInt8] {
        var out = JSONWriter()
        out.byte(0x5B)
        for (i, p) in postings.enumerated() {
            if i > 0 { out.byte(0x2C) }
            writePosting(p, &out)
        }
        out.byte(0x5D)
        return out.bytes
    }

    /// The postings of a page file, checked to be in start order.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    static func readPage(_ bytes: [UInt8]) throws -> [Posting] {
        let list = try SchemaFile.read(from: bytes, fast: { doc -> [Posting]? in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { posting(r, at: $0) }
        }, general: { v throws(SchemaError) in try v.array(readPosting) })
        for (a, b) in zip(list, list.dropFirst()) where !Posting.before(a, b) {
            throw SchemaError(path: "$", message: "postings out of start order at booking \(b.id)")
        }
        return list
    }

    /// A chunk file's bytes (terms as given: in order).
    static func chunkBytes(_ terms: [Term]) -> [UInt8] {
        var out = JSONWriter()
        out.byte(0x5B)
        for (i, t) in terms.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.byte(0x5B)
            out.string(t.term)
            out.byte(0x2C)
            out.signed(Int64(t.count))
            out.pair(0x2C, 0x5B)
            for (j, p) in t.inline.enumerated() {
                if j > 0 { out.byte(0x2C) }
                writePosting(p, &out)
            }
            out.pair(0x5D, 0x2C)
            out.byte(0x5B)
            for (j, p) in t.pages.enumerated() {
                if j > 0 { out.byte(0x2C) }
                out.byte(0x5B)
                out.signed(Int64(p.number)); out.byte(0x2C)
                out.signed(p.first); out.byte(0x2C)
                out.signed(p.last); out.byte(0x2C)
                out.signed(Int64(p.count))
                out.byte(0x5D)
            }
            out.pair(0x5D, 0x5D)
        }
        out.byte(0x5D)
        return out.bytes
    }

    /// The terms of a chunk file, checked: in term order, each either inline or paged, its
    /// count the sum of what it lists.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    static func readChunk(_ bytes: [UInt8]) throws -> [Term] {
        // Straight from the tokens as the writer spells them (a chunk holds a thousand terms
        // and their inline postings); anything else, or a term whose count does not add up,
        // goes to the general reader, which names what is wrong.
        let terms = try SchemaFile.read(from: bytes, fast: { doc -> [Term]? in
            let r = BookingSchema.Reader(doc: doc)
            return r.elements(of: 0) { i -> Term? in
                let t = doc.tokens[i]
                guard t.kind == .array, t.a == 4, let term = r.string(i + 1), let count = r.int(i + 2) else { return nil }
                let inlineAt = i + 3, pagesAt = doc.next(at: inlineAt)
                guard let inline = r.elements(of: inlineAt, { posting(r, at: $0) }),
                      let pages = r.elements(of: pagesAt, { fourIntegers(r, at: $0).map { PageRef(number: $0.0, first: Int64($0.1), last: Int64($0.2), count: $0.3) } })
                else { return nil }
                guard count == inline.count + pages.reduce(0, { $0 + $1.count }), inline.isEmpty || pages.isEmpty else { return nil }
                return Term(term: term, count: count, inline: inline, pages: pages)
            }
        }, general: { v throws(SchemaError) in try v.array { (v: SchemaValue) throws(SchemaError) -> Term in
            let parts = try v.elements()
            guard parts.count == 4 else { throw v.error("expected [term, count, postings, pages], found \(parts.count) elements") }
            let pages = try parts[3].array { (p: SchemaValue) throws(SchemaError) -> PageRef in
                let f = try p.elements()
                guard f.count == 4 else { throw p.error("expected [page, first start, last start, count], found \(f.count) elements") }
                return PageRef(number: try f[0].integer(Int.self), first: try f[1].integer(Int64.self),
                               last: try f[2].integer(Int64.self), count: try f[3].integer(Int.self))
            }
            let t = Term(term: try parts[0].string(), count: try parts[1].integer(Int.self), inline: try parts[2].array(readPosting), pages: pages)
            let listed = t.inline.count + t.pages.reduce(0) { $0 + $1.count }
            guard t.count == listed, t.inline.isEmpty || t.pages.isEmpty else {
                throw v.error("term \"\(t.term)\" counts \(t.count) postings but lists \(t.inline.count) inline and \(listed - t.inline.count) in pages")
            }
            return t
        } })
        for (a, b) in zip(terms, terms.dropFirst()) where !(a.term < b.term) {
            throw SchemaError(path: "$", message: "terms out of order at \"\(b.term)\"")
        }
        return terms
    }

    private static let tableKeys = ["chunks", "next_chunk", "next_page"].map { Array($0.utf8) }

    /// The table file's bytes.
    static func tableBytes(_ t: Table) -> [UInt8] {
        var out = JSONWriter()
        out.bytes += Array("{\"chunks\":[".utf8)
        for (i, c) in t.chunks.enumerated() {
            if i > 0 { out.byte(0x2C) }
            out.byte(0x5B)
            out.string(c.lower); out.byte(0x2C)
            out.signed(Int64(c.number)); out.byte(0x2C)
            out.signed(Int64(c.terms)); out.byte(0x2C)
            out.signed(Int64(c.postings))
            out.byte(0x5D)
        }
        out.bytes += Array("],\"next_chunk\":".utf8)
        out.signed(Int64(t.nextChunk))
        out.bytes += Array(",\"next_page\":".utf8)
        out.signed(Int64(t.nextPage))
        out.byte(0x7D)
        return out.bytes
    }

    /// The table in a table file, checked: chunks in order of their lower bounds, the first
    /// one's empty, numbers below the next free one.
    ///
    /// - Throws: ``SchemaError`` naming what does not fit, or `JSONSyntaxError`.
    static func readTable(_ bytes: [UInt8]) throws -> Table {
        let t = try SchemaFile.read(from: bytes, fast: { doc -> Table? in
            // As the writer spells it: the chunks, then the next free numbers.
            let r = BookingSchema.Reader(doc: doc)
            var chunks: [ChunkRef]?, next: [Int?] = [nil, nil]
            let ok = r.members(of: 0, tableKeys) { k, v in
                if k > 0 { next[k - 1] = r.int(v); return next[k - 1] != nil }
                chunks = r.elements(of: v) { i -> ChunkRef? in
                    let t = doc.tokens[i]
                    guard t.kind == .array, t.a == 4, let lower = r.string(i + 1), let number = r.int(i + 2), let terms = r.int(i + 3),
                          let postings = r.int(i + 4) else { return nil }
                    return ChunkRef(lower: lower, number: number, terms: terms, postings: postings)
                }
                return chunks != nil
            }
            guard ok, let chunks, let nextChunk = next[0], let nextPage = next[1] else { return nil }
            return Table(chunks: chunks, nextChunk: nextChunk, nextPage: nextPage)
        }, general: { v throws(SchemaError) -> Table in
            let o = try v.object()
            let chunks = try o.value("chunks").array { (v: SchemaValue) throws(SchemaError) -> ChunkRef in
                let f = try v.elements()
                guard f.count == 4 else { throw v.error("expected [lower term, chunk, terms, postings], found \(f.count) elements") }
                return ChunkRef(lower: try f[0].string(), number: try f[1].integer(Int.self), terms: try f[2].integer(Int.self),
                                postings: try f[3].integer(Int.self))
            }
            return Table(chunks: chunks, nextChunk: try o.integer("next_chunk", as: Int.self), nextPage: try o.integer("next_page", as: Int.self))
        })
        let chunks = t.chunks
        guard let first = chunks.first, first.lower.isEmpty else { throw SchemaError(path: "$.chunks", message: "the first chunk's lower term must be empty") }
        for (a, b) in zip(chunks, chunks.dropFirst()) where !(a.lower < b.lower) {
            throw SchemaError(path: "$.chunks", message: "chunks out of order at \"\(b.lower)\"")
        }
        if let bad = chunks.first(where: { $0.number < 0 || $0.number >= t.nextChunk }) {
            throw SchemaError(path: "$.chunks", message: "chunk \(bad.number) is not below next_chunk \(t.nextChunk)")
        }
        return t
    }
}

extension Generation {
    /// Whether this generation has the search index.
    package var hasSearchIndex: Bool { manifest.direct[SearchIndex.tablePath] != nil }

    /// The search index's table; nil if the generation has none.
    package func searchTable(fs: any FileSystem) throws(StoreError) -> SearchIndex.Table? {
        guard let b = try bytes(SearchIndex.tablePath, fs: fs) else { return nil }
        do { return try SearchIndex.readTable(b) } catch {
            throw .damaged(path: path + "/" + SearchIndex.tablePath, detail: "does not decode: \(error)")
        }
    }

    /// Search index chunk `n`.
    ///
    /// - Throws: `StoreError.damaged` naming the file when the manifest does not list it or it
    ///   does not verify or decode.
    package func searchChunk(_ n: Int, fs: any FileSystem) throws(StoreError) -> [SearchIndex.Term] {
        let rel = SearchIndex.chunkPath(n)
        guard let b = try bytes(rel, fs: fs) else {
            throw .damaged(path: path + "/" + SearchIndex.tablePath, detail: "lists chunk \(n) but the manifest has no \(rel)")
        }
        do { return try SearchIndex.readChunk(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }

    /// Search index page `n`.
    ///
    /// - Throws: `StoreError.damaged` naming the file when the manifest does not list it or it
    ///   does not verify or decode.
    func searchPage(_ n: Int, fs: any FileSystem) throws(StoreError) -> [SearchIndex.Posting] {
        let rel = SearchIndex.pagePath(n)
        guard let b = try bytes(rel, fs: fs) else {
            throw .damaged(path: path + "/" + SearchIndex.tablePath, detail: "a chunk lists page \(n) but the manifest has no \(rel)")
        }
        do { return try SearchIndex.readPage(b) } catch {
            throw .damaged(path: path + "/" + rel, detail: "does not decode: \(error)")
        }
    }
}
