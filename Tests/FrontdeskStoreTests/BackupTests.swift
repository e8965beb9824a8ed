import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// `Store.backup(to:incremental:)` and `StoreRestore.restore`: what a backup holds, chains,
/// verification, point in time, permissions.
@Suite(.serialized) struct BackupTests {
    /// A store with a clock the test moves, one resource, and its directory.
    struct Fixture {
        let dir: String
        let clock: FixedClock
        let store: Store
        let resource: ResourceID

        init(_ name: String) throws {
            dir = Support.tempDir(name)
            clock = FixedClock(Support.now)
            store = try Store.create(at: dir, clock: clock, options: Support.options())
            resource = try Support.addResource(store, "Room 1")
        }

        @discardableResult
        func book(_ hour: Int64, key: String? = nil, customer: String? = nil) throws -> Booking {
            let request = BookingRequest(resource: resource, customer: customer.map { .new(name: $0) }, range: Support.slot(hour), idempotencyKey: key)
            return try store.write("book", .book(request)) { s, e throws(CoreError) in try e.book(request, in: s, by: Support.actor) }.bookings[0]
        }

        /// Many bookings in one batch, as an import writes them.
        func importBookings(hours: Range<Int64>) throws {
            let items = hours.map { BookingRequest(resource: resource, range: Support.slot($0)) }
            let results = try store.writeBatch("import", .bookMany(items), items: items, chunkSize: 7) { item, s, e throws(CoreError) in
                try e.book(item, in: s, by: Author(user: "importer", source: .import))
            }
            for r in results { if case .failure(let e) = r { Issue.record("import refused: \(e)") } }
        }

        func remove() { Support.remove(dir) }
    }

    static func restore(_ source: String, _ into: String, _ target: RestoreTarget = .latest) throws -> RestoreReport {
        try StoreRestore.restore(from: source, into: into, target: target, clock: FixedClock(Support.now), options: Support.options())
    }

    /// Every booking of the store in `dir`: id → version.
    static func bookings(_ dir: String) throws -> [String: Int] {
        let s = try Support.reopen(dir)
        return Dictionary(uniqueKeysWithValues: s.state.bookings.values.map { ($0.id.rawValue, $0.version) })
    }

    /// Paths under `dir` whose mode is not 0700 (directories) or 0600 (files); links count too.
    static func notPrivate(_ dir: String) -> [String] {
        var bad: [String] = []
        func walk(_ p: String) {
            var st = stat()
            guard lstat(p, &st) == 0 else { bad.append(p + " (missing)"); return }
            let mode = st.st_mode & 0o7777
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                if mode != 0o700 { bad.append(p + " " + String(mode, radix: 8)) }
                for name in (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? [] { walk(p + "/" + name) }
            case S_IFREG:
                if mode != 0o600 { bad.append(p + " " + String(mode, radix: 8)) }
            default: bad.append(p + " (not a file or directory)")
            }
        }
        walk(dir)
        return bad
    }

    static func inode(_ path: String) -> UInt64? {
        var st = stat()
        return lstat(path, &st) == 0 ? UInt64(st.st_ino) : nil
    }

    @Test func aFullBackupRestoresEveryBookingKeyCustomerAndAuditEntryPrivately() throws {
        let f = try Fixture("backup-full")
        defer { f.remove() }
        let dest = f.dir + "-dest", restored = f.dir + "-restored"
        defer { Support.remove(dest); Support.remove(restored) }
        for h in Int64(0)..<6 { try f.book(h, key: h == 2 ? "key-2" : nil, customer: h == 3 ? "Ada Lovelace" : nil) }
        try f.store.compact()
        for h in Int64(6)..<9 { try f.book(h) }
        let report = try f.store.backup(to: dest, incremental: false)
        #expect(report.lastSequence == f.store.lastSequence)
        #expect(report.previous == nil)
        #expect(report.check.ok)
        #expect(Self.notPrivate(dest).isEmpty, "\(Self.notPrivate(dest))")

        // Written after the backup: not in it.
        try f.book(20)
        let r = try Self.restore(dest, restored)
        #expect(r.lastSequence == report.lastSequence)
        #expect(r.bookings == 9)
        #expect(r.customers == 1)
        #expect(r.resources == 1)
        #expect(Self.notPrivate(restored).isEmpty, "\(Self.notPrivate(restored))")
        let back = try Support.reopen(restored)
        #expect(back.check().ok)
        var original = try Self.bookings(f.dir)
        original.removeValue(forKey: f.store.state.bookings.values.first { $0.range == Support.slot(20) }!.id.rawValue)
        #expect(try Self.bookings(restored) == original)
        #expect(try back.idempotencyRecord(forKey: "key-2") != nil)
        #expect(try back.customers(namePrefix: "ada", limit: 5).map(\.name) == ["Ada Lovelace"])
        #expect(back.state.staff.values.contains { $0.role == .admin })
        let audit = try back.auditEntries(AuditQuery(entity: .booking))
        #expect(audit.count == 9)
        // The restored store takes writes and keeps its records in order.
        let more = try back.write("book", .book(BookingRequest(resource: f.resource, range: Support.slot(30)))) { s, e throws(CoreError) in
            try e.book(BookingRequest(resource: f.resource, range: Support.slot(30)), in: s, by: Support.actor)
        }
        #expect(more.bookings.count == 1)
        #expect(try Support.reopen(restored).check().ok)
    }

    @Test func anIncrementalBackupCopiesOnlyWhatIsNewAndLinksUnchangedFiles() throws {
        let f = try Fixture("backup-incr")
        defer { f.remove() }
        let dest = f.dir + "-dest", restored = f.dir + "-restored"
        defer { Support.remove(dest); Support.remove(restored) }
        for h in Int64(0)..<5 { try f.book(h) }
        try f.store.compact()
        let full = try f.store.backup(to: dest, incremental: true)
        #expect(full.previous == nil, "no previous backup: a full one")
        for h in Int64(5)..<8 { try f.book(h) }
        let second = try f.store.backup(to: dest, incremental: true)
        #expect(second.previous == full.name)
        #expect(second.generations.isEmpty, "no new generation since the first backup")
        #expect(second.firstSequence == full.lastSequence + 1)
        try f.book(100 * 24) // another month: a new partition, the old one unchanged
        try f.store.compact()
        let third = try f.store.backup(to: dest, incremental: true)
        #expect(third.previous == second.name)
        #expect(third.generations.count == 1)
        #expect(third.filesLinked > 0)
        // A file the new generation did not change (the resources) is the first backup's, linked;
        // the month partition that changed is a copy of its own.
        let gen = try #require(third.generations.first)
        let oldGen = try #require(full.generations.max())
        let linked = third.path + "/snapshots/" + Manifest.name(gen) + "/resources.json"
        let original = full.path + "/snapshots/" + Manifest.name(oldGen) + "/resources.json"
        #expect(Self.inode(linked) != nil && Self.inode(linked) == Self.inode(original))
        let month = Partition.key(f.store.state.bookings.values.first { $0.range == Support.slot(0) }!)
        let changed = "/snapshots/" + Manifest.name(gen) + "/bookings/" + month + ".json"
        #expect(Self.inode(third.path + changed) != nil)
        #expect(Self.inode(third.path + changed) != Self.inode(full.path + "/snapshots/" + Manifest.name(oldGen) + "/bookings/" + month + ".json"))
        #expect(Self.notPrivate(dest).isEmpty, "\(Self.notPrivate(dest))")

        let r = try Self.restore(dest, restored)
        #expect(r.lastSequence == f.store.lastSequence)
        #expect(try Self.bookings(restored) == Self.bookings(f.dir))
    }

    @Test func aChainWithAMissingLinkIsRefusedNamingIt() throws {
        let f = try Fixture("backup-chain")
        defer { f.remove() }
        let dest = f.dir + "-dest", restored = f.dir + "-restored"
        defer { Support.remove(dest); Support.remove(restored) }
        try f.book(0)
        let first = try f.store.backup(to: dest, incremental: true)
        try f.book(1)
        let second = try f.store.backup(to: dest, incremental: true)
        try f.book(2)
        let third = try f.store.backup(to: dest, incremental: true)
        Support.remove(second.path)
        #expect(throws: StoreError.backupLinkMissing(missing: dest + "/" + second.name, neededBy: third.path)) {
            try Self.restore(dest, restored)
        }
        #expect(!FileManager.default.fileExists(atPath: restored), "nothing written")
        // The first backup alone still restores.
        let r = try Self.restore(first.path, restored)
        #expect(r.lastSequence == first.lastSequence)
        // A new incremental backup on a broken chain is refused too, naming the link.
        #expect(throws: StoreError.backupLinkMissing(missing: dest + "/" + second.name, neededBy: third.path)) {
            try f.store.backup(to: dest, incremental: true)
        }
    }

    @Test func aFlippedByteInAnyKindOfBackupFileIsRefusedNamingTheFile() throws {
        let f = try Fixture("backup-flip")
        defer { f.remove() }
        let dest = f.dir + "-dest", restored = f.dir + "-restored"
        defer { Support.remove(dest); Support.remove(restored) }
        for h in Int64(0)..<4 { try f.book(h) }
        try f.store.compact()
        try f.book(4)
        let report = try f.store.backup(to: dest, incremental: false)
        let manifest = try BackupChain.readManifest(report.path, fs: RealFileSystem())
        let gen = Manifest.name(try #require(report.generations.max()))
        let victims = [
            manifest.files.keys.first { $0.hasPrefix("snapshots/\(gen)/bookings/") },
            "snapshots/\(gen)/manifest.json",
            manifest.files.keys.first { $0.hasPrefix("journal/") },
            "FORMAT",
        ].compactMap { $0 }
        #expect(victims.count == 4)
        for rel in victims {
            let path = report.path + "/" + rel
            var bytes = try #require(FileManager.default.contents(atPath: path))
            let at = bytes.count / 2
            bytes[at] ^= 0x20
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: StoreError.self) { try Self.restore(dest, restored) }
            do { _ = try Self.restore(dest, restored) } catch let e as StoreError {
                guard case .damaged(let p, _) = e else { Issue.record("\(rel): \(e)"); continue }
                #expect(p == path, "\(rel)")
            }
            #expect(!FileManager.default.fileExists(atPath: restored), "\(rel): nothing written")
            bytes[at] ^= 0x20
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        // The backup's own manifest: its frame checksum.
        let own = report.path + "/" + BackupManifest.fileName
        var bytes = try #require(FileManager.default.contents(atPath: own))
        bytes[20] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: own))
        do { _ = try Self.restore(dest, restored); Issue.record("restored from a damaged backup.json") } catch let e as StoreError {
            guard case .damaged(let p, _) = e else { Issue.record("\(e)"); return }
            #expect(p == own)
        }
    }

    @Test func pointInTimeRestoresExactlyTheBookingsBeforeABadImport() throws {
        let f = try Fixture("backup-pit")
        defer { f.remove() }
        let dest = f.dir + "-dest"
        defer { Support.remove(dest) }
        var good: Set<String> = []
        for h in Int64(0)..<5 {
            f.clock.advance(by: .minutes(1))
            good.insert(try f.book(h).id.rawValue)
        }
        try f.store.compact()
        for h in Int64(5)..<8 {
            f.clock.advance(by: .minutes(1))
            good.insert(try f.book(h).id.rawValue)
        }
        let lastGood = f.store.lastSequence
        f.clock.advance(by: .minutes(4))
        let cutoff = f.clock.now()          // "09:55"
        f.clock.advance(by: .minutes(5))    // "10:00": the bad import
        try f.importBookings(hours: 40..<80)
        try f.store.compact()
        f.clock.advance(by: .minutes(1))
        try f.book(90)
        let report = try f.store.backup(to: dest, incremental: false)

        let atCutoff = f.dir + "-at"
        defer { Support.remove(atCutoff) }
        let r = try StoreRestore.restore(from: dest, into: atCutoff, target: .time(cutoff), clock: FixedClock(Support.now), options: Support.options())
        #expect(r.lastSequence == lastGood)
        #expect(Set(try Self.bookings(atCutoff).keys) == good)

        let bySeq = f.dir + "-seq"
        defer { Support.remove(bySeq) }
        let s = try Self.restore(dest, bySeq, .sequence(lastGood - 1))
        #expect(s.lastSequence == lastGood - 1)
        #expect(try Self.bookings(bySeq).count == good.count - 1)

        // Everything, and the bad import with it.
        let all = f.dir + "-all"
        defer { Support.remove(all) }
        #expect(try Self.restore(dest, all).bookings == good.count + 40 + 1)

        // Out of reach: past the end, and before the oldest generation the backup holds.
        let none = f.dir + "-none"
        defer { Support.remove(none) }
        #expect(throws: StoreError.self) { try Self.restore(dest, none, .sequence(report.lastSequence + 1)) }
        do { _ = try Self.restore(dest, none, .time(Support.now)); Issue.record("restored before the oldest generation") } catch let e as StoreError {
            guard case .outOfReach = e else { Issue.record("\(e)"); return }
        }
        #expect(!FileManager.default.fileExists(atPath: none))
    }

    /// What a backup that died left in DEST (its process gone) is removed by the next one; a
    /// running backup's work is left alone.
    @Test func theNextBackupRemovesWhatADeadBackupLeft() throws {
        let f = try Fixture("backup-leftover")
        defer { f.remove() }
        let dest = f.dir + "-dest"
        defer { Support.remove(dest) }
        try f.book(0)
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let dead = dest + "/.partial-00000000000000000002-001-\(gone.processIdentifier)"
        let alive = dest + "/.verify-00000000000000000002-009-\(getpid())"
        for d in [dead, alive] {
            try FileManager.default.createDirectory(atPath: d + "/journal", withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: d + "/journal/x", contents: Data("x".utf8))
        }
        _ = try f.store.backup(to: dest, incremental: false)
        #expect(!FileManager.default.fileExists(atPath: dead))
        #expect(FileManager.default.fileExists(atPath: alive + "/journal/x"))
    }

    @Test func restoreRefusesADirectoryWithAnythingInIt() throws {
        let f = try Fixture("backup-nonempty")
        defer { f.remove() }
        let dest = f.dir + "-dest", target = f.dir + "-target"
        defer { Support.remove(dest); Support.remove(target) }
        try f.book(0)
        _ = try f.store.backup(to: dest, incremental: false)
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: target + "/keep.txt", contents: Data("mine".utf8))
        #expect(throws: StoreError.notEmpty(path: target)) { try Self.restore(dest, target) }
        #expect(FileManager.default.contents(atPath: target + "/keep.txt") == Data("mine".utf8))
        // An empty directory is fine.
        Support.remove(target + "/keep.txt")
        #expect(try Self.restore(dest, target).bookings == 1)
    }
}
