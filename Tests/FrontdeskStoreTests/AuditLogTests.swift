import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The audit log in the file store: every kind of change is recorded with its actor, in the
/// same record as the change; it survives compaction, restart and crashes; generations keep it
/// in month chunks that a query with `since` reads only in part and opening never reads.
@Suite struct AuditLogTests {
    static let alice = Author(user: "alice", origin: "10.0.0.7", source: .tui)
    static let bob = Author(user: "bob", origin: "local", source: .cli)
    static let carol = Author(user: "carol", origin: "local", source: .cli)

    /// Runs `plan` through `store.write` and returns the audit entries its transaction held.
    @discardableResult
    static func write<T>(_ store: Store, _ change: ChangeRequest = .directory,
                         _ plan: (BookingState, BookingEngine) throws(CoreError) -> Planned<T>) throws -> (T, [AuditEntry]) {
        var entries: [AuditEntry] = []
        let value = try store.write("test", change) { s, e throws(CoreError) in
            let p = try plan(s, e)
            entries = p.transaction.auditEntries
            return p
        }
        return (value, entries)
    }

    /// One change of every kind, by three users; returns the entries in log order.
    static func everyKind(_ store: Store) throws -> [AuditEntry] {
        var log: [AuditEntry] = []
        let (schedule, e1) = try write(store) { (s, e) throws(CoreError) -> Planned<Schedule> in
            try e.addSchedule(Schedule(id: ScheduleID(""), name: "Salon hours", weekly: [.monday: [DailyHours("09:00-17:00")!]]), in: s, by: alice)
        }
        log += e1
        let (r, e2) = try write(store) { (s, e) throws(CoreError) -> Planned<Resource> in
            try e.addResource(ResourceDraft(name: "Chair 1", zone: .utc, schedule: schedule.id), in: s, by: alice)
        }
        log += e2
        let (_, e3) = try write(store) { (s, e) throws(CoreError) -> Planned<Resource> in
            var edited = s.resources[r.id]!
            edited.name = "Chair One"
            edited.policy.bufferAfter = .minutes(10)
            return try e.updateResource(edited, in: s, by: bob)
        }
        log += e3
        let (_, e4) = try write(store) { (s, e) throws(CoreError) -> Planned<Schedule> in
            var sc = s.schedules[schedule.id]!
            sc.blackouts.append(Blackout(range: TimeRange(start: Support.now + .days(20), end: Support.now + .days(21)), reason: "Repair"))
            sc.bufferBefore = .minutes(5)
            return try e.updateSchedule(sc, in: s, by: bob)
        }
        log += e4
        let (c, e5) = try write(store) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", phone: "+44 7700 900123", in: s, by: alice) }
        log += e5
        let (_, e6) = try write(store) { (s, e) throws(CoreError) -> Planned<Customer> in
            var cc = s.customers[c.id]!
            cc.phone = "+44 7700 900999"
            return try e.updateCustomer(cc, in: s, by: bob)
        }
        log += e6
        let (_, e7) = try write(store) { s, e throws(CoreError) in
            try e.recordChanges([AuditEntryDraft(entity: .staff, id: "dave", action: "granted", changes: ["role desk"]),
                                 AuditEntryDraft(entity: .webhook, id: "wh_1", action: "added", changes: ["url https://example.com/hook"]),
                                 AuditEntryDraft(entity: .settings, id: "group", action: "updated", changes: ["group none → reception"])],
                                in: s, by: carol)
        }
        log += e7
        let range = TimeRange(start: Support.now + .days(3) + .hours(10), end: Support.now + .days(3) + .hours(11))  // Monday
        let request = BookingRequest(resource: r.id, customer: .existing(c.id), range: range)
        let (outcome, e8) = try write(store, .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: alice) }
        log += e8
        let b = outcome.bookings[0]
        let (_, e9) = try write(store, .cancel(b.id)) { s, e throws(CoreError) in try e.cancel(b.id, reason: "ill", in: s, by: bob) }
        log += e9
        let (_, e10) = try write(store, .restore(b.id)) { s, e throws(CoreError) in
            try e.correctStatus(b.id, to: .confirmed, reason: "cancelled the wrong booking", in: s, by: carol)
        }
        log += e10
        let (_, e11) = try write(store) { (s, e) throws(CoreError) -> Planned<Service> in
            try e.addService(Service(name: "Cut", duration: .minutes(45), requirements: [ServiceRequirement(.tag("stylist"))]), in: s, by: carol)
        }
        log += e11
        return log
    }

    @Test func everyKindOfChangeIsRecordedWithItsActorAndSurvivesCompactionAndRestart() throws {
        let dir = Support.tempDir("audit-kinds")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let log = try Self.everyKind(store)
        let kinds = Set(log.map { (e: AuditEntry) in e.entity })
        #expect(kinds == Set(AuditEntity.allCases), "missing kinds: \(Set(AuditEntity.allCases).subtracting(kinds))")
        func who(_ entity: AuditEntity, _ action: String) -> String? {
            log.first { (e: AuditEntry) in e.entity == entity && e.action == action }?.actor.user
        }
        #expect(who(.schedule, "created") == "alice")
        #expect(who(.resource, "created") == "alice")
        #expect(who(.resource, "updated") == "bob")
        #expect(who(.schedule, "updated") == "bob")
        #expect(who(.blackout, "blackout added") == "bob")
        #expect(who(.customer, "created") == "alice")
        #expect(who(.customer, "updated") == "bob")
        #expect(who(.staff, "granted") == "carol")
        #expect(who(.webhook, "added") == "carol")
        #expect(who(.settings, "updated") == "carol")
        #expect(who(.booking, "created") == "alice")
        #expect(who(.booking, "cancelled") == "bob")
        #expect(who(.booking, "corrected") == "carol")
        // What changed, readable; contact details named, never quoted.
        let edit = try #require(log.first { (e: AuditEntry) in e.entity == .resource && e.action == "updated" })
        #expect(edit.changes == ["name \"Chair 1\" → \"Chair One\"", "buffer after none → 10m"])
        #expect(edit.version == 2 && edit.actor.origin == "local")
        #expect(log.first { (e: AuditEntry) in e.entity == .customer && e.action == "updated" }?.changes == ["phone changed"])
        let quotesPhone = log.contains { (e: AuditEntry) in e.changes.contains { $0.contains("900") } }
        #expect(!quotesPhone)
        #expect(log.first { (e: AuditEntry) in e.entity == .blackout }?.reason == "Repair")
        #expect(log.first { (e: AuditEntry) in e.action == "corrected" }?.reason == "cancelled the wrong booking")
        #expect(log.first { (e: AuditEntry) in e.action == "cancelled" }?.reason == "ill")

        #expect(try store.auditEntries(AuditQuery()) == log)
        try store.compact()
        #expect(try store.auditEntries(AuditQuery()) == log)
        let reopened = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(reopened.auditChunksRead == 0, "opening read the audit log")
        #expect(try reopened.auditEntries(AuditQuery()) == log)
        // A second compaction carries the log forward (linked), with more added after it.
        let more = try Self.write(reopened) { s, e throws(CoreError) in
            try e.recordChanges([AuditEntryDraft(entity: .staff, id: "dave", action: "removed")], in: s, by: Self.carol)
        }.1
        try reopened.compact()
        let again = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(try again.auditEntries(AuditQuery()) == log + more)
        let report = again.check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
        #expect(report.lines.contains { $0.contains("\(log.count + more.count) audit entries decode") })
    }

    @Test func changesToOtherEntitiesAreEvents() throws {
        let dir = Support.tempDir("audit-events")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        _ = try Self.everyKind(store)
        let events = try store.events(after: 0, changes: true).map { $0.event }
        let types = Set(events.map { (e: DomainEvent) in e.type })
        for t: EventType in [.resourceUpdated, .scheduleUpdated, .customerCreated, .customerUpdated, .staffChanged, .webhookChanged, .settingsChanged] {
            #expect(types.contains(t), "no \(t.rawValue) event")
        }
        let staff = try #require(events.first { (e: DomainEvent) in e.type == .staffChanged })
        #expect(staff.change?.id == "dave" && staff.change?.actor.user == "carol" && staff.booking == nil)
        // Not among the stored events: only readers that ask for changes get them.
        #expect(try store.events(after: 0).allSatisfy { $0.event.change == nil })
        // Read back from events/ after a compaction, payload and all.
        try store.compact()
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let reread = try reader.events(after: 0, changes: true).map { $0.event }.first { (e: DomainEvent) in e.type == .staffChanged }
        #expect(reread == staff)
    }

    @Test func filtersAndWhatAQueryReads() throws {
        let dir = Support.tempDir("audit-filters")
        defer { Support.remove(dir) }
        let clock = FixedClock(Support.now)
        let store = try Store.create(at: dir, clock: clock, options: Support.options())
        var log: [AuditEntry] = []
        // Six months, two entries a month by two users, a compaction after each month.
        for month in 0..<6 {
            clock.set(Support.now + .days(Int64(31 * month)))
            for (i, who) in [Self.alice, Self.bob].enumerated() {
                log += try Self.write(store) { s, e throws(CoreError) in
                    try e.recordChanges([AuditEntryDraft(entity: i == 0 ? .staff : .settings, id: "x\(month)", action: "updated")], in: s, by: who)
                }.1
            }
            try store.compact()
        }
        let reader = try Store.open(at: dir, clock: clock, options: Support.options())
        #expect(try reader.auditEntries(AuditQuery()) == log)
        #expect(try reader.auditEntries(AuditQuery(actor: "bob")) == log.filter { $0.actor.user == "bob" })
        #expect(try reader.auditEntries(AuditQuery(entity: .staff)) == log.filter { $0.entity == .staff })
        #expect(try reader.auditEntries(AuditQuery(id: "x3")).count == 2)
        let since = Support.now + .days(31 * 4)
        let before = reader.auditChunksRead
        #expect(try reader.auditEntries(AuditQuery(since: since)) == log.filter { $0.at >= since })
        #expect(reader.auditChunksRead - before == 2, "a query from month 5 read \(reader.auditChunksRead - before) chunks of 6")
        let until = Support.now + .days(31 * 2)
        #expect(try reader.auditEntries(AuditQuery(until: until)) == log.filter { $0.at < until })
        let newest = reader.auditChunksRead
        #expect(try reader.auditEntries(AuditQuery(limit: 3)) == Array(log.suffix(3)))
        #expect(reader.auditChunksRead - newest == 2, "the newest 3 entries need the last two months only")
    }

    @Test func chunksFillUpAndOnlyTheLastIsRewritten() throws {
        let dir = Support.tempDir("audit-chunks")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        let many = AuditLayout.entriesPerChunk * 2 + 10
        var log = try Self.write(store) { s, e throws(CoreError) in
            try e.recordChanges((0..<many).map { AuditEntryDraft(entity: .staff, id: "u\($0)", action: "granted") }, in: s, by: Self.carol)
        }.1
        try store.compact()
        let month = Partition.month(Support.now)
        let first = try Generation.open(store.generation.path, fs: RealFileSystem())
        #expect(try AuditLayout.chunks(first.manifest).map(\.number) == [0, 1, 2])
        log += try Self.write(store) { s, e throws(CoreError) in
            try e.recordChanges([AuditEntryDraft(entity: .staff, id: "late", action: "granted")], in: s, by: Self.carol)
        }.1
        try store.compact()
        let second = store.generation
        #expect(try AuditLayout.chunks(second.manifest).map(\.number) == [0, 1, 2])
        func inode(_ gen: Generation, _ n: Int) throws -> UInt64 {
            let path = gen.path + "/" + AuditLayout.Chunk(month: month, number: n).path
            return (try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        #expect(try inode(first, 0) == inode(second, 0), "a full chunk was rewritten instead of linked")
        #expect(try inode(first, 2) != inode(second, 2), "the last chunk did not take the new entry")
        #expect(try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).auditEntries(AuditQuery()) == log)
    }

    @Test func damagedChunkIsNamed() throws {
        let dir = Support.tempDir("audit-damage")
        defer { Support.remove(dir) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: Support.options())
        _ = try Self.everyKind(store)
        try store.compact()
        let chunk = store.generation.path + "/" + AuditLayout.Chunk(month: Partition.month(Support.now), number: 0).path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: chunk))
        bytes[10] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: chunk))
        let reader = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        #expect(throws: StoreError.self) { try reader.auditEntries(AuditQuery()) }
        let report = reader.check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.hasPrefix("FAIL") && $0.contains("/audit/") && $0.contains("audit log of") })
    }

    /// Random changes (reference data, bookings, recorded entries, big batches), compactions,
    /// reopenings and crashes at a random file operation (each power-loss mode), against a
    /// model: the list of acknowledged entries. After a crash the log holds every acknowledged
    /// entry and at most the entries of the one write in flight.
    @Test(arguments: [1, 2, 3, 4])
    func modelBased(seed: UInt64) throws {
        var rng = ModelGen.Seeded(state: seed)
        let dir = Support.tempDir("audit-model-\(seed)")
        defer { Support.remove(dir) }
        let clock = FixedClock(Support.now)
        var store = try Store.create(at: dir, clock: clock, options: Support.options())
        var model: [AuditEntry] = []
        let users = [Self.alice, Self.bob, Self.carol]
        var resources: [ResourceID] = []

        /// One random write through `s`; returns its entries once acknowledged.
        func change(_ s: Store, _ rng: inout ModelGen.Seeded, inFlight: inout [AuditEntry]) throws -> [AuditEntry] {
            let who = users.randomElement(using: &rng)!
            var captured: [AuditEntry] = []
            func capture<T>(_ p: Planned<T>) -> Planned<T> { captured = p.transaction.auditEntries; inFlight = captured; return p }
            switch Int.random(in: 0..<5, using: &rng) {
            case 0, 1 where resources.isEmpty:
                let name = "Room \(Int.random(in: 0..<1_000_000, using: &rng))"
                let r = try s.write("r", .directory) { st, e throws(CoreError) in capture(try e.addResource(ResourceDraft(name: name, zone: .utc), in: st, by: who)) }
                resources.append(r.id)
            case 1:
                let id = resources.randomElement(using: &rng)!
                let minutes = Int64.random(in: 1...60, using: &rng)
                _ = try s.write("r", .directory) { st, e throws(CoreError) in
                    var r = st.resources[id]!
                    r.policy.bufferAfter = .minutes(minutes)
                    r.archived.toggle()
                    return capture(try e.updateResource(r, in: st, by: who))
                }
            case 2:
                let n = Bool.random(using: &rng) ? Int.random(in: 1...4, using: &rng) : AuditLayout.entriesPerChunk / 2 + 7
                _ = try s.write("x", .directory) { st, e throws(CoreError) in
                    capture(try e.recordChanges((0..<n).map { AuditEntryDraft(entity: .staff, id: "u\($0)", action: "granted", changes: ["role desk"]) },
                                                in: st, by: who))
                }
            case 3:
                _ = try s.write("c", .directory) { st, e throws(CoreError) in capture(try e.addCustomer(name: "Cust \(st.counters.customers)", in: st, by: who)) }
            default:
                clock.advance(by: .days(Int64.random(in: 1...20, using: &rng)))
                _ = try s.write("x", .directory) { st, e throws(CoreError) in
                    capture(try e.recordChanges([AuditEntryDraft(entity: .settings, id: "s", action: "updated", reason: "month \(clock.now())")], in: st, by: who))
                }
            }
            return captured
        }

        for step in 0..<40 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                try store.compact()
            case 1:
                store = try Store.open(at: dir, clock: clock, options: Support.options())
            case 2:
                // A crash at a random operation of a write (and a compaction after it).
                let fs = FaultyFileSystem()
                fs.crashAfter = Int.random(in: 0...30, using: &rng)
                var inFlight: [AuditEntry] = []
                if let crashing = try? Store.open(at: dir, clock: clock, options: Support.options(fs)) {
                    if let acknowledged = try? change(crashing, &rng, inFlight: &inFlight) {
                        model += acknowledged
                        inFlight = []
                        try? crashing.compact()
                    }
                    crashing.waitForBackgroundWork()
                }
                fs.powerLoss(FaultyFileSystem.PowerLoss.allCases.randomElement(using: &rng)!)
                store = try Store.open(at: dir, clock: clock, options: Support.options())
                let found = try store.auditEntries(AuditQuery())
                #expect(found == model || found == model + inFlight, "step \(step): \(found.count) entries, model \(model.count) + \(inFlight.count) in flight")
                if found != model { model += inFlight }
                resources = Array(store.state.resources.keys)
            default:
                var inFlight: [AuditEntry] = []
                model += try change(store, &rng, inFlight: &inFlight)
            }
            #expect(try store.auditEntries(AuditQuery()) == model, "step \(step)")
        }
        try store.compact()
        let last = try Store.open(at: dir, clock: clock, options: Support.options())
        #expect(try last.auditEntries(AuditQuery()) == model)
        #expect(try last.auditEntries(AuditQuery(actor: "bob")) == model.filter { $0.actor.user == "bob" })
        let report = last.check()
        #expect(report.ok, "\(report.lines.filter { $0.hasPrefix("FAIL") })")
    }
}
