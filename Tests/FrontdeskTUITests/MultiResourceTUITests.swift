import Testing
import FrontdeskCore
@testable import FrontdeskTUI

/// A booking that holds several resources on the screen (fixed clock, in-memory backend).
@Suite struct MultiResourceTUITests {
    /// Another desk books Anna and Chair 2 together for 15:00-16:00 (Bob Stone).
    @discardableResult
    static func bookAnnaAndChair(_ h: Harness) throws -> Booking {
        let s = h.connection.state
        let anna = s.resources.values.first { $0.name == "Anna" }!.id
        let chair = s.resources.values.first { $0.name == "Chair 2" }!.id
        let bob = s.customers.values.first { $0.name == "Bob Stone" }!.id
        var req = BookingRequest(resource: anna, customer: .existing(bob), range: TimeRange(start: h.at("2027-03-01T15:00"), end: h.at("2027-03-01T16:00")))
        req.resources = [anna, chair]
        let early = BookingEngine(clock: FixedClock(h.at("2027-02-01T00:00")), ids: RandomIdentifierSource())
        return try h.connection.external { (st: BookingState, _: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            try early.book(req, in: st, by: Author(user: "bob", origin: "10.0.0.9", source: .cli))
        }.bookings[0]
    }

    /// How many times `needle` occurs in `line`.
    static func count(_ needle: String, in line: String) -> Int {
        line.split(separator: needle, omittingEmptySubsequences: false).count - 1
    }

    @Test func theDayGridShowsItInEveryColumnLinkedByOneMark() throws {
        let h = try Harness()
        let b = try Self.bookAnnaAndChair(h)
        h.idle()
        let first = try #require(h.line("15:00"))
        // Name and mark in both columns (Chair 2 and Anna), the reference below in both.
        #expect(Self.count("Bob Stone ⧉+1", in: first) == 2, "\(first)")
        let second = try #require(h.line("15:15"))
        #expect(Self.count(b.ref, in: second) == 2, "\(second)")
        // The rows after name the other resource, each column its partner.
        let third = try #require(h.line("15:30"))
        #expect(third.contains("+ Anna") && third.contains("+ Chair 2"), "\(third)")
        // The floor shows the chair's half through the hierarchy, as for any booking of a chair.
        #expect(first.contains("↳ Chair 2"), "\(first)")
        // A single-resource booking has no mark.
        #expect(!(try #require(h.line("09:00"))).contains("⧉"))
    }

    @Test func theDetailListsEveryResource() throws {
        let h = try Harness()
        let b = try Self.bookAnnaAndChair(h)
        let lines = DetailView.lines(for: h.connection.state.bookings[b.id]!, in: h.connection.state)
        let anna = h.connection.state.resources[b.resource]!
        let chair = h.connection.state.resources[b.otherResources[0]]!
        #expect(lines.contains("Resources     Anna (\(anna.ref)) + Chair 2 (\(chair.ref))"), "\(lines)")
        #expect(DetailView.lines(for: h.booking("B-001"), in: h.connection.state).contains { $0.hasPrefix("Resource      Chair 1") })
    }
}
