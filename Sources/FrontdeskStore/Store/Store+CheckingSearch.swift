import FrontdeskCore

extension Store {
    /// Verifies this process's generation's search index against its partitions: the table
    /// (chunks in order of their lower terms), every chunk and page it lists (listed in the
    /// manifest with a matching checksum, decoding), each term in its chunk's range, each
    /// page's postings in its term's order within the starts the chunk records, and the
    /// postings exactly the bookings the partitions hold under each term (start, id,
    /// partition). Index files no chunk lists are reported too. A generation without an
    /// index (from an older build) is a note.
    ///
    /// - Complexity: reads every partition and index file once.
    func checkSearchIndex(fail: (String) -> Void, note: (String) -> Void) {
        let gen = generation
        let table: SearchIndex.Table
        do {
            guard let t = try gen.searchTable(fs: fs) else {
                note("note snapshot generation \(gen.manifest.generation) has no search index (written by an older build): search scans partitions until the next compaction writes it")
                return
            }
            table = t
        } catch {
            fail("\(error)")
            return
        }
        let partitions: [String], indexFiles: [String: Manifest.FileEntry]
        do {
            partitions = try gen.manifest.partitions()
            indexFiles = try gen.manifest.files(under: SearchIndex.directory)
        } catch {
            fail("\(error) — the search index cannot be checked")
            return
        }
        var expected: [String: Set<SearchIndex.Posting>] = [:]
        for key in partitions {
            let bookings: [Booking]
            do { bookings = try gen.partition(key, fs: fs) } catch {
                note("note the search index entries of \(Generation.partitionPath(key)) not checked: \(error)")
                continue
            }
            for b in bookings {
                let p = SearchIndex.Posting(start: b.start, id: b.id, partition: key)
                for t in SearchIndex.terms(of: b) { expected[t, default: []].insert(p) }
            }
        }
        var bad = 0
        func report(_ message: String) {
            bad += 1
            if bad <= 20 { fail(message) }
        }
        var listedFiles: Set<String> = [SearchIndex.tablePath]
        var terms = 0, postings = 0
        for (i, ref) in table.chunks.enumerated() {
            let rel = SearchIndex.chunkPath(ref.number)
            listedFiles.insert(rel)
            let chunk: [SearchIndex.Term]
            do { chunk = try gen.searchChunk(ref.number, fs: fs) } catch {
                report("\(error)")
                continue
            }
            let upper = i + 1 < table.chunks.count ? table.chunks[i + 1].lower : nil
            if chunk.count != ref.terms || chunk.reduce(0, { $0 + $1.count }) != ref.postings {
                report("\(gen.path)/\(rel): holds \(chunk.count) terms and \(chunk.reduce(0) { $0 + $1.count }) postings, \(SearchIndex.tablePath) says \(ref.terms) and \(ref.postings)")
            }
            for t in chunk {
                terms += 1
                postings += t.count
                if t.term < ref.lower || (upper.map { t.term >= $0 } ?? false) {
                    report("\(gen.path)/\(rel): term \"\(t.term)\" is outside the chunk's range (from \"\(ref.lower)\"\(upper.map { " to \"\($0)\"" } ?? ""))")
                }
                var list = t.inline
                var previous: Int64 = .min
                for pref in t.pages {
                    let prel = SearchIndex.pagePath(pref.number)
                    listedFiles.insert(prel)
                    do {
                        let page = try gen.searchPage(pref.number, fs: fs)
                        if page.count != pref.count || page.first?.start.seconds != pref.first || page.last?.start.seconds != pref.last || pref.first < previous {
                            report("\(gen.path)/\(prel): \(page.count) postings from \(page.first?.start.seconds ?? 0) to \(page.last?.start.seconds ?? 0); \(rel) says \(pref.count) from \(pref.first) to \(pref.last) for term \"\(t.term)\"")
                        }
                        previous = pref.last
                        list += page
                    } catch {
                        report("\(error)")
                    }
                }
                let have = Set(list), want = expected.removeValue(forKey: t.term) ?? []
                if have != want || have.count != list.count {
                    let stale = have.subtracting(want).map(\.id.rawValue).sorted().prefix(5)
                    let missing = want.subtracting(have).map(\.id.rawValue).sorted().prefix(5)
                    report("\(gen.path)/\(rel): term \"\(t.term)\" has \(list.count) postings, the partitions \(want.count) bookings; stale \(Array(stale)), missing \(Array(missing)): search would not find those bookings by that word")
                }
            }
        }
        for (t, want) in expected.sorted(by: { $0.key < $1.key }) {
            report("\(gen.path)/\(SearchIndex.tablePath): term \"\(t)\" of \(want.count) bookings (\(want.map(\.id.rawValue).sorted().prefix(3).joined(separator: ", "))) is missing: search would not find them by that word")
        }
        for rel in indexFiles.keys.sorted() where !listedFiles.contains(rel) {
            report("\(gen.path)/\(rel): a search index file no chunk lists")
        }
        if bad > 20 { fail("\(bad - 20) more search index problems") }
        if bad == 0 { note("ok   search index of generation \(gen.manifest.generation): \(table.chunks.count) chunks, \(terms) terms, \(postings) postings match the partitions") }
    }
}
