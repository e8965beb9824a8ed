import Foundation
import Testing
import FrontdeskCore
import FrontdeskJSON
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// Staff grants in the file store: the creator is admin, grants are journaled, compacted into
/// `staff.json`, survive a crash and reopen; checked against a simple model with random
/// operations. The role the store gives an account, and the upgrade of a store without grants.
@Suite struct StaffStoreTests {
    static let admin = Author(user: "test", source: .cli)

    /// The active grants as the model keeps them: subject → (role, contact).
    static func active(_ state: BookingState) -> [StaffSubject: String] {
        var out: [StaffSubject: String] = [:]
        for (s, g) in state.staff { if let r = g.role { out[s] = "\(r.name)/\(g.contactDetails)" } }
        return out
    }

    static func set(_ store: Store, _ subject: StaffSubject, _ role: Role?, contact: Bool = false) throws -> StaffGrant {
        try store.write("staff", .directory) { s, e throws(CoreError) in
            try e.setStaff(subject, role: role, contactDetails: contact, in: s, by: admin)
        }
    }

    @Test func theCreatorIsAdminInTheFirstGeneration() throws {
        let dir = Support.tempDir("staff-creator")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        #expect(Self.active(store.state) == [.user("test"): "admin/false"])
        let g = try #require(store.state.staff[.user("test")])
        #expect(g.version == 1 && g.by.user == "test" && g.at == Support.now)
        #expect(try store.generation.manifest.contains(StaffSchema.file), "staff.json is in the first generation")
        let again = try Support.reopen(dir)
        #expect(again.state.staff == store.state.staff)
    }

    @Test func grantsSurviveCompactionAndReopen() throws {
        let dir = Support.tempDir("staff-compact")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        _ = try Self.set(store, .user("alice"), .manager)
        _ = try Self.set(store, .group("reception"), .desk)
        _ = try Self.set(store, .user("bob"), .viewer, contact: true)
        let fromJournal = try Support.reopen(dir)
        #expect(fromJournal.state.staff == store.state.staff)
        try store.compact()
        let compacted = try Support.reopen(dir)
        #expect(compacted.state.staff == store.state.staff)
        #expect(compacted.state.staff[.user("bob")]?.contactDetails == true)
        // An unchanged staff file is linked into the next generation, a changed one rewritten.
        _ = try Self.set(store, .user("alice"), nil)
        try store.compact()
        let after = try Support.reopen(dir)
        #expect(after.state.staff[.user("alice")]?.role == nil && after.state.staff[.user("alice")]?.version == 2)
        #expect(Self.active(after.state) == Self.active(store.state))
    }

    @Test func aDamagedStaffFileIsNamed() throws {
        let dir = Support.tempDir("staff-damaged")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        _ = try Self.set(store, .user("alice"), .manager)
        try store.compact()
        let gen = store.generation.path
        try Data("[{\"user\":\"alice\",\"role\":\"owner\"}]".utf8).write(to: URL(fileURLWithPath: gen + "/staff.json"))
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.contains("staff.json") }, "\(report.lines)")
    }

    @Test func staffRecordsReadBackExactly() throws {
        var out = JSONWriter()
        let g = StaffGrant(subject: .group("front-desk"), role: nil, contactDetails: false, version: 4, at: Support.now,
                           by: Author(user: "carol", origin: "10.0.0.1", source: .cli))
        try StaffSchema.write(g, to: &out)
        #expect(String(decoding: out.bytes, as: UTF8.self)
            == #"{"group":"front-desk","role":null,"contactDetails":false,"version":4,"at":"2027-01-01T00:00:00Z","by":{"user":"carol","origin":"10.0.0.1","source":"cli"}}"#)
        #expect(try StaffSchema.read(SchemaValue.root(out.bytes)) == g)
        for bad in [#"{"user":"a","group":"b","role":"desk","contactDetails":false,"version":1,"at":"2027-01-01T00:00:00Z","by":{"user":"c","origin":"local","source":"cli"}}"#,
                    #"{"user":"a","role":"owner","contactDetails":false,"version":1,"at":"2027-01-01T00:00:00Z","by":{"user":"c","origin":"local","source":"cli"}}"#,
                    #"{"user":"a","role":"desk","contactDetails":false,"version":0,"at":"2027-01-01T00:00:00Z","by":{"user":"c","origin":"local","source":"cli"}}"#,
                    #"{"user":"","role":"desk","contactDetails":false,"version":1,"at":"2027-01-01T00:00:00Z","by":{"user":"c","origin":"local","source":"cli"}}"#] {
            #expect(throws: SchemaError.self, "\(bad)") { try StaffSchema.read(SchemaValue.root(Array(bad.utf8))) }
        }
    }

    /// Random grants and removals, compactions and reopenings against a dictionary.
    @Test("model: random staff changes, compaction, reopen", arguments: [1, 2, 3] as [UInt64])
    func modelBased(seed: UInt64) throws {
        let dir = Support.tempDir("staff-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = ModelGen.Seeded(state: seed)
        var (store, _) = try Support.newStore(dir)
        var model: [StaffSubject: String] = [.user("test"): "admin/false"]
        let subjects: [StaffSubject] = [.user("alice"), .user("bob"), .user("test"), .group("reception"), .group("owners")]
        for step in 0..<60 {
            let subject = subjects.randomElement(using: &rng)!
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: try store.compact()
            case 1: store = try Support.reopen(dir)
            case 2, 3:
                let admins = model.filter { $0.value.hasPrefix("admin") }
                let lastAdmin = admins.count == 1 && admins[subject] != nil
                do {
                    _ = try Self.set(store, subject, nil)
                    #expect(model[subject] != nil && !lastAdmin, "step \(step)")
                    model[subject] = nil
                } catch StoreError.core(let e) {
                    #expect(model[subject] == nil || lastAdmin, "step \(step): \(e)")
                }
            default:
                let role = Role.allCases.randomElement(using: &rng)!
                let contact = Bool.random(using: &rng)
                let admins = model.filter { $0.value.hasPrefix("admin") }
                let lastAdmin = admins.count == 1 && admins[subject] != nil && role != .admin
                do {
                    _ = try Self.set(store, subject, role, contact: contact)
                    #expect(!lastAdmin, "step \(step)")
                    model[subject] = "\(role.name)/\(contact)"
                } catch StoreError.core(.lastAdmin) {
                    #expect(lastAdmin, "step \(step)")
                }
            }
            #expect(Self.active(store.state) == model, "step \(step)")
        }
        #expect(Self.active(try Support.reopen(dir).state) == model)
    }

    /// A crash at every I/O operation of a grant: after power loss and reopen the grant is
    /// there if it was acknowledged, and the store holds it or not, nothing else.
    @Test func aCrashDuringAGrantKeepsEitherStateAndTheAcknowledgedOne() throws {
        let base = Support.tempDir("staff-crash-base")
        defer { Support.remove(base) }
        let (store, _) = try Support.newStore(base)
        _ = try Self.set(store, .user("alice"), .desk)
        let before = Self.active(store.state)
        var k = 0
        while true {
            let dir = Support.tempDir("staff-crash-\(k)")
            defer { Support.remove(dir) }
            Support.copy(base, dir)
            let fs = FaultyFileSystem()
            var acknowledged = false
            if let s = try? Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs)) {
                fs.crashAfter = fs.operations + k
                acknowledged = (try? Self.set(s, .group("reception"), .manager)) != nil
                try? s.compact()
            }
            let crashed = fs.crashed
            fs.powerLoss(.drop)
            let recovered = Self.active(try Support.reopen(dir).state)
            var after = before
            after[.group("reception")] = "manager/false"
            #expect(recovered == after || (!acknowledged && recovered == before), "crash after \(k): \(recovered)")
            if !crashed { break }
            k += 1
        }
        #expect(k > 3, "the grant and the compaction took several operations")
    }

    /// A store made before roles (no grant) has one admin: the owner of its directory.
    @Test func aStoreWithoutGrantsHasTheOwnerOfItsDirectoryAsAdmin() throws {
        let dir = Support.tempDir("staff-upgrade")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        // As an older program left it: no active grant.
        try store.writeGeneration(referenceFiles: [StaffSchema.file]) { state in
            state.apply(Transaction(at: Support.now, actor: Self.admin,
                                    mutations: [.staff(StaffGrant(subject: .user("test"), role: nil, version: 2, at: Support.now, by: Self.admin))]))
            return []
        }
        let old = try Support.reopen(dir)
        #expect(Self.active(old.state).isEmpty)
        // getpwnam's answer lives in static storage that the next call reuses: the uid is taken at once.
        guard getuid() == 0, let nobodyUID = getpwnam("nobody")?.pointee.pw_uid, getpwnam("daemon") != nil else { return }
        #expect(chown(dir, nobodyUID, gid_t.max) == 0)
        #expect(old.access(ofUser: "nobody")?.role == .admin)
        #expect(old.access(ofUser: "nobody")?.sources.first?.contains("owner of the store directory") == true)
        #expect(old.access(ofUser: "daemon")?.role == nil)
        #expect(old.access(ofUser: "root")?.role == .admin)
        #expect(old.access(ofUser: "no-such-user-here") == nil)
        // Once an admin grants a role, the owner is admin only by its own grant.
        _ = try Self.set(old, .user("daemon"), .admin)
        #expect(old.access(ofUser: "nobody")?.role == nil)
        #expect(old.access(ofUser: "daemon")?.role == .admin)
    }

    /// With `access` set, the store refuses a plan that does more than the role allows,
    /// whatever the request said, and stores nothing.
    @Test func theStoreChecksWhatAPlanDoes() throws {
        let dir = Support.tempDir("staff-enforce")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        store.access = Access(user: "test", role: .desk, admins: ["root"])
        _ = try Support.book(store, r, Support.slot(1))
        let before = store.lastSequence
        #expect(throws: StoreError.core(.notPermitted(user: "test", role: .desk, action: .manageResources, needed: .manager, admins: ["root"]))) {
            _ = try Support.addResource(store, "Room 2")
        }
        #expect(throws: StoreError.self) { _ = try Self.set(store, .user("alice"), .admin) }
        #expect(store.lastSequence == before)
        store.access = Access(user: "test", role: .viewer)
        #expect(throws: StoreError.self) { _ = try Support.book(store, r, Support.slot(3)) }
        let results = try store.writeBatch("import", .directory, items: [1, 2]) { _, s, e throws(CoreError) in
            try e.addCustomer(name: "Ann", in: s, by: Self.admin)
        }
        #expect(results.allSatisfy { if case .failure(.notPermitted) = $0 { true } else { false } })
        #expect(store.lastSequence == before)
    }
}
