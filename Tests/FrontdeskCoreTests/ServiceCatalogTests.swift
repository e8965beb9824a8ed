import Testing
@testable import FrontdeskCore

/// The service catalog in the engine: validation, versions and audit, booking a service
/// (resources chosen, preferences, fixed resources, idempotency, the multi-resource seam), and
/// `serviceStarts` against a brute-force model.
@Suite struct ServiceCatalogTests {
    static func tagged(_ w: inout World, _ name: String, _ tags: [String], schedule: ScheduleID? = nil, policy: PolicyOverrides = PolicyOverrides()) throws -> ResourceID {
        w.commit(try w.engine.addResource(ResourceDraft(name: name, kind: .staff, zone: Zone("UTC")!, schedule: schedule, policy: policy, tags: tags),
                                          in: w.state, by: w.desk)).id
    }

    static func add(_ w: inout World, _ s: Service) throws -> Service { w.commit(try w.engine.addService(s, in: w.state, by: w.desk)) }

    @Test func tagsAreNormalisedAndAudited() throws {
        var w = World()
        let r = try Self.tagged(&w, "Ana", ["Stylist", " colour ", "stylist"])
        #expect(w.state.resources[r]?.tags == ["colour", "stylist"])
        var edited = w.state.resources[r]!
        edited.tags = ["stylist"]
        let p = try w.engine.updateResource(edited, in: w.state, by: w.desk)
        #expect(p.transaction.auditEntries.first?.changes == ["tags colour,stylist → stylist"])
        for bad in ["", "two words", "-x", "naïve", String(repeating: "a", count: 41)] {
            #expect(throws: CoreError.self, "\(bad)") { _ = try ResourceTags.normalise(bad) }
        }
    }

    @Test func servicesAreValidatedVersionedAndAudited() throws {
        var w = World()
        let cut = try Self.add(&w, Service(name: " Cut ", duration: .minutes(45), requirements: [ServiceRequirement(.tag("Stylist"))], price: 3800, deposit: 1000))
        #expect(cut.name == "Cut" && cut.requirements == [ServiceRequirement(.tag("stylist"))] && cut.version == 1 && cut.id.rawValue.hasPrefix("svc_"))
        #expect(throws: CoreError.invalidInput(field: "name", message: "a service named \"CUT\" already exists")) {
            _ = try w.engine.addService(Service(name: "CUT", duration: .minutes(30), requirements: [ServiceRequirement(.tag("x"))]), in: w.state, by: w.desk)
        }
        let bad: [(Service, String)] = [
            (Service(name: "A", duration: .zero, requirements: [ServiceRequirement(.tag("x"))]), "duration"),
            (Service(name: "A", duration: .minutes(5), requirements: []), "needs"),
            (Service(name: "A", duration: .minutes(5), requirements: [ServiceRequirement(.tag("x")), ServiceRequirement(.tag("x"))]), "needs"),
            (Service(name: "A", duration: .minutes(5), requirements: [ServiceRequirement(.tag("x"), count: 10)]), "needs"),
            (Service(name: "A", duration: .minutes(5), bufferBefore: TimeSpan(seconds: -60), requirements: [ServiceRequirement(.tag("x"))]), "buffer-before"),
            (Service(name: "A", duration: .minutes(5), requirements: [ServiceRequirement(.tag("x"))], price: 100, deposit: 200), "deposit"),
            (Service(name: "A", duration: .minutes(5), requirements: [ServiceRequirement(.tag("x"))], noShowFee: -1), "no-show-fee"),
        ]
        for (s, field) in bad {
            do { _ = try w.engine.addService(s, in: w.state, by: w.desk); Issue.record("accepted \(s)") }
            catch { if case .invalidInput(let f, _) = error { #expect(f == field, "\(s)") } else { Issue.record("\(error)") } }
        }
        var edited = cut
        edited.duration = .hours(1)
        #expect(throws: CoreError.staleVersion(id: "Cut", expected: 3, current: 1)) { _ = try w.engine.updateService(edited, expectVersion: 3, in: w.state, by: w.desk) }
        let p = try w.engine.updateService(edited, expectVersion: 1, in: w.state, by: w.desk)
        #expect(p.value.version == 2)
        #expect(p.transaction.auditEntries.map(\.changes) == [["duration 45m → 1h"]])
        #expect(p.transaction.auditEntries.first?.entity == .service)
        #expect(Access.actions(of: p.transaction, before: w.state) == [.manageServices])
        w.commit(p)
        edited = w.state.services[cut.id]!
        edited.archived = true
        let archived = try w.engine.updateService(edited, in: w.state, by: w.desk)
        #expect(archived.transaction.auditEntries.first?.action == "archived")
        w.commit(archived)
        // An archived name is free again.
        _ = try Self.add(&w, Service(name: "cut", duration: .minutes(30), requirements: [ServiceRequirement(.tag("stylist"))]))
        #expect(try w.state.service(named: "CUT").archived == false)
    }

    @Test func requirementsParse() throws {
        #expect(try ServiceRequirement(parsing: "stylist") == ServiceRequirement(.tag("stylist")))
        #expect(try ServiceRequirement(parsing: "2xChair") == ServiceRequirement(.tag("chair"), count: 2))
        #expect(try ServiceRequirement(parsing: "kind:room") == ServiceRequirement(.kind(.room)))
        #expect(try ServiceRequirement(parsing: "3xkind:vehicle") == ServiceRequirement(.kind(.vehicle), count: 3))
        #expect(try ServiceRequirement(parsing: "tag:room") == ServiceRequirement(.tag("room")))
        #expect(try ServiceRequirement(parsing: "xray") == ServiceRequirement(.tag("xray")))
        for bad in ["", "0xchair", "10xchair", "kind:", "two words"] {
            #expect(throws: CoreError.self, "\(bad)") { _ = try ServiceRequirement(parsing: bad) }
        }
    }

    @Test func bookingAServiceChoosesTheResourcePrefersTheLastOneAndRefusesSeveral() throws {
        var w = World()
        let sched = try w.schedule()
        let ana = try Self.tagged(&w, "Ana", ["stylist"], schedule: sched)
        let ben = try Self.tagged(&w, "Ben", ["stylist"], schedule: sched)
        let chair = try Self.tagged(&w, "Chair", ["chair"], schedule: sched)
        let c = try w.customer("Zoë")
        let cut = try Self.add(&w, Service(name: "Cut", duration: .minutes(45), bufferAfter: .minutes(15), requirements: [ServiceRequirement(.tag("stylist"))]))
        let monday9 = World.t("2027-03-01T09:00:00Z")
        // Ana is busy until 10:00: the cut goes to Ben.
        _ = try w.book(ana, "2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")
        var b = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: monday9, customer: .existing(c)), in: w.state, by: w.desk)).bookings[0]
        #expect(b.resource == ben && b.range == World.r("2027-03-01T09:00:00Z", "2027-03-01T09:45:00Z"))
        // 09:45 + 15m clean-up = 10:00: Ben is free again at 10:00 but Ana is first by reference.
        b = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T10:00:00Z"), customer: .existing(c)), in: w.state, by: w.desk)).bookings[0]
        #expect(b.resource == ana)
        // The customer's last stylist (Ben) is preferred when free.
        b = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T11:00:00Z"), customer: .existing(c), preferred: [ben]),
                                              in: w.state, by: w.desk)).bookings[0]
        #expect(b.resource == ben)
        // The clean-up counts, and only up to its end: Ben's 11:45 end plus 15m is 12:00, so Ben,
        // preferred, takes 12:00.
        b = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T12:00:00Z"), customer: .existing(c), preferred: [ben]),
                                              in: w.state, by: w.desk)).bookings[0]
        #expect(b.resource == ben, "11:45 end, clean-up to 12:00, and Ben is free from 12:00")
        // Fixed resources: one that fills no requirement, one that is busy.
        #expect(throws: CoreError.self) {
            _ = try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T14:00:00Z"), fixed: [chair]), in: w.state, by: w.desk)
        }
        #expect(throws: CoreError.noResourcesFit(service: "Cut", requirement: "Ben", start: World.t("2027-03-01T12:00:00Z"))) {
            _ = try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T12:00:00Z"), fixed: [ben]), in: w.state, by: w.desk)
        }
        // Outside the hours only the hours keep the stylists out: the rule is named, for the
        // first stylist tried and the buffered time (45m and 15m of clean-up), as a plain
        // booking's refusal names it.
        #expect(throws: CoreError.outsideOpeningHours(resource: "Ana", range: World.r("2027-03-01T16:30:00Z", "2027-03-01T17:30:00Z"))) {
            _ = try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-01T16:30:00Z")), in: w.state, by: w.desk)
        }
        let both = try Self.add(&w, Service(name: "Cut in a chair", duration: .minutes(30), requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))]))
        // A service of two requirements is one booking holding a stylist and the chair.
        let held = w.commit(try w.engine.bookService(ServiceBookingRequest(service: both.id, start: World.t("2027-03-02T09:00:00Z")),
                                                     in: w.state, by: w.desk)).bookings[0]
        #expect(held.resources.count == 2)
        #expect(held.holds(chair))
        #expect(held.resources.contains { $0 != chair && (w.state.resources[$0]?.tags.contains("stylist") ?? false) })
        // The chair is taken for that half hour, so the service no longer fits then.
        #expect(throws: CoreError.self) {
            _ = try w.engine.bookService(ServiceBookingRequest(service: both.id, start: World.t("2027-03-02T09:00:00Z")), in: w.state, by: w.desk)
        }
        #expect(CoreError.noResourcesFit(service: "x", requirement: "y", start: monday9).category == .conflict)
    }

    @Test func aRepeatedKeyAnswersFromTheFirstBooking() throws {
        var w = World()
        let ana = try Self.tagged(&w, "Ana", ["stylist"])
        _ = try Self.tagged(&w, "Ben", ["stylist"])
        let cut = try Self.add(&w, Service(name: "Cut", duration: .minutes(45), requirements: [ServiceRequirement(.tag("stylist"))]))
        let req = ServiceBookingRequest(service: cut.id, start: World.t("2027-03-02T09:00:00Z"), idempotencyKey: "k1")
        let first = w.commit(try w.engine.bookService(req, in: w.state, by: w.desk))
        #expect(first.bookings[0].resource == ana && !first.replayed)
        // Ana is now taken by the first booking; the replay still answers with it, writing nothing.
        let again = try w.engine.bookService(req, in: w.state, by: w.desk)
        #expect(again.value.replayed && again.value.bookings == first.bookings && again.transaction.isEmpty)
        var other = req
        other.start = World.t("2027-03-02T10:00:00Z")
        #expect(throws: CoreError.self) { _ = try w.engine.bookService(other, in: w.state, by: w.desk) }
    }

    @Test func aBookingRecordsItsService() throws {
        var w = World()
        let ana = try Self.tagged(&w, "Ana", ["stylist"])
        let cut = try Self.add(&w, Service(name: "Cut", duration: .minutes(45), requirements: [ServiceRequirement(.tag("stylist"))]))
        let req = ServiceBookingRequest(service: cut.id, start: World.t("2027-03-02T09:00:00Z"), idempotencyKey: "k1")
        let first = w.commit(try w.engine.bookService(req, in: w.state, by: w.desk)).bookings[0]
        #expect(first.service == cut.id && w.state.bookings[first.id]?.service == cut.id)
        #expect(first.history[0].changes.contains("service Cut"), "\(first.history)")
        // A booking of plain resources has none.
        let plain = try w.book(ana, "2027-03-02T12:00:00Z", "2027-03-02T13:00:00Z")
        #expect(plain.service == nil)
        // A request naming a service the catalog lacks is refused, nothing planned.
        var unknown = BookingRequest(resource: ana, range: World.r("2027-03-02T14:00:00Z", "2027-03-02T15:00:00Z"))
        unknown.service = ServiceID("svc_missing")
        #expect(throws: CoreError.notFound(kind: "service", id: "svc_missing")) { _ = try w.engine.book(unknown, in: w.state, by: w.desk) }
        // A key bound before bookings recorded their service (a fingerprint without it) still replays.
        var bound = try #require(w.state.idempotencyKeys["k1"])
        var before = BookingRequest(resource: ana, range: cut.range(startingAt: req.start), idempotencyKey: "k1")
        before.service = nil
        bound.fingerprint = BookingEngine.fingerprint(before)
        w.state.apply(Transaction(at: w.clock.now(), actor: w.desk, mutations: [.idempotencyKey(bound)]))
        let again = try w.engine.bookService(req, in: w.state, by: w.desk)
        #expect(again.value.replayed && again.value.bookings.map(\.id) == [first.id])
    }

    @Test func aServicesBuffersStayWithItsBooking() throws {
        var w = World()
        let ana = try Self.tagged(&w, "Ana", ["stylist"])
        let ben = try Self.tagged(&w, "Ben", ["stylist"], policy: PolicyOverrides(bufferAfter: .minutes(30)))
        let cut = try Self.add(&w, Service(name: "Cut", duration: .minutes(45), bufferBefore: .minutes(10), bufferAfter: .minutes(15),
                                          requirements: [ServiceRequirement(.tag("stylist"))]))
        let b = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-02T09:00:00Z"), fixed: [ana]),
                                                  in: w.state, by: w.desk)).bookings[0]
        #expect(b.bufferBefore == .minutes(10) && b.bufferAfter == .minutes(15))
        // A later plain booking honours the clean-up: 09:45-10:00 stays clear on Ana.
        do {
            _ = try w.book(ana, "2027-03-02T09:45:00Z", "2027-03-02T10:30:00Z")
            Issue.record("booked inside the service's clean-up")
        } catch let e as CoreError {
            guard case .conflict(let c) = e else { Issue.record("\(e)"); return }
            #expect(c.first?.id == b.id && c.first?.buffer?.side == .after && c.first?.buffer?.length == .minutes(15), "\(c)")
        }
        #expect(throws: CoreError.self) { _ = try w.book(ana, "2027-03-02T08:30:00Z", "2027-03-02T08:55:00Z") }
        _ = try w.book(ana, "2027-03-02T08:00:00Z", "2027-03-02T08:50:00Z")
        let after = try w.book(ana, "2027-03-02T10:00:00Z", "2027-03-02T10:30:00Z")
        // Moved, the booking takes its buffers along: its old clean-up is free, the new one kept.
        _ = w.commit(try w.engine.reschedule(b.id, to: World.r("2027-03-02T11:00:00Z", "2027-03-02T11:45:00Z"), in: w.state, by: w.desk))
        #expect(throws: CoreError.self) { _ = try w.book(ana, "2027-03-02T11:50:00Z", "2027-03-02T12:00:00Z") }
        #expect(throws: CoreError.self) {
            _ = try w.engine.reschedule(after.id, to: World.r("2027-03-02T10:30:00Z", "2027-03-02T10:55:00Z"), in: w.state, by: w.desk)
        }
        // The free-time search agrees: after the moved cut the first free quarter on Ana is 12:00.
        let free = w.state.freeSlots(FreeSlotQuery(resources: [ana], window: World.r("2027-03-02T11:00:00Z", "2027-03-02T13:00:00Z"),
                                                   duration: .minutes(15), limit: 1), now: w.clock.now())
        #expect(free.first?.range.start == World.t("2027-03-02T12:00:00Z"), "\(free)")
        _ = try w.book(ana, "2027-03-02T09:45:00Z", "2027-03-02T10:00:00Z")
        _ = try w.book(ana, "2027-03-02T12:00:00Z", "2027-03-02T12:30:00Z")
        // The larger of the resource's and the service's buffer counts, not their sum: Ben keeps
        // 30 minutes after a cut (not 45), and the free-time search agrees with the engine.
        let onBen = w.commit(try w.engine.bookService(ServiceBookingRequest(service: cut.id, start: World.t("2027-03-02T13:00:00Z"), fixed: [ben]),
                                                      in: w.state, by: w.desk)).bookings[0]
        #expect(w.state.occupying(ben, overlapping: World.r("2027-03-02T14:10:00Z", "2027-03-02T14:15:00Z")).map(\.id) == [onBen.id])
        #expect(throws: CoreError.self) { _ = try w.book(ben, "2027-03-02T14:00:00Z", "2027-03-02T14:30:00Z") }
        _ = try w.book(ben, "2027-03-02T14:15:00Z", "2027-03-02T14:30:00Z")
        #expect(!w.state.serviceFits(cut, on: ben, at: World.t("2027-03-02T14:30:00Z"), now: w.clock.now()), "the 14:15 booking's buffer and the cut's set-up")
        // Cancelled, it keeps nothing; taken back, it keeps its buffers again.
        _ = w.commit(try w.engine.cancel(b.id, reason: "ill", in: w.state, by: w.desk))
        _ = try w.book(ana, "2027-03-02T11:45:00Z", "2027-03-02T11:55:00Z")
        #expect(throws: CoreError.self) { _ = try w.engine.restoreCancelled(b.id, in: w.state, by: w.desk) }
        for x in w.state.bookings.values { #expect(w.state.conflicts(of: x, at: w.clock.now()).isEmpty, "\(x.ref)") }
    }

    @Test func aServiceWaitlistEntryIsOfferedWhenAWholeCombinationFrees() throws {
        var w = World()
        let ana = try Self.tagged(&w, "Ana", ["stylist"])
        let chair = try Self.tagged(&w, "Chair", ["chair"])
        let c = try w.customer("Zoë")
        let both = try Self.add(&w, Service(name: "Cut in a chair", duration: .minutes(30), requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))]))
        let onAna = try w.book(ana, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        let onChair = try w.book(chair, "2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z")
        let entry = w.commit(try w.engine.addServiceToWaitlist(customer: c, service: both.id, window: World.r("2027-03-02T09:00:00Z", "2027-03-02T10:00:00Z"),
                                                               in: w.state, by: w.desk))
        #expect(entry.service == both.id && Set(entry.resources) == [ana, chair] && entry.duration == .minutes(30))
        #expect(w.state.waitlist[entry.id]?.service == both.id)
        #expect(throws: CoreError.self) { try w.engine.bookFromWaitlist(entry.id, in: w.state, by: w.desk) }
        // Only the stylist frees: the chair is still taken, so nothing is offered.
        let first = try w.engine.cancel(onAna.id, reason: "x", in: w.state, by: w.desk)
        #expect(!first.transaction.events.contains { $0.type == .waitlistSlotOpened })
        w.commit(first)
        // The chair frees too: the whole service fits from 09:00.
        let second = try w.engine.cancel(onChair.id, reason: "x", in: w.state, by: w.desk)
        let offer = try #require(second.transaction.events.first { $0.type == .waitlistSlotOpened })
        #expect(offer.waitlistEntry?.id == entry.id && offer.slot?.range == World.r("2027-03-02T09:00:00Z", "2027-03-02T09:30:00Z"), "\(offer)")
        w.commit(second)
        let booked = w.commit(try w.engine.bookFromWaitlist(entry.id, in: w.state, by: w.desk)).bookings[0]
        #expect(booked.service == both.id && Set(booked.resources) == [ana, chair] && booked.customer == c)
        #expect(w.state.waitlist[entry.id]?.fulfilledBy == booked.id)
    }

    /// `serviceStarts` against a model: for every grid step, brute force over every pair of
    /// different resources (or single resource) whether each fits the whole buffered time.
    @Test("serviceStarts = brute force", arguments: [11, 12, 13, 14] as [UInt64])
    func startsMatchBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var w = World()
        let sched = try w.schedule(hours: "09:00-13:00")
        var ids: [ResourceID] = []
        for i in 0..<4 {
            let tags = [["stylist"], ["chair"], ["stylist", "chair"], ["chair"]][i]
            let buffer = PolicyOverrides(bufferAfter: Bool.random(using: &rng) ? .minutes(15) : nil)
            ids.append(try Self.tagged(&w, "R\(i)", tags, schedule: Bool.random(using: &rng) ? sched : nil, policy: buffer))
        }
        for _ in 0..<10 {
            let r = ids.randomElement(using: &rng)!
            let start = Int.random(in: 0..<24, using: &rng) * 15
            let len = [15, 30, 45, 60].randomElement(using: &rng)!
            let a = World.t("2027-03-02T09:00:00Z") + .minutes(Int64(start)), b = a + .minutes(Int64(len))
            _ = try? w.book(r, a.iso8601, b.iso8601, override: "test")
        }
        let services = [
            Service(name: "One", duration: .minutes(45), bufferBefore: .minutes(15), requirements: [ServiceRequirement(.tag("stylist"))]),
            Service(name: "Two", duration: .minutes(30), bufferAfter: .minutes(15), requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))]),
            Service(name: "Chairs", duration: .minutes(30), requirements: [ServiceRequirement(.tag("chair"), count: 2)]),
        ]
        let window = World.r("2027-03-02T08:00:00Z", "2027-03-02T15:00:00Z")
        for s in services {
            let svc = try Self.add(&w, s)
            let got = w.state.serviceStarts(svc, within: window, now: w.clock.now(), zone: Zone("UTC")!, step: .minutes(15))
            var want: [Instant] = []
            var t = window.start
            while t + svc.duration <= window.end {
                let fits = Set(ids.filter { w.state.serviceFits(svc, on: $0, at: t, now: w.clock.now()) })
                let rs = ids.map { w.state.resources[$0]! }
                // Every assignment of distinct resources to the needed slots.
                let slots = svc.requirements.flatMap { r in Array(repeating: r, count: r.count) }
                func assign(_ i: Int, _ used: Set<ResourceID>) -> Bool {
                    if i == slots.count { return true }
                    return rs.contains { !used.contains($0.id) && fits.contains($0.id) && slots[i].matches($0) && assign(i + 1, used.union([$0.id])) }
                }
                if assign(0, []) { want.append(t) }
                t = t + .minutes(15)
            }
            #expect(got.map(\.range.start) == want, "seed \(seed) \(svc.name)")
            // The fit itself against the bookings: nothing blocking overlaps the buffered time.
            for st in got {
                for id in st.resources.flatMap({ $0 }) {
                    let buffered = svc.footprint(startingAt: st.range.start)
                    let clash = w.state.bookings.values.contains { b in
                        b.status.occupiesSlot && b.resource == id && b.range.widened(before: w.state.policy(for: id).bufferBefore, after: w.state.policy(for: id).bufferAfter).overlaps(buffered)
                    }
                    #expect(!clash, "seed \(seed) \(svc.name) at \(st.range.start) on \(id)")
                }
            }
        }
    }
}
