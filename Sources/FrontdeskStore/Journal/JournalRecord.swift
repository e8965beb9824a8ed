import FrontdeskCore

/// One journal line: `<crc32c 8 hex> {"seq":N,"tx":{...}}\n`, the checksum over the exact JSON bytes.
///
/// Format 2 (`compactEvents`): an event whose booking is exactly the booking of one of the
/// record's mutations is written without it, and `"eventBookings"` (one entry per event: the
/// index of that mutation, or null) says where it is; decoding puts it back. Format 1 records
/// (no `eventBookings`) carry every event's booking in full; both read the same way
/// (``RecordSchema``).
package struct JournalRecord: Sendable {
    package var seq: UInt64
    package var tx: Transaction
    /// Write events' bookings as references to the record's mutations (format 2 stores).
    package var compactEvents = false

    package init(seq: UInt64, tx: Transaction, compactEvents: Bool = false) {
        self.seq = seq; self.tx = tx; self.compactEvents = compactEvents
    }

    /// The framed line, newline included (``RecordSchema/line(_:)``).
    package func encoded() throws(StoreError) -> [UInt8] { try RecordSchema.line(self) }

    /// For a format 2 record: per event, the index of the mutation that holds exactly its
    /// booking (written instead of the booking), or nil; nil when no event gets a reference.
    func eventBookingReferences() -> [Int?]? {
        guard compactEvents, tx.events.contains(where: { $0.booking != nil }) else { return nil }
        // The last mutation of each booking (a chunk may hold several versions of one).
        var index: [BookingID: Int] = [:]
        for (i, m) in tx.mutations.enumerated() { if case .booking(let b) = m { index[b.id] = i } }
        var refs: [Int?] = Array(repeating: nil, count: tx.events.count)
        var any = false
        for (i, e) in tx.events.enumerated() {
            guard let b = e.booking, let m = index[b.id], case .booking(let mb) = tx.mutations[m], mb == b else { continue }
            refs[i] = m
            any = true
        }
        return any ? refs : nil
    }
}

/// The line framing shared by journal records, event log lines and manifests.
package enum Frame {
    /// `<crc hex> <payload>\n`.
    package static func encode(_ payload: [UInt8]) -> [UInt8] {
        var out = header
        out.reserveCapacity(payload.count + 10)
        out += payload
        seal(&out)
        return out
    }

    /// Room for the checksum and its space, to write a payload after and then `seal`.
    static let header = [UInt8](repeating: 0x20, count: 9)

    /// Turns `header` + payload in `line` into the framed line: the payload's checksum over the
    /// header, and the newline. Lets a writer build a line in one buffer, without copying it.
    static func seal(_ line: inout [UInt8]) {
        let crc = line.withUnsafeBytes { CRC32C.update(0, UnsafeRawBufferPointer(rebasing: $0[header.count...])) }
        line.replaceSubrange(0..<8, with: CRC32C.hex(crc).utf8)
        line.append(0x0A)
    }

    /// The payload of one complete line (without its newline) if its checksum verifies.
    package static func payload(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard line.count >= 10 else { return nil }
        let s = line.startIndex
        guard line[s + 8] == 0x20 else { return nil }
        var v: UInt32 = 0
        for i in s..<(s + 8) {
            let c = line[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        let body = line[(s + 9)...]
        let crc = body.withUnsafeBytes { CRC32C.update(0, $0) }
        return crc == v ? body : nil
    }
}
