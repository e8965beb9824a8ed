import Testing
@testable import FrontdeskCore

/// The waitlist for a service against a brute-force model (#24): random bookings (one or two
/// resources), cancellations, service entries and bookings from the waitlist. Every
/// `waitlist.slot_opened` for a service entry names a start where, after the change and not
/// before it, the model finds distinct resources of the entry's pool that fill every
/// requirement and are open and unbooked for the whole service, the named resource filling
/// the first; a cancellation that makes some start of an open entry's window fit where none
/// did is offered to it; a booking from the waitlist holds such a combination.
@Suite struct ServiceWaitlistModelTests {
    /// The model's resources: their tags and whether they close at 12:00.
    struct ModelResource { var id: ResourceID; var tags: Set<String>; var closesAtNoon: Bool }
    /// A booking the model knows: what it holds and when; `live` until cancelled.
    struct ModelBooking { var id: BookingID; var resources: Set<ResourceID>; var range: TimeRange; var live = true }

    struct Model {
        var resources: [ModelResource] = []
        var bookings: [ModelBooking] = []
        static let noon = World.t("2027-03-02T12:00:00Z")

        /// Whether `r` is open for `range` and held by no live booking overlapping it.
        func fits(_ r: ModelResource, _ range: TimeRange) -> Bool {
            if r.closesAtNoon && range.end > Self.noon { return false }
            return !bookings.contains { $0.live && $0.resources.contains(r.id) && $0.range.overlaps(range) }
        }

        /// Whether distinct resources of `pool` fill every requirement of `s` from `start`
        /// (`first`, when given, filling the first requirement), by trying every assignment.
        func combination(_ s: Service, pool: [ResourceID], at start: Instant, first: ResourceID? = nil) -> Bool {
            let range = s.range(startingAt: start)
            let free = resources.filter { pool.contains($0.id) && fits($0, range) }
            let slots = s.requirements.flatMap { r in Array(repeating: r, count: r.count) }
            func matches(_ req: ServiceRequirement, _ r: ModelResource) -> Bool {
                if case .tag(let t) = req.match { return r.tags.contains(t) }
                return false
            }
            func assign(_ i: Int, _ used: Set<ResourceID>) -> Bool {
                if i == slots.count { return true }
                return free.contains { r in
                    !used.contains(r.id) && matches(slots[i], r) && (i != 0 || first == nil || first == r.id) && assign(i + 1, used.union([r.id]))
                }
            }
            return assign(0, [])
        }

        /// The 15-minute starts of `window` where the whole service fits.
        func starts(_ s: Service, pool: [ResourceID], within window: TimeRange) -> [Instant] {
            var out: [Instant] = []
            var t = window.start
            while t + s.duration <= window.end {
                if combination(s, pool: pool, at: t) { out.append(t) }
                t = t + .minutes(15)
            }
            return out
        }

        /// Whether `resources` are distinct, each fills a different slot of `s`'s requirements,
        /// and all are free for `range`.
        func holdsACombination(_ resources: [ResourceID], of s: Service, over range: TimeRange) -> Bool {
            guard Set(resources).count == resources.count, resources.count == s.resourceCount else { return false }
            let rs = resources.compactMap { id in self.resources.first { $0.id == id } }
            guard rs.count == resources.count, rs.allSatisfy({ fits($0, range) }) else { return false }
            return combination(s, pool: resources, at: range.start)
        }
    }

    @Test("service waitlist offers = brute force", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func offersMatchTheModel(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var w = World()
        var model = Model()
        let morning = try w.schedule("Mornings", hours: "09:00-12:00")
        for (name, tags, closes) in [("Ana", ["stylist"], false), ("Chair 1", ["chair"], false), ("Ben", ["stylist", "chair"], false),
                                     ("Chair 2", ["chair"], true), ("Van", ["van"], false)] {
            let id = try ServiceCatalogTests.tagged(&w, name, tags, schedule: closes ? morning : nil)
            model.resources.append(ModelResource(id: id, tags: Set(tags), closesAtNoon: closes))
        }
        let services = [
            try ServiceCatalogTests.add(&w, Service(name: "Cut in a chair", duration: .minutes(30),
                                                    requirements: [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"))])),
            try ServiceCatalogTests.add(&w, Service(name: "Two chairs", duration: .minutes(45), requirements: [ServiceRequirement(.tag("chair"), count: 2)])),
        ]
        var customers: [CustomerID] = []
        for n in ["Zoë", "Ann", "Bob"] { customers.append(try w.customer(n)) }
        let day = World.t("2027-03-02T09:00:00Z")
        func at(_ quarter: Int) -> Instant { day + .minutes(Int64(quarter) * 15) }
        var offers = 0, waitlistBookings = 0, cancellations = 0

        /// Checks a change's offers against the model before and after it.
        func checkOffers(_ tx: Transaction, before: Model, after: Model, state: BookingState, freed: Bool) {
            let opened = tx.events.filter { $0.type == .waitlistSlotOpened }
            for e in opened {
                guard let entry = e.waitlistEntry, let sid = entry.service, let s = state.services[sid], let slot = e.slot else {
                    Issue.record("seed \(seed): an offer without a service entry or slot: \(e)"); continue
                }
                offers += 1
                #expect(slot.range == s.range(startingAt: slot.range.start) && entry.window.contains(slot.range), "seed \(seed): \(slot) for \(entry.window)")
                #expect(after.combination(s, pool: entry.resources, at: slot.range.start, first: slot.resource),
                        "seed \(seed): offered \(slot) but the model finds no combination with \(slot.resource) first")
                #expect(!before.combination(s, pool: entry.resources, at: slot.range.start),
                        "seed \(seed): offered \(slot), which was free before the change")
            }
            guard freed else { return }
            for entry in state.waitlist.values where entry.isOpen {
                guard let sid = entry.service, let s = state.services[sid] else { continue }
                if before.starts(s, pool: entry.resources, within: entry.window).isEmpty,
                   !after.starts(s, pool: entry.resources, within: entry.window).isEmpty {
                    #expect(opened.contains { $0.waitlistEntry?.id == entry.id }, "seed \(seed): \(entry.ref) could be booked now but was not offered")
                }
            }
        }

        for _ in 0..<80 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3:
                // A booking of one resource, or two at once.
                let first = model.resources.randomElement(using: &rng)!
                var held = [first.id]
                if Bool.random(using: &rng), let second = model.resources.filter({ $0.id != first.id }).randomElement(using: &rng) { held.append(second.id) }
                let q = Int.random(in: 0..<16, using: &rng)
                let range = TimeRange(start: at(q), end: at(q) + .minutes(Int64([15, 30, 45, 60].randomElement(using: &rng)!)))
                var req = BookingRequest(resource: held[0], customer: .existing(customers.randomElement(using: &rng)!), range: range, overrideReason: "model")
                req.resources = held
                guard let p = try? w.engine.book(req, in: w.state, by: w.desk) else { continue }
                let before = model
                model.bookings.append(ModelBooking(id: p.value.bookings[0].id, resources: Set(held), range: range))
                checkOffers(p.transaction, before: before, after: model, state: w.state, freed: false)
                w.commit(p)
            case 4...6:
                guard let i = model.bookings.indices.filter({ model.bookings[$0].live }).randomElement(using: &rng) else { continue }
                let p = try w.engine.cancel(model.bookings[i].id, reason: "model", in: w.state, by: w.desk)
                let before = model
                model.bookings[i].live = false
                cancellations += 1
                checkOffers(p.transaction, before: before, after: model, state: w.state, freed: true)
                w.commit(p)
            case 7...8:
                let s = services.randomElement(using: &rng)!
                let q = Int.random(in: 0..<14, using: &rng)
                let window = TimeRange(start: at(q), end: at(q) + .minutes(Int64([45, 60, 90, 120].randomElement(using: &rng)!)))
                _ = w.commit(try w.engine.addServiceToWaitlist(customer: customers.randomElement(using: &rng)!, service: s.id, window: window,
                                                               in: w.state, by: w.desk))
            default:
                // Book an open entry as the service at its first fitting start, if any.
                guard let entry = w.state.waitlist.values.filter(\.isOpen).sorted(by: { $0.id < $1.id }).randomElement(using: &rng),
                      let s = entry.service.flatMap({ w.state.services[$0] }) else { continue }
                let wanted = model.starts(s, pool: entry.resources, within: entry.window)
                do {
                    let p = try w.engine.bookFromWaitlist(entry.id, in: w.state, by: w.desk)
                    let b = p.value.bookings[0]
                    #expect(b.service == s.id && b.range.start == wanted.first, "seed \(seed): booked \(b.range.start), model's first start \(String(describing: wanted.first))")
                    #expect(model.holdsACombination(b.resources, of: s, over: b.range), "seed \(seed): \(b.resources) do not fill \(s.name)")
                    let before = model
                    model.bookings.append(ModelBooking(id: b.id, resources: Set(b.resources), range: b.range))
                    waitlistBookings += 1
                    checkOffers(p.transaction, before: before, after: model, state: w.state, freed: false)
                    w.commit(p)
                } catch {
                    #expect(wanted.isEmpty, "seed \(seed): refused \(error) though the model fits \(wanted)")
                }
            }
        }
        // The run exercised what it checks.
        #expect(cancellations > 5, "seed \(seed)")
        #expect(offers + waitlistBookings > 0, "seed \(seed): no offer and no booking from the waitlist")
    }
}
