import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore

@Suite struct BasicStoreTests {
    @Test func writeReopenCompactReopen() throws {
        let dir = Support.tempDir("basic")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        let b1 = try Support.book(store, r, Support.slot(0))
        // The same slot is refused with the core's conflict, and nothing is written.
        let seq = store.lastSequence
        #expect(throws: StoreError.self) { try Support.book(store, r, Support.slot(0)) }
        #expect(store.lastSequence == seq)
        let b2 = try Support.book(store, r, Support.slot(48 * 31))   // a month later: another partition
        var again = try Support.reopen(dir)
        #expect(again.state.bookings[b1.id] == b1)
        #expect(again.state.bookings[b2.id] == b2)
        #expect(again.lastSequence == store.lastSequence)
        try store.compact()
        let b3 = try Support.book(store, r, Support.slot(5))
        again = try Support.reopen(dir)
        #expect(again.state.bookings.count == 3)
        #expect(again.state.bookings[b3.id] == b3)
        #expect(again.state.resources[r] != nil)
        let report = again.check()
        #expect(report.ok, "\(report.lines)")
        // Events survive compaction (kept in events/).
        let events = try again.events(after: 0)
        #expect(events.filter { $0.event.type == .bookingCreated }.count == 3)
        #expect(events.map(\.sequence) == events.map(\.sequence).sorted())
    }

    @Test func createRefusesNonEmptyDirectoryAndOpenRefusesNewerFormat() throws {
        let dir = Support.tempDir("create")
        defer { Support.remove(dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dir + "/notes.txt", contents: Data("x".utf8))
        #expect(throws: StoreError.notEmpty(path: dir)) { try Store.create(at: dir, clock: FixedClock(Support.now)) }
        Support.remove(dir)
        _ = try Support.newStore(dir)
        #expect(throws: StoreError.notEmpty(path: dir)) { try Store.create(at: dir, clock: FixedClock(Support.now)) }
        try "\(StoreFormat.current + 1)\n".write(toFile: dir + "/FORMAT", atomically: false, encoding: .utf8)
        #expect(throws: StoreError.newerFormat(found: StoreFormat.current + 1, supported: StoreFormat.current)) { try Store.open(at: dir, clock: FixedClock(Support.now)) }
        #expect(throws: StoreError.notFound(path: dir + "/nothing")) { try Store.open(at: dir + "/nothing", clock: FixedClock(Support.now)) }
    }

    @Test func modesAreGroupWritableSetgid() throws {
        let dir = Support.tempDir("modes")
        defer { Support.remove(dir) }
        let old = umask(0o077)
        defer { umask(old) }
        // A shared store (a group given at create); without one the store is private
        // (HostileFileTests.modesFollowTheStoresKind).
        var options = Support.options()
        options.group = UInt32(getegid())
        let (store, r) = try Support.newStore(dir, options: options)
        try Support.book(store, r, Support.slot(1))
        try store.compact()
        func mode(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? Int) ?? -1 }
        var st = stat()
        stat(dir + "/journal", &st)
        #expect(st.st_mode & 0o7777 == 0o2770)
        #expect(mode(dir + "/LOCK") == 0o660)
        #expect(mode(dir + "/FORMAT") == 0o660)
        let seg = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasSuffix(".jsonl") }
        for s in seg { #expect(mode(dir + "/journal/" + s) == 0o660) }
        let gens = try FileManager.default.contentsOfDirectory(atPath: dir + "/snapshots")
        for g in gens { #expect(mode(dir + "/snapshots/\(g)/manifest.json") == 0o660) }
    }

    @Test func busyLockNamesTheHolder() throws {
        let dir = Support.tempDir("busy")
        defer { Support.remove(dir) }
        _ = try Support.newStore(dir)
        var opts = Support.options()
        opts.lockTimeout = 0.2
        let other = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
        let holder = try LockFile(path: dir + "/LOCK", fs: RealFileSystem())
        #expect(try holder.tryAcquire(operation: "import", user: "alice"))
        do {
            _ = try Support.addResource(other, "Room 2")
            Issue.record("write succeeded while the lock was held")
        } catch let e as StoreError {
            guard case .busy(let text) = e else { Issue.record("expected busy, got \(e)"); return }
            #expect(text.contains("held by alice (pid \(getpid()), import) since "), "\(text)")
        }
        holder.release()
        _ = try Support.addResource(other, "Room 2")
    }

    /// Compaction rewrites only reference files a record changed; the rest are hard links to
    /// the previous generation's files (same inode), and reopening still sees everything.
    @Test func compactionLinksUnchangedReferenceFiles() throws {
        let dir = Support.tempDir("reflink")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir, options: Support.options(minimumShards: Support.productionShards))
        _ = try store.write("customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Ann Lee", in: s, by: Support.actor)
        }
        try store.compact()
        func inode(_ gen: UInt64, _ file: String) throws -> Int {
            let path = dir + "/snapshots/" + Manifest.name(gen) + "/" + file
            return try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int, "\(path)")
        }
        let first = try #require(try Generation.list(dir + "/snapshots", fs: RealFileSystem()).first)
        try Support.book(store, r, Support.slot(1))
        try store.compact()
        let second = first + 1
        let keyShards = (0..<IdempotencyLayout.minimumShards).map(IdempotencyLayout.shardPath)
        // Customers are a sharded table (`customers/`, with its index): every file of it is linked too.
        let table = (0..<16).map { CustomerLayout.shardPath($0) } + (0..<16).map { CustomerLayout.keyPath($0) }
            + [CustomerLayout.nameTable, CustomerLayout.chunkPath(0)]
        for f in ["resources.json", "schedules.json", "waitlist.json", "series.json"] + keyShards + table {
            #expect(try inode(first, f) == (try inode(second, f)), "\(f) should be linked, not rewritten")
        }
        let bob = try store.write("customer", .directory) { s, e throws(CoreError) in
            try e.addCustomer(name: "Bob Stone", in: s, by: Support.actor)
        }
        try store.compact()
        let bobShard = CustomerLayout.shardPath(CustomerLayout.shard(bob.id.rawValue, count: 16))
        #expect(try inode(second, bobShard) != (try inode(second + 1, bobShard)))
        for f in table where f != bobShard && !f.hasPrefix(CustomerLayout.keyDirectory) && !f.hasPrefix(CustomerLayout.nameDirectory) {
            #expect(try inode(second, f) == (try inode(second + 1, f)), "\(f) should be linked, not rewritten")
        }
        #expect(try inode(second, "resources.json") == (try inode(second + 1, "resources.json")))
        let again = try Support.reopen(dir)
        #expect(Set(again.state.customers.values.map(\.name)) == ["Ann Lee", "Bob Stone"])
        #expect(again.state.bookings.count == 1)
    }
}
