import Foundation
import FrontdeskCore

/// The result of reading a journal segment's bytes from some offset: the valid, consecutive
/// records, where they end, and what follows them.
package struct SegmentScan {
    /// What lies after the last valid record.
    package enum Tail: Equatable {
        /// Nothing: the file ends exactly after a record.
        case clean
        /// An incomplete or garbage last record (normal after a crash); ignored by readers,
        /// copied aside and truncated by the next writer. `length` bytes from `validEnd`.
        case torn(length: Int)
        /// Damage that is not a torn tail: a bad record followed by valid ones, a complete
        /// text record with a wrong checksum, or a sequence gap.
        case corrupt(offset: Int64, detail: String)
    }

    package var records: [JournalRecord] = []
    /// Absolute offset just after the last valid record.
    package var validEnd: Int64
    package var tail: Tail = .clean

    /// Scans `bytes` (the file's content from `offset`), expecting the first record to be `expect`.
    ///
    /// A bad region at the end with no valid record after it is a torn tail when it has no
    /// newline, is all zeros, or is mostly non-text (garbage); a complete line of text whose
    /// checksum fails is reported as corruption, because a torn write rarely looks like that
    /// while a flipped bit in an acknowledged record does.
    ///
    /// - Complexity: O(n) in the bytes scanned.
    /// `events: false` skips decoding the events (replay only needs the mutations), which
    /// roughly halves the decoding work.
    package init(bytes: [UInt8], offset: Int64, expect: UInt64, events: Bool = false) {
        validEnd = offset
        var pos = 0
        var next = expect
        let n = bytes.count
        while pos < n {
            guard let nl = bytes[pos...].firstIndex(of: 0x0A) else {
                tail = .torn(length: n - pos)
                return
            }
            let line = bytes[pos..<nl]
            if let body = Frame.payload(line) {
                let rec: JournalRecord
                do {
                    if events { rec = try CompactJSONDecoder().decode(JournalRecord.self, from: body) } else {
                        let r = try CompactJSONDecoder().decode(ReplayRecord.self, from: body)
                        rec = JournalRecord(seq: r.seq, tx: Transaction(at: r.tx.at, actor: r.tx.actor, mutations: r.tx.mutations))
                    }
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
            // A bad line. Is anything valid after it?
            let rest = bytes[pos...]
            if SegmentScan.containsValidRecord(bytes, after: nl + 1) {
                tail = .corrupt(offset: offset + Int64(pos), detail: "bad record (checksum or framing) followed by valid records")
                return
            }
            if rest.allSatisfy({ $0 == 0 }) || !SegmentScan.looksLikeText(rest) {
                tail = .torn(length: rest.count)
            } else {
                tail = .corrupt(offset: offset + Int64(pos), detail: "the last record is complete but its checksum does not match")
            }
            return
        }
    }

    static func looksLikeText(_ bytes: ArraySlice<UInt8>) -> Bool {
        var text = 0
        for b in bytes where (b >= 0x20 && b < 0x7F) || b == 0x0A || b >= 0x80 { text += 1 }
        // Flipped bytes in a real record leave it > 95% text; random garbage is ~60%.
        return text * 100 >= bytes.count * 95
    }

    static func containsValidRecord(_ bytes: [UInt8], after start: Int) -> Bool {
        var pos = start
        while pos < bytes.count {
            guard let nl = bytes[pos...].firstIndex(of: 0x0A) else { return false }
            if Frame.payload(bytes[pos..<nl]) != nil { return true }
            pos = nl + 1
        }
        return false
    }
}

/// A journal record without its events, for replay.
struct ReplayRecord: Decodable {
    struct Changes: Decodable {
        var at: Instant
        var actor: Actor
        var mutations: [Mutation]
    }
    var seq: UInt64
    var tx: Changes

    enum CodingKeys: CodingKey { case seq, tx }

    /// Every process replays the journal since the last compaction when it opens the store:
    /// records of the usual shape are read straight from the store decoder's tokens
    /// (``BookingCodec/readReplay(_:at:)``), anything else through `Codable`.
    init(from decoder: any Decoder) throws {
        if let d = decoder as? JSONValueDecoder, let r = BookingCodec.readReplay(d.doc, at: d.current) {
            seq = r.seq
            tx = Changes(at: r.at, actor: r.actor, mutations: r.mutations)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seq = try c.decode(UInt64.self, forKey: .seq)
        tx = try c.decode(Changes.self, forKey: .tx)
    }
}
