import Testing
@testable import FrontdeskCore

@Suite struct PolicyTests {
    // 2027-03-01 is a Monday.
    @Test func outsideOpeningHoursIsRefused() throws {
        var w = World()
        let s = try w.schedule()
        let room = try w.resource("Room 1", schedule: s)
        #expect(throws: CoreError.outsideOpeningHours(resource: "Room 1", range: World.r("2027-03-01T16:30:00Z", "2027-03-01T17:30:00Z"))) {
            try w.book(room, "2027-03-01T16:30:00Z", "2027-03-01T17:30:00Z")
        }
        // Saturday is closed.
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-06T10:00:00Z", "2027-03-06T11:00:00Z") }
        let ok = try w.book(room, "2027-03-01T16:00:00Z", "2027-03-01T17:00:00Z")
        #expect(ok.status == .confirmed)
    }

    @Test func severalIntervalsPerDayAndDateOverrides() throws {
        var w = World()
        let s = try w.schedule { s in
            s.weekly[.monday] = [DailyHours("09:00-12:00")!, DailyHours("13:00-17:00")!]
            s.overrides[LocalDate("2027-03-08")!] = []                       // closed that Monday
            s.overrides[LocalDate("2027-03-06")!] = [DailyHours("10:00-14:00")!] // open that Saturday
        }
        let room = try w.resource("Room 1", schedule: s)
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T11:30:00Z", "2027-03-01T13:30:00Z") } // spans lunch
        _ = try w.book(room, "2027-03-01T13:00:00Z", "2027-03-01T14:00:00Z")
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-08T10:00:00Z", "2027-03-08T11:00:00Z") }
        _ = try w.book(room, "2027-03-06T10:00:00Z", "2027-03-06T11:00:00Z")
    }

    @Test func blackoutIsRefusedWithItsReason() throws {
        var w = World()
        let s = try w.schedule { s in
            s.blackouts = [Blackout(range: World.r("2027-03-02T00:00:00Z", "2027-03-03T00:00:00Z"), reason: "Floor repairs")]
        }
        let room = try w.resource("Room 1", schedule: s)
        #expect(throws: CoreError.blackout(resource: "Room 1", reason: "Floor repairs", range: World.r("2027-03-02T00:00:00Z", "2027-03-03T00:00:00Z"))) {
            try w.book(room, "2027-03-02T10:00:00Z", "2027-03-02T11:00:00Z")
        }
    }

    @Test func bookingWindowMinimumNoticeAndMaximumAdvance() throws {
        var w = World() // now 2027-03-01T08:00Z
        let s = try w.schedule { s in s.minimumNotice = .hours(2); s.maximumAdvance = .days(30) }
        let room = try w.resource("Room 1", schedule: s)
        #expect(throws: CoreError.insideMinimumNotice(resource: "Room 1", notice: .hours(2), start: World.t("2027-03-01T09:00:00Z"))) {
            try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        }
        _ = try w.book(room, "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
        #expect(throws: CoreError.beyondMaximumAdvance(resource: "Room 1", limit: .days(30), start: World.t("2027-04-01T10:00:00Z"))) {
            try w.book(room, "2027-04-01T10:00:00Z", "2027-04-01T11:00:00Z")
        }
    }

    @Test func managerOverrideLiftsPolicyButNotConflicts() throws {
        var w = World()
        let s = try w.schedule()
        let room = try w.resource("Room 1", schedule: s)
        let late = try w.book(room, "2027-03-01T17:00:00Z", "2027-03-01T18:00:00Z", override: "VIP after hours")
        #expect(late.overrideReason == "VIP after hours")
        #expect(late.history[0].changes.contains("policy override: VIP after hours"))
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T17:30:00Z", "2027-03-01T18:30:00Z", override: "again") }
        #expect(throws: CoreError.invalidInput(field: "override", message: "an override needs a reason")) {
            try w.book(room, "2027-03-01T19:00:00Z", "2027-03-01T20:00:00Z", override: "  ")
        }
    }

    @Test func emptyOrBackwardsRangeIsRefused() throws {
        var w = World()
        let room = try w.resource("Room 1")
        #expect(throws: CoreError.emptyRange(start: World.t("2027-03-01T10:00:00Z"), end: World.t("2027-03-01T10:00:00Z"))) {
            try w.book(room, "2027-03-01T10:00:00Z", "2027-03-01T10:00:00Z")
        }
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T11:00:00Z", "2027-03-01T10:00:00Z") }
    }

    @Test func aSlotEntirelyInThePastIsRefusedButAWalkInUnderWayIsNot() throws {
        var w = World(now: "2027-03-01T10:10:00Z")
        let room = try w.resource("Room 1")
        #expect(throws: CoreError.self) { try w.book(room, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z") }
        _ = try w.book(room, "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
    }

    @Test func cancellationInsideNoticeNeedsOverrideAndIsMarkedLate() throws {
        var w = World()
        let room = try w.resource("Room 1", policy: PolicyOverrides(cancellationNotice: .hours(24)))
        let soon = try w.book(room, "2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z")
        #expect(throws: CoreError.insideCancellationNotice(notice: .hours(24), start: soon.start)) {
            try w.engine.cancel(soon.id, reason: "changed mind", in: w.state, by: w.desk)
        }
        let done = w.commit(try w.engine.cancel(soon.id, reason: "changed mind", overrideReason: "manager: family emergency", in: w.state, by: w.desk))
        #expect(done[0].cancellation?.late == true)
        #expect(done[0].overrideReason == "manager: family emergency")
        let later = try w.book(room, "2027-03-05T12:00:00Z", "2027-03-05T13:00:00Z")
        let early = w.commit(try w.engine.cancel(later.id, reason: "moved away", in: w.state, by: w.desk))
        #expect(early[0].cancellation?.late == false)
        #expect(early[0].cancellation?.by == "alice")
    }

    @Test func hostileTextIsRefusedWithTheFieldNamed() throws {
        var w = World()
        #expect(throws: CoreError.invalidInput(field: "name", message: "contains the control character U+001B; use plain text")) {
            try w.customer("Eve\u{1B}[2J")
        }
        #expect(throws: CoreError.invalidInput(field: "name", message: "contains the bidirectional override U+202E; use plain text")) {
            try w.customer("Mallory\u{202E}gpj.exe")
        }
        #expect(throws: CoreError.invalidInput(field: "name", message: "must not be empty")) { try w.customer("   ") }
        let c = try w.customer("  Zoë 🌸 Ødegård ")
        #expect(w.state.customers[c]?.name == "Zoë 🌸 Ødegård")
        #expect(w.state.customers.count == 1)
    }
}
