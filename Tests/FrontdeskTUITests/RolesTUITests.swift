import Testing
import FrontdeskCore
@testable import FrontdeskTUI

/// Roles at the desk: the status bar says who and in what role; keys the role cannot take are
/// left out of the help and refused with the role they need; a viewer sees no contact details.
@Suite struct RolesTUITests {
    static func viewer(contact: Bool = false) -> Access { Access(user: "carol", role: .viewer, contactDetails: contact, admins: ["root"]) }

    @Test func theStatusBarShowsTheUserAndRole() throws {
        let h = try Harness(access: Self.viewer())
        let bar = try #require(h.lines.last)
        #expect(bar.contains("carol (viewer)"), "\(bar)")
        let plain = try Harness()
        #expect(plain.lines.last?.contains("│ carol │") == true, "without roles, the user alone: \(plain.lines.last ?? "")")
    }

    @Test func aViewerIsRefusedNamingTheRoleNeeded() throws {
        let h = try Harness(access: Self.viewer())
        // On B-001 (Chair 1, 09:00), as the detail test walks there.
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        let before = h.booking("B-001")
        h.press(.char("c"))
        #expect(h.screen.contains("carol is viewer and may not cancel bookings: that needs desk or above"), "\(h.screen)")
        #expect(!h.screen.contains("Reason"), "no cancel dialog opened")
        h.press(.char("s"))
        #expect(h.screen.contains("may not change a booking's status: that needs desk"), "\(h.screen)")
        #expect(h.booking("B-001") == before)
        // The detail opens (reading is allowed), without the phone number.
        h.press(.enter)
        #expect(h.screen.contains("Booking B-001") && h.screen.contains("Customer      Ann Lee (C-001)"))
        #expect(!h.screen.contains("555-0101"), "a viewer sees no phone number")
        h.press(.char("c"))
        #expect(h.screen.contains("may not cancel bookings"))
        // A free slot (Chair 1 at 10:15, between B-001 and B-002): no booking form.
        h.press(.escape)
        for _ in 0..<5 { h.press(.char("j")) }
        h.press(.enter)
        #expect(h.screen.contains("carol is viewer and may not book: that needs desk or above"), "\(h.screen)")
    }

    @Test func aViewerWithContactDetailsSeesThePhone() throws {
        let h = try Harness(access: Self.viewer(contact: true))
        h.press(.char("l"))
        for _ in 0..<5 { h.press(.char("k")) }
        h.press(.enter)
        #expect(h.screen.contains("Phone         555-0101"))
    }

    @Test func theHelpLeavesOutWhatTheRoleCannotDo() throws {
        let viewer = try Harness(access: Self.viewer())
        viewer.press(.char("?"))
        #expect(viewer.screen.contains("go to today"))
        #expect(!viewer.screen.contains("cancel the booking"), "\(viewer.screen)")
        #expect(!viewer.screen.contains("move the booking"))
        let desk = try Harness(access: Access(user: "carol", role: .desk))
        desk.press(.char("?"))
        #expect(desk.screen.contains("cancel the booking") && desk.screen.contains("move the booking"))
    }
}
