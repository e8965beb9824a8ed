/// A wall-clock date and time with no zone, to the second.
public struct LocalDateTime: Hashable, Comparable, Sendable {
    public var date: LocalDate
    /// Seconds since local midnight, `0..<86400`.
    public var secondOfDay: Int

    public init(date: LocalDate, secondOfDay: Int) {
        precondition((0..<86400).contains(secondOfDay), "secondOfDay out of range")
        self.date = date; self.secondOfDay = secondOfDay
    }

    public init(date: LocalDate, hour: Int, minute: Int, second: Int = 0) {
        self.init(date: date, secondOfDay: hour * 3600 + minute * 60 + second)
    }

    public var hour: Int { secondOfDay / 3600 }
    public var minute: Int { secondOfDay / 60 % 60 }
    public var second: Int { secondOfDay % 60 }

    /// The number of seconds this wall time would be after the epoch if read as UTC.
    var secondsSinceEpochAsUTC: Int64 { date.daysSinceEpoch * 86400 + Int64(secondOfDay) }

    init(secondsSinceEpochAsUTC s: Int64) {
        let days = s.floorDiv(86400)
        self.init(date: LocalDate(daysSinceEpoch: days), secondOfDay: Int(s - days * 86400))
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.date, a.secondOfDay) < (b.date, b.secondOfDay)
    }

    /// `YYYY-MM-DD HH:MM`, with `:SS` only when the seconds are not zero.
    public var text: String {
        "\(date) \(pad2(hour)):\(pad2(minute))" + (second == 0 ? "" : ":\(pad2(second))")
    }
}

/// The fields of an ISO-8601-like text: a local date-time and an optional UTC offset.
struct ISO8601Text {
    var local: LocalDateTime
    var offsetSeconds: Int?

    /// Parses `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM|±HH]`. Fractions are dropped.
    ///
    /// - Complexity: O(n), without allocating for native strings.
    static func parse(_ raw: String) -> ISO8601Text? {
        var raw = raw
        return raw.withUTF8 { parse(utf8: $0) }
    }

    static func parse(utf8 text: UnsafeBufferPointer<UInt8>) -> ISO8601Text? {
        guard text.count >= 16, text[10] == UInt8(ascii: "T") || text[10] == UInt8(ascii: " ") else { return nil }
        guard let date = fastDate(text) ?? LocalDate(String(decoding: UnsafeBufferPointer(rebasing: text[0..<10]), as: UTF8.self)) else {
            return nil
        }
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= text.count else { return nil }
            var v = 0
            for c in text[r] { guard c >= 48, c <= 57 else { return nil }; v = v * 10 + Int(c - 48) }
            return v
        }
        guard let h = num(11..<13), text[13] == UInt8(ascii: ":"), let m = num(14..<16), h < 24, m < 60 else { return nil }
        var i = 16
        var s = 0
        if i < text.count, text[i] == UInt8(ascii: ":") {
            guard let sec = num(17..<19), sec < 60 else { return nil }
            s = sec; i = 19
            if i < text.count, text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: ",") {
                i += 1
                let startFraction = i
                while i < text.count, text[i] >= 48, text[i] <= 57 { i += 1 }
                guard i > startFraction else { return nil }
            }
        }
        let local = LocalDateTime(date: date, hour: h, minute: m, second: s)
        if i == text.count { return ISO8601Text(local: local, offsetSeconds: nil) }
        if text[i] == UInt8(ascii: "Z") || text[i] == UInt8(ascii: "z") {
            return i + 1 == text.count ? ISO8601Text(local: local, offsetSeconds: 0) : nil
        }
        guard text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") else { return nil }
        let sign = text[i] == UInt8(ascii: "+") ? 1 : -1
        let rest = text.count - i - 1
        let oh: Int?, om: Int?
        switch rest {
        case 2: oh = num(i + 1..<i + 3); om = 0
        case 4: oh = num(i + 1..<i + 3); om = num(i + 3..<i + 5)
        case 5 where text[i + 3] == UInt8(ascii: ":"): oh = num(i + 1..<i + 3); om = num(i + 4..<i + 6)
        default: return nil
        }
        guard let hh = oh, let mm = om, hh <= 18, mm < 60 else { return nil }
        return ISO8601Text(local: local, offsetSeconds: sign * (hh * 3600 + mm * 60))
    }

    /// The date of a plain `DDDD-DD-DD` prefix (what ``LocalDate/init(_:)`` gives for it, without
    /// building and splitting a String); nil for anything else, which the caller parses the slow way.
    @inline(__always)
    private static func fastDate(_ t: UnsafeBufferPointer<UInt8>) -> LocalDate? {
        @inline(__always) func d(_ i: Int) -> Int? {
            let c = t[i] &- 48
            return c < 10 ? Int(c) : nil
        }
        guard t[4] == UInt8(ascii: "-"), t[7] == UInt8(ascii: "-"),
              let y0 = d(0), let y1 = d(1), let y2 = d(2), let y3 = d(3),
              let m0 = d(5), let m1 = d(6), let d0 = d(8), let d1 = d(9) else { return nil }
        return LocalDate(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }
}

extension LocalDateTime {
    /// Parses a wall-clock time with no offset: `2027-03-01 09:00`, `2027-03-01T09:00:30`.
    /// Text that carries an offset or `Z` is not a wall-clock time and gives nil.
    public init?(wallClock text: String) {
        guard let parsed = ISO8601Text.parse(text), parsed.offsetSeconds == nil else { return nil }
        self = parsed.local
    }
}
