import Foundation
import FrontdeskCore

/// One journal line: `<crc32c 8 hex> {"seq":N,"tx":{...}}\n`, the checksum over the exact JSON bytes.
package struct JournalRecord: Codable, Sendable {
    package var seq: UInt64
    package var tx: Transaction

    package init(seq: UInt64, tx: Transaction) { self.seq = seq; self.tx = tx }

    /// The framed line, newline included.
    package func encoded() throws(StoreError) -> [UInt8] {
        let json: Data
        do { json = try JournalRecord.encoder.encode(self) } catch {
            throw .damaged(path: "(encoding)", detail: "cannot encode record \(seq): \(error)")
        }
        return Frame.encode(Array(json))
    }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes]
        return e
    }()
}

/// The line framing shared by journal records, event log lines and manifests.
package enum Frame {
    /// `<crc hex> <payload>\n`.
    package static func encode(_ payload: [UInt8]) -> [UInt8] {
        var out = Array(CRC32C.hex(CRC32C.checksum(payload)).utf8)
        out.reserveCapacity(payload.count + 10)
        out.append(0x20)
        out += payload
        out.append(0x0A)
        return out
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
