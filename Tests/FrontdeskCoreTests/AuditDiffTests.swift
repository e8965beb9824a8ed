import Testing
@testable import FrontdeskCore

/// The reason a booking's audit entry gives: an override's text, else a cancellation's
/// `reason: `, found by characters as before the byte check that keeps ordinary entries off
/// the generic search.
@Suite struct AuditDiffTests {
    @Test func overrideReasonIsTheTextAfterTheMarker() {
        #expect(AuditDiff.overrideReason(in: ["status confirmed", "policy override: VIP after hours"]) == "VIP after hours")
        #expect(AuditDiff.overrideReason(in: ["override: first", "override: second"]) == "first")
        #expect(AuditDiff.overrideReason(in: ["policy override: café für Zoë 🙂"]) == "café für Zoë 🙂")
    }

    @Test func withoutAnOverrideTheCancellationReasonOrNothing() {
        #expect(AuditDiff.overrideReason(in: ["cancelled", "reason: client ill"]) == "client ill")
        #expect(AuditDiff.overrideReason(in: ["created", "status confirmed"]) == nil)
        #expect(AuditDiff.overrideReason(in: []) == nil)
        // Almost the marker: no override.
        #expect(AuditDiff.overrideReason(in: ["override:x", "overrid: y", "Override: z"]) == nil)
    }

    /// A combining mark after the marker's space makes one character with it: the bytes match,
    /// the characters do not, and the answer stays the character search's.
    @Test func theMarkerEndsOnACharacterBoundary() {
        #expect(AuditDiff.containsBytes("policy override: \u{301}x", of: Array("override: ".utf8)))
        #expect(AuditDiff.overrideReason(in: ["policy override: \u{301}x"]) == nil)
        #expect(AuditDiff.overrideReason(in: ["policy override: \u{301}x", "reason: kept"]) == "kept")
    }

    @Test func containsBytesFindsThePatternAnywhere() {
        let p = Array("ab".utf8)
        #expect(AuditDiff.containsBytes("ab", of: p))
        #expect(AuditDiff.containsBytes("xxab", of: p))
        #expect(AuditDiff.containsBytes("aab", of: p))
        #expect(AuditDiff.containsBytes("éab", of: p))
        #expect(!AuditDiff.containsBytes("a", of: p))
        #expect(!AuditDiff.containsBytes("ba", of: p))
        #expect(!AuditDiff.containsBytes("a b", of: p))
        #expect(!AuditDiff.containsBytes("", of: p))
        #expect(AuditDiff.containsBytes("ab", of: []))
    }

    /// A booking made with an override: its audit entry carries the override's reason.
    @Test func aBookingsEntryCarriesItsOverride() throws {
        var w = World()
        let s = try w.schedule()
        let room = try w.resource("Room 1", schedule: s)
        let late = try w.book(room, "2027-03-01T17:00:00Z", "2027-03-01T18:00:00Z", override: "VIP after hours")
        let entries = AuditDiff.booking(old: nil, new: late, reason: nil)
        #expect(entries.count == 1)
        #expect(entries.first?.reason == "VIP after hours")
        let plain = try w.book(room, "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
        #expect(AuditDiff.booking(old: nil, new: plain, reason: nil).first?.reason == nil)
    }
}
