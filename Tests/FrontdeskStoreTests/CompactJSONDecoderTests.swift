import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
@testable import FrontdeskJSON

/// The store's ``CompactJSONDecoder`` against Foundation's JSONDecoder: the same values from
/// everything JSONEncoder writes, and an error wherever JSONDecoder gives one.
@Suite struct CompactJSONDecoderTests {
    // MARK: Random model values

    /// SplitMix64: a small seeded generator, so failures reproduce.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    struct Gen {
        var rng: Seeded

        static let pieces: [String] = [
            "a", "Z", "0", " ", "room 4", "\"", "\\", "/", "\\u", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
            "é", "e\u{301}", "ß", "Ω", "日本", "😀", "👩‍👩‍👧", "\u{2028}", "\u{FEFF}", "\u{10FFFF}", "<b>&amp;</b>", "{}", "[1,]", "null",
        ]

        mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        mutating func bool() -> Bool { Bool.random(using: &rng) }
        mutating func text(max: Int = 6) -> String { (0..<int(0...max)).map { _ in Gen.pieces.randomElement(using: &rng)! }.joined() }
        mutating func maybe<T>(_ make: (inout Gen) -> T) -> T? { bool() ? make(&self) : nil }
        mutating func instant() -> Instant { Instant(seconds: Int64(int(0...4_102_444_800))) }
        mutating func range() -> TimeRange { let s = instant(); return TimeRange(start: s, end: s + .minutes(Int64(int(0...600)))) }
        mutating func duration() -> Duration { Duration(seconds: Int64(int(-86400...864_000))) }
        mutating func actor() -> Actor {
            Actor(user: text(max: 2), origin: bool() ? "local" : text(max: 2), source: [.tui, .cli, .import, .api, .system].randomElement(using: &rng)!)
        }
        mutating func history() -> HistoryEntry {
            HistoryEntry(at: instant(), actor: actor(), action: text(max: 2), changes: (0..<int(0...3)).map { _ in text() }, version: int(1...50))
        }
        mutating func booking() -> Booking {
            Booking(id: BookingID("bk_" + text(max: 2)), ref: "B-\(int(0...99999))", resource: ResourceID("res_\(int(0...40))"),
                    customer: maybe { CustomerID("cu_" + $0.text(max: 1)) }, range: range(),
                    status: BookingStatus.allCases.randomElement(using: &rng)!, createdBy: actor(), updatedBy: actor(),
                    version: int(1...Int(Int32.max)), createdAt: instant(), updatedAt: instant(), notes: text(max: 10),
                    series: maybe { SeriesID("se_" + $0.text(max: 1)) },
                    occurrenceDate: maybe { LocalDate(year: $0.int(1...9999), month: $0.int(1...12), day: $0.int(1...28))! },
                    holdExpiresAt: maybe { $0.instant() },
                    cancellation: maybe { Cancellation(at: $0.instant(), by: $0.text(max: 2), reason: $0.text(), late: $0.bool()) },
                    idempotencyKey: maybe { $0.text(max: 3) }, overrideReason: maybe { $0.text() },
                    history: (0..<int(0...4)).map { _ in history() }, reminderSentAt: maybe { $0.instant() })
        }
        mutating func resource() -> Resource {
            Resource(id: ResourceID("res_" + text(max: 1)), ref: "R-\(int(0...999))", name: text(),
                     kind: [.room, .staff, .vehicle, .equipment, .other("boat " + text(max: 1))].randomElement(using: &rng)!,
                     parent: maybe { ResourceID("res_\($0.int(0...9))") }, zone: bool() ? .utc : Zone("Europe/London")!,
                     slotLength: .minutes(Int64(int(5...120))), schedule: maybe { ScheduleID("sc_\($0.int(0...9))") },
                     policy: PolicyOverrides(bufferBefore: maybe { $0.duration() }, bufferAfter: maybe { $0.duration() },
                                             minimumNotice: maybe { $0.duration() }),
                     archived: bool(), version: int(1...9))
        }
        mutating func hours() -> [DailyHours] {
            // Whole minutes: the text form (`09:00-17:30`) has no seconds.
            (0..<int(0...2)).map { _ in let s = int(0...700) * 60; return DailyHours(start: s, end: s + int(1...700) * 60)! }
        }
        mutating func schedule() -> Schedule {
            var weekly: [Weekday: [DailyHours]] = [:]
            for d in Weekday.allCases where bool() { weekly[d] = hours() }
            var overrides: [LocalDate: [DailyHours]] = [:]
            for _ in 0..<int(0...3) { overrides[LocalDate(year: int(2000...2100), month: int(1...12), day: int(1...28))!] = hours() }
            return Schedule(id: ScheduleID("sc_" + text(max: 1)), name: text(), weekly: weekly, overrides: overrides,
                            blackouts: (0..<int(0...2)).map { _ in Blackout(range: range(), reason: text()) },
                            bufferBefore: duration(), maximumAdvance: maybe { $0.duration() }, version: int(1...9))
        }
        mutating func waitlist() -> WaitlistEntry {
            WaitlistEntry(id: WaitlistEntryID("wl_" + text(max: 1)), ref: "W-1", customer: CustomerID("cu_1"),
                          resources: (0..<int(0...3)).map { ResourceID("res_\($0)") }, window: range(), duration: duration(),
                          notes: text(), createdAt: instant(), createdBy: actor(),
                          fulfilledBy: maybe { BookingID("bk_" + $0.text(max: 1)) }, removedAt: maybe { $0.instant() })
        }
        mutating func mutation(_ kind: Int) -> Mutation {
            switch kind % 8 {
            case 0: return .booking(booking())
            case 1: return .resource(resource())
            case 2: return .schedule(schedule())
            case 3: return .customer(Customer(id: CustomerID("cu_" + text(max: 1)), ref: "C-9", name: text(),
                                              phone: maybe { $0.text(max: 2) }, email: maybe { $0.text(max: 2) },
                                              notes: maybe { $0.text() }, version: int(1...5)))
            case 4: return .waitlist(waitlist())
            case 5: return .idempotencyKey(IdempotencyRecord(key: text(max: 2), fingerprint: text(),
                                                             bookings: (0..<int(0...3)).map { BookingID("bk_\($0)") }, createdAt: instant()))
            case 6: return .forgetIdempotencyKey(text(max: 3))
            default:
                var c = Counters()
                c.bookings = int(0...Int(Int32.max)); c.resources = int(0...99); c.waitlist = int(0...9)
                return .counters(c)
            }
        }
        mutating func event() -> DomainEvent {
            DomainEvent(id: "ev_" + text(max: 1), type: EventType.allCases.randomElement(using: &rng)!, at: instant(), actor: actor(),
                        booking: maybe { $0.booking() }, waitlistEntry: maybe { $0.waitlist() },
                        slot: maybe { Slot(resource: ResourceID("res_1"), range: $0.range()) })
        }
        mutating func transaction(_ i: Int) -> Transaction {
            Transaction(at: instant(), actor: actor(), mutations: (0..<int(1...9)).map { mutation(i + $0) },
                        events: (0..<int(0...3)).map { _ in event() })
        }
    }

    static let formattings: [JSONEncoder.OutputFormatting] = [[], [.sortedKeys], [.sortedKeys, .withoutEscapingSlashes], [.prettyPrinted]]

    static func encode<T: Encodable>(_ value: T, _ formatting: JSONEncoder.OutputFormatting) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = formatting
        return Array(try e.encode(value))
    }

    /// Decodes `bytes` both ways; both must agree on success (with equal values) or failure.
    @discardableResult
    static func agree<T: Decodable & Equatable>(_ type: T.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> T? {
        let foundation = try? JSONDecoder().decode(T.self, from: Data(bytes))
        let compact: T?
        do { compact = try CompactJSONDecoder().decode(T.self, from: bytes) } catch { compact = nil }
        #expect(foundation == compact, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        return compact
    }

    // MARK: (a) Differential over the model

    @Test func randomTransactionsDecodeLikeJSONDecoder() throws {
        var gen = Gen(rng: Seeded(state: 20270301))
        for i in 0..<250 {
            let tx = gen.transaction(i)
            let record = JournalRecord(seq: UInt64(i) * 7_777_777_777, tx: tx)
            for f in Self.formattings {
                let bytes = try Self.encode(record, f)
                let compact = try CompactJSONDecoder().decode(JournalRecord.self, from: bytes)
                let foundation = try JSONDecoder().decode(JournalRecord.self, from: Data(bytes))
                #expect(compact.tx == foundation.tx)
                #expect(compact.tx == tx)
                #expect(compact.seq == record.seq)
                let replay = try RecordSchema.readReplay(bytes[...])
                #expect(replay.tx.mutations == tx.mutations && replay.tx.actor == tx.actor && replay.tx.at == tx.at)
            }
        }
    }

    @Test func randomBookingPartitionsDecodeLikeJSONDecoder() throws {
        var gen = Gen(rng: Seeded(state: 42))
        for n in [0, 1, 2, 17, 200] {
            let bookings = (0..<n).map { _ in gen.booking() }
            for f in Self.formattings {
                let bytes = try Self.encode(bookings, f)
                let compact = try CompactJSONDecoder().decode([Booking].self, from: bytes)
                #expect(compact == (try JSONDecoder().decode([Booking].self, from: Data(bytes))))
                #expect(compact == bookings)
            }
        }
    }

    /// Manifests: ManifestSchemaTests.
    @Test func dictionariesDecode() throws {
        // Duplicate keys: JSONDecoder keeps the first; so does the compact decoder.
        Self.agree([String: Int].self, Array(#"{"a":1,"b":2,"a":3}"#.utf8))
        #expect(Self.agree([String: Int].self, Array(#"{"a":1,"b":2,"a":3}"#.utf8)) == ["a": 1, "b": 2])
        #expect(Self.agree(Counters.self, Array(#"{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5,"bookings":9}"#.utf8))?.bookings == 1)
        // Objects over 16 keys take the sorted duplicate check: a manifest's file table has thousands.
        var big = (0..<40).map { "\"k\($0)\":\($0)" }
        #expect(Self.agree([String: Int].self, Array(("{" + big.joined(separator: ",") + "}").utf8))?.count == 40)
        big.insert("\"k7\":99", at: 30)
        let withDuplicate = Self.agree([String: Int].self, Array(("{" + big.joined(separator: ",") + "}").utf8))
        #expect(withDuplicate?["k7"] == 7 && withDuplicate?.count == 40)
        // An escaped key matches its plain spelling.
        #expect(Self.agree(Counters.self, Array(#"{"\u0062ookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":5}"#.utf8))?.bookings == 1)
    }

    @Test func manifestFindsPartitionsByMonth() {
        var files: [String: Manifest.FileEntry] = ["customers.json": .init(crc: "0", size: 0)]
        for m in ["2026-12", "2027-01", "2027-02", "2027-10", "2027-11"] {
            for r in ["res_a", "res_b"] { files["bookings/\(m)/\(r).json"] = .init(crc: "0", size: 1) }
        }
        let m = Manifest(format: 2, generation: 1, lastSequence: 0, counters: Counters(), maxBookingSeconds: 0, files: files)
        #expect(m.partitions.count == 10)
        #expect(Array(m.partitions(fromMonth: "2027-01", toMonth: "2027-02")) == ["2027-01/res_a", "2027-01/res_b", "2027-02/res_a", "2027-02/res_b"])
        #expect(Array(m.partitions(fromMonth: "2027-02", toMonth: "2027-02")) == ["2027-02/res_a", "2027-02/res_b"])
        #expect(Array(m.partitions(fromMonth: "2027-03", toMonth: "2027-09")).isEmpty)
        #expect(Array(m.partitions(fromMonth: "2000-01", toMonth: "2099-12")) == m.partitions)
        #expect(Array(m.partitions(fromMonth: "2027-11", toMonth: "2027-10")).isEmpty)
    }

    // MARK: (b) Hand-written edge cases

    @Test func stringsNumbersAndNulls() throws {
        let strings: [(String, String)] = [
            (#""""#, ""), (#""a\"b\\c\/d""#, "a\"b\\c/d"), (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"), (#""\ud83d\ude00""#, "😀"), (#""\uD834\uDD1E x""#, "𝄞 x"), (#""\u0000""#, "\u{0}"),
            ("\"日本 😀\"", "日本 😀"), ("\"\u{7F}\"", "\u{7F}"), ("\u{FEFF}\"bom\"", "bom"),
        ]
        for (json, expected) in strings {
            #expect(Self.agree(String.self, Array(json.utf8)) == expected, "\(json)")
        }
        #expect(Self.agree(Int.self, Array(" \n\t\r 42 \r\n".utf8)) == 42)
        #expect(Self.agree(Int64.self, Array("-9223372036854775808".utf8)) == Int64.min)
        #expect(Self.agree(Int64.self, Array("9223372036854775807".utf8)) == Int64.max)
        #expect(Self.agree(UInt64.self, Array("18446744073709551615".utf8)) == UInt64.max)
        #expect(Self.agree(Int.self, Array("-0".utf8)) == 0)
        #expect(Self.agree(UInt.self, Array("-0".utf8)) == 0)
        #expect(Self.agree(Int.self, Array("1e2".utf8)) == 100)
        #expect(Self.agree(Int.self, Array("1.0".utf8)) == 1)
        #expect(Self.agree(Int.self, Array("12.50e1".utf8)) == 125)
        #expect(Self.agree(Int64.self, Array("4e18".utf8)) == 4_000_000_000_000_000_000)
        #expect(Self.agree(UInt8.self, Array("100.0".utf8)) == 100)
        #expect(Self.agree(Double.self, Array("-1.5e+3".utf8)) == -1500)
        #expect(Self.agree(Double.self, Array("1E-2".utf8)) == 0.01)
        #expect(Self.agree(Double.self, Array("123456789012345678901234567890".utf8)) == 1.2345678901234568e+29)
        #expect(Self.agree(Double.self, Array("0.1".utf8)) == 0.1)
        #expect(Self.agree(Float.self, Array("0.1".utf8)) == 0.1)
        #expect(Self.agree(Bool.self, Array("true".utf8)) == true)
        #expect(Self.agree([Bool].self, Array("[false, true]".utf8)) == [false, true])
        #expect(Self.agree([Int?].self, Array("[1, null, -3]".utf8)) == [1, nil, -3])
        #expect(Self.agree([[Int]].self, Array("[[], [1], [[]]]".utf8)) == nil)   // type mismatch both ways
        #expect(Self.agree([[Int]].self, Array("[ [ ] , [1,2] ]".utf8)) == [[], [1, 2]])
        #expect(Self.agree([String: [Int]].self, Array("{}".utf8)) == [:])
        #expect(Self.agree(Int?.self, Array("null".utf8)) == .some(nil))
        // null for optionals, and a missing key, both decode as nil.
        var gen = Gen(rng: Seeded(state: 7))
        var b = gen.booking()
        b.customer = nil; b.series = nil; b.cancellation = nil; b.reminderSentAt = nil
        var text = String(decoding: try Self.encode(b, [.sortedKeys]), as: UTF8.self)
        text = text.replacingOccurrences(of: "{\"createdAt\"", with: "{\"customer\":null,\"series\" : null ,\"createdAt\"")
        #expect(text.contains("\"series\" : null"))
        #expect(Self.agree(Booking.self, Array(text.utf8)) == b)
    }

    // MARK: (c) Malformed input

    @Test func everyTruncationOfARecordThrows() throws {
        var gen = Gen(rng: Seeded(state: 99))
        let bytes = try Self.encode(JournalRecord(seq: 5, tx: gen.transaction(0)), [.withoutEscapingSlashes])
        let all = Array(bytes)
        #expect(all.count > 200)
        for cut in 0..<all.count {
            #expect(throws: DecodingError.self) { try CompactJSONDecoder().decode(JournalRecord.self, from: all[..<cut]) }
            #expect(throws: DecodingError.self) { try RecordSchema.readReplay(all[..<cut]) }
        }
    }

    @Test func flippedBytesThrowWhereJSONDecoderThrows() throws {
        var gen = Gen(rng: Seeded(state: 1234))
        let record = JournalRecord(seq: 5, tx: Transaction(at: gen.instant(), actor: gen.actor(), mutations: [.booking(gen.booking())]))
        let all = try Self.encode(record, [.withoutEscapingSlashes])
        let replacements: [UInt8] = [0x00, 0x09, 0x20, 0x22, 0x2C, 0x30, 0x5C, 0x5D, 0x7D, 0x6E, 0x80, 0xC3, 0xFF]
        for pos in 0..<all.count {
            for r in replacements where r != all[pos] {
                var damaged = all
                damaged[pos] = r
                let foundation = Result { try JSONDecoder().decode(JournalRecord.self, from: Data(damaged)) }
                let compact = Result { try CompactJSONDecoder().decode(JournalRecord.self, from: damaged) }
                switch (foundation, compact) {
                case (.failure, .success(let v)):
                    Issue.record("accepted what JSONDecoder rejects at \(pos) -> \(r): \(v)")
                case (.success(let a), .success(let b)):
                    #expect(a.seq == b.seq && a.tx == b.tx)
                case (.success, .failure(let e)):
                    // Only the trailing commas JSONDecoder tolerates are rejected on purpose.
                    #expect(Self.hasTrailingComma(damaged), "rejected what JSONDecoder accepts at \(pos) -> \(r): \(e)")
                case (.failure, .failure):
                    break
                }
            }
        }
    }

    /// True if a `,` is followed by only whitespace and then `]` or `}` (strings not considered).
    static func hasTrailingComma(_ bytes: [UInt8]) -> Bool {
        var afterComma = false
        for c in bytes {
            switch c {
            case 0x2C: afterComma = true
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case 0x5D, 0x7D: if afterComma { return true }
            default: afterComma = false
            }
        }
        return false
    }

    /// The parser's eight-bytes-at-a-time string scan lands exactly on the first byte that
    /// needs attention, for random words made mostly of the bytes around the special ones.
    @Test func stringScanFindsTheFirstSpecialByte() {
        var rng = Seeded(state: 8)
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x41, 0x61]
        func special(_ b: UInt8) -> Bool { b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 }
        for round in 0..<200_000 {
            var bytes = (0..<8).map { _ in interesting.randomElement(using: &rng)! }
            // Most words in real text are plain: keep a third of them free of special bytes.
            if round % 3 == 0 { bytes = bytes.map { special($0) ? 0x41 : $0 } }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let mask = JSONParser.attentionMask(word)
            if let first = bytes.firstIndex(where: special) {
                #expect(mask != 0 && mask.trailingZeroBitCount >> 3 == first, "\(bytes)")
            } else {
                #expect(mask == 0, "\(bytes)")
            }
        }
    }

    @Test func malformedTextThrows() {
        let invalid: [String] = [
            "", " ", "{", "}", "[", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{1:1}", "{\"a\":1 \"b\":2}", "[,1]", "{,}",
            "01", "1.", ".5", "+1", "-", "1e", "1e+", "NaN", "Infinity", "tru", "nul", "[true false]", "\"abc", "\"\\x\"", "\"\\u12\"",
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"a\tb\"", "\"a\nb\"", "5 x", "[] []", "{}x", "1 2",
            "'a'", "[1]]", "{\"a\":1}}", "// c\n1", "[1,2,/*x*/3]",
        ]
        for text in invalid {
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode([String: Int].self, from: Array(text.utf8)) }
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode(Int.self, from: Array(text.utf8)) }
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode(String.self, from: Array(text.utf8)) }
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode([Int].self, from: Array(text.utf8)) }
        }
        let badUTF8: [[UInt8]] = [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0x80, 0x22],
                                  [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0x61, 0x22, 0x00], [0x22, 0xFF, 0x22]]
        for bytes in badUTF8 {
            #expect(throws: DecodingError.self) { try CompactJSONDecoder().decode(String.self, from: bytes) }
        }
        // Invalid text in a value the type never reads is still invalid.
        let unread: [String] = [#"{"b":"\ud800","a":1}"#, #"{"b":[1,2,{"c":"\q"}],"a":1}"#, #"{"b":01,"a":1}"#]
        for text in unread {
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode([String: Int].self, from: Array(text.utf8)) }
            #expect(throws: DecodingError.self, "\(text)") { try CompactJSONDecoder().decode(Counters.self, from: Array(text.utf8)) }
        }
        #expect(throws: DecodingError.self) {
            try CompactJSONDecoder().decode([Int].self, from: Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8))
        }
    }

    @Test func wrongTypesAndMissingKeysThrowWithPaths() throws {
        func error<T: Decodable>(_ type: T.Type, _ text: String) -> DecodingError? {
            do { _ = try CompactJSONDecoder().decode(T.self, from: Array(text.utf8)); return nil } catch let e as DecodingError { return e } catch { return nil }
        }
        func path(_ e: DecodingError?) -> [String] {
            switch e {
            case .typeMismatch(_, let c)?, .valueNotFound(_, let c)?, .keyNotFound(_, let c)?, .dataCorrupted(let c)?:
                return c.codingPath.map { $0.intValue.map { "\($0)" } ?? $0.stringValue }
            default: return ["?"]
            }
        }
        let tx = #"{"at":"2027-03-01T09:00:00Z","actor":{"user":"u","origin":"local","source":"cli"},"mutations":[{"counters":{"bookings":1,"resources":2,"customers":3,"schedules":4,"waitlist":"5"}}],"events":[]}"#
        let e1 = error(Transaction.self, tx)
        if case .typeMismatch? = e1 {} else { Issue.record("expected a type mismatch, got \(String(describing: e1))") }
        #expect(path(e1) == ["mutations", "0", "counters", "waitlist"])
        let e2 = error(Transaction.self, tx.replacingOccurrences(of: #""source":"cli""#, with: #""source":"fax""#))
        #expect(path(e2) == ["actor", "source"])
        let e3 = error(Transaction.self, tx.replacingOccurrences(of: #""origin":"local","#, with: ""))
        if case .keyNotFound(let k, _)? = e3 { #expect(k.stringValue == "origin") } else { Issue.record("\(String(describing: e3))") }
        #expect(path(e3) == ["actor"])
        let e4 = error(Transaction.self, tx.replacingOccurrences(of: "2027-03-01T09:00:00Z", with: "2027-13-01T09:00:00Z"))
        if case .dataCorrupted? = e4 {} else { Issue.record("\(String(describing: e4))") }
        #expect(path(e4) == ["at"])
        let e5 = error(Transaction.self, tx.replacingOccurrences(of: #""user":"u""#, with: #""user":null"#))
        if case .valueNotFound? = e5 {} else { Issue.record("\(String(describing: e5))") }
        #expect(path(e5) == ["actor", "user"])
        // A mutation must have exactly one key (its custom Codable uses allKeys).
        #expect(error(Mutation.self, #"{"forget_idempotency_key":"k","counters":{}}"#) != nil)
        #expect(error(Mutation.self, #"{}"#) != nil)
        #expect(try CompactJSONDecoder().decode(Mutation.self, from: Array(#"{"forget_idempotency_key":"k"}"#.utf8)) == .forgetIdempotencyKey("k"))
        // Numbers that do not fit.
        for (text, ok) in [("128", false), ("127", true), ("-129", false), ("1.5", false), ("1e400", false)] {
            #expect((error(Int8.self, text) == nil) == ok, "\(text)")
        }
        #expect(error(Double.self, "1e400") != nil)
        #expect(error(Float.self, "1e39") != nil)
        #expect(error(UInt64.self, "18446744073709551616") != nil)
        #expect(error(UInt64.self, "-1") != nil)
        #expect(error(Int64.self, "9223372036854775808") != nil)
        #expect(error(Bool.self, "1") != nil)
        #expect(error(String.self, "1") != nil)
        #expect(error(Int.self, "\"1\"") != nil)
        #expect(error([Int].self, "{}") != nil)
        #expect(error(Counters.self, "[]") != nil)
        #expect(error(Counters.self, "null") != nil)
    }

    @Test func containerOperations() throws {
        struct Probe: Decodable, Equatable {
            var keys: [String]
            var has: Bool
            var nilB: Bool
            var list: [Int]
            var nestedX: Int
            var superValue: Int
            enum K: String, CodingKey { case a, b, c, d, missing, `super` }
            enum N: String, CodingKey { case x }
            init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: K.self)
                keys = c.allKeys.map(\.stringValue).sorted()
                has = c.contains(.missing)
                nilB = try c.decodeNil(forKey: .b)
                var u = try c.nestedUnkeyedContainer(forKey: .c)
                var list: [Int] = []
                #expect(u.count == 4)
                while !u.isAtEnd {
                    if try u.decodeNil() { list.append(-1); continue }
                    if let v = try? u.decode(Int.self) { list.append(v) } else {
                        let n = try u.nestedContainer(keyedBy: N.self)
                        list.append(try n.decode(Int.self, forKey: .x) * 100)
                    }
                }
                #expect(throws: DecodingError.self) { try u.decode(Int.self) }
                self.list = list
                nestedX = try c.nestedContainer(keyedBy: N.self, forKey: .d).decode(Int.self, forKey: .x)
                superValue = try Int(from: c.superDecoder())
                #expect(try c.decodeIfPresent(Int.self, forKey: .missing) == nil)
                #expect(try c.decodeIfPresent(Int.self, forKey: .b) == nil)
                #expect(throws: DecodingError.self) { try c.decode(Int.self, forKey: .missing) }
            }
        }
        let text = #"{"a":1,"b":null,"c":[1,null,{"x":2},3],"d":{"x":4},"super":5,"zzz":0}"#
        let p = try CompactJSONDecoder().decode(Probe.self, from: Array(text.utf8))
        #expect(p == (try JSONDecoder().decode(Probe.self, from: Data(text.utf8))))
        #expect(p.keys == ["a", "b", "c", "d", "super"])
        #expect(!p.has && p.nilB && p.list == [1, -1, 200, 3] && p.nestedX == 4 && p.superValue == 5)
    }
}
