import Foundation
import Testing
import FrontdeskJSON

/// ``JSONWriter``'s structured calls against Foundation's `JSONEncoder` (`.sortedKeys`,
/// `.withoutEscapingSlashes`, with and without `.prettyPrinted`), the format the command
/// line's output and exports keep.
@Suite struct JSONWriterTests {
    struct Inner: Encodable { var a: [Int]; var b: [String: String]; var c: [Int] }
    struct Sample: Encodable {
        var empty_list: [Int] = []
        var empty_object: [String: Int] = [:]
        var flag = true
        var inner = Inner(a: [1, -2, 3], b: ["x": "y/z", "q": "\"\n\t\u{1}é🙂"], c: [])
        var list = [Inner(a: [], b: [:], c: [7])]
        var name = "Zoë \\ \"quoted\" </script>"
        var none: String? = nil
        var number = -9_223_372_036_854_775_807
        var ratio = 0.1
        var whole = 100.0
    }

    /// The same value through the writer's structured calls, members in sorted order.
    static func write(_ s: Sample, pretty: Bool) -> String {
        var w = JSONWriter(prettyPrinted: pretty)
        func inner(_ i: Inner) {
            w.beginObject()
            w.key("a"); w.beginArray(); for v in i.a { w.value(v) }; w.endArray()
            w.key("b"); w.beginObject(); for k in i.b.keys.sorted() { w.key(k); w.value(i.b[k]!) }; w.endObject()
            w.key("c"); w.beginArray(); for v in i.c { w.value(v) }; w.endArray()
            w.endObject()
        }
        w.beginObject()
        w.key("empty_list"); w.beginArray(); w.endArray()
        w.key("empty_object"); w.beginObject(); w.endObject()
        w.key("flag"); w.value(s.flag)
        w.key("inner"); inner(s.inner)
        w.key("list"); w.beginArray(); for i in s.list { inner(i) }; w.endArray()
        w.key("name"); w.value(s.name)
        w.key("number"); w.value(s.number)
        w.key("ratio"); w.value(s.ratio)
        w.key("whole"); w.value(s.whole)
        w.endObject()
        return String(decoding: w.bytes, as: UTF8.self)
    }

    @Test(arguments: [false, true])
    func structuredCallsWriteWhatJSONEncoderWrites(pretty: Bool) throws {
        let e = JSONEncoder()
        e.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        let foundation = String(decoding: try e.encode(Sample()), as: UTF8.self)
        #expect(Self.write(Sample(), pretty: pretty) == foundation)
    }

    @Test func prettyPrintedLayoutSpelledOut() {
        var w = JSONWriter(prettyPrinted: true)
        w.beginObject()
        w.key("a"); w.beginArray(); w.value(1); w.value("x"); w.endArray()
        w.key("b"); w.beginObject(); w.endObject()
        w.key("c"); w.nullValue()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == "{\n  \"a\" : [\n    1,\n    \"x\"\n  ],\n  \"b\" : {\n\n  },\n  \"c\" : null\n}")
    }

    @Test func topLevelValuesAndTrees() {
        var w = JSONWriter()
        w.value("a/b")
        #expect(w.bytes == Array(#""a/b""#.utf8))
        let tree: JSONTree = ["b": [.integer(1), .bool(false), .null], "a": .string("\u{7F}")]
        #expect(tree.text == "{\"a\":\"\u{7F}\",\"b\":[1,false,null]}")
        #expect(String(decoding: tree.serialized(prettyPrinted: true), as: UTF8.self) == "{\n  \"a\" : \"\u{7F}\",\n  \"b\" : [\n    1,\n    false,\n    null\n  ]\n}")
    }
}
