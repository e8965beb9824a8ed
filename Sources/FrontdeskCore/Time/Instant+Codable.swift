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
        let days = seconds.floorDiv(86400)
        let secs = seconds - days * 86400
        return "\(LocalDate(daysSinceEpoch: days))T\(pad2(secs / 3600)):\(pad2(secs / 60 % 60)):\(pad2(secs % 60))Z"
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
