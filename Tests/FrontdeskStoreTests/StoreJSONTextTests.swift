import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
@testable import FrontdeskJSON

/// The store's JSON reading below the schemas: malformed text is refused whatever reads it,
/// the parser's string scan, and the manifest's partition index.
@Suite struct StoreJSONTextTests {
    @Test func manifestFindsPartitionsByMonth() throws {
        var files: [String: Manifest.FileEntry] = ["customers.json": .init(crc: "0", size: 0)]
        for m in ["2026-12", "2027-01", "2027-02", "2027-10", "2027-11"] {
            for r in ["res_a", "res_b"] { files["bookings/\(m)/\(r).json"] = .init(crc: "0", size: 1) }
        }
        let m = Manifest(format: 2, generation: 1, lastSequence: 0, counters: Counters(), maxBookingSeconds: 0, files: files)
        #expect(try m.partitions().count == 10)
        #expect(try Array(m.partitions(fromMonth: "2027-01", toMonth: "2027-02")) == ["2027-01/res_a", "2027-01/res_b", "2027-02/res_a", "2027-02/res_b"])
        #expect(try Array(m.partitions(fromMonth: "2027-02", toMonth: "2027-02")) == ["2027-02/res_a", "2027-02/res_b"])
        #expect(try Array(m.partitions(fromMonth: "2027-03", toMonth: "2027-09")).isEmpty)
        #expect(try Array(m.partitions(fromMonth: "2000-01", toMonth: "2099-12")) == m.partitions())
        #expect(try Array(m.partitions(fromMonth: "2027-11", toMonth: "2027-10")).isEmpty)
    }


    @Test func stringScanFindsTheFirstSpecialByte() {
        var rng = ModelGen.Seeded(state: 8)
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
            #expect(throws: JSONSyntaxError.self, "\(text)") { try SchemaValue.root(Array(text.utf8)) }
            #expect(throws: JSONSyntaxError.self, "\(text)") { try SchemaFile.readList(Array(text.utf8), CustomerSchema.read) }
            #expect(throws: JSONSyntaxError.self, "\(text)") { try DirectoryShardSchema.read(Array(text.utf8)) }
            #expect(throws: JSONSyntaxError.self, "\(text)") { try RecordSchema.read(Array(text.utf8)) }
        }
        let badUTF8: [[UInt8]] = [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0x80, 0x22],
                                  [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0x61, 0x22, 0x00], [0x22, 0xFF, 0x22]]
        for bytes in badUTF8 {
            #expect(throws: JSONSyntaxError.self) { try SchemaValue.root(bytes).string() }
        }
        // Invalid text in a value the type never reads is still invalid.
        let unread: [String] = [#"{"b":"\ud800","a":1}"#, #"{"b":[1,2,{"c":"\q"}],"a":1}"#, #"{"b":01,"a":1}"#]
        for text in unread {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try SchemaValue.root(Array(text.utf8)).object().value("a").integer(Int.self) }
            #expect(throws: JSONSyntaxError.self, "\(text)") { try BookingSchema.counters(SchemaValue.root(Array(text.utf8))) }
        }
        #expect(throws: JSONSyntaxError.self) {
            try SchemaValue.root(Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8))
        }
    }

}
