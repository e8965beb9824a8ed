@testable import FrontdeskCore

/// A small world for engine tests: a fixed clock, counting ids, and helpers that plan and apply.
struct World {
    var state = BookingState()
    let clock: FixedClock
    let engine: BookingEngine
    let desk = Author(user: "alice", origin: "10.0.0.5", source: .cli)

    init(now: String = "2027-03-01T08:00:00Z", ids: any IdentifierSource = SequentialIdentifierSource()) {
        clock = FixedClock(Instant(iso8601: now)!)
        engine = BookingEngine(clock: clock, ids: ids)
    }

    static func t(_ s: String) -> Instant { Instant(iso8601: s)! }
    static func r(_ a: String, _ b: String) -> TimeRange { TimeRange(start: t(a), end: t(b)) }

    mutating func commit<T>(_ p: Planned<T>) -> T { state.apply(p.transaction); return p.value }

    @discardableResult
    mutating func schedule(_ name: String = "Salon hours", hours: String = "09:00-17:00", days: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday],
                           configure: (inout Schedule) -> Void = { _ in }) throws -> ScheduleID {
        var s = Schedule(id: ScheduleID(""), name: name)
        for d in days { s.weekly[d] = [DailyHours(hours)!] }
        configure(&s)
        return commit(try engine.addSchedule(s, in: state, by: desk)).id
    }

    @discardableResult
    mutating func resource(_ name: String, zone: String = "UTC", parent: ResourceID? = nil, schedule: ScheduleID? = nil,
                           policy: PolicyOverrides = PolicyOverrides()) throws -> ResourceID {
        commit(try engine.addResource(ResourceDraft(name: name, zone: Zone(zone)!, parent: parent, schedule: schedule, policy: policy), in: state, by: desk)).id
    }

    @discardableResult
    mutating func customer(_ name: String) throws -> CustomerID {
        commit(try engine.addCustomer(name: name, in: state, by: desk)).id
    }

    @discardableResult
    mutating func book(_ resource: ResourceID, _ a: String, _ b: String, status: BookingStatus = .confirmed, customer: CustomerID? = nil,
                       key: String? = nil, override: String? = nil) throws -> Booking {
        let req = BookingRequest(resource: resource, customer: customer.map(CustomerChoice.existing), range: World.r(a, b), status: status,
                                 idempotencyKey: key, overrideReason: override)
        return commit(try engine.book(req, in: state, by: desk)).bookings[0]
    }
}

/// SplitMix64: a tiny deterministic generator so property tests reproduce from their seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
