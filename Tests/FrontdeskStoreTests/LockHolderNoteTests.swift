import Testing
@testable import FrontdeskStore

/// The lock holder's note round-trips, and a note a group member wrote cannot put control
/// characters (terminal escapes) into a colleague's "busy" message.
@Suite struct LockHolderNoteTests {
    @Test func aNoteReadsBackAsTheHolder() {
        let note = LockHolderNote.bytes(prefix: Array("alice 42 ".utf8), time: 1_803_200_400, operation: "book\nB-01F")
        #expect(note.count == LockHolderNote.size)
        #expect(LockHolderNote.describe(note) == "held by alice (pid 42, book B-01F) since 2027-02-21T09:00:00Z")
    }

    @Test func aForgedNoteCannotDriveTheTerminal() {
        let forged = Array("\u{1B}[2J\u{1B}[31mmallory 1 1803200400 \u{9B}31mbook\u{07}".utf8)
        let text = LockHolderNote.describe(forged)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "\(text.debugDescription)")
        #expect(text.hasPrefix("held by [2J[31mmallory (pid 1,"), "\(text)")
        #expect(LockHolderNote.describe(Array("1e300 x nan y".utf8)) == "held by another process")
    }
}
