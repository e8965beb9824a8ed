import Synchronization
import Testing
@testable import FrontdeskCore

/// Identifier bodies: their alphabet, their spread, the 15-byte bound that keeps ids in
/// Swift's inline string form, and the redraw that keeps a repeated id from replacing a booking.
@Suite struct IdentifierTests {
    static let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    @Test func randomBodiesAreElevenBase62Characters() {
        let source = RandomIdentifierSource()
        let drawn = (0..<4_000).map { _ in source.next() }
        #expect(Set(drawn).count == drawn.count, "a body repeated")
        #expect(drawn.allSatisfy { $0.count == IdentifierBody.length && $0.allSatisfy(Self.alphabet.contains) })
        // Every position takes nearly every character: stuck or reused bits would show here.
        for i in 0..<IdentifierBody.length {
            let column = Set(drawn.map { Array($0)[i] })
            #expect(column.count >= 58, "position \(i): \(column.count) distinct characters")
        }
    }

    /// The six-bit values past the alphabet (62, 63) are skipped, not folded onto other
    /// characters, and a word whose bits run out is followed by another.
    @Test func skippedValuesDrawMoreBits() {
        // All ones: every six-bit group is 63 until the third word, whose ten groups of zeros
        // (60 of its bits) leave one character for a fourth.
        var words: [UInt64] = [.max, .max, 0, 0]
        var asked = 0
        let body = IdentifierBody.make { asked += 1; return words.removeFirst() }
        #expect(body == String(repeating: "0", count: IdentifierBody.length))
        #expect(asked == 4)
        // Six-bit groups 0, 1, 61, 62 (skipped), 10, …: read from the low bits up.
        var w: UInt64 = 0
        for (i, v) in [0, 1, 61, 62, 10, 35, 36, 5, 6, 7].enumerated() { w |= UInt64(v) << (6 * UInt64(i)) }
        var feed: [UInt64] = [w, 0]
        let mixed = IdentifierBody.make { feed.removeFirst() }
        #expect(mixed == "01zAZa567" + "00")
    }

    /// With every kind prefix an id is at most 15 UTF-8 bytes: Swift's small-string limit.
    @Test func prefixedIdsFitTheInlineStringForm() {
        let body = RandomIdentifierSource().next()
        for prefix in ["bk_", "res_", "sch_", "cus_", "ser_", "wl_", "evt_"] {
            #expect((prefix + body).utf8.count <= 15, "\(prefix)")
        }
    }

    /// A source that repeats itself: the second booking must not take the first one's id
    /// (that would plan a silent replacement of it).
    @Test func aRepeatedBookingIdIsDrawnAgain() throws {
        let source = ScriptedIdentifiers()
        var w = World(ids: source)
        let room = try w.resource("Room 1")
        source.queue(["dup"])
        let first = try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        source.queue(["dup", "fresh"])
        let second = try w.book(room, "2027-03-02T11:00:00Z", "2027-03-02T12:00:00Z")
        #expect(first.id.rawValue == "bk_dup")
        #expect(second.id.rawValue == "bk_fresh")
        #expect(w.state.bookings.count == 2)
        #expect(w.state.bookings[first.id]?.range.start == World.t("2027-03-02T10:00:00Z"))
    }
}

/// Hands out queued bodies first, counting ones otherwise, for tests that need a repeat.
final class ScriptedIdentifiers: IdentifierSource {
    private let state = Mutex((queued: [String](), count: 0))
    func queue(_ bodies: [String]) { state.withLock { $0.queued += bodies } }
    func next() -> String {
        state.withLock { s in
            if !s.queued.isEmpty { return s.queued.removeFirst() }
            s.count += 1
            return "n\(s.count)"
        }
    }
}
