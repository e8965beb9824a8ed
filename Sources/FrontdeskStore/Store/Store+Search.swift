import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

extension Store {
    /// Bookings whose reference, notes or customer's name match `text` (``SearchWords``: every
    /// word a prefix of one of theirs, any case and accents), overlapping `range` if given:
    /// the first `limit` in start order (then id), or with `backward` the last `limit`,
    /// latest first. What it returns is in ``state`` afterwards, with its customer.
    ///
    /// Each word is looked up by its counts, without reading postings: in the search index's
    /// table and the dictionary chunks its prefix falls in (notes words and references), and
    /// in the customer name index (names). If some word is selective (few postings, few
    /// customers), the postings of every selective word are read and intersected, and the
    /// candidates' partitions are read in order until `limit` match. If none is (`c`), the
    /// partitions are scanned month by month from the range's start (or end, `backward`),
    /// where matches are dense, until `limit` match. Bookings the journal tail changed are
    /// matched in memory, their postings ignored. A generation without the index (from an
    /// older build) is always scanned, until the next compaction writes one.
    ///
    /// - Complexity: selective: O(postings of the selective words) plus a partition per
    ///   candidate read; otherwise O(bookings of the months scanned).
    public func search(text: String, range: TimeRange?, limit: Int, backward: Bool) throws(StoreError) -> [Booking] {
        let words = SearchWords.queryWords(text)
        guard !words.isEmpty, limit > 0 else { return [] }
        try requireComplete()
        do {
            do { return try searchOnce(words, range: range, limit: limit, backward: backward) } catch .io(_, _, ENOENT) {
                // Compacted away under us: catch up and search the newer generation.
                _ = try catchUp(holdingLock: lock.held)
                try adoptNewestGeneration()
                return try searchOnce(words, range: range, limit: limit, backward: backward)
            }
        } catch {
            throw Store.asIncomplete(noteDamage(error))
        }
    }

    /// The first `limit` bookings matching `text` in start order.
    public func search(text: String, range: TimeRange?, limit: Int) throws(StoreError) -> [Booking] {
        try search(text: text, range: range, limit: limit, backward: false)
    }

    /// One attempt of ``search(text:range:limit:backward:)`` on the current generation.
    func searchOnce(_ words: [String], range: TimeRange?, limit: Int, backward: Bool) throws(StoreError) -> [Booking] {
        searchCache.use(generation.manifest.generation)
        func inRange(_ b: Booking) -> Bool { range.map { b.range.overlaps($0) } ?? true }
        func order(_ a: Booking, _ b: Booking) -> Bool { backward ? SearchWords.before(b, a) : SearchWords.before(a, b) }
        func postingOrder(_ a: SearchIndex.Posting, _ b: SearchIndex.Posting) -> Bool {
            backward ? SearchIndex.Posting.before(b, a) : SearchIndex.Posting.before(a, b)
        }
        // Changed since the generation: memory is newer than the index and the partitions.
        // Their customers are loaded first: their names count.
        let tail = touched.compactMap { state.bookings[$0] }
        try loadCustomers(for: tail)
        var found = tail.filter { inRange($0) && matchesSearch($0, words) }

        var candidates: [SearchIndex.Posting]?
        if generation.hasSearchIndex {
            var selective: [Set<SearchIndex.Posting>] = []
            for w in words {
                if let p = try selectivePostings(w) { selective.append(p) }
            }
            if var set = selective.min(by: { $0.count < $1.count }) {
                for other in selective { set.formIntersection(other) }
                let reach = generation.manifest.maxBookingSeconds
                candidates = set.filter { p in
                    guard !touched.contains(p.id) else { return false }
                    guard let range else { return true }
                    return p.start < range.end && p.start.seconds + reach >= range.start.seconds
                }.sorted(by: postingOrder)
            }
        }
        if let candidates {
            var fromIndex = 0
            for p in candidates where fromIndex < limit {
                // The candidate alone is decoded from its partition, its customer picked from
                // the partition's list: the rest of the month is not what was asked for.
                try loadCustomers(listedFor: try loadBookings(ofPartitions: [p.partition], ids: [p.id]))
                guard let b = state.bookings[p.id], !touched.contains(b.id), inRange(b) else { continue }
                // A partition loaded for planning a write only may lack its customers.
                try loadCustomers(for: [b])
                guard matchesSearch(b, words) else { continue }
                found.append(b)
                fromIndex += 1
            }
        } else {
            found += try scanForSearch(words, range: range, limit: limit, backward: backward)
        }
        found.sort(by: order)
        let out = Array(found.prefix(limit))
        try loadCustomers(for: out)
        return out
    }

    /// Whether booking `b`, with its customer's current name, matches every word.
    func matchesSearch(_ b: Booking, _ words: [String]) -> Bool {
        SearchWords.matches(b, words, in: state)
    }

    /// Every posting of word `w` (a prefix): of the index's terms starting with it, and of the
    /// bookings of customers a word of whose name starts with it; nil when that is more than
    /// the options' ``SearchIndex/Selectivity`` (by the counts, before
    /// reading any posting), or the generation has no customer index.
    ///
    /// - Complexity: the table, the name index's chunks of the prefix, the dictionary's chunks
    ///   of the prefix (one or two for a word of a few letters), then the pages of its terms and
    ///   one customer index shard per customer.
    func selectivePostings(_ w: String) throws(StoreError) -> Set<SearchIndex.Posting>? {
        let table = try searchTable()
        let span = table.chunks(forPrefix: w)
        if span.count > 2 {
            // Many chunks: the table's counts of those wholly inside the prefix bound it below.
            let inside = table.chunks[(span.lowerBound + 1)..<(span.upperBound - 1)].reduce(0) { $0 + $1.postings }
            if inside > options.searchSelectivity.postings { return nil }
        }
        // The customers first: a word of every customer's name (`customer`) is told apart in
        // the name index's first chunk, without reading the dictionary chunk it falls in.
        guard generation.hasCustomerIndex, let customers = try searchCustomers(w, limit: options.searchSelectivity.customers) else { return nil }
        var terms: [SearchIndex.Term] = []
        var count = 0
        for i in span {
            for t in try searchChunk(table.chunks[i].number) where t.term.hasPrefix(w) {
                terms.append(t)
                count += t.count
                if count > options.searchSelectivity.postings { return nil }
            }
        }
        var out: Set<SearchIndex.Posting> = []
        for c in customers {
            let shard = CustomerIndex.shard(of: c, count: generation.manifest.customerIndexShards)
            for e in try searchCustomerShard(shard)[c.rawValue] ?? [] { out.insert(e) }
            if out.count + count > options.searchSelectivity.postings { return nil }
        }
        for t in terms {
            out.formUnion(t.inline)
            for p in t.pages { out.formUnion(try searchPage(p.number)) }
        }
        return out
    }

    /// Customers with a word of their current name starting with `w`: those the journal
    /// changed from memory, the rest from the generation's name index, without loading them;
    /// nil when more than `limit`.
    ///
    /// - Complexity: the name table and the name chunks of the prefix, as
    ///   ``customers(namePrefix:limit:)`` reads them, plus a scan of the changed customers.
    func searchCustomers(_ w: String, limit: Int) throws(StoreError) -> Set<CustomerID>? {
        var found: Set<CustomerID> = []
        for id in customersInMemory.ids(foldedPrefix: w) {
            if let c = state.customers[id], CustomerKey.nameMatches(c.name, prefix: w) { found.insert(id) }
        }
        guard customerLayout.isSharded else { return found.count > limit ? nil : found }
        var overflow = false
        try forEachIndexedName(withPrefix: w) { _, id in
            found.insert(id)
            overflow = found.count > limit
            return !overflow
        }
        if overflow { return nil }
        return found
    }

    /// Bookings of the generation's partitions (those in reach of `range`, else all) that the
    /// journal tail did not change and that match `words`: month by month from the first (or
    /// the last, `backward`), stopping after the month in which `limit` matched. Partitions in
    /// memory are matched there; the others are read without loading them, each one's
    /// customers from its customer list.
    ///
    /// - Complexity: O(bookings of the months read).
    func scanForSearch(_ words: [String], range: TimeRange?, limit: Int, backward: Bool) throws(StoreError) -> [Booking] {
        let keys: [String]
        if let range {
            let from = Partition.month(range.start - TimeSpan(seconds: generation.manifest.maxBookingSeconds + 86400))
            keys = try generation.manifest.partitions(fromMonth: from, toMonth: Partition.lastMonth(of: range))
        } else {
            keys = try generation.manifest.partitions()
        }
        var months: [[String]] = []
        for key in keys {
            let month = key.prefix(7)
            if let last = months.last?.first, last.prefix(7) == month { months[months.count - 1].append(key) } else { months.append([key]) }
        }
        if backward { months.reverse() }
        var out: [Booking] = []
        var resourceOf: [String: ResourceID] = [:]
        for r in state.resources.keys { resourceOf[Partition.safe(r.rawValue)] = r }
        for month in months {
            for key in month {
                if loadedPartitions.contains(key), let r = resourceOf[String(key.dropFirst(8))], let first = LocalDate(key.prefix(7) + "-01") {
                    // Already in memory (the desk loads the months it shows): no need to read it again.
                    let start = Zone.utc.startOfDay(first)
                    let here = state.bookings(on: r, overlapping: TimeRange(start: start, end: start + .days(32))).filter { b in
                        !touched.contains(b.id) && Partition.month(b.start) == key.prefix(7) && (range.map { b.range.overlaps($0) } ?? true)
                    }
                    // A partition loaded for planning a write only may lack its customers.
                    try loadCustomers(for: here)
                    out += here.filter { matchesSearch($0, words) }
                    continue
                }
                let bookings = try generation.partition(key, fs: fs)
                var names: [CustomerID: String] = [:]
                if bookings.contains(where: { $0.customer.map { self.state.customers[$0] == nil } ?? false }) {
                    if let listed = try generation.partitionCustomers(key, fs: fs) {
                        for c in listed { names[c.id] = c.name }
                    } else {
                        try loadCustomers(for: bookings)
                    }
                }
                for b in bookings where !touched.contains(b.id) && (range.map { b.range.overlaps($0) } ?? true) {
                    let name = b.customer.flatMap { state.customers[$0]?.name ?? names[$0] }
                    if SearchWords.matches(b, words, customerName: name) { out.append(b) }
                }
            }
            if out.count >= limit { break }
        }
        // What is returned goes into memory, as a load would put it.
        var partitions: Set<String> = []
        var cache = PartitionKeyCache()
        for b in out where state.bookings[b.id] == nil { partitions.insert(cache.key(b)) }
        if partitions.count <= 64 { try loadPartitions(partitions) }
        return out
    }

    // MARK: Index files, cached for the generation

    func searchTable() throws(StoreError) -> SearchIndex.Table {
        if let t = searchCache.table { return t }
        guard let t = try generation.searchTable(fs: fs) else {
            throw .damaged(path: generation.path + "/manifest.json", detail: "lists no \(SearchIndex.tablePath)")
        }
        searchFilesRead += 1
        searchCache.table = t
        return t
    }

    func searchChunk(_ n: Int) throws(StoreError) -> [SearchIndex.Term] {
        try cachedSearchFile(n, \.chunks) { () throws(StoreError) in
            let file = try generation.searchChunk(n, fs: fs)
            searchFilesRead += 1
            return file
        }
    }

    func searchPage(_ n: Int) throws(StoreError) -> [SearchIndex.Posting] {
        try cachedSearchFile(n, \.pages) { () throws(StoreError) in
            let file = try generation.searchPage(n, fs: fs)
            searchFilesRead += 1
            return file
        }
    }

    func searchCustomerShard(_ n: Int) throws(StoreError) -> CustomerIndex.Shard {
        try cachedSearchFile(n, \.customerShards) { () throws(StoreError) in
            guard let s = try generation.customerIndexShard(n, fs: fs) else {
                throw .damaged(path: generation.path + "/manifest.json", detail: "lists no \(CustomerIndex.shardPath(n))")
            }
            return s
        }
    }

    /// File `n` of one kind of ``SearchCache``, read by `load` the first time; a kind holding
    /// ``SearchCache/capacity`` files starts over.
    private func cachedSearchFile<T>(_ n: Int, _ kind: WritableKeyPath<SearchCache, [Int: T]>,
                                     load: () throws(StoreError) -> T) throws(StoreError) -> T {
        if let cached = searchCache[keyPath: kind][n] { return cached }
        let value = try load()
        if searchCache[keyPath: kind].count >= SearchCache.capacity { searchCache[keyPath: kind] = [:] }
        searchCache[keyPath: kind][n] = value
        return value
    }
}
