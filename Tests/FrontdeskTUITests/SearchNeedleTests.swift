import Testing
@testable import FrontdeskTUI

/// `SearchNeedle` answers exactly what `text.lowercased().contains(query.lowercased())` answers,
/// on its ASCII byte path and on the texts that must leave it.
@Suite struct SearchNeedleTests {
    static func reference(_ text: String, _ query: String) -> Bool { text.lowercased().contains(query.lowercased()) }

    @Test func asciiQueriesFoldCaseOnly() {
        let n = SearchNeedle("Ann LEE")
        #expect(n.lowered == "ann lee")
        #expect(n.matches("Booking for ann lee, twice"))
        #expect(n.matches("ANN LEE"))
        #expect(!n.matches("Ann  Lee"))
        #expect(!n.matches("Ann Le"))
        #expect(!n.matches(""))
        #expect(SearchNeedle("b-00").matches("B-001"))
        #expect(!SearchNeedle("[").matches("{"), "only A-Z fold: '[' is not '{'")
        #expect(!SearchNeedle("@").matches("`"))
    }

    @Test func textsOutsideASCIIAnswerAsLowercasedDoes() {
        // "e" does not match "é" written as e + combining acute: one Character, not "e".
        let combining = "Rene\u{301}e"
        #expect(SearchNeedle("rene").matches(combining) == Self.reference(combining, "rene"))
        #expect(SearchNeedle("e").matches("e\u{301}") == Self.reference("e\u{301}", "e"))
        // The Kelvin sign lowercases to an ASCII "k".
        #expect(SearchNeedle("k").matches("\u{212A}elvin") == Self.reference("\u{212A}elvin", "k"))
        #expect(SearchNeedle("k").matches("\u{212A}elvin"))
        // A carriage return and a line feed are one Character.
        #expect(SearchNeedle("a\n").matches("a\r\nb") == Self.reference("a\r\nb", "a\n"))
        #expect(SearchNeedle("münch").matches("MÜNCHEN"))
        #expect(SearchNeedle("").matches("anything") == Self.reference("anything", ""))
        #expect(SearchNeedle("").matches("") == Self.reference("", ""))
    }

    /// Random texts and queries over a small alphabet (so matches are common) that mixes ASCII
    /// letters of both cases, punctuation next to them, and letters outside ASCII.
    @Test func randomTextsAgreeWithTheReference() {
        let alphabet: [String] = ["a", "A", "b", "B", "z", "Z", " ", "-", "@", "[", "`", "{", "0", "é", "É", "e\u{301}", "\u{212A}", "k", "\r", "\n", "ß", "İ"]
        var rng = SplitMix(seed: 22)
        var checked = 0
        for _ in 0..<4000 {
            let text = (0..<Int(rng.next() % 12)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            // Queries of ASCII only half the time, so both paths are exercised.
            let pool = rng.next() % 2 == 0 ? Array(alphabet.prefix(13)) : alphabet
            let query = (0..<Int(1 + rng.next() % 3)).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }.joined()
            #expect(SearchNeedle(query).matches(text) == Self.reference(text, query), "\(text.debugDescription) / \(query.debugDescription)")
            checked += 1
        }
        #expect(checked == 4000)
    }
}

/// A small deterministic generator (SplitMix64), so a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
