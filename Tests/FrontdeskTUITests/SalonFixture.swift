import FrontdeskCore
@testable import FrontdeskTUI

/// A small salon with a few bookings for the screen tests (`frontdesk --demo` plants its own,
/// larger data: `DemoData` in the command line).
enum SalonFixture {
    /// Storage holding: a Mon–Sat 09:00–17:00 schedule with 24 h cancellation notice,
    /// four resources (two chairs inside "Salon floor", a stylist, a room), five customers
    /// (one with a wide-character name, one with an emoji, one with an escape sequence), and
    /// bookings on `day` (by default the day of `now`).
    static func storage(now: Instant, zone: Zone = Zone("Europe/London")!,
                        day: LocalDate? = nil) throws(CoreError) -> InMemoryBookingStorage {
        let clock = FixedClock(now)
        // One counter for every engine here, so ids never repeat.
        let ids = SequentialIdentifierSource()
        let engine = BookingEngine(clock: clock, ids: ids)
        let admin = Author(user: "setup", source: .cli)
        var state = BookingState()
        func commit<T>(_ p: Planned<T>) -> T { state.apply(p.transaction); return p.value }

        var s = Schedule(id: ScheduleID(""), name: "Salon hours", cancellationNotice: .hours(24))
        for d in [Weekday.monday, .tuesday, .wednesday, .thursday, .friday, .saturday] { s.weekly[d] = [DailyHours("09:00-17:00")!] }
        let sid = commit(try engine.addSchedule(s, in: state, by: admin)).id
        let floor = commit(try engine.addResource(ResourceDraft(name: "Salon floor", kind: .room, zone: zone, schedule: sid), in: state, by: admin)).id
        let chair1 = commit(try engine.addResource(ResourceDraft(name: "Chair 1", kind: .equipment, zone: zone, parent: floor, schedule: sid), in: state, by: admin)).id
        let chair2 = commit(try engine.addResource(ResourceDraft(name: "Chair 2", kind: .equipment, zone: zone, parent: floor, schedule: sid), in: state, by: admin)).id
        let anna = commit(try engine.addResource(ResourceDraft(name: "Anna", kind: .staff, zone: zone, schedule: sid,
                                                               slotLength: .minutes(30)), in: state, by: admin)).id
        let ann = commit(try engine.addCustomer(name: "Ann Lee", phone: "555-0101", in: state, by: admin)).id
        let bob = commit(try engine.addCustomer(name: "Bob Stone", in: state, by: admin)).id
        let li = commit(try engine.addCustomer(name: "李小龍", in: state, by: admin)).id
        let zoe = commit(try engine.addCustomer(name: "Zoë ☕ Park", in: state, by: admin)).id
        // Files from before the text rules may hold names the core refuses; the screen must survive them.
        let evil = Customer(id: CustomerID("cus_evil"), ref: "C-0EV", name: "Eve\u{1B}[31mRED\u{202E}lin")
        state.apply(Transaction(at: now, actor: admin, mutations: [.customer(evil)]))

        let d = day ?? zone.local(now).date
        func at(_ h: Int, _ m: Int) -> Instant { zone.instant(LocalDateTime(date: d, hour: h, minute: m))! }
        let early = BookingEngine(clock: FixedClock(zone.startOfDay(d) - .days(7)), ids: ids)
        func book(_ r: ResourceID, _ c: CustomerID, _ a: (Int, Int), _ b: (Int, Int), _ st: BookingStatus = .confirmed, notes: String = "") throws(CoreError) {
            _ = commit(try early.book(BookingRequest(resource: r, customer: .existing(c), range: TimeRange(start: at(a.0, a.1), end: at(b.0, b.1)),
                                                     status: st, hold: .days(60), notes: notes), in: state, by: Author(user: "alice", origin: "10.0.0.7", source: .cli)))
        }
        try book(chair1, ann, (9, 0), (10, 0), notes: "cut and colour")
        try book(chair1, bob, (11, 0), (11, 30), .tentative)
        try book(chair2, li, (10, 0), (11, 0))
        try book(anna, zoe, (13, 0), (14, 0), .pendingPayment)
        try book(chair2, CustomerID("cus_evil"), (14, 0), (15, 0))
        return InMemoryBookingStorage(state: state, engine: BookingEngine(clock: clock, ids: ids))
    }
}
