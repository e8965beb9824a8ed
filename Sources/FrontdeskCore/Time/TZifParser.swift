/// Reads TZif files (RFC 8536, versions 1 to 4): the compiled tz database that operating
/// systems install under /usr/share/zoneinfo.
///
/// The parser is defensive: every read is bounds-checked, every count is checked against the
/// bytes there are, transitions must ascend and name an existing type, and offsets must lie in
/// the RFC's range. A truncated or damaged file is a thrown `Failure`, never a trap.
///
/// Version 2 and later files repeat the data with 64-bit times after a version 1 block; only
/// that second block is read, followed by the footer's POSIX TZ rule. Files with leap-second
/// corrections (the `right/` tree) are refused: Frontdesk's instants are POSIX seconds.
enum TZifParser {
    /// Why a file is not usable TZif.
    enum Failure: Error, Hashable, CustomStringConvertible {
        case notTZif
        case truncated
        case invalid(String)

        var description: String {
            switch self {
            case .notTZif: return "not a TZif file"
            case .truncated: return "truncated TZif file"
            case .invalid(let why): return "invalid TZif file: \(why)"
            }
        }
    }

    /// Parses a whole file.
    ///
    /// - Complexity: O(n) in the file's size.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> ZoneRules {
        try bytes.withUnsafeBufferPointer { buffer throws(Failure) in try parse(buffer) }
    }

    /// Parses a whole file from its bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> ZoneRules {
        var r = Reader(bytes: bytes)
        let first = try Header(&r)
        guard first.version >= 2 else { return try Block(&r, header: first, timeSize: 4).rules(footer: nil) }
        // Skip the version 1 block: its size follows from its header's counts.
        try r.skip(first.blockSize(timeSize: 4))
        let second = try Header(&r)
        guard second.version >= 2 else { throw .invalid("second header is not version 2 or later") }
        let block = try Block(&r, header: second, timeSize: 8)
        // Footer: newline, POSIX TZ rule (possibly empty), newline.
        guard try r.byte() == 0x0A else { throw .invalid("footer does not start with a newline") }
        let start = r.offset
        while try r.byte() != 0x0A {}
        let text = UnsafeBufferPointer(rebasing: bytes[start..<r.offset - 1])
        var footer: PosixTZRule?
        if !text.isEmpty {
            guard let rule = PosixTZRule(utf8: text) else {
                throw .invalid("footer \"\(String(decoding: text, as: UTF8.self))\" is not a POSIX TZ rule")
            }
            footer = rule
        }
        return block.rules(footer: footer)
    }

    /// The 44-byte header: magic, version and six counts.
    private struct Header {
        let version: Int
        let isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt: Int

        init(_ r: inout Reader) throws(Failure) {
            guard r.remaining >= 4 else { throw r.offset == 0 ? .notTZif : .truncated }
            guard try r.byte() == 0x54, try r.byte() == 0x5A, try r.byte() == 0x69, try r.byte() == 0x66 else {
                throw r.offset <= 4 ? .notTZif : .invalid("second header lacks the TZif magic")
            }
            // 0 is version 1, then ASCII '2', '3', '4'; later versions only add features the
            // RFC lets older readers ignore, so they read as version 4.
            switch try r.byte() {
            case 0: version = 1
            case let v where v >= 0x32 && v <= 0x39: version = Int(v - 0x30)
            default: throw .invalid("unknown version")
            }
            try r.skip(15)
            isutcnt = try r.count(); isstdcnt = try r.count(); leapcnt = try r.count()
            timecnt = try r.count(); typecnt = try r.count(); charcnt = try r.count()
            guard typecnt > 0 else { throw .invalid("no local time types") }
            guard charcnt > 0 else { throw .invalid("no designation characters") }
            guard isutcnt == 0 || isutcnt == typecnt, isstdcnt == 0 || isstdcnt == typecnt else {
                throw .invalid("UT/local and standard/wall indicator counts do not match the types")
            }
        }

        /// Bytes of the data block that follows this header (counts are below 2^32, so the
        /// sum cannot overflow).
        func blockSize(timeSize: Int) -> Int {
            timecnt * timeSize + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt
        }
    }

    /// The data block's transitions and types, validated.
    private struct Block {
        let times: [Int64]
        let typeIndices: [UInt8]
        let types: [ZoneRules.Period]

        init(_ r: inout Reader, header h: Header, timeSize: Int) throws(Failure) {
            guard r.remaining >= h.blockSize(timeSize: timeSize) else { throw .truncated }
            var times: [Int64] = []
            times.reserveCapacity(h.timecnt)
            for _ in 0..<h.timecnt {
                let t = timeSize == 8 ? try r.int64() : Int64(try r.int32())
                if let last = times.last, t <= last { throw .invalid("transition times do not ascend") }
                times.append(t)
            }
            var typeIndices: [UInt8] = []
            typeIndices.reserveCapacity(h.timecnt)
            for _ in 0..<h.timecnt {
                let i = try r.byte()
                guard Int(i) < h.typecnt else { throw .invalid("transition names type \(i) of \(h.typecnt)") }
                typeIndices.append(i)
            }
            var types: [ZoneRules.Period] = []
            types.reserveCapacity(h.typecnt)
            for _ in 0..<h.typecnt {
                let utoff = try r.int32()
                let isdst = try r.byte()
                let designation = try r.byte()
                // RFC 8536 §3.2: offsets within (-25 h, +26 h); isdst 0 or 1.
                guard utoff > -89_999, utoff < 93_599 else { throw .invalid("offset \(utoff) out of range") }
                guard isdst <= 1 else { throw .invalid("isdst \(isdst) is neither 0 nor 1") }
                guard Int(designation) < h.charcnt else { throw .invalid("designation index out of range") }
                types.append(ZoneRules.Period(offset: utoff, isDaylightSaving: isdst == 1))
            }
            try r.skip(h.charcnt)
            for _ in 0..<h.leapcnt {
                try r.skip(timeSize)
                // Version 4 may end the table with an expiry record repeating the previous
                // correction; any non-zero correction means leap-second-counting times.
                guard try r.int32() == 0 else { throw .invalid("leap-second corrections (a \"right/\" zone) are not supported") }
            }
            try r.skip(h.isstdcnt)
            for _ in 0..<h.isutcnt {
                guard try r.byte() <= 1 else { throw .invalid("UT/local indicator is neither 0 nor 1") }
            }
            self.times = times
            self.typeIndices = typeIndices
            self.types = types
        }

        func rules(footer: PosixTZRule?) -> ZoneRules {
            ZoneRules(initial: types[0], transitions: times, periods: typeIndices.map { types[Int($0)] }, footer: footer)
        }
    }

    /// A cursor that checks the end before every read.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        var remaining: Int { bytes.count - offset }

        mutating func skip(_ n: Int) throws(Failure) {
            guard n >= 0, n <= remaining else { throw .truncated }
            offset += n
        }

        mutating func byte() throws(Failure) -> UInt8 {
            guard offset < bytes.count else { throw .truncated }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func uint32() throws(Failure) -> UInt32 {
            guard remaining >= 4 else { throw .truncated }
            var v: UInt32 = 0
            for i in 0..<4 { v = v << 8 | UInt32(bytes[offset + i]) }
            offset += 4
            return v
        }

        mutating func int32() throws(Failure) -> Int32 { Int32(bitPattern: try uint32()) }

        mutating func int64() throws(Failure) -> Int64 {
            let high = UInt64(try uint32()), low = UInt64(try uint32())
            return Int64(bitPattern: high << 32 | low)
        }

        /// A header count; a count no file could hold is reported as truncation later.
        mutating func count() throws(Failure) -> Int { Int(try uint32()) }
    }
}
