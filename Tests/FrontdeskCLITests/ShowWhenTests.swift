import FrontdeskCore
import FrontdeskTUI
import Testing
@testable import FrontdeskCLI

/// `frontdesk show`'s When line: a booking over several days shows the end's date, and one
/// across a clock change shows both offsets (issue #20, item 14).
@Suite struct ShowWhenTests {
    let london = Zone("Europe/London")!

    func range(_ a: String, _ b: String) -> TimeRange { TimeRange(start: Instant(iso8601: a)!, end: Instant(iso8601: b)!) }

    @Test func whenKeepsTheEndDateAndOffsetsAcrossAClockChange() {
        #expect(Format.span(range("2027-03-01T10:00:00Z", "2028-04-04T10:00:00Z"), london)
                == "2027-03-01 10:00 – 2028-04-04 11:00 Europe/London")
        #expect(Format.span(range("2027-10-31T00:30:00Z", "2027-10-31T01:00:00Z"), london)
                == "2027-10-31 01:30 +01:00 – 01:00 +00:00 Europe/London")
        #expect(Format.span(range("2027-03-01T09:00:00Z", "2027-03-01T09:30:00Z"), london)
                == "2027-03-01 09:00 – 09:30 Europe/London")
    }
}
