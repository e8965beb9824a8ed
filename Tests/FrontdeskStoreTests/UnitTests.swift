import Foundation
import Synchronization
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

@Suite struct UnitTests {
    /// `syncfs` stands in for per-file fsyncs only where the kernel reports write-back errors
    /// through it (5.8 and later).
    @Test func syncfsIsTrustedFromLinux58() {
        for (release, ok) in [("5.8.0", true), ("5.10.0-28-amd64", true), ("6.18.2", true), ("10.0", true),
                              ("5.7.19", false), ("4.19.0-26-amd64", false), ("5", false), ("", false),
                              ("x.y", false), ("5.x", false), ("99999999999999999999.1", false)] {
            #expect(RealFileSystem.reportsSyncfsErrors(release: release) == ok, "\(release)")
        }
        // Turned off, whatever the kernel (the storetool's FRONTDESK_FSYNC_EACH=1).
        #expect(!RealFileSystem(syncFileSystem: false).syncsWholeFileSystem)
    }

    /// Segment names: the first sequence number in 20 zero-padded digits, then `.jsonl`.
    @Test func segmentNamesArePaddedToTwentyDigits() {
        #expect(Journal.segmentName(0) == String(repeating: "0", count: 20) + ".jsonl")
        #expect(Journal.segmentName(123) == "00000000000000000123.jsonl")
        #expect(Journal.pad(UInt64.max) == "18446744073709551615")
        for n in [1, 9, 10, 99_999, 1 << 40] as [UInt64] { #expect(UInt64(Journal.pad(n)) == n && Journal.pad(n).count == 20) }
    }

    /// The store's identifiers: 11 base-62 characters (`IdentifierBody`), never repeated,
    /// also when many threads draw from one source (its pool is refilled under a lock).
    @Test func fastRandomIdentifiersAreWellFormedAndDistinct() {
        let source = FastRandomIdentifiers()
        let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let perThread = 20_000, threads = 4
        let drawn = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var mine: [String] = []
            for _ in 0..<perThread { mine.append(source.next()) }
            drawn.withLock { $0 += mine }
        }
        let all = drawn.withLock { $0 }
        #expect(all.count == perThread * threads)
        #expect(Set(all).count == all.count, "an identifier repeated")
        #expect(all.allSatisfy { $0.count == 11 && $0.allSatisfy(alphabet.contains) })
        // Every character position takes many values (a pool handed out twice, or words not
        // refilled, would show as repeats above; stuck bits would show here).
        for i in 0..<11 {
            let column = Set(all.prefix(4_000).map { Array($0)[i] })
            #expect(column.count >= 58, "position \(i): \(column.count) distinct characters")
        }
    }

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
        // Torn: a prefix, garbage.
        #expect(SegmentScan(bytes: r1 + r2.dropLast(5), offset: 0, expect: 1).tail == .torn(length: r2.count - 5))
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

    /// Preallocated segments: zeros at a record boundary are the clean end; everything else
    /// is judged as in an unpadded segment, with the zeros after it left out.
    @Test func scanClassifiesZeroPadding() throws {
        let tx = Transaction(at: Instant(seconds: 0), actor: .system)
        let r1 = try JournalRecord(seq: 1, tx: tx).encoded()
        let r2 = try JournalRecord(seq: 2, tx: tx).encoded()
        let zeros = [UInt8](repeating: 0, count: 1000)
        // Clean: zeros after a record, or nothing but zeros.
        let padded = SegmentScan(bytes: r1 + r2 + zeros, offset: 0, expect: 1)
        #expect(padded.tail == .clean && padded.records.count == 2 && padded.validEnd == Int64(r1.count + r2.count) && padded.padding == 1000)
        #expect(SegmentScan(bytes: zeros, offset: 0, expect: 1).tail == .clean)
        #expect(SegmentScan(bytes: r1 + zeros, offset: 7, expect: 1).validEnd == 7 + Int64(r1.count))
        // Torn: a prefix followed by zeros (its length leaves the zeros out); a record whose
        // first or middle block did not land (zeros inside the line).
        #expect(SegmentScan(bytes: r1 + r2.dropLast(5) + zeros, offset: 0, expect: 1).tail == .torn(length: r2.count - 5))
        var hole = r2
        for i in 0..<min(12, hole.count - 1) { hole[i] = 0 }
        #expect(SegmentScan(bytes: r1 + hole + zeros, offset: 0, expect: 1).tail == .torn(length: r2.count))
        var middle = r2
        for i in 20..<24 { middle[i] = 0 }
        #expect(SegmentScan(bytes: r1 + middle + zeros, offset: 0, expect: 1).tail == .torn(length: r2.count))
        // Junk in the padding after the last record is torn, not part of the end.
        var junk = r1 + zeros
        junk[r1.count + 500] = 0x41
        #expect(SegmentScan(bytes: junk, offset: 0, expect: 1).tail == .torn(length: 501))
        // Corrupt: zeros followed by a valid record (a lost record, or one zeroed in place); a
        // flipped byte in the last record, though zeros follow it; a record after junk and zeros.
        let gap = SegmentScan(bytes: r1 + zeros + r2 + zeros, offset: 0, expect: 1)
        if case .corrupt(let at, let detail) = gap.tail {
            #expect(at == Int64(r1.count) && detail.contains("zeros followed by a valid record"))
        } else { Issue.record("zeros followed by a record: \(gap.tail)") }
        if case .corrupt = SegmentScan(bytes: zeros + r1, offset: 0, expect: 1).tail {} else { Issue.record("zeros before the first record") }
        var flipped = r1 + r2 + zeros
        flipped[r1.count + 20] ^= 0x04
        if case .corrupt = SegmentScan(bytes: flipped, offset: 0, expect: 1).tail {} else { Issue.record("flip in last record taken as torn") }
        if case .corrupt = SegmentScan(bytes: r1 + r2.dropLast(5) + zeros + r2, offset: 0, expect: 1).tail {} else {
            Issue.record("a record after a torn one and zeros")
        }
    }

    /// `stat` (statx, type/inode/size only) and `size` (lseek) agree with Foundation's view.
    @Test func realFileSystemStatAndSize() throws {
        let dir = Support.tempDir("statx")
        defer { Support.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/f"
        try Data(repeating: 7, count: 12345).write(to: URL(fileURLWithPath: path))
        let fs = RealFileSystem()
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        let st = try #require(fs.stat(path))
        #expect(!st.isDirectory && st.size == 12345 && st.inode == UInt64(attrs[.systemFileNumber] as! Int))
        #expect(fs.stat(dir)?.isDirectory == true)
        #expect(fs.stat(dir + "/missing") == nil)
        let f = try fs.open(path, flags: O_RDWR, mode: 0)
        defer { fs.close(f) }
        #expect(try fs.size(f) == 12345)
        try fs.writeAll(f, [1, 2, 3], at: 12345)
        #expect(try fs.size(f) == 12348)
        #expect(try fs.readRange(f, from: 12344, to: 12348) == [7, 1, 2, 3])
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
