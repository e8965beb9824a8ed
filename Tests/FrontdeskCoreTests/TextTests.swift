import Foundation
import Testing
@testable import FrontdeskCore

/// The Foundation-free text helpers against Foundation itself, which they replace.
@Suite struct TextTests {
    @Test func whitespaceSetsAreFoundationsForEveryScalar() {
        var mismatches: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if WhitespaceSet.whitespaces.contains(s) != CharacterSet.whitespaces.contains(s) { mismatches.append("space U+\(String(v, radix: 16))") }
            if WhitespaceSet.whitespacesAndNewlines.contains(s) != CharacterSet.whitespacesAndNewlines.contains(s) { mismatches.append("newline U+\(String(v, radix: 16))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func trimmingMatchesFoundation() {
        let samples = [
            "", " ", "\t", "a", " a ", "\ta b\t", "  two  words  ", "\u{A0}x\u{3000}", "\u{200B}zero width\u{200B}",
            "\n a \n", "\r\nline\r\n", "x\u{85}", "\u{2028}para\u{2029}", " \u{301}accent on a space ", "e\u{301} ",
            "🙂 ", " 🙂", "\u{FEFF}bom", "\u{180E}mongolian\u{180E}", "\u{0B}\u{0C}vt ff",
        ]
        for s in samples {
            #expect(s.trimming(.whitespaces) == s.trimmingCharacters(in: .whitespaces), "\(s.debugDescription)")
            #expect(s.trimming(.whitespacesAndNewlines) == s.trimmingCharacters(in: .whitespacesAndNewlines), "\(s.debugDescription)")
            let sub = ("<" + s + ">").dropFirst().dropLast()
            #expect(sub.trimming(.whitespaces) == sub.trimmingCharacters(in: .whitespaces), "substring \(s.debugDescription)")
        }
        // Spelled out too, so the test does not only say "same as Foundation".
        #expect(" \u{301}x".trimming(.whitespaces).unicodeScalars.map(\.value) == [0x301, 0x78])
        #expect("\u{200B}a\u{A0}".trimming(.whitespaces) == "a")
        #expect("\na\n".trimming(.whitespaces) == "\na\n")
        #expect("\na\u{2029}".trimming(.whitespacesAndNewlines) == "a")
    }

    @Test func paddingMatchesFoundationForLabels() {
        for label in ["Reference", "Id", "Idempotency key", "  2027-03-01", "exactly sixteen!", "a label longer than the column"] {
            for width in [14, 16, 34] {
                #expect(label.padded(toLength: width) == label.padding(toLength: width, withPad: " ", startingAt: 0))
            }
        }
        #expect("ab".padded(toLength: 4) == "ab  ")
        #expect("abcdef".padded(toLength: 3) == "abc")
        // Characters, not UTF-16 units: an emoji is never cut in half.
        #expect("🙂🙂".padded(toLength: 3) == "🙂🙂 ")
        #expect("🙂🙂".padded(toLength: 1) == "🙂")
    }
}

/// Booking, resource and customer references: "B-007", Crockford base 32, at least 3 digits.
@Suite struct ShortReferenceTests {
    /// The definition the byte-level `make` must keep: digits by repeated division, padded to 3.
    static func reference(_ prefix: Character, _ number: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var n = number
        var chars: [Character] = []
        repeat { chars.append(alphabet[n % 32]); n /= 32 } while n > 0
        while chars.count < 3 { chars.append("0") }
        return "\(prefix)-" + String(chars.reversed())
    }

    @Test func knownReferences() {
        #expect(ShortReference.make(prefix: "B", number: 0) == "B-000")
        #expect(ShortReference.make(prefix: "B", number: 7) == "B-007")
        #expect(ShortReference.make(prefix: "R", number: 32) == "R-010")
        #expect(ShortReference.make(prefix: "C", number: 32 * 32 * 32) == "C-1000")
        #expect(ShortReference.make(prefix: "B", number: Int.max) == "B-7ZZZZZZZZZZZZ")
        #expect(ShortReference.make(prefix: "É", number: 32) == "É-010", "a prefix of more than one UTF-8 byte")
    }

    @Test func matchesTheDefinitionEverywhere() {
        var rng = SystemRandomNumberGenerator()
        let numbers = Array(0...5000) + (0..<5000).map { _ in Int.random(in: 0...Int.max, using: &rng) }
        for n in numbers {
            #expect(ShortReference.make(prefix: "W", number: n) == Self.reference("W", n), "\(n)")
        }
    }
}

/// `BookingID` hashes and compares a cached fingerprint of its text: it must still behave
/// exactly like the text it wraps.
@Suite struct BookingIDTests {
    @Test func equalityHashingAndOrderFollowTheText() throws {
        var rng = SystemRandomNumberGenerator()
        let texts = (0..<2_000).map { i in "bk_" + String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 32) + (i % 7 == 0 ? "é" : "") }
        let ids = texts.map(BookingID.init)
        var table: [BookingID: Int] = [:]
        for (i, id) in ids.enumerated() { table[id] = i }
        for (i, t) in texts.enumerated() {
            let again = BookingID(String(t)) // a separately built string with the same text
            #expect(again == ids[i])
            #expect(again.hashValue == ids[i].hashValue)
            #expect(table[again] == texts.lastIndex(of: t))
        }
        #expect(Set(ids).count == Set(texts).count)
        #expect(ids.sorted().map(\.rawValue) == texts.sorted())
        #expect(BookingID("bk_a") != BookingID("bk_b"))
        #expect(BookingID("") == BookingID(""))
    }

    @Test func changingTheTextChangesTheIdentity() {
        var id = BookingID("bk_one")
        let before = id
        id.rawValue = "bk_two"
        #expect(id != before)
        #expect(id == BookingID("bk_two"))
        #expect(id.hashValue == BookingID("bk_two").hashValue)
        var set: Set<BookingID> = [BookingID("bk_two")]
        #expect(set.contains(id))
        set.insert(before)
        #expect(set.count == 2)
    }

    /// An id is its text: one rebuilt from the text (as the store's readers build them) is
    /// equal and hashes alike. (The stored form, `"bk_ABC123"`, is checked by the store's schema tests.)
    @Test func isItsText() throws {
        let id = BookingID("bk_ABC123")
        #expect(id.rawValue == "bk_ABC123" && id.description == "bk_ABC123")
        let back = BookingID(id.rawValue)
        #expect(back == id)
        #expect(back.hashValue == id.hashValue)
    }
}
