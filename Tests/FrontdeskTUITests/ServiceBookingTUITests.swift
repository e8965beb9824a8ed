import Testing
import FrontdeskCore
@testable import FrontdeskTUI

/// Booking by service at the desk and taking money (issue #24), as text with a fixed clock.
///
/// The salon of ``Harness`` (Mon 2027-03-01, now 10:20 UTC, London on UTC) with a currency
/// (GBP), tags (Anna: stylist; Chair 1 and Chair 2: chair) and three services: "Cut &
/// blow-dry" (45m, a stylist and a chair, £38.00, deposit £10.00), "Colour" (90m, a stylist,
/// £85.00) and "Épilation" (30m, a chair, no price).
@Suite struct ServiceBookingTUITests {
    static let setup = Author(user: "setup", source: .cli)

    static func harness(access: Access? = nil, cols: Int = 130) throws -> Harness {
        let h = try Harness(cols: cols, access: access)
        let actor = setup
        _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Currency> in
            try e.setCurrency("GBP", in: s, by: actor)
        }
        for (name, tags) in [("Anna", ["stylist"]), ("Chair 1", ["chair"]), ("Chair 2", ["chair"])] {
            _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Resource> in
                var r = s.resources.values.first { $0.name == name }!
                r.tags = tags
                return try e.updateResource(r, expectVersion: r.version, in: s, by: actor)
            }
        }
        let services = [
            Service(name: "Cut & blow-dry", duration: .minutes(45), requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))],
                    price: 3800, deposit: 1000),
            Service(name: "Colour", duration: .minutes(90), requirements: [ServiceRequirement(.tag("stylist"))], price: 8500),
            Service(name: "Épilation", duration: .minutes(30), requirements: [ServiceRequirement(.tag("chair"))]),
        ]
        for service in services {
            _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<Service> in
                try e.addService(service, in: s, by: actor)
            }
        }
        h.idle()
        return h
    }

    /// Puts the cursor on `resource`'s column at `hhmm` and presses Enter.
    static func openForm(_ h: Harness, on resource: String, at hhmm: String) {
        h.app.column = h.app.resources.firstIndex { $0.name == resource }!
        let parts = hhmm.split(separator: ":").map { Int($0)! }
        h.app.cursorSecond = parts[0] * 3600 + parts[1] * 60
        h.press(.enter)
    }

    static func resource(_ h: Harness, _ name: String) -> ResourceID { h.connection.state.resources.values.first { $0.name == name }!.id }

    @Test func theFormStartsWithTheServiceAndChoosesItsResourcesTheCursorsColumnFirst() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Chair 2", at: "15:00")
        #expect(h.screen.contains("New booking") && h.line("Service") != nil, "\(h.screen)")
        #expect(h.screen.contains("none: Chair 2 for the time below · type to find a service"), "\(h.screen)")
        h.type("cut")
        #expect(h.screen.contains("› Cut & blow-dry  45m  £38.00"), "\(h.screen)")
        h.press(.tab)
        #expect(h.screen.contains("45m · £38.00, deposit £10.00 · needs stylist, chair"), "\(h.screen)")
        // Chair 2 is where Enter was pressed: it is preferred to Chair 1 for the chair.
        #expect(h.line("‹ Anna ›  stylist") != nil, "\(h.screen)")
        #expect(h.line("‹ Chair 2 ›  chair") != nil, "\(h.screen)")
        #expect(h.screen.contains("Duration  45m from the service · until 15:45"), "\(h.screen)")
        #expect(h.screen.contains("Mon 2027-03-01 15:00–15:45"), "\(h.screen)")
        #expect(!h.screen.contains("Repeat"), "a service books once: \(h.screen)")
        // Accept the resources (Tab), then the customer, then Enter books them all in one booking.
        h.press(.tab)
        h.type("Ann")
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"))
        #expect(b.resources == [Self.resource(h, "Anna"), Self.resource(h, "Chair 2")])
        #expect(b.range == TimeRange(start: h.at("2027-03-01T15:00"), end: h.at("2027-03-01T15:45")))
        #expect(b.charges?.price == 3800 && b.charges?.deposit == 1000 && b.charges?.priceReason == nil)
        #expect(h.screen.contains("Booked B-006 for Ann Lee: Cut & blow-dry, Anna + Chair 2 Mon 2027-03-01 15:00–15:45 (£38.00, deposit £10.00 due)."),
                "\(h.screen)")
    }

    @Test func aPickIsChangedFromTheFreeOnesAndBookedAsShown() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Anna", at: "15:00")
        h.type("Cut")
        h.press(.enter)  // Enter on a highlighted service accepts it, as Tab does
        #expect(!h.app.hasOverlay || h.app.isShowingForm, "Enter accepted the service rather than saving")
        #expect(h.line("‹ Chair 1 ›  chair") != nil, "by reference when the cursor's column is the stylist: \(h.screen)")
        // Resources field: ↓ to the chair, → to the next free chair.
        h.press(.down)
        h.press(.right)
        #expect(h.line("‹ Chair 2 ›  chair") != nil, "\(h.screen)")
        // Anna is the only stylist: → on her says so and keeps her.
        h.press(.up)
        h.press(.right)
        #expect(h.screen.contains("No other free resource fills this one's need at this time."), "\(h.screen)")
        #expect(h.line("‹ Anna ›  stylist") != nil)
        h.press(.tab)
        h.type("Bob")
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"))
        #expect(b.resources == [Self.resource(h, "Anna"), Self.resource(h, "Chair 2")], "the picks as shown")
    }

    @Test func theCustomersUsualResourceComesAfterTheCursorsColumn() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Anna", at: "15:00")
        h.type("cut")
        h.press(.tab, .tab)
        #expect(h.line("‹ Chair 1 ›  chair") != nil, "by reference before a customer is chosen: \(h.screen)")
        // 李小龍 sat in Chair 2 this morning (B-003): it is tried first for the chair.
        h.type("李")
        #expect(h.screen.contains("› 李小龍"), "\(h.screen)")
        #expect(h.line("‹ Chair 2 ›  chair") != nil, "\(h.screen)")
        #expect(h.line("‹ Anna ›  stylist") != nil)
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"))
        #expect(b.resources == [Self.resource(h, "Anna"), Self.resource(h, "Chair 2")])
    }

    @Test func aPickTakenMeanwhileIsRefusedNamedAndChosenAgain() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Anna", at: "15:00")
        h.type("cut")
        h.press(.tab, .tab)
        h.type("Ann")
        #expect(h.line("‹ Chair 1 ›  chair") != nil)
        // Another desk takes Chair 1 at 15:00 before Enter.
        try h.otherDeskBooks("Chair 1", "2027-03-01T15:00", "2027-03-01T16:00", customer: "Bob Stone")
        h.press(.enter)
        #expect(h.app.isShowingForm, "the form stays filled: \(h.screen)")
        #expect(h.screen.contains("Chair 1"), "the refusal names the resource taken: \(h.screen)")
        #expect(h.connection.state.bookings.values.filter { $0.customer != nil && $0.range.start == h.at("2027-03-01T15:00") }.count == 1)
        #expect(h.line("‹ Chair 2 ›  chair") != nil, "chosen again from what is free: \(h.screen)")
        h.press(.enter)
        #expect(h.screen.contains("Cut & blow-dry, Anna + Chair 2"), "\(h.screen)")
    }

    @Test func aBusyStylistSaysWhatCannotBeMet() throws {
        let h = try Self.harness()
        // Anna is booked 13:00-14:00 (Zoë): no stylist for a cut at 13:00.
        Self.openForm(h, on: "Chair 1", at: "13:00")
        h.type("cut")
        h.press(.tab)
        #expect(h.screen.contains("none free"), "\(h.screen)")
        #expect(h.screen.contains("No free combination of resources"), "\(h.screen)")
        guard case .form(let f)? = h.app.overlay else { Issue.record("no form"); return }
        #expect(f.pick.problem?.contains("not enough free stylist for the whole service") == true, "\(f.pick.problem ?? "")")
        h.press(.tab)
        h.type("Ann")
        h.press(.enter)
        #expect(h.app.isShowingForm, "the form stays filled")
        #expect(h.connection.state.booking(ref: "B-006") == nil)
    }

    @Test func aSlotKeptOutOnlyByTheHoursNamesTheRuleNotAMissingCombination() throws {
        let h = try Self.harness()
        // The salon closes at 17:00: a 45-minute cut at 16:30 is free of bookings but not open.
        Self.openForm(h, on: "Anna", at: "16:30")
        h.type("cut")
        h.press(.tab)
        guard case .form(let f)? = h.app.overlay else { Issue.record("no form"); return }
        let problem = f.pick.problem ?? ""
        #expect(problem.hasPrefix("Not bookable: Anna is closed for part of") && problem.contains("16:30") && problem.contains("17:15"), "\(problem)")
        #expect(problem.hasSuffix("(a manager override can book it)"), "\(problem)")
        #expect(!h.screen.contains("No free combination"), "\(h.screen)")
        #expect(h.screen.contains("Anna is closed for part of"), "\(h.screen)")
        // Saving says the same rule and offers the override; nothing is booked.
        h.press(.tab)
        h.type("Ann")
        h.press(.enter)
        #expect(h.app.isShowingForm, "the form stays filled: \(h.screen)")
        #expect(h.screen.contains("Anna is closed for part of"), "\(h.screen)")
        #expect(h.screen.contains("Override"), "the override is offered: \(h.screen)")
        #expect(h.connection.state.booking(ref: "B-006") == nil)
    }

    /// At 80 columns the booked message (price and deposit due) is longer than its line: it
    /// takes the legend's line above too and reads whole; the next short message gives the
    /// legend back.
    @Test func aLongMessageAt80ColumnsTakesTheLegendsLineAndReadsWhole() throws {
        let h = try Self.harness(cols: 80)
        Self.openForm(h, on: "Chair 2", at: "15:00")
        h.type("cut")
        h.press(.tab, .tab)
        h.type("Ann")
        h.press(.enter)
        let n = h.lines.count
        let two = h.lines[n - 3] + " " + h.lines[n - 2]
        #expect(h.lines[n - 3].hasPrefix(" Booked B-006 for Ann Lee: Cut & blow-dry"), "\(h.screen)")
        #expect(two.contains("(£38.00, deposit £10.00 due). $ takes the deposit.") && !two.contains("…"), "\(two)")
        #expect(!h.screen.contains("░ closed"), "the legend gives its line: \(h.screen)")
        h.press(.char("j"))
        #expect(h.screen.contains("░ closed") && !h.screen.contains("Booked B-006"), "\(h.screen)")
    }

    /// At 80 columns the Takings report's totals (net, payments, refunds, fees) are longer than
    /// a line: they go on at their " · " parts, every figure whole.
    @Test func takingsTotalsAt80ColumnsReadWhole() throws {
        let h = try Self.harness(cols: 80)
        let actor = Self.setup
        let anna = Self.resource(h, "Anna")
        let booked = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<BookingOutcome> in
            var req = BookingRequest(resource: anna, range: TimeRange(start: h.at("2027-03-01T15:00"), end: h.at("2027-03-01T16:00")))
            req.price = PriceDraft(price: 123_456, reason: "test")
            return try e.book(req, in: s, by: actor)
        }.bookings[0]
        _ = try h.connection.external { (s: BookingState, e: BookingEngine) throws(CoreError) -> Planned<PaymentOutcome> in
            try e.pay(booked.id, amount: 123_456, method: .card, in: s, by: actor)
        }
        h.idle()
        h.press(.char("R"), .char("l"), .char("l"), .char("l"))
        #expect(h.screen.contains("[Takings]"), "\(h.screen)")
        for l in h.lines { #expect(DisplayWidth.of(l) <= 80, "\(l)") }
        let net = try #require(h.lines.firstIndex { $0.hasPrefix(" Net ") }, "\(h.screen)")
        let totals = h.lines[net] + " " + h.lines[net + 1]
        #expect(totals.contains("payments £1,234.56") || totals.contains("payments 1234.56") || totals.contains("1,234.56"), "\(totals)")
        #expect(!h.lines[net].contains("fees charged") && h.lines[net + 1].hasPrefix("   ") && h.lines[net + 1].contains("fees charged"),
                "the totals go on, indented: \(totals)")
        #expect(!totals.contains("…"), "\(totals)")
    }

    @Test func searchIgnoresCaseAndAccentsAndFindsLaterWords() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Chair 1", at: "15:00")
        h.type("EPI")
        #expect(h.screen.contains("› Épilation  30m"), "\(h.screen)")
        h.press(.ctrl("u"))
        h.type("blow")
        #expect(h.screen.contains("› Cut & blow-dry"), "\(h.screen)")
        h.press(.ctrl("u"))
        h.type("xyz")
        #expect(h.screen.contains("no service matches \"xyz\""), "\(h.screen)")
    }

    @Test func anEmptyServiceIsTheOneResourceFormUnchanged() throws {
        let h = try Self.harness()
        Self.openForm(h, on: "Chair 1", at: "15:00")
        h.press(.tab)  // past the empty Service field
        h.type("Ann")
        #expect(h.screen.contains("Chair 1 · Mon 2027-03-01 15:00–15:15"), "\(h.screen)")
        #expect(h.line("Repeat") != nil)
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"))
        #expect(b.resources == [Self.resource(h, "Chair 1")] && b.charges == nil && b.range.duration == .minutes(15))
    }

    @Test func aStoreWithoutServicesShowsNoServiceField() throws {
        let h = try Harness()
        h.app.cursorSecond = 15 * 3600
        h.press(.enter)
        #expect(h.app.isShowingForm)
        #expect(h.line("Service") == nil, "\(h.screen)")
        h.type("Ann")
        #expect(h.screen.contains("› Ann Lee"), "typing goes to Customer, as before")
    }

    @Test func onlyAManagerSetsThePriceAndOnlyWithAReason() throws {
        let desk = try Self.harness(access: Access(user: "carol", role: .desk, contactDetails: true, admins: ["root"]))
        Self.openForm(desk, on: "Anna", at: "15:00")
        desk.type("cut")
        desk.press(.tab)
        #expect(desk.line("Price") == nil, "no Price field for the desk: \(desk.screen)")

        let h = try Self.harness(access: Access(user: "carol", role: .manager, contactDetails: true, admins: ["root"]))
        Self.openForm(h, on: "Anna", at: "15:00")
        h.type("cut")
        h.press(.tab)
        #expect(h.line("Price") != nil && h.screen.contains("38.00"), "\(h.screen)")
        h.press(.tab)  // resources → customer
        h.type("Ann")
        h.press(.tab)  // customer → price
        h.press(.ctrl("u"))
        h.type("30")
        h.press(.enter)
        #expect(h.screen.contains("a price set by hand is a manager override: type the reason in Reason"), "\(h.screen)")
        #expect(h.connection.state.booking(ref: "B-006") == nil)
        h.type("loyal customer")
        h.press(.enter)
        let b = try #require(h.connection.state.booking(ref: "B-006"))
        #expect(b.charges?.price == 3000 && b.charges?.deposit == 1000 && b.charges?.priceReason == "loyal customer")
    }

    // MARK: Money

    /// Books a cut for Ann at 15:00 on Anna (and a chair) from the form, `status` as given.
    static func bookCut(_ h: Harness, pending: Bool = false) throws -> Booking {
        openForm(h, on: "Anna", at: "15:00")
        h.type("cut")
        h.press(.tab, .tab)
        h.type("Ann")
        if pending {
            h.press(.tab, .tab)  // customer → status
            h.press(.right, .right)
        }
        h.press(.enter)
        return try #require(h.connection.state.booking(ref: "B-006"), "\(h.screen)")
    }

    @Test func dollarTakesTheDepositAndTheDetailShowsTheBalance() throws {
        let h = try Self.harness()
        let b = try Self.bookCut(h)
        h.press(.char("$"))
        #expect(h.screen.contains("Take a payment — B-006"), "\(h.screen)")
        #expect(h.screen.contains("Price £38.00 · deposit £10.00 · paid £0.00 · balance £38.00"), "\(h.screen)")
        #expect(h.line("Amount")?.contains("10.00") == true, "prefilled with the deposit due: \(h.screen)")
        #expect(h.line("Method")?.contains("‹ cash ›") == true)
        h.press(.enter)
        #expect(h.screen.contains("Recorded payment £10.00 by cash on B-006: paid £10.00, balance £28.00."), "\(h.screen)")
        let c = try #require(h.connection.state.bookings[b.id]?.charges)
        #expect(c.ledger.count == 1 && c.ledger[0].amount == 1000 && c.ledger[0].method == .cash)
        #expect(c.ledger[0].idempotencyKey?.hasPrefix("tui-pay-") == true)
        // The detail: price, deposit due, paid, balance.
        h.press(.enter)
        #expect(h.screen.contains("Price         £38.00"), "\(h.screen)")
        #expect(h.screen.contains("Deposit due   £0.00 (deposit £10.00 covered)"))
        #expect(h.screen.contains("Paid          £10.00"))
        #expect(h.screen.contains("Balance       £28.00"))
        // `$` from the detail: the balance now, by card; Esc there goes back to the detail.
        h.press(.char("$"))
        #expect(h.line("Amount")?.contains("28.00") == true, "\(h.screen)")
        h.press(.escape)
        #expect(h.screen.contains("Booking B-006") && h.screen.contains("No payment recorded."), "\(h.screen)")
    }

    @Test func aPendingPaymentBookingIsConfirmedWhenTheDepositIsCovered() throws {
        let h = try Self.harness()
        let b = try Self.bookCut(h, pending: true)
        #expect(b.status == .pendingPayment)
        h.press(.char("$"))
        h.press(.tab)  // amount → method
        h.press(.right)  // card
        h.press(.tab)
        h.type("Terminal 7731")
        h.press(.enter)
        #expect(h.screen.contains("Recorded payment £10.00 by card on B-006: paid £10.00, balance £28.00. Deposit covered: B-006 is now confirmed."),
                "\(h.screen)")
        let after = try #require(h.connection.state.bookings[b.id])
        #expect(after.status == .confirmed && after.charges?.ledger.first?.reference == "Terminal 7731")
    }

    @Test func aCardNumberIsRefusedAndNothingIsStored() throws {
        let h = try Self.harness()
        let b = try Self.bookCut(h)
        h.press(.char("$"))
        h.press(.tab, .tab)
        h.type("4111 1111 1111 1111")
        h.press(.enter)
        #expect(h.screen.contains("looks like a card number"), "\(h.screen)")
        #expect(h.screen.contains("Take a payment — B-006"), "the dialog stays open")
        #expect(h.connection.state.bookings[b.id]?.charges?.ledger.isEmpty == true)
        // A bad amount is named too, and a good one then records once.
        h.press(.ctrl("u"))
        h.press(.backTab, .backTab)
        h.press(.ctrl("u"))
        h.type("10.001")
        h.press(.enter)
        #expect(h.screen.contains("has more than 2 decimals"), "\(h.screen)")
        h.press(.backspace)
        h.press(.enter)
        #expect(h.connection.state.bookings[b.id]?.charges?.ledger.count == 1)
    }

    @Test func aManagerRecordsARefundFromTheSameDialogAndTheDeskCannot() throws {
        let manager = try Self.harness(access: Access(user: "carol", role: .manager, contactDetails: true, admins: ["root"]))
        let b = try Self.bookCut(manager)
        manager.press(.char("$"))
        manager.press(.enter)
        manager.press(.char("$"))
        #expect(manager.line("Kind")?.contains("‹ payment ›") == true, "\(manager.screen)")
        manager.press(.backTab)  // amount → kind
        manager.press(.right)
        #expect(manager.screen.contains("Record a refund — B-006") && manager.line("Amount")?.contains("10.00") == true, "\(manager.screen)")
        manager.press(.enter)
        #expect(manager.screen.contains("Recorded refund due £10.00 by cash on B-006: paid £0.00, balance £38.00."), "\(manager.screen)")
        #expect(manager.connection.state.bookings[b.id]?.charges?.ledger.map(\.kind) == [.payment, .refund])

        let desk = try Self.harness(access: Access(user: "carol", role: .desk, contactDetails: true, admins: ["root"]))
        _ = try Self.bookCut(desk)
        desk.press(.char("$"))
        #expect(desk.line("Kind") == nil, "\(desk.screen)")
        let viewer = try Self.harness(access: Access(user: "carol", role: .viewer, contactDetails: true, admins: ["root"]))
        viewer.press(.char("$"))
        #expect(viewer.screen.contains("may not take payments"), "\(viewer.screen)")
        viewer.press(.char("?"))
        #expect(!viewer.screen.contains("take a payment"), "left out of a viewer's help")
    }

    @Test func dollarOnABookingWithoutAPriceSaysHowOneIsSet() throws {
        let h = try Self.harness()
        // B-001: Chair 1 09:00, no price.
        h.app.column = h.app.resources.firstIndex { $0.name == "Chair 1" }!
        h.app.cursorSecond = 9 * 3600
        h.press(.char("$"))
        #expect(h.screen.contains("B-001 has no price; a manager sets one with: frontdesk price B-001 --price AMOUNT --reason TEXT"), "\(h.screen)")
        h.press(.char("?"))
        #expect(h.screen.contains("take a payment on the booking"), "\(h.screen)")
    }
}
