import Testing
@testable import FrontdeskStore

/// ``SeriesSchema``: the bytes existing stores hold, round trips, and errors naming the member.
@Suite struct SeriesSchemaTests {
    @Test func goldenBytesAndRoundTrips() throws {
        let golden = #"{"ser_8JXLWfRcAiB":["2026-12/res_6c7Df7Kd8tC","2027-01/res_6c7Df7Kd8tC","2027-02/res_6c7Df7Kd8tC"],"ser_A":[]}"#
        let map = try SeriesSchema.read(Array(golden.utf8))
        #expect(map == ["ser_8JXLWfRcAiB": ["2026-12/res_6c7Df7Kd8tC", "2027-01/res_6c7Df7Kd8tC", "2027-02/res_6c7Df7Kd8tC"], "ser_A": []])
        #expect(String(decoding: SeriesSchema.bytes(map), as: UTF8.self) == golden)
        // Keys sort by their written bytes, escapes included, as the store's encoder sorted them.
        let odd = ["b": ["x"], "a\"q": ["y\n"], "a": [], "": ["z"]]
        #expect(String(decoding: SeriesSchema.bytes(odd), as: UTF8.self) == #"{"":["z"],"a":[],"a\"q":["y\n"],"b":["x"]}"#)
        #expect(try SeriesSchema.read(SeriesSchema.bytes(odd)) == odd)
        #expect(try SeriesSchema.read(Array("{}".utf8)).isEmpty)
    }

    @Test func errorsNameTheMember() {
        func error(_ text: String) -> String {
            do { _ = try SeriesSchema.read(Array(text.utf8)); return "no error" } catch { return "\(error)" }
        }
        #expect(error(#"{"ser_a":"2027-01/r"}"#) == "ser_a: expected an array, found a string")
        #expect(error(#"{"ser_a":["2027-01/r",5]}"#) == "ser_a[1]: expected a string, found a number")
        #expect(error(#"["ser_a"]"#) == "expected an object, found an array")
        #expect(error(#"{"ser_a":[],}"#).hasPrefix("expected a quoted key or '}', found '}'"))
    }
}
