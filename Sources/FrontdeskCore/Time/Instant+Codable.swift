/// Instants are written as ISO-8601 UTC text (`2027-03-01T09:00:00Z`) so that the store's JSON
/// files stay readable and hand-editable; a malformed value is a decoding error naming the text.
///
/// Only instants inside ``SupportedRange`` are written or read: encoding any other throws
/// `EncodingError.invalidValue`, so nothing unreadable is ever written, and a hand-edited time
/// outside it (year 10000, 1969) is a decoding error naming the text, as a malformed one is.
extension Instant: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Instant(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a UTC time like 2027-03-01T09:00:00Z, got \"\(text)\"")
        }
        guard SupportedRange.contains(parsed) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is outside the supported range (\(SupportedRange.text))")
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        guard SupportedRange.contains(self) else {
            throw EncodingError.invalidValue(self, EncodingError.Context(
                codingPath: encoder.codingPath, debugDescription: "\(iso8601) is outside the supported range (\(SupportedRange.text))"))
        }
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}

extension Instant: CustomStringConvertible {
    public var description: String { iso8601 }
}

extension Instant {
    /// The instant as `YYYY-MM-DDTHH:MM:SSZ`.
    public var iso8601: String {
        let text = String(unsafeUninitializedCapacity: 20) { writeISO8601(into: $0) ? 20 : 0 }
        if !text.isEmpty { return text }
        let days = seconds.floorDiv(86400)
        let secs = seconds - days * 86400
        return "\(LocalDate(daysSinceEpoch: days))T\(pad2(secs / 3600)):\(pad2(secs / 60 % 60)):\(pad2(secs % 60))Z"
    }

    /// Writes the 20 bytes of ``iso8601`` into `out` (at least 20 long) and returns true, or
    /// returns false, writing nothing, for an instant outside ``SupportedRange`` (the store's
    /// writer then refuses it; ``iso8601`` spells it out for messages).
    ///
    /// Byte by byte: every stored booking carries several of these, and building each as a
    /// `String` by interpolation would cost more than the rest of the booking's encoding; the
    /// store's booking codec writes them straight into its output.
    package func writeISO8601(into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard SupportedRange.contains(self), out.count >= 20 else { return false }
        let days = seconds.floorDiv(86400)
        let secs = Int(seconds - days * 86400)
        let date = LocalDate(daysSinceEpoch: days)
        func two(_ v: Int, at i: Int) { out[i] = UInt8(0x30 + v / 10); out[i + 1] = UInt8(0x30 + v % 10) }
        two(date.year / 100, at: 0); two(date.year % 100, at: 2); out[4] = 0x2D              // -
        two(date.month, at: 5); out[7] = 0x2D; two(date.day, at: 8); out[10] = 0x54           // - T
        two(secs / 3600, at: 11); out[13] = 0x3A; two(secs / 60 % 60, at: 14); out[16] = 0x3A // : :
        two(secs % 60, at: 17); out[19] = 0x5A                                                // Z
        return true
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
