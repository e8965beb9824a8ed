import FrontdeskCore

/// Realistic sample data around "now": a salon, rooms and vehicles, a few weeks of bookings in
/// every status, a recurring series, a blackout and a waitlist entry. Deterministic for a given
/// day so screenshots and tests are stable.
enum DemoData {
    static let customerNames = [
        "Ann Lee", "Bob Smith", "Chiara Rossi", "Dmitri Ivanov", "Eve Johnson", "Fatima Zahra", "George Brown", "Hana Kobayashi",
        "Ivan Petrov", "Julia Novak", "Kwame Mensah", "Lucía García", "Mohammed Ali", "Nora Jensen", "Oliver Twist", "Priya Patel",
        "Quinn Taylor", "Rosa Díaz", "Sven Ødegård", "Tomás O'Brien", "Uma Thurman", "Viktor Horváth", "Wei Zhang", "Xavier Dupont",
        "Yara Haddad", "Zoë Müller", "Björk Guðmundsdóttir", "李小龙", "Ana-Maria Popescu", "Jean-Luc Picard",
    ]

    /// Plans the whole demo as one transaction on `state` (which should be empty).
    static func plan(in state: BookingState, engine: BookingEngine, actor: Author, zone: Zone) throws(CoreError) -> Planned<Int> {
        var working = state
        var parts: [Transaction] = []
        func take<T>(_ p: Planned<T>) -> T { working.apply(p.transaction); parts.append(p.transaction); return p.value }
        // Salon bookings are priced, so the demo has payments to take; a store created without
        // --currency gets pounds.
        if working.currency == nil { _ = take(try engine.setCurrency("GBP", in: working, by: actor)) }
        let currency = working.currency ?? Currency(code: "GBP")!

        var salon = Schedule(id: ScheduleID(""), name: "Salon hours", cancellationNotice: .hours(24))
        for d in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] { salon.weekly[d] = [DailyHours("09:00-18:00")!] }
        salon.weekly[.saturday] = [DailyHours("10:00-16:00")!]
        salon.bufferAfter = .minutes(10)
        let salonID = take(try engine.addSchedule(salon, in: working, by: actor)).id

        let now = engine.clock.now()
        let today = zone.local(now).date
        var rooms = Schedule(id: ScheduleID(""), name: "Room hours")
        for d in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday] { rooms.weekly[d] = [DailyHours("08:00-20:00")!] }
        // A blackout on the next Wednesday lunchtime.
        var wed = today.adding(days: 1)
        while wed.weekday != .wednesday { wed = wed.adding(days: 1) }
        rooms.blackouts = [Blackout(range: TimeRange(start: zone.instant(LocalDateTime(date: wed, hour: 12, minute: 0)) ?? now,
                                                     end: zone.instant(LocalDateTime(date: wed, hour: 14, minute: 0)) ?? now + .hours(2)),
                                    reason: "Fire drill")]
        let roomsID = take(try engine.addSchedule(rooms, in: working, by: actor)).id

        var fleet = Schedule(id: ScheduleID(""), name: "Fleet hours")
        for d in Weekday.allCases { fleet.weekly[d] = [DailyHours("07:00-21:00")!] }
        fleet.bufferAfter = .minutes(30)
        let fleetID = take(try engine.addSchedule(fleet, in: working, by: actor)).id

        func res(_ name: String, _ kind: ResourceKind, _ s: ScheduleID, parent: ResourceID? = nil, slot: TimeSpan = .minutes(15)) throws(CoreError) -> Resource {
            take(try engine.addResource(ResourceDraft(name: name, kind: kind, zone: zone, parent: parent, schedule: s, slotLength: slot), in: working, by: actor))
        }
        let ana = try res("Ana Silva", .staff, salonID)
        let ben = try res("Ben Okafor", .staff, salonID)
        let chloe = try res("Chloé Martin", .staff, salonID)
        // Two chairs for three stylists, made right after them so an 80-column grid (six
        // columns) shows every stylist and chair of a salon visit side by side.
        let chair1 = try res("Chair 1", .equipment, salonID)
        let chair2 = try res("Chair 2", .equipment, salonID)
        let studio = try res("Studio", .room, roomsID, slot: .minutes(30))
        let studioA = try res("Studio A", .room, roomsID, parent: studio.id, slot: .minutes(30))
        let studioB = try res("Studio B", .room, roomsID, parent: studio.id, slot: .minutes(30))
        let meeting = try res("Meeting Room", .room, roomsID, slot: .minutes(30))
        let van = try res("Van 1", .vehicle, fleetID, slot: .hours(1))
        let car = try res("Car 2", .vehicle, fleetID, slot: .hours(1))

        var customers: [CustomerID] = []
        for (i, n) in customerNames.enumerated() {
            let phone = "+44 7700 9\(String(100 + i * 7).suffix(3))\(String(10 + i).suffix(2))"
            customers.append(take(try engine.addCustomer(name: n, phone: phone, email: nil, in: working, by: actor)).id)
        }

        var rng = DemoRandom(seed: UInt64(today.daysSinceEpoch))
        let plan: [(Resource, [Int64], Int)] = [  // resource, lengths in minutes, bookings per day
            (ana, [30, 45, 60], 3), (ben, [30, 60, 90], 3), (chloe, [45, 60], 2), (studioA, [60, 120], 1), (studioB, [60, 90], 1),
            (meeting, [30, 60], 2), (van, [180, 240], 1), (car, [120, 300], 1),
        ]
        var count = 0
        for offset in -7...13 {
            let day = today.adding(days: offset)
            for (r, lengths, perDay) in plan {
                let hours = working.availability(for: r).openRanges(within: TimeRange(start: zone.startOfDay(day), end: zone.startOfDay(day.adding(days: 1))))
                guard let open = hours.first else { continue }
                for _ in 0..<perDay {
                    let length = TimeSpan.minutes(lengths[Int(rng.next() % UInt64(lengths.count))])
                    let slots = (open.duration.seconds - length.seconds) / r.slotLength.seconds
                    guard slots > 0 else { continue }
                    let start = open.start + TimeSpan(seconds: Int64(rng.next() % UInt64(slots)) * r.slotLength.seconds)
                    let range = TimeRange(start: start, end: start + length)
                    let status: BookingStatus
                    if range.end <= now {
                        status = [.completed, .completed, .completed, .completed, .noShow, .cancelled][Int(rng.next() % 6)]
                    } else if range.start <= now {
                        status = .confirmed
                    } else {
                        status = [.confirmed, .confirmed, .confirmed, .tentative, .pendingPayment, .cancelled][Int(rng.next() % 6)]
                    }
                    let customer = r.kind == .room && rng.next() % 5 == 0 ? nil : customers[Int(rng.next() % UInt64(customers.count))]
                    let notes = rng.next() % 7 == 0 ? ["Prefers window seat", "Allergic to latex", "Needs child seat", "Projector please"][Int(rng.next() % 4)] : ""
                    var req = BookingRequest(resource: r.id, customer: customer.map(CustomerChoice.existing), range: range,
                                             status: status == .cancelled && range.start > now ? .confirmed : status, hold: .hours(2), notes: notes)
                    if range.start > now { req.hold = .hours(48) }
                    if r.kind == .staff { req.price = DemoData.salonPrice(minutes: length.seconds / 60, currency: currency) }
                    // A salon visit holds a chair too: the stylist's usual one, else the other;
                    // a visit with no chair free is not made.
                    let chairs: [ResourceID?] = r.kind != .staff ? [nil] : r.id == ben.id ? [chair2.id, chair1.id] : [chair1.id, chair2.id]
                    var made: Planned<BookingOutcome>?
                    for chair in chairs where made == nil {
                        req.otherResources = chair.map { [$0] } ?? []
                        made = try? engine.book(req, in: working, by: actor)
                    }
                    guard let planned = made else { continue }
                    let b = take(planned).bookings[0]
                    count += 1
                    // Taken payments: the bill of most finished visits, the deposit of some booked ones.
                    if let c = b.charges, c.price > 0 {
                        let method: PaymentMethod = count % 3 == 0 ? .cash : .card
                        if b.status == .completed && count % 4 != 0 {
                            _ = take(try engine.pay(b.id, amount: c.price, method: method, reference: "Till receipt \(1000 + count)", in: working, by: actor))
                        } else if b.status == .confirmed && range.start > now && count % 2 == 0 && c.deposit > 0 {
                            _ = take(try engine.pay(b.id, amount: c.deposit, method: .card, reference: "Deposit online", in: working, by: actor))
                        }
                    }
                    if status == .cancelled && range.start > now {
                        _ = take(try engine.cancel(b.id, reason: "Customer rescheduled by phone", overrideReason: "Fee waived by manager", in: working, by: actor))
                    }
                }
            }
        }

        // A weekly series on Meeting Room at 08:00 for ten weeks.
        var monday = today
        while monday.weekday != .monday { monday = monday.adding(days: 1) }
        if let s = zone.instant(LocalDateTime(date: monday, hour: 8, minute: 0)) {
            let req = BookingRequest(resource: meeting.id, customer: nil, range: TimeRange(start: s, end: s + .minutes(30)),
                                     notes: "Team stand-up", recurrence: try? RecurrenceRule(parsing: "FREQ=WEEKLY;BYDAY=MO;COUNT=10"), skipConflicts: true)
            count += take(try engine.book(req, in: working, by: actor)).bookings.count
        }

        // Someone waiting for Ana tomorrow.
        let tomorrow = today.adding(days: 1)
        _ = take(try engine.addToWaitlist(customer: customers[5], resources: [ana.id, ben.id],
                                          window: TimeRange(start: zone.startOfDay(tomorrow), end: zone.startOfDay(tomorrow.adding(days: 1))),
                                          duration: .minutes(60), notes: "Any stylist, afternoon preferred", in: working, by: actor))
        var all = parts.first ?? Transaction(at: now, actor: actor)
        for p in parts.dropFirst() { all.mutations += p.mutations; all.events += p.events }
        return Planned(transaction: all, value: count)
    }
}

extension DemoData {
    /// The demo salon's price list by length: 30 min 25, 45 min 38 (cut & blow-dry), 60 min 45,
    /// 90 min 70 in major units, a deposit of 10, late-cancel fee 15 and no-show fee 20.
    static func salonPrice(minutes: Int64, currency: Currency) -> PriceDraft {
        let major: Int64 = minutes <= 30 ? 25 : minutes <= 45 ? 38 : minutes <= 60 ? 45 : 70
        let unit = currency.minorPerMajor
        return PriceDraft(price: major * unit, deposit: 10 * unit, lateCancelFee: 15 * unit, noShowFee: 20 * unit,
                          reason: "Demo price list (until services are set up)")
    }
}

/// SplitMix64, so the demo is the same for the same day.
struct DemoRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x5EED }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
