import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskJSON

/// A booking's `service`, `bufferBefore` and `bufferAfter` members in the booking schema:
/// written last and only when set, read by both readers, absent in older records, and a
/// buffer the engine would not keep refused by name.
@Suite struct BookingServiceSchemaTests {
    static func booking(service: String?, before: Int64, after: Int64, seed: UInt64) -> Booking {
        var b = BookingSchemaTests.bookings(1, seed: seed)[0]
        b.service = service.map(ServiceID.init)
        b.bufferBefore = TimeSpan(seconds: before)
        b.bufferAfter = TimeSpan(seconds: after)
        return b
    }

    @Test func serviceAndBuffersRoundTripThroughBothReaders() throws {
        for seed in 1...40 as ClosedRange<UInt64> {
            let b = Self.booking(service: seed % 3 == 0 ? nil : "svc_\(seed)", before: Int64(seed % 2) * 600,
                                 after: Int64(seed % 5) * 300 + (seed == 7 ? 86_400 - 1_200 : 0), seed: seed)
            let bytes = BookingSchemaTests.fast(b)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.read(doc, at: 0) == b, "seed \(seed)")
            #expect(try BookingSchema.read(SchemaValue.root(bytes)) == b, "seed \(seed)")
            #expect(try BookingSchema.readPartition(try BookingSchema.partitionBytes([b, b])) == [b, b])
        }
        let full = String(decoding: BookingSchemaTests.fast(Self.booking(service: "svc_cut", before: 300, after: 900, seed: 2)), as: UTF8.self)
        #expect(full.hasSuffix(#","service":"svc_cut","bufferBefore":300,"bufferAfter":900}"#), "\(full)")
        // A booking of plain resources is written as before: none of the members.
        let plain = String(decoding: BookingSchemaTests.fast(Self.booking(service: nil, before: 0, after: 0, seed: 2)), as: UTF8.self)
        #expect(!plain.contains("\"service\"") && !plain.contains("bufferBefore") && !plain.contains("bufferAfter"))
    }

    @Test func recordsWrittenBeforeReadWithoutServiceOrBuffers() throws {
        // Bytes as an older format-5 program writes them: no member at all.
        let b = Self.booking(service: nil, before: 0, after: 0, seed: 5)
        let bytes = BookingSchemaTests.fast(b)
        let read = try BookingSchema.read(SchemaValue.root(bytes))
        #expect(read.service == nil && read.bufferBefore == .zero && read.bufferAfter == .zero)
        let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
        #expect(BookingSchema.read(doc, at: 0)?.service == nil)
    }

    @Test func buffersTheEngineWouldNotKeepAreRefusedByName() throws {
        let template = String(decoding: BookingSchemaTests.fast(Self.booking(service: "svc_a", before: 60, after: 120, seed: 9)), as: UTF8.self)
        for (member, bad) in [("bufferBefore", "-60"), ("bufferAfter", "86401"), ("bufferAfter", "\"15m\""), ("bufferBefore", "1.5")] {
            let original = member == "bufferBefore" ? #""bufferBefore":60"# : #""bufferAfter":120"#
            let bytes = Array(template.replacingOccurrences(of: original, with: "\"\(member)\":\(bad)").utf8)
            let doc = try bytes.withUnsafeBytes { try JSONDocument($0) }
            #expect(BookingSchema.read(doc, at: 0) == nil, "\(member) \(bad)")
            #expect { try BookingSchema.read(SchemaValue.root(bytes)) } throws: { "\($0)".contains(member) }
            BookingSchemaTests.agree(bytes, "\(member) \(bad)")
        }
        let wrongService = Array(template.replacingOccurrences(of: #""service":"svc_a""#, with: #""service":7"#).utf8)
        #expect { try BookingSchema.read(SchemaValue.root(wrongService)) } throws: { "\($0)".contains("service") }
    }

    @Test func aWaitlistEntryKeepsItsService() throws {
        let e = WaitlistEntry(id: WaitlistEntryID("wl_1"), ref: "W-001", customer: CustomerID("cus_1"), resources: [ResourceID("res_a"), ResourceID("res_b")],
                              window: TimeRange(start: Instant(seconds: 1_800_000_000), end: Instant(seconds: 1_800_003_600)), duration: .minutes(30),
                              notes: "", createdAt: Instant(seconds: 1_799_000_000), createdBy: Author(user: "a", origin: "local", source: .cli),
                              service: ServiceID("svc_cut"))
        var out = JSONWriter()
        try WaitlistSchema.write(e, to: &out)
        #expect(String(decoding: out.bytes, as: UTF8.self).hasSuffix(#","service":"svc_cut"}"#))
        #expect(try WaitlistSchema.read(SchemaValue.root(out.bytes)) == e)
        var plain = e
        plain.service = nil
        var p = JSONWriter()
        try WaitlistSchema.write(plain, to: &p)
        #expect(!String(decoding: p.bytes, as: UTF8.self).contains("service"))
        #expect(try WaitlistSchema.read(SchemaValue.root(p.bytes)) == plain)
    }
}
