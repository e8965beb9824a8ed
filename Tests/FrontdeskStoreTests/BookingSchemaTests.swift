import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// The booking schema's two readers and its writer: bookings are written as stores hold them
/// (golden digest), read back by the token reader and the general reader alike, and any
/// unusual text is read the same way by both or refused with the same message (the token
/// reader must hand every text it does not take to the general reader, never read it differently).
@Suite struct BookingSchemaTests {
    typealias Gen = ModelGen
    typealias Seeded = ModelGen.Seeded

    static func fast(_ b: Booking) -> [UInt8] {
        var w = JSONWriter()
        try! BookingSchema.write(b, to: &w)
        return w.bytes
    }

    /// Random bookings, some with times at the edges of ``SupportedRange``; with `unreadable`,
    /// also times outside it (after 2199, before 1970), which the writer may not write.
    static func bookings(_ n: Int, seed: UInt64, unreadable: Bool = false) -> [Booking] {
        var gen = Gen(rng: Seeded(state: seed))
        return (0..<n).map { i in
            var b = gen.booking()
            switch i % 7 {
            case 0: b.createdAt = Instant(seconds: Int64(gen.int(0...50_000)))  // just after the lower bound
            case 1 where unreadable: b.updatedAt = Instant(seconds: 7_258_118_400 + Int64(gen.int(0...1_000_000_000)))  // 2200 and later
            case 3 where unreadable: b.updatedAt = Instant(seconds: -Int64(gen.int(1...1_000_000_000)))  // before 1970
            case 2: b.range = TimeRange(start: Instant(seconds: 0), end: Instant(seconds: 7_258_118_399))
            default: break
            }
            return b
        }
    }

    static func isSupported(_ b: Booking) -> Bool { SupportedRange.contains(b.createdAt) && SupportedRange.contains(b.updatedAt) }

    /// The bytes of 600 random bookings are those stores hold (their checksum and length are
    /// those of the bytes written before this schema, through `Codable`); a partition file is
    /// the array of them; a time outside the supported range is refused with nothing written.
    @Test func writesTheBytesStoresHold() throws {
        var refused = 0
        var all: [UInt8] = []
        for b in Self.bookings(600, seed: 2027_11_26, unreadable: true) {
            guard Self.isSupported(b) else {
                var w = JSONWriter(bytes: [0x31])
                #expect(throws: EncodingError.self) { try BookingSchema.write(b, to: &w) }
                #expect(throws: EncodingError.self) { try BookingSchema.partitionBytes([b]) }
                refused += 1
                continue
            }
            let bytes = Self.fast(b)
            #expect(try BookingSchema.partitionBytes([b, b]) == [0x5B] + bytes + [0x2C] + bytes + [0x5D])
            all += bytes
        }
        #expect(refused > 100)
        #expect(all.count == 357_090)
        #expect(CRC32C.hex(CRC32C.checksum(all)) == "a0a4f672")
    }

    /// A booking is written with its field names as keys, absent optionals left out; it reads
    /// back equal and is written back byte for byte.
    @Test func writesTheFieldNamesAsKeys() throws {
        var b = Self.bookings(1, seed: 11)[0]
        b.customer = CustomerID("cus_1"); b.idempotencyKey = "k"
        b.series = nil; b.occurrenceDate = nil; b.holdExpiresAt = nil; b.cancellation = nil; b.overrideReason = nil; b.reminderSentAt = nil
        let bytes = Self.fast(b)
        let o = try SchemaValue.root(bytes).object()
        #expect(o.keys.sorted() == ["createdAt", "createdBy", "customer", "history", "id", "idempotencyKey", "notes",
                                    "range", "ref", "resource", "status", "updatedAt", "updatedBy", "version"])
        let back = try BookingSchema.read(SchemaValue.root(bytes))
        #expect(back == b)
        #expect(Self.fast(back) == bytes)
    }

    /// The instant writer writes `"YYYY-MM-DDTHH:MM:SSZ"` inside the supported range and
    /// refuses, writing nothing, outside it.
    @Test func instantsOutsideTheRangeAreRefused() throws {
        var w = JSONWriter(bytes: [0x5B])
        #expect(throws: EncodingError.self) { try BookingSchema.instant(Instant(seconds: 7_258_118_400), to: &w) }
        #expect(throws: EncodingError.self) { try BookingSchema.instant(Instant(seconds: -1), to: &w) }
        #expect(w.bytes == [0x5B])
        for text in ["1970-01-01T00:00:00Z", "2027-03-01T09:05:07Z", "2199-12-31T23:59:59Z", "2000-02-29T12:00:00Z"] {
            var out = JSONWriter()
            try BookingSchema.instant(Instant(iso8601: text)!, to: &out)
            #expect(String(decoding: out.bytes, as: UTF8.self) == "\"\(text)\"")
            #expect(Instant(iso8601: text)!.iso8601 == text)
        }
    }

    static func schema(_ m: Mutation) throws -> [UInt8] {
        var w = JSONWriter()
        try RecordSchema.writeMutation(m, to: &w)
        return w.bytes
    }

    static func schema(_ e: DomainEvent) throws -> [UInt8] {
        var w = JSONWriter()
        if try !BookingSchema.writeEvent(e, to: &w) { try EventSchema.write(e, to: &w) }
        return w.bytes
    }

    /// Journal records' mutations and events, alone and inside whole records of every shape and
    /// both formats: written as stores hold them (golden digest of the stream) and read back.
    @Test func mutationsEventsAndRecordsAreWrittenAsStoresHoldThem() throws {
        var gen = Gen(rng: Seeded(state: 20261126))
        let types = ModelGen.goldenEventTypes  // the types earlier builds wrote: the golden digest covers them
        var all: [UInt8] = []
        for (i, b) in Self.bookings(300, seed: 77).enumerated() {
            var counters = Counters()
            counters.bookings = gen.int(0...Int(Int32.max)); counters.resources = gen.int(-3...400)
            counters.customers = gen.int(0...9); counters.schedules = gen.int(0...9); counters.waitlist = gen.int(0...Int.max)
            let mutations: [Mutation] = [.booking(b), .counters(counters), .forgetIdempotencyKey(gen.text()), .resource(gen.resource())]
            for m in mutations {
                let bytes = try Self.schema(m)
                all += bytes
                #expect(try RecordSchema.mutation(SchemaValue.root(bytes)) == m)
            }
            let event = DomainEvent(id: gen.text(), type: types[i % types.count], at: gen.instant(), actor: gen.actor(),
                                    booking: gen.bool() ? b : nil,
                                    slot: i % 5 == 0 ? Slot(resource: ResourceID("res_1"), range: TimeRange(start: Instant(iso8601: "2027-01-01T00:00:00Z")!, end: Instant(iso8601: "2027-01-01T01:00:00Z")!)) : nil)
            let eventBytes = try Self.schema(event)
            all += eventBytes
            #expect(try EventSchema.read(SchemaValue.root(eventBytes)) == event)

            let tx = Transaction(at: gen.instant(), actor: gen.actor(), mutations: mutations, events: [event, event])
            // No events, no mutations, events without their booking's mutation, one booking twice.
            let shapes = [tx, Transaction(at: tx.at, actor: tx.actor, mutations: mutations),
                          Transaction(at: tx.at, actor: tx.actor, events: [event]),
                          Transaction(at: tx.at, actor: tx.actor, mutations: [.booking(b), .booking(b)], events: [event])]
            for shape in shapes {
                for compact in [false, true] {
                    let r = JournalRecord(seq: UInt64(i) * 7_919, tx: shape, compactEvents: compact)
                    let line = try r.encoded()
                    all += line
                    let back = try RecordSchema.read(try #require(Frame.payload(line.dropLast())))
                    #expect(back.tx == shape && back.seq == r.seq)
                }
            }
        }
        // The checksum and length of the same stream as written before these schemas (`Codable`).
        #expect(all.count == 4_363_288)
        #expect(CRC32C.hex(CRC32C.checksum(all)) == "488efcc7")
    }

    /// Both readers read what the writer writes, and the token reader also reads members in
    /// another order, with spaces and line breaks, and strings with escaped slashes.
    @Test func readsWhatItWritesInAnyLayout() throws {
        let all = Self.bookings(600, seed: 77)
        for b in all {
            let bytes = Self.fast(b)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.read(doc, at: 0) == b)
            #expect(try BookingSchema.read(SchemaValue.root(bytes)) == b)
        }
        let partition = try BookingSchema.partitionBytes(all)
        let tree = try JSONTree(parsing: partition)
        // Sorted keys, pretty-printed, and every `/` (only ever inside strings) escaped.
        let layouts = [tree.serialized(), tree.serialized(prettyPrinted: true),
                       partition.flatMap { $0 == 0x2F ? [0x5C, 0x2F] : [$0] }]
        for bytes in layouts {
            #expect(bytes != partition)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.readArray(doc, at: 0) == all)
            #expect(try BookingSchema.readPartition(bytes) == all)
        }
    }

    @Test func recordsAndPartitionsReadThroughIt() throws {
        let all = Self.bookings(50, seed: 5)
        #expect(try BookingSchema.readPartition(try BookingSchema.partitionBytes(all)) == all)
        let tx = Transaction(at: Instant(seconds: 1_800_000_000), actor: .system, mutations: all.map(Mutation.booking))
        let line = try JournalRecord(seq: 9, tx: tx, compactEvents: true).encoded()
        let payload = try #require(Frame.payload(line.dropLast()))
        #expect(try RecordSchema.read(payload).tx == tx)
        #expect(try RecordSchema.readReplay(payload).tx.mutations == tx.mutations)
    }

    /// Replay reads records' mutations as the general reader reads them.
    @Test func journalReplayReadsRecordsLikeTheGeneralReader() throws {
        var gen = Gen(rng: Seeded(state: 1234))
        for i in 0..<300 {
            var tx = gen.transaction(i)
            if i % 3 == 0 {
                var counters = Counters()
                counters.bookings = i; counters.waitlist = 7
                tx.mutations.append(.counters(counters))
            }
            let line = try JournalRecord(seq: UInt64(i + 1), tx: tx, compactEvents: i % 2 == 0).encoded()
            let payload = try #require(Frame.payload(line.dropLast()))
            let replay = try RecordSchema.readReplay(payload)
            let general = try RecordSchema.record(SchemaValue.root(Array(payload)))
            #expect(replay.seq == UInt64(i + 1) && replay.seq == general.seq)
            #expect(replay.tx.mutations == tx.mutations && general.tx.mutations == tx.mutations)
            #expect(replay.tx.at == tx.at && replay.tx.actor == tx.actor)
        }
    }

    @Test func unusualMutationsGetTheGeneralReadersAnswer() throws {
        let b = Self.bookings(1, seed: 3)[0]
        let booking = String(decoding: Self.fast(b), as: UTF8.self)
        let counters = #"{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5}"#
        let texts: [(String, Bool)] = [
            (#"{"booking":\#(booking)}"#, true), (#"{"counters":\#(counters)}"#, true),
            (#"{"booking":\#(booking),"counters":\#(counters)}"#, false), (#"{"booking":\#(booking),"extra":1}"#, true),
            (#"{"booking":null}"#, false), (#"{"counters":null}"#, false), (#"{}"#, false), (#"[]"#, false),
            (#"{"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4}}"#, false),
            (#"{"counters":{"bookings":1.5,"resources":2,"customers":3,"schedules":4,"waitlist":5}}"#, false),
            (#"{"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5,"x":"y"}}"#, true),
            (#"{"counters":{"bookings":-1,"resources":2,"customers":3,"schedules":4,"waitlist":99999999999999999999}}"#, false),
            (#"{"counters":{"bookings":-1,"resources":2,"customers":3,"schedules":4,"waitlist":5.0}}"#, true),
            (#"{"forget_idempotency_key":"k"}"#, true),
        ]
        for (text, valid) in texts {
            let bytes = Array(text.utf8)
            let store = try? SchemaFile.read(from: bytes, fast: { BookingSchema.readMutation($0, at: 0) }, general: RecordSchema.mutation)
            let general = try? RecordSchema.mutation(SchemaValue.root(bytes))
            #expect(store == general, "\(text)")
            #expect((general != nil) == valid, "\(text)")
            // Records: a record the token reader cannot read whole is replayed by the general reader.
            let record = Array(#"{"seq":5,"tx":{"at":"2027-03-01T09:00:00Z","actor":{"user":"a","origin":"local","source":"cli"},"mutations":[\#(text)]}}"#.utf8)
            let replay = try? RecordSchema.readReplay(record)
            #expect(replay?.tx.mutations == general.map { [$0] } && (replay == nil || replay?.seq == 5), "\(text)")
        }
    }

    // MARK: Everything else goes to the general reader

    /// The outcome of reading `bytes` as a booking through the file path (token reader first)
    /// and through the general reader alone: equal bookings, or errors with the same message;
    /// and whatever the token reader takes, the general reader reads the same.
    static func agree(_ bytes: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        struct Failure: Error, CustomStringConvertible { var description: String }
        func run<T>(_ f: () throws -> T) -> Result<T, Failure> {
            do { return .success(try f()) } catch { return .failure(Failure(description: "\(error)")) }
        }
        let store = run { try SchemaFile.read(from: bytes, fast: { BookingSchema.read($0, at: 0) }, general: BookingSchema.read) }
        let general = run { try BookingSchema.read(SchemaValue.root(bytes)) }
        switch (store, general) {
        case let (.success(a), .success(b)):
            #expect(a == b, "\(label): read differently", sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b)):
            #expect(a.description == b.description, "\(label): \(a) != \(b)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(label): store \(store), general \(general)", sourceLocation: sourceLocation)
        }
    }

    /// Replaces the value of `key` (at top level or in a nested object) in a JSON object by
    /// `value`, or removes the member when `value` is nil.
    static func edit(_ json: [String: Any], path: [String], _ value: Any?) -> [String: Any] {
        var json = json
        guard let first = path.first else { return json }
        if path.count == 1 {
            json[first] = value
        } else if let inner = json[first] as? [String: Any] {
            json[first] = edit(inner, path: Array(path.dropFirst()), value)
        } else if var list = json[first] as? [[String: Any]], !list.isEmpty {
            list[0] = edit(list[0], path: Array(path.dropFirst()), value)
            json[first] = list
        }
        return json
    }

    @Test func unusualTextsGetTheGeneralReadersAnswer() throws {
        var gen = Gen(rng: Seeded(state: 314))
        var b = gen.booking()
        b.customer = CustomerID("cu_1"); b.series = SeriesID("se_1"); b.occurrenceDate = LocalDate(year: 2027, month: 3, day: 1)
        b.holdExpiresAt = Instant(seconds: 1_800_000_000); b.idempotencyKey = "k"; b.overrideReason = "r"
        b.cancellation = Cancellation(at: Instant(seconds: 1_800_000_100), by: "ann", reason: "ill", late: true)
        b.reminderSentAt = Instant(seconds: 1_800_000_200)
        b.history = [HistoryEntry(at: Instant(seconds: 1_800_000_000), actor: .system, action: "created", changes: ["a", "b"], version: 1)]
        let base = try #require(JSONSerialization.jsonObject(with: Data(Self.fast(b))) as? [String: Any])
        // The unedited text takes the token reader (so the edits below test its refusals).
        let plain = Array(try JSONSerialization.data(withJSONObject: base, options: [.sortedKeys]))
        #expect(BookingSchema.read(try plain.withUnsafeBytes { try JSONDocument($0) }, at: 0) == b)
        let paths: [[String]] = [
            ["id"], ["ref"], ["resource"], ["customer"], ["range"], ["range", "start"], ["range", "end"], ["status"],
            ["createdBy"], ["createdBy", "user"], ["createdBy", "origin"], ["createdBy", "source"], ["updatedBy"], ["version"],
            ["createdAt"], ["updatedAt"], ["notes"], ["series"], ["occurrenceDate"], ["holdExpiresAt"], ["cancellation"],
            ["cancellation", "at"], ["cancellation", "by"], ["cancellation", "reason"], ["cancellation", "late"],
            ["idempotencyKey"], ["overrideReason"], ["history"], ["history", "at"], ["history", "actor"], ["history", "action"],
            ["history", "changes"], ["history", "version"], ["reminderSentAt"], ["extra"],
        ]
        let values: [Any?] = [
            nil, NSNull(), 7, 1.5, -3, true, "", "x", "confirmed", "cli", [] as [Any], ["x"], [:] as [String: Any], ["start": "x"],
            "2027-03-01T09:00:00Z", "2027-03-01T09:00:00+01:00", "2027-03-01 09:00:00Z", "2027-03-01T09:00Z", "2027-03-01T09:00:00.5Z",
            "2027-02-30T09:00:00Z", "2027-03-01T24:00:00Z", "2027-03-01T09:60:00Z", "2027-03-01T09:00:60Z", "0000-03-01T09:00:00Z",
            "+027-03-01T09:00:00Z", "2027-13-01T09:00:00Z", "2027-03-01t09:00:00z", "2027-03-01", "2027-3-1", "99999999999",
            9_223_372_036_854_775_807, "9223372036854775808",
        ]
        var cases = 0
        for path in paths {
            for value in values {
                let edited = Self.edit(base, path: path, value)
                let bytes = Array(try JSONSerialization.data(withJSONObject: edited, options: [.sortedKeys]))
                Self.agree(bytes, "\(path) = \(String(describing: value))")
                cases += 1
            }
        }
        // Keys that need the slow path: escaped, duplicated; a number where an object is expected.
        let text = String(decoding: Self.fast(b), as: UTF8.self)
        for variant in [
            text.replacingOccurrences(of: #""ref":"#, with: #""r\u0065f":"#),
            text.replacingOccurrences(of: #""notes":"#, with: #""notes":"again","notes":"#),
            text.replacingOccurrences(of: #""version":1}"#, with: #""version":1.0}"#),
            text.replacingOccurrences(of: #""version":1}"#, with: #""version":1e0}"#),
            text.replacingOccurrences(of: #"{"user":"frontdesk""#, with: #"{"user":"fr\/ontdesk""#),
            "[" + text + "]", "7", "null",
        ] {
            Self.agree(Array(variant.utf8), variant)
            cases += 1
        }
        #expect(cases > 1_000)
    }

    @Test func aBrokenBookingInAPartitionIsNamed() throws {
        let all = Self.bookings(5, seed: 9)
        var text = String(decoding: try BookingSchema.partitionBytes(all), as: UTF8.self)
        text = text.replacingOccurrences(of: #""status":""#, with: #""status":"x"#)
        let bytes = Array(text.utf8)
        func message(_ f: () throws -> Any) -> String { do { _ = try f(); return "ok" } catch { return "\(error)" } }
        let store = message { try BookingSchema.readPartition(bytes) }
        let general = message { try SchemaValue.root(bytes).array(BookingSchema.read) }
        #expect(store != "ok" && store == general)
        #expect(store.hasPrefix("[0].status: unknown status"), "\(store)")
    }
}

/// The directory shard schema: the token writer and the general writer agree, the readers read
/// back what they write, and unusual texts get the general reader's answer.
@Suite struct DirectoryShardSchemaTests {
    static func shard(_ n: Int, _ gen: inout ModelGen, hostile: Bool) -> DirectoryShard {
        var s = DirectoryShard()
        for i in 0..<n {
            let id = hostile ? "bk_" + gen.text(max: 2) + "\(i)" : "bk_\(gen.int(0...Int(Int32.max)))_\(i)"
            s.ids[id] = "2027-\(i % 12 + 1)/res_" + (hostile ? gen.text(max: 1) : "\(i % 9)")
            s.refs[hostile ? "B-" + gen.text(max: 1) + "\(i)" : "B-\(i)"] = id
        }
        return s
    }

    @Test func writersAgreeAndReadersReadBack() throws {
        var gen = ModelGen(rng: ModelGen.Seeded(state: 64))
        var fastCount = 0
        for round in 0..<120 {
            let s = Self.shard([0, 1, 2, 50, 400][round % 5], &gen, hostile: round % 3 == 0)
            let general = DirectoryShardSchema.generalBytes(s)
            #expect(try DirectoryShardSchema.bytes(s) == general)
            var w = JSONWriter()
            if DirectoryShardSchema.write(s, to: &w) {
                fastCount += 1
                #expect(w.bytes == general)
            }
            let doc = try general.withUnsafeBytes { try JSONDocument($0) }
            if let back = DirectoryShardSchema.read(doc, at: 0) {
                #expect(back.ids == s.ids && back.refs == s.refs)
            }
            let decoded = try DirectoryShardSchema.read(general)
            #expect(decoded.ids == s.ids && decoded.refs == s.refs)
        }
        #expect(fastCount >= 60, "most shards have plain keys and take the token writer")
        // Non-ASCII keys without escapes: ordered by their bytes, not by String's (canonical) order.
        // And keys alike in their first 16 bytes (the token writer sorts by those first), or shorter.
        var s = DirectoryShard()
        let alike = ["bk_AAAAAAAAAAAAAb", "bk_AAAAAAAAAAAAAa", "bk_AAAAAAAAAAAAA", "bk_AAAAAAAAAAAAAAAAAAAz", "bk_AAAAAAAAAAAAAAAAAAAé", "bk_AAAAAAAAAAAA"]
        for key in ["bk_é", "bk_e\u{301}", "bk_z", "bk_日本", "bk_Z", "bk_ß", "bk_ss"] + alike { s.ids[key] = "2027-01/r"; s.refs["B-" + key] = key }
        var w = JSONWriter()
        #expect(DirectoryShardSchema.write(s, to: &w))
        #expect(w.bytes == DirectoryShardSchema.generalBytes(s))
        // Escaped keys sort by their written bytes: the empty key first, then a space.
        var e = DirectoryShard()
        e.ids = ["": "a", " \t": "b", "\"": "c", "a": "d"]
        #expect(String(decoding: try DirectoryShardSchema.bytes(e), as: UTF8.self) == #"{"ids":{"":"a"," \t":"b","\"":"c","a":"d"},"refs":{}}"#)
    }

    @Test func unusualShardsGetTheGeneralReadersAnswer() {
        let texts: [(String, Bool)] = [
            (#"{"ids":{"bk_1":"2027-01/r"},"refs":{"B-1":"bk_1"}}"#, true), (#"{"ids":{},"refs":{}}"#, true), (#"{"refs":{},"ids":{}}"#, true),
            (#"{"ids":{}}"#, false), (#"{"refs":{}}"#, false), (#"{}"#, false), (#"{"ids":{"bk_1":7},"refs":{}}"#, false), (#"{"ids":null,"refs":{}}"#, false),
            (#"{"ids":{"bk_1":"a","bk_1":"b"},"refs":{}}"#, true), (#"{"ids":{"bk_\u0031":"a"},"refs":{}}"#, true),
            (#"{"ids":{},"refs":{},"extra":[1]}"#, true), (#"{"ids":[],"refs":{}}"#, false), (#"[]"#, false),
        ]
        for (text, valid) in texts {
            let bytes = Array(text.utf8)
            func outcome(_ f: () throws -> DirectoryShard) -> String {
                do { let s = try f(); return "\(s.ids.sorted { $0.key < $1.key })|\(s.refs.sorted { $0.key < $1.key })" } catch { return "error: \(error)" }
            }
            let store = outcome { try DirectoryShardSchema.read(bytes) }
            let general = outcome { try DirectoryShardSchema.read(SchemaValue.root(bytes)) }
            #expect(store == general, "\(text)")
            #expect(store.hasPrefix("error") != valid, "\(text): \(store)")
        }
        // A repeated key: the first counts.
        #expect((try? DirectoryShardSchema.read(Array(#"{"ids":{"bk_1":"a","bk_1":"b"},"refs":{}}"#.utf8)))?.ids == ["bk_1": "a"])
    }
}
