import Foundation
import Testing

@testable import FrontdeskJSON

/// `JSONTree.serialized()` against `JSONSerialization`, whose bytes it keeps for Frontdesk's keys.
@Suite struct JSONTreeTests {
    static func foundation(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    @Test func keysAreSortedByTheirBytes() {
        // JSONEncoder's order; JSONSerialization's ICU collation differs on keys like these,
        // which Frontdesk does not write (see JSONTree.serialized()).
        let tree: JSONTree = ["createdAt": .integer(1), "created_at": .integer(2), "a10": .integer(3), "a9": .integer(4), "B": .integer(5), "a": .integer(6)]
        #expect(tree.text == #"{"B":5,"a":6,"a10":3,"a9":4,"createdAt":1,"created_at":2}"#)
    }

    @Test func handBuiltValuesWriteAsJSONSerializationWrites() throws {
        let strings = ["plain", "", "quote \" backslash \\ slash / tab \t nl \n cr \r", "\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}",
                       "é ü 中文 🙂", "\u{2028}\u{2029}", "https://example.com/a?b=c&d=e", "<script>"]
        let keysets = [["id", "ref", "resource", "resource_name", "start", "end", "status", "customer_name", "held_by", "occurrence_date"],
                       ["code", "message", "conflicts_with", "current_version"],
                       ["created_by", "updated_at", "hold_expires_at", "idempotency_key", "version", "history", "start", "start_local"],
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
                    default: any[k] = ["inner": s, "inner_2": [1, 2]] as [String: Any]; tree[k] = ["inner": .string(s), "inner_2": [.integer(1), .integer(2)]]
                    }
                }
                #expect(JSONTree.object(tree).text == (try Self.foundation(any)), "keys \(keys), string \(s.debugDescription)")
                #expect(JSONTree.array([.object(tree)]).text == (try Self.foundation([any])))
            }
        }
    }

    @Test func parsedTextIsWrittenBackAsJSONSerializationDoes() throws {
        let texts = [
            #"{"b":1,"a":[true,false,null],"c":{"y":"x\/y","x":"\u00e9\ud83d\ude42\n"}}"#,
            #"{"n":[0,-0,1,-1,1.0,1.5,-2.25,0.1,1e2,1E-5,1.5e3,123456789,9007199254740993,18446744073709551615,-9223372036854775808]}"#,
            #"{"big":[18446744073709551616,-9223372036854775809,0.30000000000000004,100000000000000000000.5]}"#,
            #"{"dup":1,"dup":2}"#, #"[1,{"trailing":"comma",},]"#, "\u{FEFF}[\"bom\"]",
            #"[]"#, #"{}"#, #""just a string""#, #"42"#,
            #"{"created_at":"2027-03-01T09:00:00Z","data":{"booking_id":"bk_1","booking_ref":"B-1"}}"#,
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
