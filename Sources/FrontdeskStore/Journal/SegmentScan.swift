import FrontdeskCore
#if canImport(Glibc)
import Glibc
#endif

/// The result of reading a journal segment's bytes from some offset: the valid, consecutive
/// records, where they end, and what follows them.
///
/// Segments are preallocated: a writer fills a new segment with zeros and overwrites them with
/// records (see docs/STORAGE.md, "Preallocated segments"). So a run of zero bytes from a record
/// boundary to the end of what was read is the clean end of the journal (`padding`), not a
/// torn record.
struct SegmentScan {
    /// What lies after the last valid record.
    enum Tail: Equatable {
        /// Nothing, or only zero bytes (preallocated space): the journal ends at `validEnd`.
        case clean
        /// An incomplete or garbage last record (normal after a crash); ignored by readers,
        /// copied aside and zeroed by the next writer. `length` bytes from `validEnd` up to the
        /// last non-zero byte (zeros after them are padding).
        case torn(length: Int)
        /// Damage that is not a torn tail: a bad record followed by valid ones, zeros followed
        /// by a valid record, a complete text record with a wrong checksum, or a sequence gap.
        case corrupt(offset: Int64, detail: String)
    }

    var records: [JournalRecord] = []
    /// Absolute offset just after the last valid record.
    var validEnd: Int64
    var tail: Tail = .clean
    /// Zero bytes after `validEnd` when the tail is clean (preallocated space), up to the end of
    /// what was scanned.
    var padding = 0

    /// Nothing scanned yet: the journal ends at `offset`.
    init(empty offset: Int64) { validEnd = offset }

    /// Scans `bytes` (the file's content from `offset`), expecting the first record to be `expect`.
    ///
    /// At a record boundary, zeros up to the end of `bytes` are the clean end (preallocated
    /// space). Otherwise a bad region at the end with no valid record after it (looked for after
    /// every newline and every zero byte, so zeros followed by a record are corruption) is a
    /// torn tail when it has no newline, contains a zero byte (a block of the write that did not
    /// land: JSON never holds one), or is mostly non-text (garbage); a complete line of text
    /// whose checksum fails is reported as corruption, because a torn write rarely looks like
    /// that while a flipped bit in an acknowledged record does. Trailing zeros are ignored when
    /// judging the bad region.
    ///
    /// - Complexity: O(n) in the bytes scanned.
    /// `events: false` skips decoding the events (replay only needs the mutations), which
    /// roughly halves the decoding work.
    init(bytes: [UInt8], offset: Int64, expect: UInt64, events: Bool = false) {
        validEnd = offset
        var pos = 0
        var next = expect
        let n = bytes.count
        while pos < n {
            if bytes[pos] == 0 {
                if Zeros.allZero(bytes, from: pos) {
                    padding = n - pos
                    return
                }
                classifyBadTail(bytes, at: pos, offset: offset)
                return
            }
            guard let nl = SegmentScan.newline(in: bytes, from: pos) else {
                // An incomplete line: no record can follow it (every record ends with a newline).
                tail = .torn(length: Zeros.endOfContent(bytes, from: pos) - pos)
                return
            }
            let line = bytes[pos..<nl]
            if let body = Frame.payload(line) {
                let rec: JournalRecord
                do {
                    rec = events ? try RecordSchema.read(body) : try RecordSchema.readReplay(body)
                } catch {
                    tail = .corrupt(offset: offset + Int64(pos), detail: "record with a valid checksum does not decode: \(error)")
                    return
                }
                guard rec.seq == next else {
                    tail = .corrupt(offset: offset + Int64(pos), detail: "sequence gap: expected record \(next), found \(rec.seq)")
                    return
                }
                records.append(rec)
                next += 1
                pos = nl + 1
                validEnd = offset + Int64(pos)
                continue
            }
            classifyBadTail(bytes, at: pos, offset: offset)
            return
        }
    }

    /// A bad region starts at `pos` (a record boundary) and is not all zeros: torn or corrupt.
    private mutating func classifyBadTail(_ bytes: [UInt8], at pos: Int, offset: Int64) {
        let end = Zeros.endOfContent(bytes, from: pos)
        if SegmentScan.containsValidRecord(bytes, from: pos, to: end) {
            let what = bytes[pos] == 0 ? "zeros followed by a valid record" : "bad record (checksum or framing) followed by valid records"
            tail = .corrupt(offset: offset + Int64(pos), detail: what)
            return
        }
        let content = bytes[pos..<end]
        if content.contains(0) || !SegmentScan.looksLikeText(content) {
            tail = .torn(length: end - pos)
        } else {
            tail = .corrupt(offset: offset + Int64(pos), detail: "the last record is complete but its checksum does not match")
        }
    }

    /// `scan()`, repeated up to 5 times 2 ms apart while it reports corruption.
    ///
    /// Readers take no lock, and the last segment is read whole, padding included: one read
    /// can see a page from before a write and a later page from after the next one (zeros,
    /// then a record). Damage that is real is still there after the retries.
    static func settled<E: Error>(_ scan: () throws(E) -> SegmentScan) throws(E) -> SegmentScan {
        var result = try scan()
        var attempts = 0
        while case .corrupt = result.tail, attempts < 5 {
            attempts += 1
            usleep(2000)
            result = try scan()
        }
        return result
    }

    /// The index of the first newline at or after `start` (`memchr`: the generic `firstIndex`
    /// steps through a slice's indices, and this runs on every record at every open).
    static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            guard start < raw.count, let base = raw.baseAddress,
                  let hit = memchr(base + start, 0x0A, raw.count - start) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
    }

    static func looksLikeText(_ bytes: ArraySlice<UInt8>) -> Bool {
        var text = 0
        for b in bytes where (b >= 0x20 && b < 0x7F) || b == 0x0A || b >= 0x80 { text += 1 }
        // Flipped bytes in a real record leave it > 95% text; random garbage is ~60%.
        return text * 100 >= bytes.count * 95
    }

    /// Whether `bytes[start..<end]` holds a complete valid record anywhere: a record starts at
    /// `start`, after a newline or after a zero byte, and holds neither, so every maximal run of
    /// other bytes that a newline ends is a candidate.
    static func containsValidRecord(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        var pos = start
        while pos < end {
            var stop = pos
            while stop < end && bytes[stop] != 0x0A && bytes[stop] != 0 { stop += 1 }
            if stop < end && bytes[stop] == 0x0A && Frame.payload(bytes[pos..<stop]) != nil { return true }
            pos = stop + 1
        }
        return false
    }
}

/// Fast checks for runs of zero bytes (preallocated journal space).
enum Zeros {
    /// Whether every byte of `bytes` from `start` (up to `end`, else the end) is zero.
    static func allZero(_ bytes: [UInt8], from start: Int, to end: Int? = nil) -> Bool {
        bytes.withUnsafeBytes { raw in
            var i = start
            let n = end ?? raw.count
            // 64 bytes at a time: the common case is a whole preallocated megabyte.
            while i + 64 <= n {
                var acc: UInt64 = 0
                for k in stride(from: 0, to: 64, by: 8) { acc |= raw.loadUnaligned(fromByteOffset: i + k, as: UInt64.self) }
                if acc != 0 { return false }
                i += 64
            }
            while i < n { if raw[i] != 0 { return false }; i += 1 }
            return true
        }
    }

    /// One past the last non-zero byte at or after `start` (`start` if there is none).
    static func endOfContent(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBytes { raw in
            var i = raw.count
            while i - 8 >= start && raw.loadUnaligned(fromByteOffset: i - 8, as: UInt64.self) == 0 { i -= 8 }
            while i > start && raw[i - 1] == 0 { i -= 1 }
            return max(i, start)
        }
    }
}
