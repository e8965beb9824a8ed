import Foundation
import Testing
@testable import FrontdeskJSON

/// `JSONTree(parsing:)` reads what `JSONSerialization` read, and says where it stops.
@Suite struct JSONTreeReaderTests {
    static let texts = [
        "[1,,2]", "[,]", "{,}", "[1,]", #"{"a":1,}"#, "[1,],", "[\"a\tb\"]", "[\"a\nb\"]", "[01]", "[1.]", "[.5]", "[-]", "[1e5]",
        "[1E+5]", #"["\ud800"]"#, #"["\udc00x"]"#, #"["\ud83d\ude42"]"#, " [1] ", "\u{FEFF}[1]", "[1] x", "[1]\n", "[true , false]",
        #"{"a" : 1 , "a":2}"#, #"["\u00e9"]"#, "[\"\u{7F}\"]", "[1]  [2]", #""str""#, "42", "null", "[+1]", "[Infinity]", "[NaN]",
        "[1 2]", #"{"a" 1}"#, #"["\/"]"#, "[\"\u{0}\"]", "[-0.0]", "[1e400]", "[123456789012345678901234567890]", "", " ",
        #"{"a":{"b":[{"c":null}]}}"#, #"["\q"]"#, #"["\u12"]"#, "[tru]", "{\"a\":1", #"{'a':1}"#, "[1]//", "[\"é\"]",
        "[" + String(repeating: "[", count: 600) + String(repeating: "]", count: 601),
    ]

    @Test func acceptsExactlyWhatJSONSerializationAccepts() {
        for text in Self.texts {
            let foundation = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
            let ours = (try? JSONTree(parsing: Array(text.utf8))) != nil
            #expect(ours == foundation, "\(text.prefix(40).debugDescription): Foundation \(foundation ? "accepts" : "refuses") it")
        }
    }

    @Test func readsValuesAsJSONSerializationDid() throws {
        let tree = try JSONTree(parsing: Array(#"{"s":"a\"\\\/\n\u00e9\ud83d\ude42","n":[0,-0,1.0,1.5,-2.5e-3,1e2,18446744073709551615,123456789012345678901234567890],"b":[true,false,null],"o":{},"dup":1,"dup":2,}"#.utf8))
        let o = try #require(tree.objectValue)
        #expect(o["s"] == .string("a\"\\/\né🙂"))
        #expect(o["n"] == [.number("0"), .number("0"), .number("1"), .number("1.5"), .number("-0.0025"), .number("100"),
                           .number("18446744073709551615"), .number("123456789012345678901234567890")])
        #expect(o["b"] == [.bool(true), .bool(false), .null])
        #expect(o["o"] == .object([:]))
        #expect(o["dup"] == .number("2"))
        #expect(o.count == 5)
    }

    @Test func errorsNameLineColumnAndWhatWasExpected() {
        func error(_ text: String) -> String {
            do { _ = try JSONTree(parsing: Array(text.utf8)); return "no error" } catch { return error.description }
        }
        #expect(error("{\n  \"quit\": \"q\",\n  \"undo\" \"u\"\n}") == #"line 3, column 10: expected ':' after the key "undo", found '"'"#)
        #expect(error("{\"a\": tru}") == "line 1, column 7: expected a value, found 't'")
        #expect(error("[1, 2") == "line 1, column 6: expected ',' or ']', found end of text")
        #expect(error("{\"é\": x}") == "line 1, column 7: expected a value, found 'x'")
        #expect(error("[\"a\tb\"]") == "line 1, column 4: unescaped control character U+9 in a string")
        #expect(error("[1] x") == "line 1, column 5: unexpected 'x' after the JSON value")
        #expect(error("[1e400]") == "line 1, column 2: the number 1e400 is too large")
        #expect(error("") == "line 1, column 1: expected a value, found the end of the text")
    }
}
