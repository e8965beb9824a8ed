import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// `otherResources` in the booking schema and the occupancy files.
@Suite struct OccupancySchemaTests {
    static func multi(_ others: [String]) -> Booking {
        var b = BookingSchemaTests.bookings(1, seed: 3)[0]
        b.otherResources = others.map(ResourceID.init)
        return b
    }

    @Test func otherResourcesAreWrittenLastAndReadByBothReaders() throws {
        let b = Self.multi(["res_chair", "res_projector"])
        let bytes = BookingSchemaTests.fast(b)
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#","otherResources":["res_chair","res_projector"]}"#))
        let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
        #expect(BookingSchema.read(doc, at: 0) == b)
        #expect(try BookingSchema.read(SchemaValue.root(bytes)) == b)
        #expect(try BookingSchema.readPartition(try BookingSchema.partitionBytes([b])) == [b])
        // A booking of one resource is written as before: no member at all.
        #expect(!String(decoding: BookingSchemaTests.fast(Self.multi([])), as: UTF8.self).contains("otherResources"))
    }

    @Test func listsTheEngineWouldNotMakeAreRefusedByName() throws {
        let home = Self.multi([]).resource.rawValue
        for (others, problem) in [([String](), "otherResources is empty"), ([home], "names the booking's own resource"),
                                  (["res_a", "res_a"], "names a resource twice"),
                                  ((0..<16).map { "res_\($0)" }, "a booking holds at most")] {
            var text = String(decoding: BookingSchemaTests.fast(Self.multi(["res_x"])), as: UTF8.self)
            text = text.replacingOccurrences(of: #"["res_x"]"#, with: "[" + others.map { "\"\($0)\"" }.joined(separator: ",") + "]")
            let bytes = Array(text.utf8)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.read(doc, at: 0) == nil, "\(others)")
            #expect { try BookingSchema.read(SchemaValue.root(bytes)) } throws: { "\($0)".contains(problem) }
            BookingSchemaTests.agree(bytes, "\(others)")
        }
    }

    @Test func occupancyFilesRoundTripAndRefuseWhatIsNotAPartition() throws {
        let entries = [OccupancySchema.Entry(id: "bk_b", home: "2027-03/res_a"), OccupancySchema.Entry(id: "bk_a", home: "2027-04/res_%2Fx")]
        let bytes = OccupancySchema.bytes(entries)
        #expect(String(decoding: bytes, as: UTF8.self) == #"[["bk_a","2027-04/res_%2Fx"],["bk_b","2027-03/res_a"]]"#)
        #expect(try OccupancySchema.read(bytes) == entries.sorted { $0.id < $1.id })
        for bad in [#"[["bk_a","../../etc"]]"#, #"[["bk_a"]]"#, #"[["bk_a","2027-03/res_a","x"]]"#, #"{"bk_a":1}"#, #"[["bk_a","2027-3/r"]]"#] {
            #expect(throws: (any Error).self, "\(bad)") { try OccupancySchema.read(Array(bad.utf8)) }
        }
        #expect(OccupancyLayout.key("occupancy/2027-03/res_a.json") == "2027-03/res_a")
        #expect(OccupancyLayout.key("bookings/2027-03/res_a.json") == nil)
    }
}
