import Foundation
import Testing
import FrontdeskCore
import FrontdeskJSON
@testable import FrontdeskStore
import FrontdeskStoreTesting

/// The service catalog and resource tags in the file store: journaled, compacted into
/// `services.json` and `resources.json`, surviving a crash and reopen, named when damaged,
/// checked by `check`; a model-based test with random changes, compactions and reopenings.
@Suite struct ServiceStoreTests {
    static let manager = Author(user: "test", source: .cli)

    static func add(_ store: Store, _ name: String, needs: [String] = ["stylist"], price: Int64? = nil) throws -> Service {
        let reqs = try needs.map { text throws(CoreError) in try ServiceRequirement(parsing: text) }
        return try store.write("service add", .directory) { s, e throws(CoreError) in
            try e.addService(Service(name: name, duration: .minutes(45), requirements: reqs, price: price), in: s, by: manager)
        }
    }

    static func update(_ store: Store, _ s: Service) throws -> Service {
        try store.write("service edit", .directory) { st, e throws(CoreError) in try e.updateService(s, in: st, by: manager) }
    }

    static func tag(_ store: Store, _ r: ResourceID, _ tags: [String]) throws -> Resource {
        try store.write("resource edit", .directory) { s, e throws(CoreError) in
            var edited = s.resources[r]!
            edited.tags = tags
            return try e.updateResource(edited, in: s, by: manager)
        }
    }

    @Test func servicesAndTagsSurviveCompactionAndReopen() throws {
        let dir = Support.tempDir("services-compact")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        #expect(try String(contentsOfFile: dir + "/FORMAT", encoding: .utf8) == "5\n")
        _ = try Self.tag(store, r, ["stylist", "colour"])
        let cut = try Self.add(store, "Cut & blow-dry", needs: ["stylist", "2xchair"], price: 3800)
        let fromJournal = try Support.reopen(dir)
        #expect(fromJournal.state.services == store.state.services)
        #expect(fromJournal.state.resources[r]?.tags == ["colour", "stylist"])
        try store.compact()
        #expect(try store.generation.manifest.contains(ServiceSchema.file))
        let compacted = try Support.reopen(dir)
        #expect(compacted.state.services == store.state.services)
        #expect(compacted.state.services[cut.id]?.requirements == [ServiceRequirement(.tag("stylist")), ServiceRequirement(.tag("chair"), count: 2)])
        #expect(compacted.state.resources[r]?.tags == ["colour", "stylist"])
        var archived = cut
        archived.archived = true
        _ = try Self.update(store, archived)
        try store.compact()
        let after = try Support.reopen(dir)
        #expect(after.state.services[cut.id]?.archived == true && after.state.services[cut.id]?.version == 2)
        // The history holds the service's entries, and check is clean.
        let entries = try after.auditEntries(AuditQuery(entity: .service))
        #expect(entries.map(\.action) == ["created", "archived"])
        let report = after.check()
        #expect(report.ok, "\(report.lines)")
        #expect(report.lines.contains { $0.contains("1 services checked") }, "\(report.lines)")
    }

    /// A desk may not change the catalog: the store refuses the plan and stores nothing.
    @Test func theStoreRefusesACatalogChangeByADesk() throws {
        let dir = Support.tempDir("services-role")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        store.access = Access(user: "test", role: .desk, admins: ["root"])
        let before = store.lastSequence
        #expect(throws: StoreError.core(.notPermitted(user: "test", role: .desk, action: .manageServices, needed: .manager, admins: ["root"]))) {
            _ = try Self.add(store, "Cut")
        }
        #expect(store.lastSequence == before && store.state.services.isEmpty)
        store.access = Access(user: "test", role: .manager, admins: ["root"])
        _ = try Self.add(store, "Cut")
        #expect(store.state.services.count == 1)
    }

    @Test func serviceRecordsReadBackExactlyAndBadOnesAreRefused() throws {
        var out = JSONWriter()
        let s = Service(id: ServiceID("svc_1"), name: "Colour", duration: .minutes(90), bufferAfter: .minutes(15),
                        requirements: [ServiceRequirement(.tag("colour")), ServiceRequirement(.kind(.room), count: 2)], price: 8500, noShowFee: 0, version: 3)
        ServiceSchema.write(s, to: &out)
        #expect(String(decoding: out.bytes, as: UTF8.self)
            == #"{"id":"svc_1","name":"Colour","duration":5400,"bufferBefore":0,"bufferAfter":900,"needs":[{"tag":"colour","count":1},{"kind":"room","count":2}],"price":8500,"noShowFee":0,"archived":false,"version":3}"#)
        #expect(try ServiceSchema.read(SchemaValue.root(out.bytes)) == s)
        let good = #"{"id":"svc_1","name":"A","duration":60,"bufferBefore":0,"bufferAfter":0,"needs":[{"tag":"x","count":1}],"archived":false,"version":1}"#
        #expect(try ServiceSchema.read(SchemaValue.root(Array(good.utf8))).name == "A")
        for (from, to) in [(#""duration":60"#, #""duration":0"#), (#""count":1"#, #""count":0"#), (#"{"tag":"x","count":1}"#, ""),
                           (#""tag":"x""#, #""tag":"X""#), (#""tag":"x""#, #""tag":"x","kind":"room""#), (#""version":1"#, #""version":0"#),
                           (#""archived":false"#, #""archived":false,"price":-1"#), (#""name":"A""#, #""name":"""#),
                           (#""bufferBefore":0"#, #""bufferBefore":-60"#)] {
            let bad = good.replacingOccurrences(of: from, with: to)
            #expect(bad != good)
            #expect(throws: SchemaError.self, "\(bad)") { try ServiceSchema.read(SchemaValue.root(Array(bad.utf8))) }
        }
        // Tags on a resource: written only when there are some, read back, refused unless normalised.
        let r = Resource(id: ResourceID("res_1"), ref: "R-001", name: "Ana", kind: .staff, zone: .utc, tags: ["colour", "stylist"])
        var rw = JSONWriter()
        ResourceSchema.write(r, to: &rw)
        let text = String(decoding: rw.bytes, as: UTF8.self)
        #expect(text.contains(#","tags":["colour","stylist"],"archived""#))
        #expect(try ResourceSchema.read(SchemaValue.root(rw.bytes)) == r)
        var plain = JSONWriter()
        var untagged = r
        untagged.tags = []
        ResourceSchema.write(untagged, to: &plain)
        #expect(!String(decoding: plain.bytes, as: UTF8.self).contains("tags"))
        for bad in [#"["stylist","colour"]"#, #"["Stylist"]"#, #"["a","a"]"#, #"[1]"#] {
            let t = text.replacingOccurrences(of: #"["colour","stylist"]"#, with: bad)
            #expect(throws: SchemaError.self, "\(t)") { try ResourceSchema.read(SchemaValue.root(Array(t.utf8))) }
        }
    }

    @Test func aDamagedServicesFileIsNamedAndDuplicateNamesFailCheck() throws {
        let dir = Support.tempDir("services-damaged")
        defer { Support.remove(dir) }
        let (store, _) = try Support.newStore(dir)
        _ = try Self.add(store, "Cut")
        try store.compact()
        let gen = store.generation.path
        try Data(#"[{"id":"svc_1","name":"Cut"}]"#.utf8).write(to: URL(fileURLWithPath: gen + "/" + ServiceSchema.file))
        let report = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()).check()
        #expect(!report.ok)
        #expect(report.lines.contains { $0.contains(ServiceSchema.file) }, "\(report.lines)")
        // Opening either refuses naming the damage or falls back on an intact generation and
        // the journal: never a store whose catalog is silently empty.
        do {
            let again = try Support.reopen(dir)
            #expect(again.state.services.values.map(\.name) == ["Cut"])
        } catch let e as StoreError {
            #expect("\(e)".contains(ServiceSchema.file) || "\(e)".contains("damaged"), "\(e)")
        }

        // Two services of one name, as only a damaged or hand-edited store could hold them.
        let dir2 = Support.tempDir("services-duplicate")
        defer { Support.remove(dir2) }
        let (store2, _) = try Support.newStore(dir2)
        let a = try Self.add(store2, "Cut")
        try store2.writeGeneration(referenceFiles: [ServiceSchema.file]) { state in
            var twin = a
            twin.id = ServiceID("svc_twin")
            state.apply(Transaction(at: Support.now, actor: Self.manager, mutations: [.service(twin)]))
            return []
        }
        let r2 = try Support.reopen(dir2).check()
        #expect(!r2.ok)
        #expect(r2.lines.contains { $0.hasPrefix("FAIL") && $0.contains("both named \"Cut\"") }, "\(r2.lines)")
        #expect(r2.lines.contains { $0.hasPrefix("warn") && $0.contains("no resource can fill stylist") }, "\(r2.lines)")
    }

    /// Random services added, edited, archived; tags changed; compactions and reopenings,
    /// against a dictionary.
    @Test("model: random catalog changes, compaction, reopen", arguments: [1, 2, 3] as [UInt64])
    func modelBased(seed: UInt64) throws {
        let dir = Support.tempDir("services-model-\(seed)")
        defer { Support.remove(dir) }
        var rng = ModelGen.Seeded(state: seed)
        var (store, r) = try Support.newStore(dir)
        var model: [ServiceID: Service] = [:]
        var tags: [String] = []
        let names = ["Cut", "Colour", "Shave", "Trim", "Wash"]
        let tagPool = ["stylist", "chair", "colour", "sink"]
        for step in 0..<60 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: try store.compact()
            case 1: store = try Support.reopen(dir)
            case 2:
                tags = tagPool.filter { _ in Bool.random(using: &rng) }
                _ = try Self.tag(store, r, tags)
            case 3, 4, 5:
                let name = names.randomElement(using: &rng)!
                let taken = model.values.contains { !$0.archived && $0.name == name }
                do {
                    let s = try Self.add(store, name, needs: [tagPool.randomElement(using: &rng)!], price: Int64.random(in: 0...10_000, using: &rng))
                    #expect(!taken, "step \(step)")
                    model[s.id] = s
                } catch StoreError.core(.invalidInput(let field, _)) {
                    #expect(taken && field == "name", "step \(step)")
                }
            default:
                guard let id = model.keys.sorted().randomElement(using: &rng), var s = model[id] else { continue }
                if Bool.random(using: &rng) { s.archived.toggle() } else { s.duration = .minutes(Int64.random(in: 5...120, using: &rng)) }
                let clash = !s.archived && model.values.contains { $0.id != id && !$0.archived && $0.name == s.name }
                do {
                    let done = try Self.update(store, s)
                    #expect(!clash, "step \(step)")
                    model[id] = done
                } catch StoreError.core(.invalidInput) {
                    #expect(clash, "step \(step)")
                }
            }
            #expect(store.state.services == model, "step \(step)")
            #expect(store.state.resources[r]?.tags == tags.sorted(), "step \(step)")
        }
        let last = try Support.reopen(dir)
        #expect(last.state.services == model)
        #expect(last.check().ok)
    }

    /// A crash at every I/O operation of adding a service (and the compaction after it): after
    /// power loss and reopen the service is there if acknowledged, and the store holds it or
    /// not, nothing else.
    @Test func aCrashWhileAddingAServiceKeepsEitherStateAndTheAcknowledgedOne() throws {
        let base = Support.tempDir("services-crash-base")
        defer { Support.remove(base) }
        let (store, _) = try Support.newStore(base)
        _ = try Self.add(store, "Cut")
        let before = store.state.services
        var k = 0
        while true {
            let dir = Support.tempDir("services-crash-\(k)")
            defer { Support.remove(dir) }
            Support.copy(base, dir)
            let fs = FaultyFileSystem()
            var acknowledged: Service?
            if let s = try? Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options(fs)) {
                fs.crashAfter = fs.operations + k
                acknowledged = try? Self.add(s, "Colour", needs: ["colour"], price: 8500)
                try? s.compact()
            }
            let crashed = fs.crashed
            fs.powerLoss(.drop)
            let recovered = try Support.reopen(dir).state.services
            if let acknowledged {
                var after = before
                after[acknowledged.id] = acknowledged
                #expect(recovered == after, "crash after \(k)")
            } else {
                #expect(recovered == before || (recovered.count == 2 && recovered.values.contains { $0.name == "Colour" }), "crash after \(k): \(recovered)")
            }
            if !crashed { break }
            k += 1
        }
        #expect(k > 3, "the service and the compaction took several operations")
    }
}
