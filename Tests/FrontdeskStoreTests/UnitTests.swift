import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

@Suite struct UnitTests {
    @Test func crc32cStandardVector() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // Slicing-by-8 agrees with the byte-at-a-time loop on every length and alignment.
        var bytes = [UInt8](repeating: 0, count: 300)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 11) }
        for len in 0..<40 {
            let slice = Array(bytes[3..<(3 + len)])
            var c: UInt32 = 0xFFFF_FFFF
            for b in slice { c = CRC32C.tables[0][Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
            #expect(CRC32C.checksum(slice) == ~c)
        }
    }

    @Test func frameRejectsAnyChange() {
        let line = Frame.encode(Array(#"{"seq":1,"tx":{}}"#.utf8))
        #expect(Frame.payload(line.dropLast()) != nil)
        for i in 0..<(line.count - 1) {
            var bad = line
            bad[i] ^= 0x01
            #expect(Frame.payload(bad.dropLast()) == nil, "flip at \(i) accepted")
        }
    }

    @Test func scanClassifiesTails() throws {
        let tx = Transaction(at: Instant(seconds: 0), actor: .system)
        let r1 = try JournalRecord(seq: 1, tx: tx).encoded()
        let r2 = try JournalRecord(seq: 2, tx: tx).encoded()
        #expect(SegmentScan(bytes: r1 + r2, offset: 0, expect: 1).tail == .clean)
        #expect(SegmentScan(bytes: r1 + r2, offset: 0, expect: 1).records.count == 2)
        // Torn: a prefix, zeros, garbage.
        #expect(SegmentScan(bytes: r1 + r2.dropLast(5), offset: 0, expect: 1).tail == .torn(length: r2.count - 5))
        #expect(SegmentScan(bytes: r1 + [UInt8](repeating: 0, count: 100), offset: 0, expect: 1).tail == .torn(length: 100))
        var garbage = r1
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 { garbage.append(UInt8.random(in: 0...255, using: &rng)) }
        garbage.append(0x0A)
        #expect(SegmentScan(bytes: garbage, offset: 0, expect: 1).tail == .torn(length: 301))
        // Corrupt: a flipped byte in a complete record, a bad record before a good one, a gap.
        var flipped = r1 + r2
        flipped[r1.count + 20] ^= 0x04
        if case .corrupt = SegmentScan(bytes: flipped, offset: 0, expect: 1).tail {} else { Issue.record("flip in last record taken as torn") }
        var early = r1 + r2
        early[20] ^= 0x04
        if case .corrupt = SegmentScan(bytes: early, offset: 0, expect: 1).tail {} else { Issue.record("bad record before a good one not corrupt") }
        if case .corrupt = SegmentScan(bytes: r2, offset: 0, expect: 1).tail {} else { Issue.record("gap not reported") }
    }

    @Test func partitionNamesAreSafe() {
        #expect(Partition.month(Instant(seconds: 1_803_859_200)) == "2027-03")   // 2027-03-01
        #expect(Partition.month(Instant(seconds: 1_803_859_199)) == "2027-02")
        #expect(Partition.safe("res_AB-1") == "res_AB-1")
        #expect(Partition.safe("../x") == "%2E%2E%2Fx")
        #expect(Partition.safe("a\u{1}é") == "a%01%C3%A9")
        #expect(Partition.shardPath(7) == "directory/07.json")
        #expect(Partition.shardPath(63) == "directory/63.json")
        #expect(Partition.month(Instant(seconds: -1)) == "1969-12")
    }
}
