import Testing
@testable import FrontdeskCore

/// Issue #20, second pass: a conflict says whose buffer is in the way.
@Suite struct BufferOwnerTests {
    /// Ana keeps 0 min before and 10 min after each booking. 13:40–13:55 next to 14:00–14:45
    /// clashes only through the new booking's own after-buffer (until 14:05), which is not
    /// "a buffer before" the existing booking.
    @Test func theNewBookingsOwnBufferIsNamedAsItsOwn() throws {
        var w = World(now: "2026-12-01T08:00:00Z")
        let ana = try w.resource("Ana Silva", zone: "Europe/London", policy: PolicyOverrides(bufferAfter: .minutes(10)))
        let held = try w.book(ana, "2026-12-07T14:00:00Z", "2026-12-07T14:45:00Z")
        var caught: CoreError?
        do { _ = try w.book(ana, "2026-12-07T13:40:00Z", "2026-12-07T13:55:00Z") } catch { caught = error as? CoreError }
        let e = try #require(caught)
        let local = e.description(in: w.state)
        #expect(local.hasPrefix("conflicts with \(held.ref) (") && local.hasSuffix("): the new booking needs 10 min after it, until 14:05"), "\(local)")
        #expect(!local.contains("buffer before") && !e.description.contains("buffer before"), "\(e.description)")
        #expect(e.description.contains("until 2026-12-07T14:05:00Z"))
    }

    /// Both sides keep time: each part is named with its own edge.
    @Test func bothBuffersAreNamedWithTheirOwnEdges() throws {
        var w = World(now: "2026-12-01T08:00:00Z")
        let room = try w.resource("Room", zone: "Europe/London", policy: PolicyOverrides(bufferBefore: .minutes(5), bufferAfter: .minutes(10)))
        let held = try w.book(room, "2026-12-07T14:00:00Z", "2026-12-07T14:45:00Z")
        var caught: CoreError?
        do { _ = try w.book(room, "2026-12-07T13:30:00Z", "2026-12-07T13:50:00Z") } catch { caught = error as? CoreError }
        let local = try #require(caught).description(in: w.state)
        #expect(local.contains("5 min buffer before \(held.ref) (") && local.contains("from 13:55")
                && local.hasSuffix("and the new booking needs 10 min after it, until 14:00"), "\(local)")
    }
}
