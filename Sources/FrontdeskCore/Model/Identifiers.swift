import Synchronization

/// Identifiers are opaque strings with a kind prefix (`res_`, `bk_`, …) so that a stray id in
/// a log or a CSV says what it names.
public struct ResourceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public struct ScheduleID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A catalog service's id (`svc_…`).
public struct ServiceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public struct CustomerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A booking's id. Carries a 64-bit fingerprint of its text, computed once, because booking
/// ids are the keys of the largest tables (bookings, both interval indexes, the directory):
/// `hash(into:)` feeds the standard `Hasher` one word instead of the text, and a probe that
/// meets another key is told apart by comparing fingerprints before comparing text.
public struct BookingID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String { didSet { fingerprint = Self.fingerprint(rawValue) } }
    private var fingerprint: UInt64
    public init(_ raw: String) { rawValue = raw; fingerprint = Self.fingerprint(raw) }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public static func == (a: Self, b: Self) -> Bool { a.fingerprint == b.fingerprint && a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }


    /// FNV-1a over the UTF-8 bytes, from a per-process random basis, so that ids chosen to
    /// collide in one process (say, in a hand-edited file) do not collide in another.
    static func fingerprint(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var h = basis
            for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            return h
        }
    }

    private static let basis = 0xCBF2_9CE4_8422_2325 ^ UInt64.random(in: 0...UInt64.max)
}

public struct SeriesID: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
}

public struct WaitlistEntryID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(_ raw: String) { rawValue = raw }
    public var description: String { rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Makes new identifiers. Injected so that tests get predictable ids.
public protocol IdentifierSource: Sendable {
    /// A new identifier body, unique for practical purposes (`IdentifierBody`: 11 random
    /// base-62 characters).
    func next() -> String
}

/// The random part of an identifier: 11 characters of base 62 (`0-9A-Za-z`), 65.5 bits.
///
/// Eleven, so that a kind prefix of up to four bytes (`res_`, `evt_`) keeps the id within
/// 15 UTF-8 bytes, which Swift stores inside the `String` value itself (its small form):
/// copying one is no reference count and comparing one no pointer chase, which matters
/// because booking ids are the keys of the largest tables. At 10 million bookings the chance
/// that any two ids collide is about 10⁻⁶, and a new booking's id is checked against
/// everything loaded (`ChangePlan.newBookingID`).
public enum IdentifierBody {
    public static let length = 11
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A body from random 64-bit words: six bits a character, skipping the two six-bit values
    /// past the alphabet so that every character is equally likely; `word` is asked again when
    /// a word's bits run out (at least twice).
    public static func make(_ word: () -> UInt64) -> String {
        String(unsafeUninitializedCapacity: length) { out in
            var bits: UInt64 = 0, left = 0, i = 0
            while i < length {
                if left < 6 { bits = word(); left = 64 }
                let v = Int(bits & 63)
                bits >>= 6
                left -= 6
                if v < alphabet.count { out[i] = alphabet[v]; i += 1 }
            }
            return length
        }
    }
}

/// Random identifier bodies (`IdentifierBody`), one `SystemRandomNumberGenerator` word at a time.
public struct RandomIdentifierSource: IdentifierSource {
    public init() {}
    public func next() -> String {
        var g = SystemRandomNumberGenerator()
        return IdentifierBody.make { g.next() }
    }
}

/// Counting identifiers (`000001`, `000002`, …) for tests.
public final class SequentialIdentifierSource: IdentifierSource {
    private let counter = Mutex(0)
    public init() {}
    public func next() -> String {
        let n = counter.withLock { c -> Int in
            c += 1
            return c
        }
        let s = String(n)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }
}

/// Short human references that staff read out over the phone: Crockford base 32 (no I, L, O,
/// U), grouped as `B-7K2`. Derived from a counter kept in the state so they never collide.
public enum ShortReference {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// "B-007": `prefix`, a dash, and `number` in Crockford base 32, at least 3 digits.
    /// Written straight into the string's buffer (one is made for every new booking).
    public static func make(prefix: Character, number: Int) -> String {
        let n = max(0, number)
        var digits = 3
        while n >> (5 * digits) > 0 { digits += 1 }
        guard let head = prefix.asciiValue else {
            // A prefix of more than one byte: the same reference behind a stand-in, swapped.
            var ascii = make(prefix: "X", number: n)
            ascii.removeFirst()
            return String(prefix) + ascii
        }
        return String(unsafeUninitializedCapacity: 2 + digits) { out in
            out[0] = head
            out[1] = UInt8(ascii: "-")
            var m = n
            for i in stride(from: 1 + digits, to: 1, by: -1) {
                out[i] = alphabet[m & 31]
                m >>= 5
            }
            return 2 + digits
        }
    }
}
