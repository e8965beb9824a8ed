extension Instant: CustomStringConvertible {
    public var description: String { iso8601 }
}

extension Instant {
    /// The instant as `YYYY-MM-DDTHH:MM:SSZ`.
    ///
    /// Written as twenty ASCII bytes for years 1–9999 (every supported instant): history
    /// lines, fingerprints and messages format instants on every change.
    public var iso8601: String {
        let days = seconds.floorDiv(86400)
        let secs = seconds - days * 86400
        let date = LocalDate(daysSinceEpoch: days)
        guard (1...9999).contains(date.year) else {
            return "\(date)T\(pad2(secs / 3600)):\(pad2(secs / 60 % 60)):\(pad2(secs % 60))Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            @inline(__always) func put(_ v: Int, _ width: Int, at offset: Int) {
                var v = v
                for k in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(date.year, 4, at: 0); out[4] = 0x2D; put(date.month, 2, at: 5); out[7] = 0x2D; put(date.day, 2, at: 8)
            out[10] = 0x54; put(Int(secs / 3600), 2, at: 11); out[13] = 0x3A; put(Int(secs / 60 % 60), 2, at: 14)
            out[16] = 0x3A; put(Int(secs % 60), 2, at: 17); out[19] = 0x5A
            return 20
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS][.fff](Z|±HH:MM|±HHMM)`. Returns nil for anything else,
    /// including out-of-range fields such as month 13 or 25:00.
    public init?(iso8601 text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Instant(iso8601UTF8: $0) }) else { return nil }
        self = parsed
    }

    /// ``init(iso8601:)`` from UTF-8 bytes, for the store's decoder, which has the text's bytes
    /// and no `String`.
    package init?(iso8601UTF8 text: UnsafeBufferPointer<UInt8>) {
        guard let parsed = ISO8601Text.parse(utf8: text), let offset = parsed.offsetSeconds else { return nil }
        self = Instant(seconds: parsed.local.secondsSinceEpochAsUTC - Int64(offset))
    }
}

func pad2<T: BinaryInteger>(_ v: T) -> String { v < 10 ? "0\(v)" : "\(v)" }

extension Int64 {
    /// Division rounding towards negative infinity.
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
