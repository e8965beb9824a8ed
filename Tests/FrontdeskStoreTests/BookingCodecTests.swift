import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// The hand-written booking codec against the `Codable` conformance it stands in for: the same
/// bytes out, the same bookings in, and for anything else the same outcome as `Codable` (it
/// must hand every unusual text to the conformance, never accept it differently).
@Suite struct BookingCodecTests {
    typealias Gen = CompactJSONDecoderTests.Gen
    typealias Seeded = CompactJSONDecoderTests.Seeded

    /// A booking encoded and decoded by its `Codable` conformance, never by the codec (which the
    /// encoder and decoder take only when the value's static type is `Booking`).
    struct ViaCodable: Codable, Equatable {
        var booking: Booking
        init(_ b: Booking) { booking = b }
        init(from decoder: any Decoder) throws { booking = try Booking(from: decoder) }
        func encode(to encoder: any Encoder) throws { try booking.encode(to: encoder) }
    }

    static func fast(_ b: Booking) -> [UInt8] {
        var w = JSONWriter()
        try! BookingSchema.write(b, to: &w)
        return w.bytes
    }

    /// Random bookings, some with times at the edges of ``SupportedRange``; with `unreadable`,
    /// also times outside it (after 2199, before 1970), which neither writer may write.
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

    @Test func writesExactlyWhatCodableWrites() throws {
        var refused = 0
        for b in Self.bookings(600, seed: 2027_11_26, unreadable: true) {
            guard Self.isSupported(b) else {
                // Out of range: both writers refuse, and the encoders leave the output as it was.
                var w = JSONWriter(bytes: [0x31])
                #expect(throws: EncodingError.self) { try BookingSchema.write(b, to: &w) }
                #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(ViaCodable(b)) }
                var out: [UInt8] = [0x5B]
                #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode([b], appendingTo: &out) }
                #expect(out == [0x5B])
                refused += 1
                continue
            }
            let viaCodable = try CompactJSONEncoder().encode(ViaCodable(b))
            #expect(Self.fast(b) == viaCodable, "\(String(decoding: viaCodable, as: UTF8.self))")
            // And a partition file is the array of them.
            #expect(try BookingSchema.partitionBytes([b, b]) == [0x5B] + viaCodable + [0x2C] + viaCodable + [0x5D])
            #expect(try CompactJSONEncoder().encode([b, b]) == [0x5B] + viaCodable + [0x2C] + viaCodable + [0x5D])
        }
        #expect(refused > 100)
    }

    /// A mutation and an event encoded by their `Codable` conformances (the booking inside
    /// still by the codec, which the test above holds to the conformance).
    struct MutationViaCodable: Encodable { var m: Mutation; func encode(to e: any Encoder) throws { try m.encode(to: e) } }
    struct EventViaCodable: Encodable { var e: DomainEvent; func encode(to encoder: any Encoder) throws { try e.encode(to: encoder) } }

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

    /// A mutation as a journal record holds it: the schema's bytes for a booking or the
    /// counters, the conformance's for the others.
    static func schema(_ m: Mutation) throws -> [UInt8] {
        var w = JSONWriter()
        return try BookingSchema.writeMutation(m, to: &w) ? w.bytes : CompactJSONEncoder().encode(m)
    }

    /// An event as a journal record holds it: the schema's bytes for a booking event, the
    /// conformance's for a waitlist event.
    static func schema(_ e: DomainEvent) throws -> [UInt8] {
        var w = JSONWriter()
        return try BookingSchema.writeEvent(e, to: &w) ? w.bytes : CompactJSONEncoder().encode(e)
    }

    /// Journal records' mutations and events (the rest of a record's bytes) come out of the
    /// codec exactly as the conformances write them, alone and inside a whole record, which
    /// decodes back to the same transaction; the kinds it leaves to `Codable` too.
    @Test func mutationsAndEventsWriteExactlyWhatCodableWrites() throws {
        var gen = Gen(rng: Seeded(state: 20261126))
        let types = EventType.allCases
        for (i, b) in Self.bookings(300, seed: 77).enumerated() {
            var counters = Counters()
            counters.bookings = gen.int(0...Int(Int32.max)); counters.resources = gen.int(-3...400)
            counters.customers = gen.int(0...9); counters.schedules = gen.int(0...9); counters.waitlist = gen.int(0...Int.max)
            let mutations: [Mutation] = [.booking(b), .counters(counters), .forgetIdempotencyKey(gen.text()),
                                         .resource(gen.resource())]
            for m in mutations {
                let via = try CompactJSONEncoder().encode(MutationViaCodable(m: m))
                #expect(try Self.schema(m) == via, "\(String(decoding: via, as: UTF8.self))")
            }
            // Events have no public initializer: decoded from the conformance's own shape.
            var fields: [String] = [#""id":"# + String(decoding: try CompactJSONEncoder().encode(gen.text()), as: UTF8.self),
                                    #""type":""# + types[i % types.count].rawValue + #"""#,
                                    #""at":"# + String(decoding: try CompactJSONEncoder().encode(gen.instant()), as: UTF8.self),
                                    #""actor":"# + String(decoding: try CompactJSONEncoder().encode(gen.actor()), as: UTF8.self)]
            if gen.bool() { fields.append(#""booking":"# + String(decoding: Self.fast(b), as: UTF8.self)) }
            if i % 5 == 0 { fields.append(#""slot":{"resource":"res_1","range":{"start":"2027-01-01T00:00:00Z","end":"2027-01-01T01:00:00Z"}}"#) }
            let event = try CompactJSONDecoder().decode(DomainEvent.self, from: Array(("{" + fields.joined(separator: ",") + "}").utf8))
            let via = try CompactJSONEncoder().encode(EventViaCodable(e: event))
            #expect(try Self.schema(event) == via, "\(String(decoding: via, as: UTF8.self))")

            let tx = Transaction(at: gen.instant(), actor: gen.actor(), mutations: mutations, events: [event, event])
            let record = try CompactJSONEncoder().encode(JournalRecord(seq: UInt64(i + 1), tx: tx, compactEvents: i % 2 == 0))
            let back = try CompactJSONDecoder().decode(JournalRecord.self, from: record)
            #expect(back.tx == tx)
            #expect(back.seq == UInt64(i + 1))
            // The hand-written whole line is the conformance's line, byte for byte, in both formats
            // and for the shapes around it: no events, no mutations, events without their booking's mutation.
            let shapes = [tx, Transaction(at: tx.at, actor: tx.actor, mutations: mutations),
                          Transaction(at: tx.at, actor: tx.actor, events: [event]),
                          Transaction(at: tx.at, actor: tx.actor, mutations: [.booking(b), .booking(b)], events: [event])]
            for shape in shapes {
                for compact in [false, true] {
                    let r = JournalRecord(seq: UInt64(i) * 7_919, tx: shape, compactEvents: compact)
                    let viaCodable = Frame.encode(try CompactJSONEncoder().encode(r))
                    #expect(try r.encoded() == viaCodable, "\(String(decoding: viaCodable, as: UTF8.self))")
                }
            }
        }
    }

    @Test func readsWhatItWritesAndWhatJSONEncoderWrites() throws {
        let all = Self.bookings(600, seed: 77)
        for b in all {
            let bytes = Self.fast(b)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.read(doc, at: 0) == b)
            #expect(try JSONDecoder().decode(Booking.self, from: Data(bytes)) == b)
        }
        // JSONEncoder's key order and formatting (any order, spaces, escaped slashes) too.
        for f in CompactJSONDecoderTests.formattings {
            let bytes = try CompactJSONDecoderTests.encode(all, f)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.readArray(doc, at: 0) == all)
        }
    }

    @Test func recordsAndPartitionsDecodeThroughIt() throws {
        let all = Self.bookings(50, seed: 5)
        let partition = try CompactJSONEncoder().encode(all)
        #expect(try CompactJSONDecoder().decode([Booking].self, from: partition) == all)
        let tx = Transaction(at: Instant(seconds: 1_800_000_000), actor: .system, mutations: all.map(Mutation.booking))
        let line = try JournalRecord(seq: 9, tx: tx, compactEvents: true).encoded()
        let payload = try #require(Frame.payload(line.dropLast()))
        #expect(try CompactJSONDecoder().decode(JournalRecord.self, from: payload).tx == tx)
        #expect(try JSONDecoder().decode(JournalRecord.self, from: Data(payload)).tx == tx)
    }

    @Test func journalReplayReadsRecordsLikeCodable() throws {
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
            let fast = try RecordSchema.readReplay(payload)
            let foundation = try JSONDecoder().decode(ReplayRecord.self, from: Data(payload))  // never the fast path
            #expect(fast.seq == UInt64(i + 1) && fast.seq == foundation.seq)
            #expect(fast.tx.mutations == tx.mutations && foundation.tx.mutations == tx.mutations)
            #expect(fast.tx.at == tx.at && fast.tx.actor == tx.actor)
        }
    }

    @Test func unusualMutationsGetCodablesAnswer() throws {
        let b = Self.bookings(1, seed: 3)[0]
        let booking = String(decoding: Self.fast(b), as: UTF8.self)
        let counters = #"{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5}"#
        let texts = [
            #"{"booking":\#(booking)}"#, #"{"counters":\#(counters)}"#,
            #"{"booking":\#(booking),"counters":\#(counters)}"#, #"{"booking":\#(booking),"extra":1}"#,
            #"{"booking":null}"#, #"{"counters":null}"#, #"{}"#, #"[]"#, #"{"booking":\#(booking)}"#,
            #"{"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4}}"#,
            #"{"counters":{"bookings":1.5,"resources":2,"customers":3,"schedules":4,"waitlist":5}}"#,
            #"{"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5,"x":"y"}}"#,
            #"{"counters":{"bookings":-1,"resources":2,"customers":3,"schedules":4,"waitlist":99999999999999999999}}"#,
            #"{"forget_idempotency_key":"k"}"#,
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            let fast = try? SchemaFile.read(Mutation.self, from: bytes) { BookingSchema.readMutation($0, at: 0) }
            let foundation = try? JSONDecoder().decode(Mutation.self, from: Data(bytes))
            #expect(fast == foundation, "\(text)")
            // Records: a record the codec cannot read whole is replayed through Codable.
            let record = Array(#"{"seq":5,"tx":{"at":"2027-03-01T09:00:00Z","actor":{"user":"a","origin":"local","source":"cli"},"mutations":[\#(text)]}}"#.utf8)
            let replay = try? RecordSchema.readReplay(record)
            let replayFoundation = try? JSONDecoder().decode(ReplayRecord.self, from: Data(record))
            #expect(replay?.tx.mutations == replayFoundation?.tx.mutations && replay?.seq == replayFoundation?.seq, "\(text)")
        }
    }

    // MARK: Everything else goes to Codable

    /// The outcome of decoding `bytes` as a booking: through the store's decoder (codec first),
    /// through `Codable` alone on the same decoder, and through Foundation. All three must agree:
    /// equal bookings, or errors (the first two with the same message).
    static func agree(_ bytes: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        struct Failure: Error, CustomStringConvertible { var description: String }
        func run<T>(_ f: () throws -> T) -> Result<T, Failure> {
            do { return .success(try f()) } catch { return .failure(Failure(description: "\(error)")) }
        }
        let store = run { try SchemaFile.read(Booking.self, from: bytes) { BookingSchema.read($0, at: 0) } }
        let codable = run { try CompactJSONDecoder().decode(ViaCodable.self, from: bytes).booking }
        let foundation = run { try JSONDecoder().decode(Booking.self, from: Data(bytes)) }
        switch (store, codable, foundation) {
        case let (.success(a), .success(b), .success(c)):
            #expect(a == b && b == c, "\(label): decoded differently", sourceLocation: sourceLocation)
        case let (.failure(a), .failure(b), .failure):
            #expect(a.description == b.description, "\(label): \(a) != \(b)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(label): store \(store), codable \(codable), foundation \(foundation)", sourceLocation: sourceLocation)
        }
    }

    /// Replaces the value of `key` (first occurrence, at top level or in a nested object) in a
    /// JSON object's text by `value`, or removes the member when `value` is nil.
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

    @Test func unusualTextsGetCodablesAnswer() throws {
        var gen = Gen(rng: Seeded(state: 314))
        var b = gen.booking()
        b.customer = CustomerID("cu_1"); b.series = SeriesID("se_1"); b.occurrenceDate = LocalDate(year: 2027, month: 3, day: 1)
        b.holdExpiresAt = Instant(seconds: 1_800_000_000); b.idempotencyKey = "k"; b.overrideReason = "r"
        b.cancellation = Cancellation(at: Instant(seconds: 1_800_000_100), by: "ann", reason: "ill", late: true)
        b.reminderSentAt = Instant(seconds: 1_800_000_200)
        b.history = [HistoryEntry(at: Instant(seconds: 1_800_000_000), actor: .system, action: "created", changes: ["a", "b"], version: 1)]
        let base = try #require(JSONSerialization.jsonObject(with: Data(Self.fast(b))) as? [String: Any])
        // The unedited text takes the codec (so the edits below test its refusals, not Codable's twice).
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

    @Test func aBrokenBookingInAPartitionIsReportedByCodable() throws {
        let all = Self.bookings(5, seed: 9)
        var text = String(decoding: try CompactJSONEncoder().encode(all), as: UTF8.self)
        text = text.replacingOccurrences(of: #""status":""#, with: #""status":"x"#)
        let bytes = Array(text.utf8)
        func message(_ f: () throws -> Any) -> String { do { _ = try f(); return "ok" } catch { return "\(error)" } }
        let store = message { try BookingSchema.readPartition(bytes) }
        let codable = message { try CompactJSONDecoder().decode([ViaCodable].self, from: bytes) }
        #expect(store != "ok" && store == codable)
        #expect(store.contains("status"), "\(store)")
    }
}

/// The directory shard codec against the synthesized conformance.
@Suite struct DirectoryShardCodecTests {
    struct ViaCodable: Codable {
        var shard: DirectoryShard
        init(_ s: DirectoryShard) { shard = s }
        init(from decoder: any Decoder) throws { shard = try DirectoryShard(from: decoder) }
        func encode(to encoder: any Encoder) throws { try shard.encode(to: encoder) }
    }

    static func shard(_ n: Int, _ gen: inout CompactJSONDecoderTests.Gen, hostile: Bool) -> DirectoryShard {
        var s = DirectoryShard()
        for i in 0..<n {
            let id = hostile ? "bk_" + gen.text(max: 2) + "\(i)" : "bk_\(gen.int(0...Int(Int32.max)))_\(i)"
            s.ids[id] = "2027-\(i % 12 + 1)/res_" + (hostile ? gen.text(max: 1) : "\(i % 9)")
            s.refs[hostile ? "B-" + gen.text(max: 1) + "\(i)" : "B-\(i)"] = id
        }
        return s
    }

    @Test func bytesAndValuesMatchCodable() throws {
        var gen = CompactJSONDecoderTests.Gen(rng: CompactJSONDecoderTests.Seeded(state: 64))
        var fastCount = 0
        for round in 0..<120 {
            let s = Self.shard([0, 1, 2, 50, 400][round % 5], &gen, hostile: round % 3 == 0)
            let viaCodable = try CompactJSONEncoder().encode(ViaCodable(s))
            #expect(try CompactJSONEncoder().encode(s) == viaCodable)
            var w = JSONWriter()
            if DirectoryShardSchema.write(s, to: &w) {
                fastCount += 1
                #expect(w.bytes == viaCodable)
            }
            let doc = try viaCodable.withUnsafeBytes { try JSONDocument($0) }
            if let back = DirectoryShardSchema.read(doc, at: 0) {
                #expect(back.ids == s.ids && back.refs == s.refs)
            }
            let decoded = try CompactJSONDecoder().decode(DirectoryShard.self, from: viaCodable)
            #expect(decoded.ids == s.ids && decoded.refs == s.refs)
        }
        #expect(fastCount >= 60, "most shards have plain keys and take the codec")
        // Non-ASCII keys without escapes: ordered by their bytes, not by String's (canonical) order.
        // And keys alike in their first 16 bytes (the codec sorts by those first), or shorter.
        var s = DirectoryShard()
        let alike = ["bk_AAAAAAAAAAAAAb", "bk_AAAAAAAAAAAAAa", "bk_AAAAAAAAAAAAA", "bk_AAAAAAAAAAAAAAAAAAAz", "bk_AAAAAAAAAAAAAAAAAAAé", "bk_AAAAAAAAAAAA"]
        for key in ["bk_é", "bk_e\u{301}", "bk_z", "bk_日本", "bk_Z", "bk_ß", "bk_ss"] + alike { s.ids[key] = "2027-01/r"; s.refs["B-" + key] = key }
        var w = JSONWriter()
        #expect(DirectoryShardSchema.write(s, to: &w))
        #expect(w.bytes == (try CompactJSONEncoder().encode(ViaCodable(s))))
    }

    @Test func unusualShardsGetCodablesAnswer() {
        let texts = [
            #"{"ids":{"bk_1":"2027-01/r"},"refs":{"B-1":"bk_1"}}"#, #"{"ids":{},"refs":{}}"#, #"{"refs":{},"ids":{}}"#,
            #"{"ids":{}}"#, #"{"refs":{}}"#, #"{}"#, #"{"ids":{"bk_1":7},"refs":{}}"#, #"{"ids":null,"refs":{}}"#,
            #"{"ids":{"bk_1":"a","bk_1":"b"},"refs":{}}"#, #"{"ids":{"bk_\u0031":"a"},"refs":{}}"#,
            #"{"ids":{},"refs":{},"extra":[1]}"#, #"{"ids":[],"refs":{}}"#, #"[]"#,
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            func outcome(_ f: () throws -> DirectoryShard) -> String {
                do { let s = try f(); return "\(s.ids.sorted { $0.key < $1.key })|\(s.refs.sorted { $0.key < $1.key })" } catch { return "error: \(error)" }
            }
            let store = outcome { try CompactJSONDecoder().decode(DirectoryShard.self, from: bytes) }
            let codable = outcome { try CompactJSONDecoder().decode(ViaCodable.self, from: bytes).shard }
            let foundation = outcome { try JSONDecoder().decode(DirectoryShard.self, from: Data(bytes)) }
            #expect(store == codable, "\(text)")
            #expect(store.hasPrefix("error") == foundation.hasPrefix("error"), "\(text)")
        }
    }
}
