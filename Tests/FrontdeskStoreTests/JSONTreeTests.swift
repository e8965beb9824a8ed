import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

/// `JSONTree.serialized()` and `FoundationKeyOrder` against `JSONSerialization`, whose bytes they keep.
@Suite struct JSONTreeTests {
    /// A tiny deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func foundation(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    @Test func keyOrderIsFoundationsForRandomASCIIKeys() {
        var rng = Generator(state: 42)
        // No control characters: where ICU weighs them is not modelled (see FoundationKeyOrder).
        let alphabet = Array(" _-.$~aAbBzZ019_")
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            func key() -> String { String((0..<Int.random(in: 0...6, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
            let a = key(), b = key()
            let expected = a.compare(b, options: [.numeric, .caseInsensitive, .forcedOrdering], range: a.startIndex..<a.endIndex, locale: NSLocale.system)
            let got = FoundationKeyOrder.compare(a, b)
            let same = (expected == .orderedAscending && got < 0) || (expected == .orderedDescending && got > 0) || (expected == .orderedSame && got == 0)
            if !same { mismatches.append("\(a.debugDescription) vs \(b.debugDescription)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(10))")
    }

    @Test func keyOrderOfEveryPrintableASCIICharacter() throws {
        let keys = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }
        let expected = try Self.foundation(Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) }))
        let tree = JSONTree.object(Dictionary(uniqueKeysWithValues: keys.map { ($0, JSONTree.integer(1)) }))
        #expect(tree.text == expected)
    }

    @Test func keyOrderIsNotByteOrder() {
        // The cases that made a plain byte sort wrong for webhook bodies and `--json` output.
        #expect(FoundationKeyOrder.areInIncreasingOrder("created_at", "createdAt"))
        #expect(FoundationKeyOrder.areInIncreasingOrder("aa", "aB"))
        #expect(FoundationKeyOrder.areInIncreasingOrder("a9", "a10"))
        #expect(FoundationKeyOrder.areInIncreasingOrder("x_1", "x1"))
        #expect(FoundationKeyOrder.areInIncreasingOrder("ab", "aB") && FoundationKeyOrder.areInIncreasingOrder("aB", "Ab"))
    }

    @Test func handBuiltValuesWriteAsJSONSerializationWrites() throws {
        let strings = ["plain", "", "quote \" backslash \\ slash / tab \t nl \n cr \r", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}",
                       "é ü 中文 🙂", "\u{2028}\u{2029}", "https://example.com/a?b=c&d=e", "<script>"]
        let keysets = [["id", "ref", "resource", "resource_name", "start", "end", "status", "customer_name", "held_by", "occurrence_date"],
                       ["code", "message", "conflicts_with", "current_version"],
                       ["createdAt", "created_at", "createdBy", "updatedAt", "holdExpiresAt", "idempotencyKey", "version", "history"],
                       ["2027-03-01", "2027-12-25", "2027-03-10", "mon", "tue", "sat"]]
        for keys in keysets {
            for (n, s) in strings.enumerated() {
                var any: [String: Any] = [:]
                var tree: [String: JSONTree] = [:]
                for (i, k) in keys.enumerated() {
                    switch (i + n) % 6 {
                    case 0: any[k] = s; tree[k] = .string(s)
                    case 1: any[k] = i * 1000 - 3000; tree[k] = .integer(i * 1000 - 3000)
                    case 2: any[k] = i % 2 == 0; tree[k] = .bool(i % 2 == 0)
                    case 3: any[k] = (nil as String?) as Any; tree[k] = .string(nil as String?)
                    case 4: any[k] = [s, "x"]; tree[k] = [.string(s), "x"]
                    default: any[k] = ["inner": s, "Inner2": [1, 2]] as [String: Any]; tree[k] = ["inner": .string(s), "Inner2": [.integer(1), .integer(2)]]
                    }
                }
                #expect(JSONTree.object(tree).text == (try Self.foundation(any)), "keys \(keys), string \(s.debugDescription)")
                #expect(JSONTree.array([.object(tree)]).text == (try Self.foundation([any])))
            }
        }
    }

    @Test func parsedTextIsWrittenBackAsJSONSerializationDoes() throws {
        let texts = [
            #"{"b":1,"a":[true,false,null],"C":{"y":"x\/y","x":"\u00e9\ud83d\ude42\n"}}"#,
            #"{"n":[0,-0,1,-1,1.0,1.5,-2.25,0.1,1e2,1E-5,1.5e3,123456789,9007199254740993,18446744073709551615,-9223372036854775808]}"#,
            #"{"big":[18446744073709551616,-9223372036854775809,0.30000000000000004,100000000000000000000.5]}"#,
            #"{"dup":1,"dup":2}"#, #"[1,{"trailing":"comma",},]"#, "\u{FEFF}[\"bom\"]",
            #"[]"#, #"{}"#, #""just a string""#, #"42"#,
            #"{"createdAt":"2027-03-01T09:00:00Z","created_at":"x","data":{"bookingId":"bk_1","booking_ref":"B-1"}}"#,
        ]
        for text in texts {
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            let expected = try String(decoding: JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]), as: UTF8.self)
            #expect(try JSONTree(parsing: Array(text.utf8)).text == expected, "\(text)")
        }
        // Spelled out, so the test does not only say "same as Foundation".
        #expect(try JSONTree(parsing: Array(#"[1.0,-0,1e2,"a\/b"]"#.utf8)).text == #"[1,0,100,"a/b"]"#)
    }
}
