import Testing
@testable import FrontdeskCore

/// What a booking form asks of the core before booking a service: services found as typed,
/// the resources the engine would choose, the free ones a pick may become, the refusal for no
/// combination, the customer's recent resources, and a manager's price in place of the
/// service's.
@Suite struct ServiceChoiceTests {
    static func salon() throws -> (World, ana: ResourceID, ben: ResourceID, chairs: [ResourceID], cut: Service) {
        var w = World()
        let sched = try w.schedule()
        let ana = try ServiceCatalogTests.tagged(&w, "Ana", ["stylist"], schedule: sched)
        let ben = try ServiceCatalogTests.tagged(&w, "Ben", ["stylist"], schedule: sched)
        let c1 = try ServiceCatalogTests.tagged(&w, "Chair 1", ["chair"], schedule: sched)
        let c2 = try ServiceCatalogTests.tagged(&w, "Chair 2", ["chair"], schedule: sched)
        w.commit(try w.engine.setCurrency("GBP", in: w.state, by: w.desk))
        let cut = try ServiceCatalogTests.add(&w, Service(name: "Cut & blow-dry", duration: .minutes(45),
                                                          requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))],
                                                          price: 3800, deposit: 1000))
        _ = try ServiceCatalogTests.add(&w, Service(name: "Épilation", duration: .minutes(30), requirements: [ServiceRequirement(.tag("chair"))]))
        var old = try ServiceCatalogTests.add(&w, Service(name: "Cutting old", duration: .minutes(30), requirements: [ServiceRequirement(.tag("chair"))]))
        old.archived = true
        w.commit(try w.engine.updateService(old, in: w.state, by: w.desk))
        return (w, ana, ben, [c1, c2], cut)
    }

    @Test func servicesAreFoundByPrefixOfAnyWordIgnoringCaseAndAccents() throws {
        let (w, _, _, _, _) = try Self.salon()
        #expect(w.state.services(matching: "cut", limit: 5).map(\.name) == ["Cut & blow-dry"], "archived services are not offered")
        #expect(w.state.services(matching: "BLOW", limit: 5).map(\.name) == ["Cut & blow-dry"])
        #expect(w.state.services(matching: "epi", limit: 5).map(\.name) == ["Épilation"])
        #expect(w.state.services(matching: "x", limit: 5).isEmpty)
        #expect(w.state.services(matching: "", limit: 1).count == 1)
    }

    @Test func theChoiceIsWhatTheEngineBooksAndPicksComeFromTheFreeOnes() throws {
        var (w, ana, ben, chairs, cut) = try Self.salon()
        let ten = World.t("2027-03-01T10:00:00Z")
        _ = try w.book(chairs[0], "2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
        let now = w.clock.now()
        let chosen = try w.state.chooseResources(for: cut, at: ten, preferred: [ben], now: now).get()
        #expect(chosen == [[ben], [chairs[1]]], "the preferred stylist, the free chair")
        #expect(w.state.freeResources(for: cut, requirement: 0, at: ten, now: now).map(\.id) == [ana, ben])
        #expect(w.state.freeResources(for: cut, requirement: 1, at: ten, now: now).map(\.id) == [chairs[1]])
        #expect(w.state.freeResources(for: cut, requirement: 7, at: ten, now: now).isEmpty)
        let booked = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: ten, preferred: [ben]), in: w.state, by: w.desk))
        #expect(booked.bookings[0].resources == chosen.flatMap { $0 })
        // Both chairs taken now: the refusal names the chair.
        guard case .failure(let f) = w.state.chooseResources(for: cut, at: ten, now: now) else { Issue.record("fits"); return }
        #expect(w.state.refusal(f, service: cut, start: ten) == .noResourcesFit(service: "Cut & blow-dry", requirement: "chair", start: ten))
        guard case .failure(let g) = w.state.chooseResources(for: cut, at: World.t("2027-03-01T12:00:00Z"), fixed: [chairs[0], chairs[1]], now: now) else {
            Issue.record("two chairs fit a need for one"); return
        }
        #expect(w.state.refusal(g, service: cut, start: ten) == .noResourcesFit(service: "Cut & blow-dry", requirement: "resources beside those named", start: ten))
    }

    @Test func aHandSetPriceReplacesTheServicesAndNeedsAReason() throws {
        var (w, _, _, _, cut) = try Self.salon()
        let c = try w.customer("Zoë")
        var request = ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T10:00:00Z"), customer: .existing(c),
                                            price: PriceDraft(price: 3000, deposit: 1000))
        #expect(throws: CoreError.self) { _ = try w.engine.bookService(request, in: w.state, by: w.desk) }
        request.price?.reason = "loyal customer"
        let p = try w.engine.bookService(request, in: w.state, by: w.desk)
        #expect(Access.actions(of: p.transaction, before: w.state).contains(.setPrice), "a price by hand is a manager's")
        let b = w.commit(p).bookings[0]
        #expect(b.charges?.price == 3000 && b.charges?.priceReason == "loyal customer")
        let planned = try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T11:00:00Z")), in: w.state, by: w.desk)
        #expect(!Access.actions(of: planned.transaction, before: w.state).contains(.setPrice), "the service's price is no override")
        let plain = w.commit(planned)
        #expect(plain.bookings[0].charges?.price == 3800 && plain.bookings[0].charges?.priceReason == nil)
    }

    @Test func recentResourcesAreTheCustomersLatestFirstWithoutCancelled() throws {
        var (w, ana, ben, chairs, _) = try Self.salon()
        let c = try w.customer("Zoë")
        func book(_ r: ResourceID, _ a: String, _ b: String) throws -> Booking {
            w.commit(try w.engine.book(BookingRequest(resource: r, customer: .existing(c), range: World.r(a, b)), in: w.state, by: w.desk)).bookings[0]
        }
        _ = try book(ana, "2027-03-01T09:00:00Z", "2027-03-01T09:30:00Z")
        _ = try book(chairs[0], "2027-03-01T10:00:00Z", "2027-03-01T10:30:00Z")
        let cancelled = try book(ben, "2027-03-01T11:00:00Z", "2027-03-01T11:30:00Z")
        w.commit(try w.engine.cancel(cancelled.id, reason: "ill", in: w.state, by: w.desk))
        let storage = InMemoryBookingStorage(state: w.state, engine: w.engine)
        #expect(try storage.recentResources(of: c, before: World.t("2027-03-02T09:00:00Z")) == [chairs[0], ana])
        #expect(try storage.recentResources(of: c, before: World.t("2027-03-01T09:00:00Z")).isEmpty)
    }
}
