import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The booking search index (`search/`: term table, chunks, pages) and `Store.search`: random
/// operations against a model that scans every booking, with compactions, crashes during
/// compaction and reopens; the old layout without an index; how few files a search reads; a
/// damaged index file.
@Suite struct SearchIndexTests {
    /// Words notes and names are made of: accents, case, punctuation inside and around words.
    static let vocabulary = ["Café", "crème", "follow-up", "Zoë", "ANN", "anna", "Lee", "colour", "cut", "cutting",
                             "beard", "(trim)", "wash,", "Øre", "straße", "b-12", "x"]

    /// Sizes so small that a few bookings fill pages and chunks and split them.
    static let tiny = SearchIndex.Sizes(inlineLimit: 2, pageSize: 3, chunkTerms: 3, chunkInlinePostings: 4)

    /// A model of the store's bookings and customers, matched by scanning every booking.
    struct Model {
        var bookings: [BookingID: Booking] = [:]
        var customers: [CustomerID: Customer] = [:]

        func search(_ text: String, range: TimeRange?, limit: Int, backward: Bool) -> [BookingID] {
            var state = BookingState()
            state.apply(Transaction(at: Instant(seconds: 0), actor: .system, mutations: customers.values.map(Mutation.customer)))
            state.load(Array(bookings.values))
            return SearchWords.search(text, range: range, limit: limit, backward: backward, in: state).map(\.id)
        }

        mutating func apply(_ b: Booking) { bookings[b.id] = b }
    }

    typealias Generator = ModelGen.Seeded

    static func words(_ rng: inout Generator, _ n: ClosedRange<Int>) -> String {
        (0..<Int.random(in: n, using: &rng)).map { _ in vocabulary.randomElement(using: &rng)! }.joined(separator: " ")
    }

    /// A query: one to three words, each a prefix (of one to all of its characters) of a word
    /// some booking or customer has, in another case sometimes.
    static func query(_ rng: inout Generator, _ model: Model) -> String {
        var pool = vocabulary
        for b in model.bookings.values.sorted(by: { $0.id < $1.id }).prefix(20) { pool.append(b.ref) }
        for c in model.customers.values.sorted(by: { $0.id < $1.id }) { pool += c.name.split(separator: " ").map(String.init) }
        return (0..<Int.random(in: 1...3, using: &rng)).map { _ -> String in
            let w = pool.randomElement(using: &rng)!
            let cut = String(w.prefix(Int.random(in: 1...max(1, w.count), using: &rng)))
            return Bool.random(using: &rng) ? cut.uppercased() : cut
        }.joined(separator: " ")
    }

    static func slot(_ rng: inout Generator) -> TimeRange {
        // Fourteen months, so partitions and months come and go.
        let start = Support.now + .days(Int64.random(in: 0...420, using: &rng)) + .hours(Int64.random(in: 0...23, using: &rng))
        return TimeRange(start: start, end: start + .minutes(30))
    }

    static func options(_ fs: any FileSystem = RealFileSystem(), selectivity: SearchIndex.Selectivity) -> StoreOptions {
        var o = Support.options(fs)
        o.searchIndexSizes = tiny
        o.searchSelectivity = selectivity
        return o
    }

    /// Seeds 1 and 2 with the standard selectivity (candidates from the index), 3 and 4 with
    /// one posting and no customer (scans in start order from the range's end).
    @Test(arguments: [1, 2, 3, 4]) func randomOperationsMatchTheModel(seed: UInt64) throws {
        let dir = Support.tempDir("search-model")
        defer { Support.remove(dir) }
        var rng = Generator(state: seed)
        let selectivity = seed <= 2 ? SearchIndex.Selectivity.standard : SearchIndex.Selectivity(postings: 1, customers: 0)
        var (store, r1) = try Support.newStore(dir, options: Self.options(selectivity: selectivity))
        let r2 = try Support.addResource(store, "Room 2")
        var model = Model()
        let actor = Support.actor
        func reopen(_ fs: any FileSystem = RealFileSystem()) throws -> Store {
            try Store.open(at: dir, clock: FixedClock(Support.now), options: Self.options(fs, selectivity: selectivity))
        }

        func addCustomer(_ name: String) throws {
            let c = try store.write("customer", .directory) { s, e throws(CoreError) in
                try e.addCustomer(name: name, in: s, by: actor)
            }
            model.customers[c.id] = c
        }
        for name in ["Ann Lee", "Zoë Park", "Bob Stone", "Crème Brûlée"] { try addCustomer(name) }

        func compare(_ label: String) throws {
            for _ in 0..<6 {
                let q = Self.query(&rng, model)
                let range: TimeRange? = Bool.random(using: &rng) ? nil : Self.slot(&rng)
                let wide = range.map { TimeRange(start: $0.start, end: $0.start + .days(60)) }
                let limit = Bool.random(using: &rng) ? 1000 : Int.random(in: 1...3, using: &rng)
                let backward = Int.random(in: 0...3, using: &rng) == 0
                let got = try store.search(text: q, range: wide, limit: limit, backward: backward).map(\.id)
                let want = model.search(q, range: wide, limit: limit, backward: backward)
                let missing = Set(want).subtracting(got).map { id -> String in
                    let b = model.bookings[id]!
                    let mine = store.state.bookings[id]
                    return "\(id) \(b.ref) notes \"\(b.notes)\" customer \(b.customer.flatMap { model.customers[$0]?.name } ?? "-") start \(b.start.seconds); store: \(mine.map { "notes \"\($0.notes)\" start \($0.start.seconds) customer \($0.customer.flatMap { store.state.customers[$0]?.name } ?? "-")" } ?? "not loaded") touched \(store.touched.contains(id)) gen \(store.generation.manifest.generation)"
                }
                #expect(got == want, "\(label): search \"\(q)\" in \(String(describing: wide)) limit \(limit) backward \(backward): got \(got.count), model \(want.count); missing \(missing)")
                for id in got { #expect(store.state.bookings[id] != nil, "a match is in memory") }
            }
        }

        for step in 0..<160 {
            let ids = Array(model.bookings.keys).sorted()
            let customers = Array(model.customers.keys).sorted()
            do {
                switch Int.random(in: 0...99, using: &rng) {
                case 0..<35:
                    let customer = Bool.random(using: &rng) ? CustomerChoice.existing(customers.randomElement(using: &rng)!) : nil
                    let request = BookingRequest(resource: Bool.random(using: &rng) ? r1 : r2, customer: customer,
                                                 range: Self.slot(&rng), notes: Self.words(&rng, 0...3))
                    let out = try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: actor) }
                    for b in out.bookings { model.apply(b) }
                case 35..<50 where !ids.isEmpty:
                    let id = ids.randomElement(using: &rng)!
                    let notes = Self.words(&rng, 0...3)
                    model.apply(try store.write("edit", .edit(id)) { s, e throws(CoreError) in try e.edit(id, notes: notes, in: s, by: actor) })
                case 50..<58 where !ids.isEmpty:
                    let id = ids.randomElement(using: &rng)!
                    let to: CustomerID? = Bool.random(using: &rng) ? customers.randomElement(using: &rng)! : nil
                    model.apply(try store.write("edit", .edit(id)) { s, e throws(CoreError) in try e.edit(id, customer: .some(to), in: s, by: actor) })
                case 58..<64 where !ids.isEmpty:
                    let id = ids.randomElement(using: &rng)!
                    for b in try store.write("cancel", .cancel(id)) { s, e throws(CoreError) in try e.cancel(id, reason: "test", in: s, by: actor) } {
                        model.apply(b)
                    }
                case 64..<74 where !ids.isEmpty:
                    let id = ids.randomElement(using: &rng)!
                    let to = Self.slot(&rng), res = Bool.random(using: &rng) ? r1 : r2
                    for b in try store.write("move", .reschedule(id, to: to, resource: res, scope: .this)) { s, e throws(CoreError) in
                        try e.reschedule(id, to: to, resource: res, in: s, by: actor)
                    } { model.apply(b) }
                case 74..<80:
                    if Bool.random(using: &rng) || customers.isEmpty {
                        try addCustomer(Self.words(&rng, 1...2) + " " + Self.vocabulary.randomElement(using: &rng)!)
                    } else {
                        var c = try store.customer(id: customers.randomElement(using: &rng)!)!
                        c.name = Self.words(&rng, 1...2) + " Renamed"
                        model.customers[c.id] = try store.write("rename", .directory) { s, e throws(CoreError) in try e.updateCustomer(c, in: s, by: actor) }
                    }
                case 80..<88:
                    try store.compact()
                case 88..<94:
                    store = try reopen()
                default:
                    // A compaction cut off at a random file operation, the power lost, then reopened.
                    let fs = FaultyFileSystem()
                    fs.crashAfter = Int.random(in: 0...60, using: &rng)
                    let crashing = try reopen(fs)
                    _ = try? crashing.compact()
                    fs.powerLoss(FaultyFileSystem.PowerLoss.allCases.randomElement(using: &rng)!)
                    store = try reopen()
                }
            } catch StoreError.core(_) {
                // A refused plan (a conflict, a cancelled booking moved) changes nothing.
            }
            if step % 4 == 0 { try compare("step \(step)") }
        }
        try compare("end")
        try store.compact()
        let reopened = try reopen()
        store = reopened
        try compare("after the last compaction")
        #expect(reopened.generation.hasSearchIndex)
        let files = try reopened.generation.manifest.allFiles().keys
        #expect(files.contains { $0.hasPrefix("search/pages/") }, "some term has pages")
        #expect(files.filter { $0.hasPrefix("search/terms/") }.count > 1, "the dictionary has several chunks")
        let report = reopened.check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(report.lines.contains { $0.hasPrefix("ok") && $0.contains("search index") }, "\(report.lines)")
    }

    @Test func foldsCaseAndAccentsAndMatchesPrefixes() {
        #expect(SearchWords.fold("Crème  BRÛLÉE Øre") == "creme brulee ore")
        #expect(SearchWords.textTokens(ref: "B-01F", notes: "Follow-up (trim), wash.") == ["b-01f", "follow-up", "follow", "up", "trim", "wash"])
        let tokens = SearchWords.textTokens(ref: "B-7", notes: "Crème Brûlée")
        #expect(SearchWords.queryWords("CRE bru").allSatisfy { SearchWords.matches($0, tokens: tokens, customerName: nil) })
        #expect(!SearchWords.matches("reme", tokens: tokens, customerName: nil), "a word matches from its start only")
        #expect(SearchWords.matches("zo", tokens: tokens, customerName: "Ann Zoë"), "a word of the customer's name")
        #expect(!SearchWords.matches("nn", tokens: tokens, customerName: "Ann Zoë"))
    }

    /// Two hundred bookings over twenty months and two resources, compacted.
    static func spreadStore(_ dir: String) throws -> (Store, [Booking]) {
        let (store, r1) = try Support.newStore(dir)
        let r2 = try Support.addResource(store, "Room 2")
        var made: [Booking] = []
        for i in 0..<200 {
            let start = Support.now + .days(Int64(i * 3)) + .hours(9)
            let notes = i == 137 ? "Allergic to lavender" : "Usual cut"
            let request = BookingRequest(resource: i % 2 == 0 ? r1 : r2, range: TimeRange(start: start, end: start + .hours(1)), notes: notes)
            made += try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings
        }
        try store.compact()
        return (store, made)
    }

    @Test func aSearchReadsTheTableAChunkAndTheMatchesPartitionOnly() throws {
        let dir = Support.tempDir("search-reads")
        defer { Support.remove(dir) }
        let (_, made) = try Self.spreadStore(dir)
        let fs = FaultyFileSystem()
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let before = fs.reads.count
        let found = try store.search(text: "laven", range: nil, limit: 10)
        #expect(found.map(\.id) == [made[137].id])
        let reads = Array(fs.reads[before...])
        #expect(reads.filter { $0.contains("/search/") }.count == 2, "the table and one chunk: \(reads)")
        #expect(reads.filter { $0.contains("/bookings/") }.count == 1, "\(reads)")
        // The manifest's section lists of the files read are read once each, besides.
        #expect(reads.filter { !$0.contains("/lists/") }.count <= 6, "the name index's table and a chunk at most besides: \(reads)")
        #expect(reads.filter { $0.contains("/lists/") }.count <= 4, "\(reads)")
        // Typing on: the chunk is kept, so the next keystroke reads no index file.
        let again = fs.reads.count
        #expect(try store.search(text: "lavender", range: nil, limit: 10).map(\.id) == [made[137].id])
        #expect(fs.reads[again...].filter { $0.contains("/search/") }.isEmpty, "\(Array(fs.reads[again...]))")
        // By reference, across every date.
        #expect(try store.search(text: made[5].ref.lowercased(), range: nil, limit: 10).map(\.id) == [made[5].id])
        // A word of 199 bookings, the first two from a date: its page, then two partitions.
        let from = made[100].start
        let first = fs.reads.count
        let usual = try store.search(text: "usu", range: TimeRange(start: from, end: from + .days(3650)), limit: 2)
        #expect(usual.map(\.id) == [made[100].id, made[101].id])
        let later = Array(fs.reads[first...])
        #expect(later.filter { $0.contains("/search/pages/") }.count <= 1 && later.filter { $0.contains("/bookings/") }.count <= 2, "\(later)")
        #expect(try store.search(text: "usu", range: TimeRange(start: made[0].start, end: from), limit: 1, backward: true).map(\.id) == [made[99].id])
    }

    @Test func withoutASelectiveWordTheScanStopsAtTheMonthOfTheLastMatch() throws {
        let dir = Support.tempDir("search-scan")
        defer { Support.remove(dir) }
        _ = try Self.spreadStore(dir)
        let fs = FaultyFileSystem()
        var options = Support.options(fs)
        options.searchSelectivity = SearchIndex.Selectivity(postings: 10, customers: 0)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: options)
        let all = try store.generation.manifest.partitions().count
        let before = fs.reads.count
        let found = try store.search(text: "cut", range: nil, limit: 3)
        #expect(found.count == 3 && found.map(\.start) == found.map(\.start).sorted())
        let partitions = fs.reads[before...].filter { $0.contains("/bookings/") }.count
        #expect(partitions <= 4 && partitions < all, "\(partitions) of \(all) partitions read")
    }

    /// Rewrites the newest generation's manifest with `files` (framed, as the store writes it).
    static func rewriteManifest(_ gen: Generation, files: [String: Manifest.FileEntry]) throws {
        let m = gen.manifest
        let edited = Manifest(format: m.format, generation: m.generation, lastSequence: m.lastSequence, counters: m.counters,
                              maxBookingSeconds: m.maxBookingSeconds, files: files)
        try FileManager.default.removeItem(atPath: gen.path + "/manifest.json")
        try Data(Frame.encode(ManifestSchema.bytes(edited))).write(to: URL(fileURLWithPath: gen.path + "/manifest.json"))
    }

    @Test func anOldLayoutWithoutAnIndexIsScannedUntilCompactionBuildsIt() throws {
        let dir = Support.tempDir("search-old")
        defer { Support.remove(dir) }
        let (store, made) = try Self.spreadStore(dir)
        // Take the index out of the newest generation, as a build from before it would have written it.
        let gen = store.generation
        try FileManager.default.removeItem(atPath: gen.path + "/search")
        try Self.rewriteManifest(gen, files: gen.manifest.allFiles().filter { !$0.key.hasPrefix("search/") })

        let fs = FaultyFileSystem()
        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        #expect(!opened.generation.hasSearchIndex)
        #expect(try opened.search(text: "Allergic LAV", range: nil, limit: 10).map(\.id) == [made[137].id])
        #expect(try fs.reads.filter { $0.contains("/bookings/") }.count == opened.generation.manifest.partitions().count + 1,
                "the scan reads every partition, then loads the match's")
        let report = opened.check()
        #expect(report.ok)
        #expect(report.lines.contains { $0.contains("has no search index") })

        // A write and a compaction build the index from every partition.
        let request = BookingRequest(resource: made[0].resource, range: TimeRange(start: made[0].start + .hours(3), end: made[0].start + .hours(4)), notes: "lavender too")
        let extra = try opened.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0]
        try opened.compact()
        let fresh = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(fresh.generation.hasSearchIndex)
        let lav = try fresh.search(text: "lav", range: nil, limit: 10)
        #expect(lav.map(\.id) == [extra.id, made[137].id])
        let after = fresh.check()
        #expect(after.ok, "\(after.lines.filter { $0.hasPrefix("FAIL") })")
    }

    @Test func aRenamedCustomersBookingsAreFoundByTheNewNameBeforeAndAfterCompaction() throws {
        let dir = Support.tempDir("search-rename")
        defer { Support.remove(dir) }
        let (store, made) = try Self.spreadStore(dir)
        let ann = try store.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: Support.actor) }
        for b in [made[10], made[150]] {
            _ = try store.write("edit", .edit(b.id)) { s, e throws(CoreError) in try e.edit(b.id, customer: .some(ann.id), in: s, by: Support.actor) }
        }
        try store.compact()
        var renamed = try store.customer(id: ann.id)!
        renamed.name = "Zoë Quill"
        _ = try store.write("rename", .directory) { s, e throws(CoreError) in try e.updateCustomer(renamed, in: s, by: Support.actor) }
        // The rename is in the journal tail; the bookings are only in the generation.
        let tail = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(tail.state.bookings.isEmpty)
        #expect(try tail.search(text: "zoe qu", range: nil, limit: 10).map(\.id) == [made[10].id, made[150].id])
        #expect(try tail.search(text: "ann", range: nil, limit: 10).isEmpty, "the old name still matched")
        try tail.compact()
        let after = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try after.search(text: "QUILL", range: nil, limit: 10).map(\.id) == [made[10].id, made[150].id])
        #expect(try after.search(text: "lee", range: nil, limit: 10).isEmpty)
        let report = after.check()
        #expect(report.ok, "\(report.lines.filter { !$0.hasPrefix("ok") })")
    }

    /// The path and terms of the chunk holding `term` in `gen`.
    static func chunk(holding term: String, in gen: Generation) throws -> (rel: String, terms: [SearchIndex.Term]) {
        let table = try #require(try gen.searchTable(fs: RealFileSystem()))
        let n = table.chunks[table.chunk(holding: term)].number
        return (SearchIndex.chunkPath(n), try gen.searchChunk(n, fs: RealFileSystem()))
    }

    @Test func checkFindsAWordMissingFromTheIndex() throws {
        let dir = Support.tempDir("search-check")
        defer { Support.remove(dir) }
        let (store, made) = try Self.spreadStore(dir)
        let gen = store.generation
        let (rel, terms) = try Self.chunk(holding: "lavender", in: gen)
        #expect(terms.first { $0.term == "lavender" }?.inline.map(\.id) == [made[137].id])
        // A chunk that verifies (its manifest entry rewritten) but lacks the word.
        let bytes = SearchIndex.chunkBytes(terms.filter { $0.term != "lavender" })
        try FileManager.default.removeItem(atPath: gen.path + "/" + rel)
        try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + rel))
        var files = try gen.manifest.allFiles()
        files[rel] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        try Self.rewriteManifest(gen, files: files)
        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try opened.search(text: "lavender", range: nil, limit: 10).isEmpty, "the test did not take the word out")
        let report = opened.check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("\"lavender\"") && $0.contains(made[137].id.rawValue) }, "\(report.lines)")
    }

    @Test func aDamagedChunkIsAnErrorNamingTheFile() throws {
        let dir = Support.tempDir("search-damage")
        defer { Support.remove(dir) }
        let (store, _) = try Self.spreadStore(dir)
        let (rel, _) = try Self.chunk(holding: "lavender", in: store.generation)
        let path = store.generation.path + "/" + rel
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x20
        try FileManager.default.removeItem(atPath: path)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect {
            _ = try opened.search(text: "lavender", range: nil, limit: 10)
        } throws: { error in
            guard case StoreError.incomplete(let missing) = error else { return false }
            return missing.contains(rel) && missing.contains("search index")
        }
        let report = opened.check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.hasPrefix("FAIL") && $0.contains(rel) }, "\(report.lines)")
    }

    @Test func aPageThatDoesNotDecodeIsAnErrorNamingTheFile() throws {
        let dir = Support.tempDir("search-page")
        defer { Support.remove(dir) }
        _ = try Self.spreadStore(dir)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let gen = store.generation
        let rel = try #require(gen.manifest.allFiles().keys.first { $0.hasPrefix("search/pages/") })
        // Valid JSON whose checksum verifies, but postings out of order.
        let bytes = Array("[[20,\"bk_b\",\"x\"],[10,\"bk_a\",\"x\"]]".utf8)
        try FileManager.default.removeItem(atPath: gen.path + "/" + rel)
        try Data(bytes).write(to: URL(fileURLWithPath: gen.path + "/" + rel))
        var files = try gen.manifest.allFiles()
        files[rel] = .init(crc: CRC32C.hex(CRC32C.checksum(bytes)), size: Int64(bytes.count))
        try Self.rewriteManifest(gen, files: files)
        let opened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect {
            // Both words are selective: the pages of both are read, whichever the test broke.
            _ = try opened.search(text: "usual cut", range: nil, limit: 10)
        } throws: { error in
            guard case StoreError.incomplete(let missing) = error else { return false }
            return missing.contains(rel) && missing.contains("out of start order")
        }
    }
}
