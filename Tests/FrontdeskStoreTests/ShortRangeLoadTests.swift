import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// What a load reads (issue #22, the desk's `/` Enter and a month's `list` at a million): a
/// short range decodes only its bookings and picks their customers from the partitions'
/// lists; a range ending at a month's first second reads nothing of that month; a selective
/// search decodes only its candidates. Each answer is the one a whole load gives.
@Suite struct ShortRangeLoadTests {
    /// One resource, January and February 2027: two bookings a day at 09:00 and 14:00, each
    /// for its own customer; compacted, so all of it lives in partitions and their lists.
    static func store(_ dir: String) throws -> (store: Store, resource: ResourceID, bookings: [Booking]) {
        let (store, r) = try Support.newStore(dir)
        var made: [Booking] = []
        for day in 0..<59 {
            for hour: Int64 in [9, 14] {
                let name = "Guest \(day)-\(hour)"
                let c = try store.write("customer add", .directory) { s, e throws(CoreError) in try e.addCustomer(name: name, in: s, by: Support.actor) }
                let start = Support.now + .days(Int64(day)) + .hours(hour)
                let request = BookingRequest(resource: r, customer: .existing(c.id), range: TimeRange(start: start, end: start + .hours(1)),
                                             notes: "visit \(day)")
                made.append(try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0])
            }
        }
        try store.compact()
        return (store, r, made)
    }

    @Test func aDayDecodesOnlyItsBookingsAndPicksTheirCustomersFromTheList() throws {
        let dir = Support.tempDir("short-load")
        defer { Support.remove(dir) }
        let (_, r, made) = try Self.store(dir)
        let day = TimeRange(start: Support.now + .days(10), end: Support.now + .days(11))
        let expected = made.filter { $0.range.overlaps(day) }
        #expect(expected.count == 2)

        let fs = FaultyFileSystem()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        try lazy.load(resources: [r], range: day)
        // Only the day's bookings, not January's 62, and the month is not taken as loaded.
        #expect(Set(lazy.state.bookings.keys) == Set(expected.map(\.id)))
        #expect(lazy.loadedPartitions.isEmpty, "\(lazy.loadedPartitions)")
        // Their customers, and only theirs, from January's list: no customer shard read.
        #expect(Set(lazy.state.customers.keys) == Set(expected.compactMap(\.customer)))
        #expect(lazy.customerShardsRead == 0)
        #expect(lazy.partitionCustomerListsRead == 1)
        #expect(fs.reads.filter { $0.contains("/customers/") }.isEmpty, "\(fs.reads)")
        for b in expected {
            #expect(lazy.state.bookings[b.id] == b)
            #expect(lazy.state.customers[b.customer!]?.name == "Guest \(Int((b.start.seconds - Support.now.seconds) / 86400))-\(b.start.seconds % 86400 / 3600)")
        }

        // The next day reads the file from the cache and adds its own two; a month's load then
        // brings the rest, the same bookings and customers a whole load of a fresh store has.
        let next = TimeRange(start: day.end, end: day.end + .days(1))
        try lazy.load(resources: [r], range: next)
        #expect(lazy.state.bookings.count == 4)
        let january = TimeRange(start: Support.now, end: Support.now + .days(31))
        try lazy.load(resources: [r], range: january)
        let whole = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try whole.load(resources: [r], range: january)
        #expect(lazy.state.bookings == whole.state.bookings)
        #expect(lazy.state.bookings.count == 62)
        for b in whole.state.bookings.values { #expect(lazy.state.customers[b.customer!] == whole.state.customers[b.customer!]) }
    }

    @Test func aRangeEndingAtAMonthsFirstSecondReadsNothingOfThatMonth() throws {
        let dir = Support.tempDir("short-load-end")
        defer { Support.remove(dir) }
        let (_, r, made) = try Self.store(dir)
        let fs = FaultyFileSystem()
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs))
        let january = TimeRange(start: Support.now, end: Support.now + .days(31))
        #expect(Partition.month(january.end) == "2027-02" && Partition.lastMonth(of: january) == "2027-01")
        try lazy.load(resources: [r], range: january)
        let read = fs.reads.filter { $0.contains("/bookings/") || $0.contains("/partition-customers/") }
        #expect(!read.isEmpty && read.allSatisfy { $0.contains("/2027-01/") }, "\(read)")
        #expect(Set(lazy.state.bookings.keys) == Set(made.filter { $0.range.overlaps(january) }.map(\.id)))
    }

    @Test func aSelectiveSearchDecodesOnlyItsCandidates() throws {
        let dir = Support.tempDir("short-load-search")
        defer { Support.remove(dir) }
        let (_, _, made) = try Self.store(dir)
        let lazy = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        // `Guest 20-14`: one customer, one booking; `Guest`: every customer, not selective.
        let found = try lazy.search(text: "guest 20-14", range: nil, limit: 4)
        let wanted = made.filter { $0.notes == "visit 20" && $0.start.seconds % 86400 == 14 * 3600 }
        #expect(found == wanted)
        // In memory: the match and at most the other candidate of day 20 (by the word `20`),
        // not the rest of January's partition.
        let candidates = Set(made.filter { $0.notes == "visit 20" }.map(\.id))
        #expect(lazy.state.bookings[wanted[0].id] != nil)
        #expect(Set(lazy.state.bookings.keys).isSubset(of: candidates), "\(lazy.state.bookings.count) bookings in memory")
        #expect(lazy.state.customers[wanted[0].customer!]?.name == "Guest 20-14")
        #expect(lazy.customerShardsRead == 0)
        // The same answer as a store that has everything in memory.
        let whole = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try whole.load(resources: nil, range: Support.everything)
        #expect(try whole.search(text: "guest 20-14", range: nil, limit: 4) == found)
        #expect(try whole.search(text: "Guest 2", range: nil, limit: 5) == (try lazy.search(text: "Guest 2", range: nil, limit: 5)))
    }

    /// A section list judged once answers later lookups by the member's name: the same entry
    /// as the full reader for every path, none for a path it lacks (even one that is a prefix
    /// or an extension of a listed one).
    @Test func aJudgedListFindsEveryEntryByName() throws {
        var files: [String: Manifest.FileEntry] = [:]
        for (i, r) in ["res_a", "res_ab", "res_B", "res_%C3%A9", "res-z_9"].enumerated() {
            files["partition-customers/2027-03/\(r).json"] = .init(crc: String(format: "%08x", i * 7919 + 1), size: Int64(100 + i * 1000))
        }
        let bytes = ManifestSchema.listBytes(files)
        for (path, entry) in files {
            #expect(ManifestSchema.listEntry(path, in: bytes, section: "partition-customers/2027-03", count: files.count) == .some(entry))
            #expect(ManifestSchema.judgedListEntry(path, in: bytes) == entry, "\(path)")
        }
        for absent in ["partition-customers/2027-03/res_.json", "partition-customers/2027-03/res_abc.json", "partition-customers/2027-03/res_a",
                       "res_a.json", "partition-customers/2027-04/res_a.json"] {
            #expect(ManifestSchema.judgedListEntry(absent, in: bytes) == nil, "\(absent)")
        }
    }

    /// The index files read straight from their tokens give what the general reader gives,
    /// and a file in another spelling (spaces) or whose counts do not add up is left to it.
    @Test func indexFilesReadFromTheirTokensAsTheGeneralReaderDoes() throws {
        func posting(_ n: Int) -> SearchIndex.Posting {
            SearchIndex.Posting(start: Instant(seconds: 1_800_000_000 + Int64(n) * 600), id: BookingID("bk_\(n)"), partition: "2027-01/res_x")
        }
        let terms = [
            SearchIndex.Term(term: "alpha", count: 2, inline: [posting(1), posting(2)], pages: []),
            SearchIndex.Term(term: "beta", count: 70, inline: [], pages: [SearchIndex.PageRef(number: 3, first: 1_800_000_000, last: 1_800_100_000, count: 70)]),
            SearchIndex.Term(term: "gamma é", count: 1, inline: [posting(9)], pages: []),
        ]
        let chunk = SearchIndex.chunkBytes(terms)
        #expect(try SearchIndex.readChunk(chunk) == terms)
        let spaced = Array(String(decoding: chunk, as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        #expect(try SearchIndex.readChunk(spaced) == terms)
        var wrong = terms
        wrong[0].count = 3
        #expect(throws: (any Error).self) { try SearchIndex.readChunk(SearchIndex.chunkBytes(wrong)) }
        let page = (0..<50).map(posting)
        #expect(try SearchIndex.readPage(SearchIndex.pageBytes(page)) == page)
        let table = SearchIndex.Table(chunks: [SearchIndex.ChunkRef(lower: "", number: 0, terms: 10, postings: 20),
                                               SearchIndex.ChunkRef(lower: "m", number: 2, terms: 5, postings: 7)], nextChunk: 3, nextPage: 9)
        #expect(try SearchIndex.readTable(SearchIndex.tableBytes(table)) == table)
        let names = [CustomerNameChunk(separator: "", number: 0), CustomerNameChunk(separator: "0001000", number: 1)]
        #expect(try CustomerIndexSchema.readNameTable(CustomerIndexSchema.nameTableBytes(names)) == names)
        #expect(throws: (any Error).self) { try CustomerIndexSchema.readNameTable(Array(#"[["","0"],["a","x"]]"#.utf8)) }
    }
}
