import Foundation
import Testing
@testable import FrontdeskCore
@testable import FrontdeskStore
@testable import FrontdeskJSON

/// The reference-file, mutation and event schemas (``ResourceSchema``, ``ScheduleSchema``,
/// ``CustomerSchema``, ``WaitlistSchema``, ``IdempotencySchema``, ``EventSchema``,
/// ``RecordSchema``): golden bytes of files and records that stores hold read back to the
/// expected values and are written back byte for byte; random values round-trip; malformed
/// members are named; other spellings of the same value read the same.
@Suite struct SchemaGoldenTests {
    static let actor = Author(user: "ana", origin: "desk-2", source: .cli)
    static let t = Instant(iso8601: "2027-03-01T09:00:00Z")!

    static let resources = [
        Resource(id: ResourceID("res_suite"), ref: "R-007", name: "Suite \"A\"", kind: .other("boat"), parent: ResourceID("res_floor"),
                 zone: Zone("Europe/London")!, slotLength: .minutes(30), schedule: ScheduleID("sch_1"),
                 policy: PolicyOverrides(bufferAfter: .minutes(10), reminderLead: .hours(24)), archived: true, version: 3),
        Resource(id: ResourceID("res_a"), ref: "R-001", name: "Room A", kind: .room, zone: .utc),
    ]
    static let schedules = [
        Schedule(id: ScheduleID("sch_1"), name: "Weekdays",
                 weekly: [.monday: [DailyHours("09:00-12:00")!, DailyHours("13:00-17:30")!], .friday: [DailyHours("09:00-24:00")!]],
                 overrides: [LocalDate("2027-12-25")!: [], LocalDate("2027-12-24")!: [DailyHours("10:00-14:00")!]],
                 blackouts: [Blackout(range: TimeRange(start: t, end: t + .hours(2)), reason: "repair")],
                 bufferBefore: .minutes(5), bufferAfter: .zero, minimumNotice: .hours(1), maximumAdvance: .days(90),
                 cancellationNotice: .hours(24), version: 2),
        Schedule(id: ScheduleID("sch_2"), name: "Always"),
    ]
    static let customers = [
        Customer(id: CustomerID("cus_1"), ref: "C-001", name: "Zoë O'Brien", phone: "+44 20 7946 0000", version: 2),
        Customer(id: CustomerID("cus_2"), ref: "C-002", name: "Bo", phone: nil, email: "bo@example.com", notes: "line\nbreak"),
    ]
    static let waitlist = [
        WaitlistEntry(id: WaitlistEntryID("wl_1"), ref: "W-001", customer: CustomerID("cus_1"), resources: [ResourceID("res_a"), ResourceID("res_b")],
                      window: TimeRange(start: t, end: t + .days(1)), duration: .hours(1), notes: "", createdAt: t - .days(2), createdBy: actor,
                      fulfilledBy: BookingID("bk_9"), removedAt: t),
        WaitlistEntry(id: WaitlistEntryID("wl_2"), ref: "W-002", customer: CustomerID("cus_2"), resources: [],
                      window: TimeRange(start: t, end: t + .hours(3)), duration: .minutes(45), notes: "any", createdAt: t, createdBy: actor),
    ]
    static let keys = [IdempotencyRecord(key: "k-1", fingerprint: "book res_a 09:00", bookings: [BookingID("bk_1"), BookingID("bk_2")], createdAt: t)]

    static var transaction: Transaction {
        let e = DomainEvent(id: "ev_1", type: .waitlistSlotOpened, at: t, actor: actor, waitlistEntry: waitlist[1],
                            slot: Slot(resource: ResourceID("res_a"), range: TimeRange(start: t, end: t + .hours(1))))
        var counters = Counters()
        counters.bookings = 12; counters.resources = 2; counters.customers = 2; counters.schedules = 2; counters.waitlist = 2
        return Transaction(at: t, actor: actor, mutations: [.resource(resources[0]), .schedule(schedules[0]), .customer(customers[0]),
                                                            .waitlist(waitlist[0]), .idempotencyKey(keys[0]), .forgetIdempotencyKey("k-0"),
                                                            .counters(counters)], events: [e])
    }

    // The files and record below are what the store wrote before these schemas existed (through
    // the types' `Codable` conformances).
    static let resourcesFile = #"[{"id":"res_suite","ref":"R-007","name":"Suite \"A\"","kind":"boat","parent":"res_floor","zone":"Europe/London","slotLength":1800,"schedule":"sch_1","policy":{"bufferAfter":600,"reminderLead":86400},"archived":true,"version":3},{"id":"res_a","ref":"R-001","name":"Room A","kind":"room","zone":"UTC","slotLength":900,"policy":{},"archived":false,"version":1}]"#
    static let schedulesFile = #"[{"id":"sch_1","name":"Weekdays","weekly":{"fri":["09:00-24:00"],"mon":["09:00-12:00","13:00-17:30"]},"overrides":{"2027-12-24":["10:00-14:00"],"2027-12-25":[]},"blackouts":[{"range":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T11:00:00Z"},"reason":"repair"}],"bufferBefore":300,"bufferAfter":0,"minimumNotice":3600,"maximumAdvance":7776000,"cancellationNotice":86400,"version":2},{"id":"sch_2","name":"Always","weekly":{},"overrides":{},"blackouts":[],"bufferBefore":0,"bufferAfter":0,"minimumNotice":0,"cancellationNotice":0,"version":1}]"#
    static let customersFile = #"[{"id":"cus_1","ref":"C-001","name":"Zoë O'Brien","phone":"+44 20 7946 0000","version":2},{"id":"cus_2","ref":"C-002","name":"Bo","email":"bo@example.com","notes":"line\nbreak","version":1}]"#
    static let waitlistFile = #"[{"id":"wl_1","ref":"W-001","customer":"cus_1","resources":["res_a","res_b"],"window":{"start":"2027-03-01T09:00:00Z","end":"2027-03-02T09:00:00Z"},"duration":3600,"notes":"","createdAt":"2027-02-27T09:00:00Z","createdBy":{"user":"ana","origin":"desk-2","source":"cli"},"fulfilledBy":"bk_9","removedAt":"2027-03-01T09:00:00Z"},{"id":"wl_2","ref":"W-002","customer":"cus_2","resources":[],"window":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T12:00:00Z"},"duration":2700,"notes":"any","createdAt":"2027-03-01T09:00:00Z","createdBy":{"user":"ana","origin":"desk-2","source":"cli"}}]"#
    static let idempotencyFile = #"[{"key":"k-1","fingerprint":"book res_a 09:00","bookings":["bk_1","bk_2"],"createdAt":"2027-03-01T09:00:00Z"}]"#
    static let recordLine = #"5f56768a {"seq":42,"tx":{"at":"2027-03-01T09:00:00Z","actor":{"user":"ana","origin":"desk-2","source":"cli"},"mutations":[{"resource":{"id":"res_suite","ref":"R-007","name":"Suite \"A\"","kind":"boat","parent":"res_floor","zone":"Europe/London","slotLength":1800,"schedule":"sch_1","policy":{"bufferAfter":600,"reminderLead":86400},"archived":true,"version":3}},{"schedule":{"id":"sch_1","name":"Weekdays","weekly":{"fri":["09:00-24:00"],"mon":["09:00-12:00","13:00-17:30"]},"overrides":{"2027-12-24":["10:00-14:00"],"2027-12-25":[]},"blackouts":[{"range":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T11:00:00Z"},"reason":"repair"}],"bufferBefore":300,"bufferAfter":0,"minimumNotice":3600,"maximumAdvance":7776000,"cancellationNotice":86400,"version":2}},{"customer":{"id":"cus_1","ref":"C-001","name":"Zoë O'Brien","phone":"+44 20 7946 0000","version":2}},{"waitlist":{"id":"wl_1","ref":"W-001","customer":"cus_1","resources":["res_a","res_b"],"window":{"start":"2027-03-01T09:00:00Z","end":"2027-03-02T09:00:00Z"},"duration":3600,"notes":"","createdAt":"2027-02-27T09:00:00Z","createdBy":{"user":"ana","origin":"desk-2","source":"cli"},"fulfilledBy":"bk_9","removedAt":"2027-03-01T09:00:00Z"}},{"idempotency_key":{"key":"k-1","fingerprint":"book res_a 09:00","bookings":["bk_1","bk_2"],"createdAt":"2027-03-01T09:00:00Z"}},{"forget_idempotency_key":"k-0"},{"counters":{"bookings":12,"resources":2,"customers":2,"schedules":2,"waitlist":2}}],"events":[{"id":"ev_1","type":"waitlist.slot_opened","at":"2027-03-01T09:00:00Z","actor":{"user":"ana","origin":"desk-2","source":"cli"},"waitlistEntry":{"id":"wl_2","ref":"W-002","customer":"cus_2","resources":[],"window":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T12:00:00Z"},"duration":2700,"notes":"any","createdAt":"2027-03-01T09:00:00Z","createdBy":{"user":"ana","origin":"desk-2","source":"cli"}},"slot":{"resource":"res_a","range":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T10:00:00Z"}}}]}}"# + "\n"

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func goldenFilesReadBackAndAreWrittenByteForByte() throws {
        #expect(try SchemaFile.readList(Self.bytes(Self.resourcesFile), ResourceSchema.read) == Self.resources)
        #expect(SchemaFile.list(Self.resources) { ResourceSchema.write($0, to: &$1) } == Self.bytes(Self.resourcesFile))
        #expect(try SchemaFile.readList(Self.bytes(Self.schedulesFile), ScheduleSchema.read) == Self.schedules)
        #expect(try SchemaFile.list(Self.schedules) { try ScheduleSchema.write($0, to: &$1) } == Self.bytes(Self.schedulesFile))
        #expect(try SchemaFile.readList(Self.bytes(Self.customersFile), CustomerSchema.read) == Self.customers)
        #expect(SchemaFile.list(Self.customers) { CustomerSchema.write($0, to: &$1) } == Self.bytes(Self.customersFile))
        #expect(try SchemaFile.readList(Self.bytes(Self.waitlistFile), WaitlistSchema.read) == Self.waitlist)
        #expect(try SchemaFile.list(Self.waitlist) { try WaitlistSchema.write($0, to: &$1) } == Self.bytes(Self.waitlistFile))
        #expect(try SchemaFile.readList(Self.bytes(Self.idempotencyFile), IdempotencySchema.read) == Self.keys)
        #expect(try SchemaFile.list(Self.keys) { try IdempotencySchema.write($0, to: &$1) } == Self.bytes(Self.idempotencyFile))
        #expect(try SchemaFile.readList([0x5B, 0x5D], CustomerSchema.read).isEmpty)

        let record = JournalRecord(seq: 42, tx: Self.transaction, compactEvents: true)
        #expect(try record.encoded() == Self.bytes(Self.recordLine))
        let payload = try #require(Frame.payload(Self.bytes(Self.recordLine).dropLast()))
        let back = try RecordSchema.read(payload)
        #expect(back.seq == 42 && back.tx == Self.transaction)
        let replay = try RecordSchema.readReplay(payload)
        #expect(replay.seq == 42 && replay.tx.mutations == Self.transaction.mutations && replay.tx.events.isEmpty)
    }

    /// Random transactions (every mutation kind, booking and waitlist events, both record
    /// formats), reference files and directory shards, written in one stream: the stream's
    /// checksum and length are those of the bytes the store wrote before these schemas (through
    /// `Codable`) for the same values; and every value reads back.
    @Test func randomValuesAreWrittenAsStoresHoldThemAndReadBack() throws {
        var gen = ModelGen(rng: .init(state: 2101))
        var all: [UInt8] = []
        for i in 0..<600 {
            let tx = gen.transaction(i)
            for compact in [false, true] {
                let r = JournalRecord(seq: UInt64(i + 1), tx: tx, compactEvents: compact)
                let line = try RecordSchema.line(r)
                all += line
                let back = try RecordSchema.read(line.dropFirst(9).dropLast())
                #expect(back.tx == tx && back.seq == r.seq && back.compactEvents == (r.eventBookingReferences() != nil))
                let replay = try RecordSchema.readReplay(line.dropFirst(9).dropLast())
                #expect(replay.tx.mutations == tx.mutations && replay.tx.at == tx.at && replay.tx.actor == tx.actor)
            }
            let rs = (0..<3).map { _ in gen.resource() }, ss = (0..<3).map { _ in gen.schedule() }
            let resources = SchemaFile.list(rs) { ResourceSchema.write($0, to: &$1) }
            let schedules = try SchemaFile.list(ss) { try ScheduleSchema.write($0, to: &$1) }
            #expect(try SchemaFile.readList(resources, ResourceSchema.read) == rs)
            #expect(try SchemaFile.readList(schedules, ScheduleSchema.read) == ss)
            var shard = DirectoryShard()
            for _ in 0..<4 { shard.ids[gen.text(max: 3)] = gen.text(max: 2); shard.refs[gen.text(max: 2)] = gen.text(max: 2) }
            let shardBytes = try DirectoryShardSchema.bytes(shard)
            let shardBack = try DirectoryShardSchema.read(shardBytes)
            #expect(shardBack.ids == shard.ids && shardBack.refs == shard.refs)
            all += resources + schedules + shardBytes
        }
        #expect(all.count == 4_186_398)
        #expect(CRC32C.hex(CRC32C.checksum(all)) == "a151918c")
    }

    static func error(_ f: () throws -> Any) -> String {
        do { _ = try f(); return "ok" } catch { return "\(error)" }
    }

    @Test func malformedMembersAreNamed() {
        func edited(_ file: String, _ from: String, _ to: String) -> [UInt8] {
            precondition(file.contains(from), from)
            return Self.bytes(file.replacingOccurrences(of: from, with: to))
        }
        let cases: [(String, () throws -> Any)] = [
            ("[0].zone: ", { try SchemaFile.readList(edited(Self.resourcesFile, #""Europe/London""#, #""Mars/Base""#), ResourceSchema.read) }),
            ("[0].policy.bufferAfter: expected a number, found a string", { try SchemaFile.readList(edited(Self.resourcesFile, #""bufferAfter":600"#, #""bufferAfter":"600""#), ResourceSchema.read) }),
            ("[1].archived: expected a boolean, found null", { try SchemaFile.readList(edited(Self.resourcesFile, #""archived":false"#, #""archived":null"#), ResourceSchema.read) }),
            ("[0].weekly.funday: not a weekday", { try SchemaFile.readList(edited(Self.schedulesFile, #""fri":"#, #""funday":"#), ScheduleSchema.read) }),
            ("[0].overrides.\"2027-13-24\": not a date", { try SchemaFile.readList(edited(Self.schedulesFile, #""2027-12-24":"#, #""2027-13-24":"#), ScheduleSchema.read) }),
            ("[0].weekly.mon[1]: expected opening hours like 09:00-17:00, got \"13:00-25:30\"", { try SchemaFile.readList(edited(Self.schedulesFile, "13:00-17:30", "13:00-25:30"), ScheduleSchema.read) }),
            ("[0].blackouts[0].range.end: expected a UTC time", { try SchemaFile.readList(edited(Self.schedulesFile, "2027-03-01T11:00:00Z", "2027-03-01 11:00"), ScheduleSchema.read) }),
            ("[0].version: missing", { try SchemaFile.readList(edited(Self.customersFile, #","version":2"#, ""), CustomerSchema.read) }),
            ("[1].duration: expected a number, found a string", { try SchemaFile.readList(edited(Self.waitlistFile, #""duration":2700"#, #""duration":"x""#), WaitlistSchema.read) }),
            ("[0].createdBy.source: unknown source \"fax\"", { try SchemaFile.readList(edited(Self.waitlistFile, #""source":"cli"},"fulfilledBy""#, #""source":"fax"},"fulfilledBy""#), WaitlistSchema.read) }),
            ("[0].createdAt: \"2300-01-01T00:00:00Z\" is outside the supported range", { try SchemaFile.readList(edited(Self.idempotencyFile, "2027-03-01T09:00:00Z", "2300-01-01T00:00:00Z"), IdempotencySchema.read) }),
            ("[0].bookings[1]: expected a string, found a number", { try SchemaFile.readList(edited(Self.idempotencyFile, #""bk_2""#, "2"), IdempotencySchema.read) }),
            ("tx.events[0].type: unknown event type \"waitlist.closed\"", { try RecordSchema.read(edited(Self.recordLine, "waitlist.slot_opened", "waitlist.closed").dropFirst(9).dropLast()) }),
            ("tx.mutations[5]: a mutation has exactly one key naming its record type", { try RecordSchema.read(edited(Self.recordLine, #"{"forget_idempotency_key":"k-0"}"#, #"{"forget_idempotency_key":"k-0","counters":{}}"#).dropFirst(9).dropLast()) }),
            ("tx.mutations[5]: a mutation has exactly one key naming its record type", { try RecordSchema.read(edited(Self.recordLine, #"{"forget_idempotency_key":"k-0"}"#, #"{"forget":"k-0"}"#).dropFirst(9).dropLast()) }),
            ("tx.mutations[6].counters.waitlist: missing", { try RecordSchema.readReplay(edited(Self.recordLine, #","waitlist":2}"#, "}").dropFirst(9).dropLast()) }),
            ("tx.events[0].slot.range.start: missing", { try RecordSchema.read(edited(Self.recordLine, #""range":{"start":"2027-03-01T09:00:00Z","end":"2027-03-01T10:00:00Z"}"#, #""range":{"end":"2027-03-01T10:00:00Z"}"#).dropFirst(9).dropLast()) }),
            ("eventBookings: 1 references for 0 events", { try RecordSchema.read(Self.bytes(#"{"seq":1,"tx":{"at":"2027-03-01T09:00:00Z","actor":{"user":"a","origin":"local","source":"cli"},"mutations":[],"events":[]},"eventBookings":[0]}"#)) }),
        ]
        for (expected, read) in cases {
            let message = Self.error(read)
            #expect(message.hasPrefix(expected), "\(message)")
        }
    }

    /// Unknown members are ignored; members in another order, escaped keys and strings, spaces,
    /// null for an absent optional and a repeated member (the first counts) read the same values.
    @Test func otherSpellingsReadTheSameValues() throws {
        let variants: [(String, String)] = [
            (#""id":"res_suite""#, #""extra":{"a":[1,2]},"id":"res_suite""#),
            (#""ref":"R-007","name":"Suite \"A\"""#, #""name":"Suite \"A\"","ref":"R-007""#),
            (#""kind":"boat""#, #""kin\u0064":"bo\u0061t""#),
            (#""policy":{}"#, #""policy":{"bufferBefore":null} , "parent" : null"#),
            (#""version":1}"#, #""version":1,"version":2}"#),
        ]
        for (from, to) in variants {
            let text = Self.resourcesFile.replacingOccurrences(of: from, with: to)
            #expect(text != Self.resourcesFile)
            #expect(try SchemaFile.readList(Self.bytes(text), ResourceSchema.read) == Self.resources, "\(to)")
        }
        let record = Self.recordLine.dropFirst(9).dropLast()
            .replacingOccurrences(of: #"{"forget_idempotency_key":"k-0"}"#, with: #"{"note":1,"forget_idempotency_key":"k\u002d0"}"#)
            .replacingOccurrences(of: #""slot":{"resource""#, with: #""booking":null,"slot":{"resource""#)
        let back = try RecordSchema.read(Self.bytes(record))
        #expect(back.tx == Self.transaction)
        #expect(try RecordSchema.readReplay(Self.bytes(record)).tx.mutations == Self.transaction.mutations)
    }

    /// Every truncation of a real record is refused by both readers; every single-byte
    /// substitution is refused or read the same way by the token reader and the general reader
    /// (the replay reader takes the token path whenever it can, so a substitution it reads
    /// differently from the general reader would show here).
    @Test func truncatedAndDamagedRecordsAreRefusedNotMisread() throws {
        var gen = ModelGen(rng: .init(state: 1234))
        let bookingRecord = JournalRecord(seq: 5, tx: Transaction(at: gen.instant(), actor: gen.actor(), mutations: [.booking(gen.booking())]))
        let records = [Array(Self.bytes(Self.recordLine).dropFirst(9).dropLast()), Array(try bookingRecord.encoded().dropFirst(9).dropLast())]
        let replacements: [UInt8] = [0x00, 0x09, 0x20, 0x22, 0x2C, 0x30, 0x5C, 0x5D, 0x7D, 0x6E, 0x80, 0xC3, 0xFF]
        var accepted = 0
        for all in records {
            #expect(all.count > 200)
            for cut in 0..<all.count {
                #expect(throws: (any Error).self) { try RecordSchema.read(all[..<cut]) }
                #expect(throws: (any Error).self) { try RecordSchema.readReplay(all[..<cut]) }
            }
            for pos in 0..<all.count {
                for r in replacements where r != all[pos] {
                    var damaged = all
                    damaged[pos] = r
                    guard let general = try? SchemaValue.root(damaged) else {
                        #expect(throws: (any Error).self) { try RecordSchema.readReplay(damaged) }
                        continue
                    }
                    let whole = try? RecordSchema.record(general)
                    let fast = RecordSchema.readReplay(general.doc, at: 0)
                    let replay = try? RecordSchema.readReplay(damaged)
                    if let fast {
                        // The token path's reading is the general reader's.
                        let o = try general.object()
                        let mutations = try? o.value("tx").object().value("mutations").array(RecordSchema.mutation)
                        #expect(mutations == fast.mutations, "\(pos) -> \(r)")
                    }
                    if let whole, let replay {
                        accepted += 1
                        #expect(whole.seq == replay.seq && whole.tx.mutations == replay.tx.mutations, "\(pos) -> \(r)")
                    }
                }
            }
        }
        #expect(accepted > 0)
    }

    /// Times outside ``SupportedRange`` are never written (nothing is written) and never read:
    /// the reader names the text; the edges are written and read back.
    @Test func timesOutsideTheRangeAreRefusedBothWays() throws {
        var w = JSONWriter(bytes: [0x7B])
        #expect(throws: EncodingError.self) { try BookingSchema.instant(Instant(iso8601: "9999-12-31T23:50:00Z")! + .hours(2), to: &w) }
        #expect(throws: EncodingError.self) { try BookingSchema.instant(Instant(seconds: -1), to: &w) }
        #expect(w.bytes == [0x7B])
        for text in ["10000-01-01T01:50:00Z", "2200-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z"] {
            let message = Self.error { try SchemaValue.root(Self.bytes(#"{"t":"\#(text)"}"#)).object().value("t").instant() }
            #expect(message.hasPrefix("t: ") && message.contains(text), "\(message)")
        }
        let edge = try SchemaValue.root(Self.bytes(#"{"t":"2199-12-31T23:59:59Z"}"#)).object().value("t").instant()
        var out = JSONWriter()
        try BookingSchema.instant(edge, to: &out)
        #expect(out.bytes == Self.bytes(#""2199-12-31T23:59:59Z""#))
    }
}
