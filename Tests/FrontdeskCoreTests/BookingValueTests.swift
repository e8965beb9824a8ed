import Foundation
import Testing
@testable import FrontdeskCore

/// `Booking` keeps its fields in a shared copy-on-write box; these pin down that it still
/// behaves as a plain value and codes exactly as the inline struct did.
@Suite struct BookingValueTests {
    private func sample() throws -> Booking {
        var w = World()
        let room = try w.resource("Room 1")
        let ann = try w.customer("Ann")
        return try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z", customer: ann, key: "k-1")
    }

    @Test func aChangedCopyLeavesTheOriginalAlone() throws {
        let original = try sample()
        var copy = original
        #expect(copy.sharesStorage(with: original), "a copy shares the box until it changes")
        copy.notes = "window seat"
        copy.history.append(HistoryEntry(at: original.createdAt, actor: .system, action: "noted", changes: ["notes"], version: 2))
        copy.version += 1
        #expect(!copy.sharesStorage(with: original))
        #expect(original.notes == "")
        #expect(original.history.count == 1)
        #expect(original.version == 1)
        #expect(copy.notes == "window seat" && copy.history.count == 2 && copy.version == 2)
        #expect(copy != original)
        var restored = copy
        restored.notes = original.notes
        restored.history = original.history
        restored.version = original.version
        #expect(restored == original, "equal field by field, though in another box")
        #expect(restored.hashValue == original.hashValue)
        #expect(Set([original, restored, copy]).count == 2)
    }

    @Test func aUniqueBookingChangesInPlace() throws {
        var b = try sample()
        var other = b
        other.notes = "x" // other now has its own box; b's is unique again
        let before = b
        b.notes = "y"
        #expect(!b.sharesStorage(with: before))
        #expect(before.notes == "" && b.notes == "y" && other.notes == "x")
    }

    @Test func describesItsFieldsNotItsBox() throws {
        let b = try sample()
        let text = String(describing: b)
        #expect(text.hasPrefix("Booking(id: "), "\(text)")
        #expect(text.contains(b.ref) && text.contains("notes: \"\""), "\(text)")
        #expect(!text.contains("Box"))
    }

}
