import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore

/// Random model values for the schema tests: every persisted type, with text full of
/// characters JSON escapes or that are not ASCII.
struct ModelGen {
    /// SplitMix64: a small seeded generator, so failures reproduce.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    var rng: Seeded

    static let pieces: [String] = [
        "a", "Z", "0", " ", "room 4", "\"", "\\", "/", "\\u", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}",
        "é", "e\u{301}", "ß", "Ω", "日本", "😀", "👩‍👩‍👧", "\u{2028}", "\u{FEFF}", "\u{10FFFF}", "<b>&amp;</b>", "{}", "[1,]", "null",
    ]

    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func text(max: Int = 6) -> String { (0..<int(0...max)).map { _ in ModelGen.pieces.randomElement(using: &rng)! }.joined() }
    mutating func maybe<T>(_ make: (inout ModelGen) -> T) -> T? { bool() ? make(&self) : nil }
    mutating func instant() -> Instant { Instant(seconds: Int64(int(0...4_102_444_800))) }
    mutating func range() -> TimeRange { let s = instant(); return TimeRange(start: s, end: s + .minutes(Int64(int(0...600)))) }
    mutating func duration() -> TimeSpan { TimeSpan(seconds: Int64(int(-86400...864_000))) }
    mutating func actor() -> Author {
        Author(user: text(max: 2), origin: bool() ? "local" : text(max: 2), source: [.tui, .cli, .import, .api, .system].randomElement(using: &rng)!)
    }
    mutating func history() -> HistoryEntry {
        HistoryEntry(at: instant(), actor: actor(), action: text(max: 2), changes: (0..<int(0...3)).map { _ in text() }, version: int(1...50))
    }
    mutating func booking() -> Booking {
        Booking(id: BookingID("bk_" + text(max: 2)), ref: "B-\(int(0...99999))", resource: ResourceID("res_\(int(0...40))"),
                customer: maybe { CustomerID("cu_" + $0.text(max: 1)) }, range: range(),
                status: BookingStatus.allCases.randomElement(using: &rng)!, createdBy: actor(), updatedBy: actor(),
                version: int(1...Int(Int32.max)), createdAt: instant(), updatedAt: instant(), notes: text(max: 10),
                series: maybe { SeriesID("se_" + $0.text(max: 1)) },
                occurrenceDate: maybe { LocalDate(year: $0.int(1...9999), month: $0.int(1...12), day: $0.int(1...28))! },
                holdExpiresAt: maybe { $0.instant() },
                cancellation: maybe { Cancellation(at: $0.instant(), by: $0.text(max: 2), reason: $0.text(), late: $0.bool()) },
                idempotencyKey: maybe { $0.text(max: 3) }, overrideReason: maybe { $0.text() },
                history: (0..<int(0...4)).map { _ in history() }, reminderSentAt: maybe { $0.instant() })
    }
    mutating func resource() -> Resource {
        Resource(id: ResourceID("res_" + text(max: 1)), ref: "R-\(int(0...999))", name: text(),
                 kind: [.room, .staff, .vehicle, .equipment, .other("boat " + text(max: 1))].randomElement(using: &rng)!,
                 parent: maybe { ResourceID("res_\($0.int(0...9))") }, zone: bool() ? .utc : Zone("Europe/London")!,
                 slotLength: .minutes(Int64(int(5...120))), schedule: maybe { ScheduleID("sc_\($0.int(0...9))") },
                 policy: PolicyOverrides(bufferBefore: maybe { $0.duration() }, bufferAfter: maybe { $0.duration() },
                                         minimumNotice: maybe { $0.duration() }),
                 archived: bool(), version: int(1...9))
    }
    mutating func hours() -> [DailyHours] {
        // Whole minutes: the text form (`09:00-17:30`) has no seconds.
        (0..<int(0...2)).map { _ in let s = int(0...700) * 60; return DailyHours(start: s, end: s + int(1...700) * 60)! }
    }
    mutating func schedule() -> Schedule {
        var weekly: [Weekday: [DailyHours]] = [:]
        for d in Weekday.allCases where bool() { weekly[d] = hours() }
        var overrides: [LocalDate: [DailyHours]] = [:]
        for _ in 0..<int(0...3) { overrides[LocalDate(year: int(2000...2100), month: int(1...12), day: int(1...28))!] = hours() }
        return Schedule(id: ScheduleID("sc_" + text(max: 1)), name: text(), weekly: weekly, overrides: overrides,
                        blackouts: (0..<int(0...2)).map { _ in Blackout(range: range(), reason: text()) },
                        bufferBefore: duration(), maximumAdvance: maybe { $0.duration() }, version: int(1...9))
    }
    mutating func waitlist() -> WaitlistEntry {
        WaitlistEntry(id: WaitlistEntryID("wl_" + text(max: 1)), ref: "W-1", customer: CustomerID("cu_1"),
                      resources: (0..<int(0...3)).map { ResourceID("res_\($0)") }, window: range(), duration: duration(),
                      notes: text(), createdAt: instant(), createdBy: actor(),
                      fulfilledBy: maybe { BookingID("bk_" + $0.text(max: 1)) }, removedAt: maybe { $0.instant() })
    }
    mutating func mutation(_ kind: Int) -> Mutation {
        switch kind % 8 {
        case 0: return .booking(booking())
        case 1: return .resource(resource())
        case 2: return .schedule(schedule())
        case 3: return .customer(Customer(id: CustomerID("cu_" + text(max: 1)), ref: "C-9", name: text(),
                                          phone: maybe { $0.text(max: 2) }, email: maybe { $0.text(max: 2) },
                                          notes: maybe { $0.text() }, version: int(1...5)))
        case 4: return .waitlist(waitlist())
        case 5: return .idempotencyKey(IdempotencyRecord(key: text(max: 2), fingerprint: text(),
                                                         bookings: (0..<int(0...3)).map { BookingID("bk_\($0)") }, createdAt: instant()))
        case 6: return .forgetIdempotencyKey(text(max: 3))
        default:
            var c = Counters()
            c.bookings = int(0...Int(Int32.max)); c.resources = int(0...99); c.waitlist = int(0...9)
            return .counters(c)
        }
    }
    /// The event types of the golden digests: those earlier builds wrote (the money events,
    /// which carry a ledger entry, are covered by `MoneyStoreTests`).
    static let goldenEventTypes = EventType.allCases.filter { !$0.isOptIn && ![.paymentRecorded, .refundDue, .feeCharged, .feeReversed].contains($0) }

    mutating func event() -> DomainEvent {
        DomainEvent(id: "ev_" + text(max: 1), type: ModelGen.goldenEventTypes.randomElement(using: &rng)!, at: instant(), actor: actor(),
                    booking: maybe { $0.booking() }, waitlistEntry: maybe { $0.waitlist() },
                    slot: maybe { Slot(resource: ResourceID("res_1"), range: $0.range()) })
    }
    mutating func transaction(_ i: Int) -> Transaction {
        Transaction(at: instant(), actor: actor(), mutations: (0..<int(1...9)).map { mutation(i + $0) },
                    events: (0..<int(0...3)).map { _ in event() })
    }
}
