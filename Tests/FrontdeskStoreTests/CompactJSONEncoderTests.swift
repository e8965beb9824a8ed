import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// The store's ``CompactJSONEncoder`` against Foundation's JSONEncoder: its output decodes to the
/// original value with both decoders, parses to the same JSON tree as JSONEncoder's, and is
/// byte-identical to it wherever JSONEncoder's key order does not come into it.
@Suite struct CompactJSONEncoderTests {
    typealias Gen = CompactJSONDecoderTests.Gen
    typealias Seeded = CompactJSONDecoderTests.Seeded

    static func compact<T: Encodable>(_ value: T) throws -> [UInt8] { try CompactJSONEncoder().encode(value) }

    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return Array(try e.encode(value))
    }

    /// Encodes `value` both ways and checks: equal parsed trees, no raw newline, and that both
    /// decoders give `value` back from the compact output. Returns the compact output.
    /// `tree: false` for dictionaries written as arrays of alternating keys and values, whose order
    /// JSONEncoder takes from the dictionary and the compact encoder sorts.
    @discardableResult
    static func check<T: Codable & Equatable>(_ value: T, tree: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        let bytes = try compact(value)
        let reference = try foundation(value)
        #expect(!bytes.contains(0x0A), "raw newline in \(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(try !hasDuplicateKeys(bytes), sourceLocation: sourceLocation)
        #expect(!tree || sameTree(bytes, reference), "\(String(decoding: bytes, as: UTF8.self))\n!=\n\(String(decoding: reference, as: UTF8.self))",
                sourceLocation: sourceLocation)
        #expect(try JSONDecoder().decode(T.self, from: Data(bytes)) == value, sourceLocation: sourceLocation)
        #expect(try CompactJSONDecoder().decode(T.self, from: bytes) == value, sourceLocation: sourceLocation)
        return bytes
    }

    /// True when some object of the text has a key twice (streaming writes keys as they come, so
    /// a type encoding a key twice would show here; JSONEncoder would have kept the last value).
    static func hasDuplicateKeys(_ bytes: [UInt8]) throws -> Bool {
        let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
        for (i, t) in doc.tokens.enumerated().dropLast() where t.kind == .object {
            var keys = Set<[UInt8]>()
            var pos = i + 1
            while pos < Int(t.b) {
                guard keys.insert(Array(doc.string(doc.tokens[pos]).utf8)).inserted else { return true }
                pos = doc.next(at: pos + 1)
            }
        }
        return false
    }

    /// True when both texts parse (JSONSerialization, fragments allowed) to equal trees: objects
    /// as key sets, strings compared by their UTF-8 bytes (not canonical equivalence).
    static func sameTree(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard let x = try? JSONSerialization.jsonObject(with: Data(a), options: [.fragmentsAllowed]),
              let y = try? JSONSerialization.jsonObject(with: Data(b), options: [.fragmentsAllowed]) else { return false }
        return same(x, y)
    }

    static func same(_ a: Any, _ b: Any) -> Bool {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
        case let (x as [Any], y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (x as String, y as String):
            return Array(x.utf8) == Array(y.utf8)
        case let (x as NSNumber, y as NSNumber):
            return x == y
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }

    // MARK: Differential over the model

    @Test func randomRecordsRoundTripAndMatchJSONEncoder() throws {
        var gen = Gen(rng: Seeded(state: 20271201))
        for i in 0..<300 {
            var tx = gen.transaction(i)
            // Half the records have events whose booking is one of the mutations (format 2 refs).
            if i % 2 == 0, case .booking(let b)? = tx.mutations.first(where: { if case .booking = $0 { true } else { false } }) {
                var e = gen.event()
                e.booking = b
                tx.events.append(e)
            }
            for compactEvents in [false, true] {
                let record = JournalRecord(seq: UInt64(i) &* 61_000_000_000_007, tx: tx, compactEvents: compactEvents)
                let bytes = try Self.compact(record)
                #expect(!bytes.contains(0x0A))
                #expect(try !Self.hasDuplicateKeys(bytes))
                #expect(Self.sameTree(bytes, try Self.foundation(record)), "\(String(decoding: bytes, as: UTF8.self))")
                let viaCompact = try CompactJSONDecoder().decode(JournalRecord.self, from: bytes)
                let viaFoundation = try JSONDecoder().decode(JournalRecord.self, from: Data(bytes))
                #expect(viaCompact.tx == tx && viaFoundation.tx == tx)
                #expect(viaCompact.seq == record.seq && viaFoundation.seq == record.seq)
                let replay = try RecordSchema.readReplay(bytes[...])
                #expect(replay.tx.mutations == tx.mutations)
            }
        }
    }

    @Test func framedRecordsVerifyAndDecode() throws {
        var gen = Gen(rng: Seeded(state: 5))
        for i in 0..<50 {
            let record = JournalRecord(seq: UInt64(i + 1), tx: gen.transaction(i), compactEvents: true)
            let line = try record.encoded()
            #expect(line.last == 0x0A && line.dropLast().allSatisfy { $0 != 0x0A })
            let payload = try #require(Frame.payload(line.dropLast()))
            #expect(try CompactJSONDecoder().decode(JournalRecord.self, from: payload).tx == record.tx)
        }
    }

    @Test func randomPartitionsAndReferenceFiles() throws {
        var gen = Gen(rng: Seeded(state: 77))
        for n in [0, 1, 2, 31, 300] {
            try Self.check((0..<n).map { _ in gen.booking() })
            try Self.check((0..<n).map { _ in gen.resource() })
            try Self.check((0..<n).map { _ in gen.schedule() })
            try Self.check((0..<n).map { _ in gen.waitlist() })
            try Self.check((0..<n).map { _ in gen.event() })
        }
        // Series map and directory shards.
        var series: [String: [String]] = [:]
        var shard = DirectoryShard()
        for i in 0..<200 {
            series[gen.text(max: 3) + "\(i)", default: []].append("2027-\(i % 12 + 1)/res_\(i % 7)")
            shard.ids["bk_\(gen.text(max: 2))\(i)"] = "2027-01/res_\(i)"
            shard.refs["B-\(i)"] = "bk_\(i)"
        }
        try Self.check(series)
        let bytes = try Self.compact(shard)
        #expect(Self.sameTree(bytes, try Self.foundation(shard)))
        for back in [try CompactJSONDecoder().decode(DirectoryShard.self, from: bytes), try JSONDecoder().decode(DirectoryShard.self, from: Data(bytes))] {
            #expect(back.ids == shard.ids && back.refs == shard.refs)
        }
    }

    // MARK: Strings

    static let hostile: [String] = [
        "", "plain", "\"", "\\", "/", "//", "\\\"", "\"}]\n{\"seq\":1}", "</script><script>alert(1)</script>", "'; DROP TABLE bookings; --",
        "\u{7F}", "é", "e\u{301}", "ñ̃̃", "日本語", "😀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFD}", "\u{10FFFF}",
        "\u{202E}evil\u{202C}", "a\u{0}b", "\\u0000", "\\ud800", "{\"a\":1}", "[1,]", "null", "\r\n", String(repeating: "x\"", count: 300),
        "Zoë O'Brien-Smith \"the boss\" \\ admin", "  leading and trailing  ", "tab\there", "O\u{308}",
    ]

    @Test func everyControlCharacterAndHostileStrings() throws {
        var strings = Self.hostile
        let controls = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        strings += controls
        strings.append(controls.joined())
        strings.append(controls.joined(separator: "a\"\\/"))
        for s in strings {
            let bytes = try Self.check(s)
            // A lone string has no keys: the bytes must be exactly JSONEncoder's.
            #expect(bytes == (try Self.foundation(s)), "\(s.debugDescription)")
            #expect(bytes.allSatisfy { $0 >= 0x20 }, "unescaped control byte for \(s.debugDescription)")
        }
        #expect(try Self.compact("a/b") == Array(#""a/b""#.utf8))
        #expect(try Self.compact("\u{1}\u{1F}\u{8}\u{C}\n\r\t") == Array(#""\u0001\u001f\b\f\n\r\t""#.utf8))
        // Strings as dictionary keys and inside the model.
        var dict: [String: String] = [:]
        for (i, s) in strings.enumerated() { dict[s] = strings[(i + 1) % strings.count] }
        // JSONSerialization drops a key's leading U+FEFF (so "\u{FEFF}" and "" collide there):
        // compare trees without that key, and check it round-trips through both decoders.
        try Self.check(dict, tree: false)
        try Self.check(dict.filter { !$0.key.hasPrefix("\u{FEFF}") })
        var gen = Gen(rng: Seeded(state: 3))
        for s in strings {
            var c = Customer(id: CustomerID("cu_" + s), ref: "C-1", name: s, phone: s, email: nil, notes: s)
            c.version = 3
            try Self.check(c)
            var b = gen.booking()
            b.notes = s
            b.history = [HistoryEntry(at: gen.instant(), actor: Actor(user: s, origin: s, source: .api), action: s, changes: [s, s], version: 1)]
            try Self.check(b)
        }
    }

    // MARK: Numbers

    @Test func doublesRoundTripExactlyAndAreWrittenLikeJSONEncoder() throws {
        var doubles: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, -2.0 / 3, .pi, 100, 1e-5, 1e-7, 2.5e-7, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22, 1e300,
            123456789.125, 9007199254740992, 9007199254740993, -9007199254740991, 4.35, 0.000001, 1234.5678e-300,
            .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            Double(Int64.max), Double(Int64.min), Double(Float.greatestFiniteMagnitude), .ulpOfOne, 1 + .ulpOfOne,
        ]
        var rng = Seeded(state: 11)
        for _ in 0..<2000 { doubles.append(Double(bitPattern: rng.next())) }
        doubles = doubles.filter(\.isFinite)
        let bytes = try Self.compact(doubles)
        #expect(bytes == (try Self.foundation(doubles)))
        for back in [try CompactJSONDecoder().decode([Double].self, from: bytes), try JSONDecoder().decode([Double].self, from: Data(bytes))] {
            #expect(back.map(\.bitPattern) == doubles.map(\.bitPattern))
        }
        #expect(try Self.compact([100.0, -0.0, 1e20, 1e-5]) == Array("[100,-0,1e+20,1e-05]".utf8))

        var floats: [Float] = [0, -0.0, 0.1, 1.0 / 3, 16_777_216, 16_777_217, .leastNonzeroMagnitude, .leastNormalMagnitude,
                               .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 3.4e38, 1e-10]
        for _ in 0..<2000 { floats.append(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))) }
        floats = floats.filter(\.isFinite)
        let fbytes = try Self.compact(floats)
        #expect(fbytes == (try Self.foundation(floats)))
        #expect(try JSONDecoder().decode([Float].self, from: Data(fbytes)).map(\.bitPattern) == floats.map(\.bitPattern))
    }

    struct Measure: Codable, Equatable {
        var label: String
        var value: Double
        var weight: Float
    }

    @Test func nonFiniteNumbersThrowLikeJSONEncoder() throws {
        for bad in [Double.nan, .infinity, -.infinity, .signalingNaN] {
            #expect(throws: EncodingError.self) { try Self.compact(bad) }
            #expect(throws: EncodingError.self) { try Self.compact([1, bad]) }
            #expect(throws: EncodingError.self) { try Self.compact(Measure(label: "x", value: bad, weight: 1)) }
            #expect(throws: EncodingError.self) { try Self.compact(Measure(label: "x", value: 1, weight: Float(bad))) }
            #expect(throws: EncodingError.self) { try Self.foundation(Measure(label: "x", value: bad, weight: 1)) }
        }
        // The path names the value, as JSONEncoder's does.
        do {
            _ = try Self.compact(["a": [Measure(label: "x", value: 1, weight: 1), Measure(label: "y", value: .nan, weight: 1)]])
            Issue.record("NaN was encoded")
        } catch EncodingError.invalidValue(_, let context) {
            #expect(context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue } == ["a", "1", "value"])
        }
        // A failed encode leaves an appended-to buffer as it was.
        var buffer: [UInt8] = Array("prefix ".utf8)
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode([Measure(label: "x", value: .infinity, weight: 1)], appendingTo: &buffer) }
        #expect(buffer == Array("prefix ".utf8))
        try CompactJSONEncoder().encode([1, 2], appendingTo: &buffer)
        #expect(buffer == Array("prefix [1,2]".utf8))
        try Self.check(Measure(label: "ok", value: -1.5e-300, weight: 0.25))
    }

    struct Integers: Codable, Equatable {
        var i: Int, i8: Int8, i16: Int16, i32: Int32, i64: Int64
        var u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64
        var flags: [Bool], maybe: Int?, none: String?
        var list: [Int8], big: [UInt64]
    }

    @Test func integersBoolsAndNils() throws {
        for v in [Integers(i: .min, i8: .min, i16: .min, i32: .min, i64: .min, u: 0, u8: 0, u16: 0, u32: 0, u64: 0,
                           flags: [true, false], maybe: nil, none: nil, list: [-128, 0, 127], big: [0, 9, 10, 99, 100, .max]),
                  Integers(i: .max, i8: .max, i16: .max, i32: .max, i64: .max, u: .max, u8: .max, u16: .max, u32: .max, u64: .max,
                           flags: [], maybe: 0, none: "", list: [], big: [])] {
            let bytes = try Self.check(v)
            #expect(v.maybe != nil || !String(decoding: bytes, as: UTF8.self).contains("maybe"), "encodeIfPresent omits the key")
        }
        let values: [Int] = [0, 1, -1, 9, 10, -10, 99, 100, 12345, Int.max, Int.min, Int.min + 1]
        #expect(try Self.compact(values) == (try Self.foundation(values)))
        #expect(try Self.compact([UInt64.max, 0, 7]) == Array("[18446744073709551615,0,7]".utf8))
        #expect(try Self.compact([Int?.none, 1, nil]) == Array("[null,1,null]".utf8))
        #expect(try Self.compact([true, false]) == Array("[true,false]".utf8))
        #expect(try Self.compact(Int8(-5)) == Array("-5".utf8))
        #expect(try Self.compact(Optional<Int>.none) == Array("null".utf8))
    }

    // MARK: Dictionaries

    struct Point: Codable, Hashable { var x: Int; var y: Int }

    @Test func dictionariesEncodeLikeDictionaryEncodeAndDecodeBack() throws {
        try Self.check([10: "ten", 9: "nine", -3: "minus three", Int.min: "min"])
        try Self.check([Point(x: 1, y: 2): "a", Point(x: -1, y: 0): "b", Point(x: 3, y: 3): "c"], tree: false)
        try Self.check([Weekday.monday: [DailyHours("09:00-17:00")!], .sunday: []])
        try Self.check([LocalDate(year: 2027, month: 12, day: 25)!: [DailyHours]()])
        try Self.check(["outer": ["b": [1, 2], "a": []], "": ["": []]])
        try Self.check([String: Int]())
        try Self.check([Point: Int](), tree: false)
        try Self.check([Int: [Int: Bool]](uniqueKeysWithValues: (0..<30).map { ($0, [$0: $0 % 2 == 0, -$0 - 1: true]) }))
        // Int keys are object keys (strings); other keys alternate key, value in an array.
        #expect(try Self.compact([10: 1]) == Array(#"{"10":1}"#.utf8))
        #expect(try Self.compact([Point(x: 1, y: 2): 5]) == Array(#"[{"x":1,"y":2},5]"#.utf8))
        #expect(try Self.compact([Weekday.tuesday: 1]) == Array(#"{"tue":1}"#.utf8))
    }

    /// Two equal dictionaries whose iteration orders differ.
    static func twoOrders<V>(_ pairs: [(String, V)]) -> ([String: V], [String: V]) {
        var a: [String: V] = [:]
        for (k, v) in pairs { a[k] = v }
        var b: [String: V] = [:]
        b.reserveCapacity(pairs.count * 40)
        for (k, v) in pairs.reversed() { b[k] = v }
        return (a, b)
    }

    /// A type of that name outside the standard library is not a dictionary.
    struct Dictionary<Key, Value>: Encodable { func encode(to encoder: Encoder) throws {} }

    @Test func dictionaryTypesAreRecognizedByTheirStandardLibraryName() {
        for _ in 0..<2 {  // the second round answers from memory
            #expect(DictionaryTypes.contains(Swift.Dictionary<String, Int>.self))
            #expect(DictionaryTypes.contains(Swift.Dictionary<Int, [String]>.self))
            #expect(DictionaryTypes.contains(Swift.Dictionary<LocalDate, Swift.Dictionary<String, Int>>.self))
            #expect(!DictionaryTypes.contains([Booking].self))
            #expect(!DictionaryTypes.contains(Set<String>.self))
            #expect(!DictionaryTypes.contains(DirectoryShard.self))
            #expect(!DictionaryTypes.contains(Dictionary<String, Int>.self))
            #expect(!DictionaryTypes.contains(KeyValuePairs<String, Int>.self))
        }
    }

    @Test func equalDictionariesGiveIdenticalBytes() throws {
        let pairs = (0..<300).map { ("key \($0) \(Self.hostile[$0 % Self.hostile.count])", $0) }
        let (a, b) = Self.twoOrders(pairs)
        #expect(a == b)
        #expect(Array(a.keys) != Array(b.keys), "the test needs two iteration orders")
        let bytes = try Self.compact(a)
        #expect(bytes == (try Self.compact(b)))
        // Sorted by the keys' bytes.
        #expect(try JSONDecoder().decode([String: Int].self, from: Data(bytes)) == a)
        let expected = "{" + pairs.sorted(by: { Self.escapedLess($0.0, $1.0) }).map { "\(String(decoding: try! Self.foundation($0.0), as: UTF8.self)):\($0.1)" }.joined(separator: ",") + "}"
        #expect(String(decoding: bytes, as: UTF8.self) == expected)

        // Nested dictionaries, dictionaries inside structs and arrays, non-String keys.
        let (sa, sb) = Self.twoOrders((0..<100).map { ("bk_\($0 * 7919 % 1000)", "2027-0\($0 % 9 + 1)/res_\($0 % 5)") })
        var shardA = DirectoryShard(), shardB = DirectoryShard()
        shardA.ids = sa; shardA.refs = sb
        shardB.ids = sb; shardB.refs = sa
        #expect(try Self.compact(shardA) == (try Self.compact(shardB)))
        let (na, nb) = Self.twoOrders((0..<60).map { i in ("s\(i)", Self.twoOrders((0..<i).map { ("m\($0)", [$0]) }).0) })
        let nbReordered = nb.mapValues { v in Self.twoOrders(v.map { ($0.key, $0.value) }).1 }
        #expect(na == nbReordered)
        #expect(try Self.compact([na]) == (try Self.compact([nbReordered])))
        var pa: [Point: String] = [:], pb: [Point: String] = [:]
        pb.reserveCapacity(5000)
        for i in 0..<200 { pa[Point(x: i, y: -i)] = "\(i)" }
        for i in (0..<200).reversed() { pb[Point(x: i, y: -i)] = "\(i)" }
        #expect(Array(pa.keys) != Array(pb.keys))
        #expect(try Self.compact(pa) == (try Self.compact(pb)))
        #expect(try JSONDecoder().decode([Point: String].self, from: Data(try Self.compact(pa))) == pa)
        var ia: [Int: Int] = [:], ib: [Int: Int] = [:]
        ib.reserveCapacity(5000)
        for i in 0..<500 { ia[i * 37] = i }
        for i in (0..<500).reversed() { ib[i * 37] = i }
        #expect(try Self.compact(ia) == (try Self.compact(ib)))
    }

    /// Orders strings as the encoder orders dictionary keys: by their escaped UTF-8 bytes.
    static func escapedLess(_ a: String, _ b: String) -> Bool {
        let ea = try! foundation(a).dropFirst().dropLast(), eb = try! foundation(b).dropFirst().dropLast()
        return ea.lexicographicallyPrecedes(eb)
    }

    @Test func schedulesAreDeterministic() throws {
        var gen = Gen(rng: Seeded(state: 8))
        for _ in 0..<50 {
            let s = gen.schedule()
            var copy = s
            copy.weekly = Self.twoOrders(s.weekly.map { ($0.key.rawValue, $0.value) }).1
                .reduce(into: [Weekday: [DailyHours]]()) { $0[Weekday(rawValue: $1.key)!] = $1.value }
            #expect(copy == s)
            #expect(try Self.compact(copy) == (try Self.compact(s)))
            try Self.check(s)
        }
    }

    // MARK: Foundation types JSONEncoder special-cases

    @Test func dateDataURLAndDecimalLikeJSONEncoder() throws {
        let dates = [Date(timeIntervalSinceReferenceDate: 12.5), Date(timeIntervalSince1970: 0), Date(timeIntervalSinceReferenceDate: -1e9)]
        #expect(try Self.compact(dates) == (try Self.foundation(dates)))
        let datas = [Data(), Data([0, 1, 2, 255]), Data("hello, world".utf8)]
        #expect(try Self.compact(datas) == (try Self.foundation(datas)))
        let urls = [URL(string: "https://example.org/a/b?c=d&e=%20#f")!, URL(fileURLWithPath: "/tmp/x y")]
        #expect(try Self.compact(urls) == (try Self.foundation(urls)))
        let decimals = [Decimal(string: "3.14")!, Decimal(string: "-100")!, Decimal(0), Decimal(string: "12345678901234567890.5")!]
        #expect(try Self.compact(decimals) == (try Self.foundation(decimals)))
        // JSONDecoder reads them back. (CompactJSONDecoder does not special-case these three as
        // JSONDecoder does; the store never stores them.)
        #expect(try JSONDecoder().decode([Date].self, from: Data(try Self.compact(dates))) == dates)
        #expect(try JSONDecoder().decode([Data].self, from: Data(try Self.compact(datas))) == datas)
        #expect(try JSONDecoder().decode([URL].self, from: Data(try Self.compact(urls))) == urls)
        #expect(try JSONDecoder().decode([Decimal].self, from: Data(try Self.compact(decimals))) == decimals)
        #expect(try CompactJSONDecoder().decode([Date].self, from: try Self.compact(dates)) == dates)
        #expect(throws: EncodingError.self) { try Self.compact([Decimal.nan]) }
    }

    // MARK: Containers

    /// Encodes nothing at all.
    struct Nothing: Codable, Equatable {
        init() {}
        init(from decoder: Decoder) throws {}
        func encode(to encoder: Encoder) throws {}
    }

    struct HoldsNothing: Codable, Equatable {
        var a = 1
        var nothing = Nothing()
        var list = [Nothing(), Nothing()]
        var maybe: Nothing? = Nothing()
    }

    @Test func valuesThatEncodeNothingBecomeEmptyObjects() throws {
        let bytes = try Self.check(HoldsNothing())
        #expect(bytes == Array(#"{"a":1,"nothing":{},"list":[{},{}],"maybe":{}}"#.utf8))
        // At the top level JSONEncoder refuses it, and so does the compact encoder.
        #expect(throws: EncodingError.self) { try Self.foundation(Nothing()) }
        #expect(throws: EncodingError.self) { try Self.compact(Nothing()) }
        #expect(try Self.compact([Nothing()]) == Array("[{}]".utf8))
    }

    /// Asks for keyed containers several times, with two key types, and nests containers.
    struct Merged: Encodable, Equatable {
        enum A: String, CodingKey { case x, list, inner }
        enum B: String, CodingKey { case y, z }
        func encode(to encoder: Encoder) throws {
            var a = encoder.container(keyedBy: A.self)
            try a.encode(1, forKey: .x)
            var list = a.nestedUnkeyedContainer(forKey: .list)
            try list.encode("first")
            var obj = list.nestedContainer(keyedBy: B.self)
            try obj.encode(true, forKey: .y)
            var deeper = obj.nestedUnkeyedContainer(forKey: .z)
            try deeper.encode(3)
            try deeper.encodeNil()
            var deepest = deeper.nestedUnkeyedContainer()
            try deepest.encode(4.5)
            try list.encode("after the nested object")   // closes obj, deeper and deepest
            var b = encoder.container(keyedBy: B.self)     // the same object as `a`
            try b.encode("why", forKey: .y)
            var inner = a.nestedContainer(keyedBy: B.self, forKey: .inner)
            try inner.encode([1, 2], forKey: .z)
            try b.encode(Point(x: 1, y: 2), forKey: .z)    // closes inner
        }
    }

    @Test func nestedAndMergedContainers() throws {
        let bytes = try Self.compact(Merged())
        #expect(Self.sameTree(bytes, try Self.foundation(Merged())), "\(String(decoding: bytes, as: UTF8.self))")
        #expect(bytes == Array(#"{"x":1,"list":["first",{"y":true,"z":[3,null,[4.5]]},"after the nested object"],"y":"why","inner":{"z":[1,2]},"z":{"x":1,"y":2}}"#.utf8))
    }

    class Animal: Codable {
        var name: String
        init(name: String) { self.name = name }
        enum K: String, CodingKey { case name }
        required init(from decoder: Decoder) throws { name = try decoder.container(keyedBy: K.self).decode(String.self, forKey: .name) }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(name, forKey: .name)
        }
    }

    /// Encodes its superclass through `superEncoder()`, and also into the same container.
    final class Dog: Animal, Equatable {
        var tricks: [String]
        var asSuper: Bool
        init(name: String, tricks: [String], asSuper: Bool) { self.tricks = tricks; self.asSuper = asSuper; super.init(name: name) }
        enum K: String, CodingKey { case tricks, asSuper, owner }
        required init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: K.self)
            tricks = try c.decode([String].self, forKey: .tricks)
            asSuper = try c.decode(Bool.self, forKey: .asSuper)
            try super.init(from: asSuper ? c.superDecoder() : decoder)
        }
        override func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(tricks, forKey: .tricks)
            try c.encode(asSuper, forKey: .asSuper)
            if asSuper {
                try super.encode(to: c.superEncoder())  // under "super"
            } else {
                try super.encode(to: encoder)           // merges into the same object
            }
        }
        static func == (a: Dog, b: Dog) -> Bool { a.name == b.name && a.tricks == b.tricks && a.asSuper == b.asSuper }
    }

    struct SuperInArray: Encodable {
        func encode(to encoder: Encoder) throws {
            var u = encoder.unkeyedContainer()
            try u.encode(1)
            try Animal(name: "in array").encode(to: u.superEncoder())
            _ = u.superEncoder()
            try u.encode(2)
        }
    }

    @Test func superEncoders() throws {
        let merged = Dog(name: "Rex", tricks: ["sit"], asSuper: false)
        let mergedBytes = try Self.compact(merged)
        #expect(mergedBytes == Array(#"{"tricks":["sit"],"asSuper":false,"name":"Rex"}"#.utf8))
        #expect(Self.sameTree(mergedBytes, try Self.foundation(merged)))
        #expect(try JSONDecoder().decode(Dog.self, from: Data(mergedBytes)) == merged)
        #expect(try CompactJSONDecoder().decode(Dog.self, from: mergedBytes) == merged)
        let nested = Dog(name: "Fido", tricks: [], asSuper: true)
        let nestedBytes = try Self.compact(nested)
        #expect(nestedBytes == Array(#"{"tricks":[],"asSuper":true,"super":{"name":"Fido"}}"#.utf8))
        #expect(Self.sameTree(nestedBytes, try Self.foundation(nested)))
        #expect(try JSONDecoder().decode(Dog.self, from: Data(nestedBytes)) == nested)
        #expect(try CompactJSONDecoder().decode(Dog.self, from: nestedBytes) == nested)

        let viaSuper = try Self.compact(SuperInArray())
        #expect(viaSuper == Array(#"[1,{"name":"in array"},{},2]"#.utf8))
        #expect(Self.sameTree(viaSuper, try Self.foundation(SuperInArray())))
    }

    struct SuperKeyed: Encodable {
        enum K: String, CodingKey { case a, owner }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try Animal(name: "base").encode(to: c.superEncoder())
            _ = c.superEncoder(forKey: .owner)
            try c.encode(1, forKey: .a)
        }
    }

    @Test func keyedSuperEncoders() throws {
        let bytes = try Self.compact(SuperKeyed())
        #expect(bytes == Array(#"{"super":{"name":"base"},"owner":{},"a":1}"#.utf8))
        #expect(Self.sameTree(bytes, try Self.foundation(SuperKeyed())))
    }

    /// A wrapper that encodes another value through its single value container.
    struct Wrapped<T: Codable & Equatable>: Codable, Equatable {
        var value: T
        init(_ value: T) { self.value = value }
        init(from decoder: Decoder) throws { value = try decoder.singleValueContainer().decode(T.self) }
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(value)
        }
    }

    @Test func singleValueContainers() throws {
        try Self.check(Wrapped(5))
        try Self.check(Wrapped("x"))
        try Self.check(Wrapped(Point(x: 1, y: 2)))
        try Self.check(Wrapped([Wrapped(["b": 1, "a": 2])]))
        try Self.check(Wrapped(Wrapped(Wrapped(Int?.none))))
        try Self.check([Wrapped(HoldsNothing()), Wrapped(HoldsNothing())])
        #expect(try Self.compact(Wrapped(Nothing())) == Array("{}".utf8))
        #expect(try Self.compact([Wrapped(Nothing())]) == Array("[{}]".utf8))
        #expect(try Self.compact(Wrapped(["z": 1, "a": 2])) == Array(#"{"a":2,"z":1}"#.utf8))
        var gen = Gen(rng: Seeded(state: 21))
        try Self.check(Wrapped(gen.booking()))
    }

    // MARK: Misuse is an error, never misplaced output

    struct StaleKeyed: Encodable {
        enum K: String, CodingKey { case a, b, c }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            var a = c.nestedContainer(keyedBy: K.self, forKey: .a)
            try a.encode(1, forKey: .a)
            try c.encode(2, forKey: .b)         // closes `a`
            try a.encode(3, forKey: .c)         // too late for streaming
        }
    }

    struct StaleIgnoringErrors: Encodable {
        func encode(to encoder: Encoder) throws {
            var u = encoder.unkeyedContainer()
            var first = u.nestedUnkeyedContainer()
            try u.encode(1)
            try? first.encode(2)                // the error is swallowed, but the encode still fails
            _ = first.nestedUnkeyedContainer()
        }
    }

    struct TwoSingleValues: Encodable {
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(1)
            try c.encode(2)
        }
    }

    struct KeyedAfterUnkeyed: Encodable {
        enum K: String, CodingKey { case a }
        func encode(to encoder: Encoder) throws {
            var u = encoder.unkeyedContainer()
            try u.encode(1)
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a)
        }
    }

    struct SameKeyTwice: Encodable {
        enum K: String, CodingKey { case a }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(1, forKey: .a)
            try c.encode(2, forKey: .a)
        }
    }

    @Test func aKeyEncodedTwiceIsWrittenTwice() throws {
        // The documented limitation of streaming (JSONEncoder keeps the last value: {"a":2}).
        let bytes = try Self.compact(SameKeyTwice())
        #expect(bytes == Array(#"{"a":1,"a":2}"#.utf8))
        #expect(try Self.hasDuplicateKeys(bytes))
        #expect(try !Self.hasDuplicateKeys(Self.foundation(SameKeyTwice())))
    }

    @Test func misusedContainersThrow() throws {
        #expect(throws: EncodingError.self) { try Self.compact(StaleKeyed()) }
        #expect(throws: EncodingError.self) { try Self.compact(StaleIgnoringErrors()) }
        #expect(throws: EncodingError.self) { try Self.compact(TwoSingleValues()) }
        #expect(throws: EncodingError.self) { try Self.compact(KeyedAfterUnkeyed()) }
        #expect(throws: EncodingError.self) { try Self.compact([StaleKeyed()]) }
        #expect(throws: EncodingError.self) { try Self.compact(["ok": [StaleKeyed()]]) }
    }

    // MARK: Deep nesting

    indirect enum Tree: Codable, Equatable {
        case leaf(Int)
        case node([Tree])
    }

    @Test func deepNesting() throws {
        var t = Tree.leaf(0)
        for i in 1...100 { t = .node(i % 3 == 0 ? [t, .leaf(i)] : [t]) }   // 300 levels of JSON: under both decoders' 512
        try Self.check(t)
    }
}
