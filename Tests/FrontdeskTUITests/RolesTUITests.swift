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

    /// Closed hours for a desk: the form shows the refusal and the role an override needs, no
    /// Override field, and Enter books nothing; a manager gets the field and books with it.
    @Test func theOverrideFieldIsAManagersOnly() throws {
        let desk = try Harness(access: Access(user: "carol", role: .desk, admins: ["root"]))
        desk.press(.char("}"), .char("["))                 // Sun 2027-03-07: the salon is closed
        desk.press(.char("l"), .enter)                      // Chair 1 at 10:15
        let refusal = try #require(desk.app.overlayForm?.policyRefusal)
        #expect(refusal == "Chair 1 is closed at 10:15 on Sun 2027-03-07. An override is needed: carol is desk and may not "
                + "override a policy: that needs manager or above (an admin can change roles: root).")
        #expect(desk.screen.contains("Chair 1 is closed at 10:15") && desk.screen.contains("An override is needed"), "\(desk.screen)")
        #expect(!desk.screen.contains("Override "), "no Override field for a desk: \(desk.screen)")
        #expect(desk.app.overlayForm?.visibleFields(in: desk.connection.state).contains(.override) == false)
        desk.type("Ann")
        desk.press(.enter)
        #expect(desk.connection.writes.isEmpty && desk.connection.state.bookings.count == 5)
        #expect(desk.screen.contains("New booking") && !desk.screen.contains("Override "), "\(desk.screen)")
        #expect(desk.app.overlayFormFocus != .override)

        let manager = try Harness(access: Access(user: "carol", role: .manager, admins: ["root"]))
        manager.press(.char("}"), .char("["))
        manager.press(.char("l"), .enter)
        #expect(manager.app.overlayForm?.policyRefusal == "Chair 1 is closed at 10:15 on Sun 2027-03-07. Only a manager override with a reason can book it.")
        #expect(manager.screen.contains("Override "), "\(manager.screen)")
        manager.type("Ann")
        manager.press(.enter)
        manager.type("owner's private client")
        manager.press(.enter)
        #expect(manager.booking("B-006").overrideReason == "owner's private client")
    }

    /// A desk booking in the past (the booking window refuses it after the save): the refusal
    /// names the role an override needs, no Override field opens, nothing is written.
    @Test func aDeskIsToldAPastSlotNeedsAManager() throws {
        let desk = try Harness(access: Access(user: "carol", role: .desk, admins: ["root"]))
        desk.press(.char("l"), .char("l"), .char("l"), .char("k"), .char("k"), .char("k"))
        desk.press(.enter)                                  // Anna at 09:30, before now (10:20)
        desk.type("Bob")
        desk.press(.enter)
        let refusal = try #require(desk.app.overlayForm?.policyRefusal)
        #expect(refusal.hasPrefix("2027-03-01 09:30 is in the past. An override is needed: carol is desk and may not override a policy"),
                "\(refusal)")
        #expect(desk.screen.contains("is in the past. An override is needed"), "\(desk.screen)")
        #expect(!desk.screen.contains("Override "), "\(desk.screen)")
        desk.press(.enter)
        #expect(desk.connection.writes.isEmpty && desk.connection.state.bookings.count == 5)
    }
}

extension TUIApp {
    /// The booking form on screen, if one is.
    var overlayForm: BookingForm? {
        if case .form(let f) = overlay { return f }
        return nil
    }
}
