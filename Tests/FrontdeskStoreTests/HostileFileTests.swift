import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
#if canImport(Glibc)
import Glibc
#endif

/// What a group member can plant in a shared store: symbolic links in every store directory,
/// directories and fifos in place of files. Nothing outside the store may be touched, nothing
/// may crash or hang, and refusals name the file.
@Suite(.serialized) struct HostileFileTests {
    /// Files outside the store that planted links point at: a directory tree and a file.
    struct Outside {
        let directory: String
        let file: String

        init(_ base: String) throws {
            directory = base + "/precious"
            file = base + "/secret.txt"
            try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
            try "keep me\n".write(toFile: directory + "/keep.txt", atomically: false, encoding: .utf8)
            try "nested\n".write(toFile: directory + "/sub/a.txt", atomically: false, encoding: .utf8)
            try "alice's secret\n".write(toFile: file, atomically: false, encoding: .utf8)
        }

        /// Every path under the directory (links not followed) and the file, with their bytes.
        func contents() -> [String: Data] {
            var out: [String: Data] = [:]
            if let names = FileManager.default.enumerator(atPath: directory) {
                for case let name as String in names { out[name] = FileManager.default.contents(atPath: directory + "/" + name) ?? Data() }
            }
            out["<file>"] = FileManager.default.contents(atPath: file)
            return out
        }
    }

    /// A store with bookings, a customer, two compactions (so a generation has `bookings/` and
    /// `directory/`, and `events/` holds a folded segment) and one more booking in the journal.
    static func seeded(_ dir: String) throws -> ResourceID {
        let (store, r) = try Support.newStore(dir)
        _ = try store.write("customer", .directory) { s, e throws(CoreError) in try e.addCustomer(name: "Ann Lee", in: s, by: Support.actor) }
        try Support.book(store, r, Support.slot(1))
        try store.compact()
        try Support.book(store, r, Support.slot(2))
        try store.compact()
        try Support.book(store, r, Support.slot(3))
        store.waitForBackgroundWork()
        return r
    }

    /// Store-relative paths where a link is planted (replacing what is there, if anything).
    static func plantSites(_ dir: String) throws -> [String] {
        let gens = try Generation.list(dir + "/snapshots", fs: RealFileSystem())
        let gen = "snapshots/" + Manifest.name(try #require(gens.first))
        func first(_ sub: String) throws -> String {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub).sorted()
            return sub + "/" + (try #require(names.first, "nothing in \(sub)"))
        }
        return [
            "LOCK", "COMPACT", "FORMAT",
            "tmp/segment-99999999999999999999.jsonl", "tmp/compact-planted",
            "journal/torn-9-1.bak", "journal/" + Journal.segmentName(1_000_000),
            try first("events"), "events/" + Journal.segmentName(2_000_000),
            try first(gen + "/customers"), try first(gen + "/bookings"), try first(gen + "/directory"), gen + "/planted.json",
            "snapshots/" + Manifest.name(99),
        ]
    }

    /// Runs what a colleague's commands would: open and book, compact, and a fresh process's
    /// first write (which empties `tmp/`). Returns every error, notice and read-only reason.
    static func exercise(_ dir: String, _ r: ResourceID) -> [String] {
        var said: [String] = []
        for hour: Int64 in [10, 11] {
            do {
                let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
                said += store.notices + [store.readOnlyReason].compactMap { $0 }
                do { try Support.book(store, r, Support.slot(hour)) } catch { said.append("\(error)") }
                do { try store.compact() } catch { said.append("\(error)") }
                store.waitForBackgroundWork()
                said += store.notices
            } catch {
                said.append("\(error)")
            }
        }
        return said
    }

    /// A link in every store directory, to a directory and to a file outside: the targets keep
    /// every byte, and whatever is refused is refused by name.
    @Test func plantedSymlinksNeverTouchTheirTargets() throws {
        let base = Support.tempDir("symlinks")
        defer { Support.remove(base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let outside = try Outside(base)
        let before = outside.contents()
        let dir = base + "/store"
        _ = try Self.seeded(dir)
        let count = try Self.plantSites(dir).count
        for index in 0..<count {
            for target in [outside.directory, outside.file] {
                Support.remove(dir)
                let r = try Self.seeded(dir)
                let site = try Self.plantSites(dir)[index]
                let path = dir + "/" + site
                let replaced = FileManager.default.fileExists(atPath: path)
                Support.remove(path)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
                let said = Self.exercise(dir, r)
                #expect(outside.contents() == before, "\(site) -> \(target): the target changed")
                let name = String(site.split(separator: "/").last!)
                // A customer shard (`customers/0000.json`) in place of the whole customers.json of format 2.
                if replaced && ["FORMAT", "0000.json"].contains(name) || site.hasPrefix("journal/segment") {
                    #expect(said.contains { $0.contains(name) }, "\(site) -> \(target): nothing named it: \(said)")
                }
                if site == "FORMAT" {
                    #expect(throws: StoreError.unsafeFile(path: path, problem: "found a symbolic link where a regular file belongs")) {
                        try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
                    }
                }
            }
        }
    }

    /// The reported attack: `tmp/segment-…` pointing at alice's directory. Her next booking
    /// succeeds, the link is gone and her directory is intact.
    @Test func aLinkInTmpIsRemovedNotEmptied() throws {
        let base = Support.tempDir("tmplink")
        defer { Support.remove(base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let outside = try Outside(base)
        let before = outside.contents()
        let dir = base + "/store"
        let r = try Self.seeded(dir)
        let link = dir + "/tmp/segment-99999999999999999999.jsonl"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: outside.directory)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try Support.book(store, r, Support.slot(20))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == nil, "the link is still there")
        #expect(outside.contents() == before)
    }

    /// `LOCK` replaced by a link to alice's file: writers neither follow nor write through it.
    @Test func aLinkedLockFileIsNotWrittenThrough() throws {
        let base = Support.tempDir("locklink")
        defer { Support.remove(base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let outside = try Outside(base)
        let before = outside.contents()
        let dir = base + "/store"
        let r = try Self.seeded(dir)
        Support.remove(dir + "/LOCK")
        try FileManager.default.createSymbolicLink(atPath: dir + "/LOCK", withDestinationPath: outside.file)
        let store = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options())
        try Support.book(store, r, Support.slot(21))
        #expect(outside.contents() == before)
    }

    /// Every call of the confined file system on a link (to a file, to a directory, or as a
    /// directory on the way) refuses it or acts on the link itself; the targets keep their
    /// bytes and modes.
    @Test func confinedCallsNeverFollowLinks() throws {
        let base = Support.tempDir("confined")
        defer { Support.remove(base) }
        try FileManager.default.createDirectory(atPath: base + "/root", withIntermediateDirectories: true)
        let outside = try Outside(base)
        chmod(outside.file, 0o644)
        let before = outside.contents()
        let root = base + "/root"
        try FileManager.default.createSymbolicLink(atPath: root + "/file", withDestinationPath: outside.file)
        try FileManager.default.createSymbolicLink(atPath: root + "/dir", withDestinationPath: outside.directory)
        let fs = RealFileSystem()
        try fs.confine(to: root)
        func refused(_ what: String, _ body: () throws -> Void) {
            do { try body(); Issue.record("\(what) went through a link") } catch let e as StoreError {
                if case .unsafeFile = e { return }
                Issue.record("\(what): \(e)")
            } catch { Issue.record("\(what): \(error)") }
        }
        refused("open") { _ = try fs.open(root + "/file", flags: O_RDWR | O_CREAT | O_TRUNC, mode: 0o660) }
        refused("read") { _ = try fs.readFile(root + "/file") }
        refused("chmod") { try fs.chmod(root + "/file", mode: 0o666) }
        refused("link") { try fs.link(root + "/file", to: root + "/copy") }
        refused("list") { _ = try fs.list(root + "/dir") }
        refused("fsync directory") { try fs.fsyncDirectory(root + "/dir") }
        refused("mkdir below a link") { try fs.mkdir(root + "/dir/new", mode: 0o700) }
        refused("create below a link") { try fs.writeNewFile(root + "/dir/new.json", [1, 2, 3]) }
        refused("unlink below a link") { try fs.unlink(root + "/dir/keep.txt") }
        #expect(fs.stat(root + "/dir")?.isDirectory == false, "stat followed the link")
        try fs.removeTree(root + "/dir")
        try fs.unlink(root + "/file")
        #expect(try fs.list(root).isEmpty)
        #expect(outside.contents() == before)
        var st = stat()
        #expect(stat(outside.file, &st) == 0 && st.st_mode & 0o777 == 0o644)
    }

    /// A `..` component never leaves a confined root.
    @Test func dotDotIsRefused() throws {
        let dir = Support.tempDir("dotdot")
        defer { Support.remove(dir) }
        _ = try Self.seeded(dir)
        let fs = RealFileSystem()
        try fs.confine(to: dir)
        #expect(throws: StoreError.unsafeFile(path: dir + "/journal/../FORMAT", problem: "a \".\" or \"..\" component is not allowed inside the store")) {
            try fs.readFile(dir + "/journal/../FORMAT")
        }
    }

    /// A directory or a fifo in place of each kind of file, in a child process with a
    /// deadline: it ends by itself (no hang), with an exit status (no crash), and refuses by
    /// name what it cannot use.
    @Test(arguments: ["directory", "fifo"]) func oddFilesNeverCrashOrHang(_ kind: String) throws {
        let base = Support.tempDir("odd-\(kind)")
        defer { Support.remove(base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        func sites(_ dir: String) throws -> [String] {
            let gen = "snapshots/" + Manifest.name(try #require(try Generation.list(dir + "/snapshots", fs: RealFileSystem()).first))
            let journal = try FileManager.default.contentsOfDirectory(atPath: dir + "/journal").filter { $0.hasSuffix(".jsonl") }.sorted()
            func first(_ sub: String) throws -> String {
                sub + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: dir + "/" + sub).sorted().first))
            }
            return ["FORMAT", "LOCK", "COMPACT", gen + "/manifest.json", try first(gen + "/customers"), try first(gen + "/bookings"),
                    try first(gen + "/directory"), "journal/" + (try #require(journal.last))]
        }
        let dir = base + "/store"
        _ = try Self.seeded(dir)
        let count = try sites(dir).count
        for index in 0..<count {
            Support.remove(dir)
            _ = try Self.seeded(dir)
            let site = try sites(dir)[index]
            let path = dir + "/" + site
            Support.remove(path)
            if kind == "directory" {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
                try "x".write(toFile: path + "/inside", atomically: false, encoding: .utf8)
            } else {
                #expect(mkfifo(path, 0o660) == 0)
            }
            let out = base + "/probe.out"
            let p = try Support.spawn(["probe", dir], output: out)
            let deadline = Date().addingTimeInterval(120)
            while p.isRunning && Date() < deadline { usleep(10_000) }
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                p.waitUntilExit()
                Issue.record("\(kind) at \(site): the process hung")
                continue
            }
            let lines = Support.lines(out)
            #expect(p.terminationReason == .exit, "\(kind) at \(site): killed by signal \(p.terminationStatus)")
            #expect([0, 3].contains(p.terminationStatus), "\(kind) at \(site): exit \(p.terminationStatus) \(lines)")
            let name = String(site.split(separator: "/").last!)
            if !["LOCK", "COMPACT"].contains(name) {
                // Either refused outright or opened read-only/fell back, always naming the file.
                #expect(lines.contains { $0.contains(name) }, "\(kind) at \(site): nothing named it: \(lines)")
            }
            // The planted thing is still what it was: nothing removed it or wrote into it.
            var st = stat()
            #expect(lstat(path, &st) == 0)
            #expect((st.st_mode & S_IFMT) == (kind == "directory" ? S_IFDIR : S_IFIFO), "\(kind) at \(site) was replaced")
        }
    }

    /// A new store without a group is private whatever the umask (0700 directories, 0600
    /// files); one with a group is 02770 / 0660 in that group.
    @Test(arguments: [false, true]) func modesFollowTheStoresKind(_ shared: Bool) throws {
        let dir = Support.tempDir("kind")
        defer { Support.remove(dir) }
        let old = umask(0)
        defer { umask(old) }
        var options = Support.options()
        if shared { options.group = UInt32(getegid()) }
        let store = try Store.create(at: dir, clock: FixedClock(Support.now), options: options)
        let r = try Support.addResource(store, "Room 1")
        try Support.book(store, r, Support.slot(1))
        try store.compact()
        store.waitForBackgroundWork()
        var seen = 0
        let names = [""] + (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
        for name in names {
            var st = stat()
            #expect(lstat(dir + "/" + name, &st) == 0)
            let isDir = (st.st_mode & S_IFMT) == S_IFDIR
            let want: mode_t = isDir ? (shared ? 0o2770 : 0o700) : (shared ? 0o660 : 0o600)
            #expect(st.st_mode & 0o7777 == want, "\(name.isEmpty ? "root" : name): \(String(st.st_mode & 0o7777, radix: 8))")
            seen += 1
        }
        #expect(seen > 10)
    }
}
