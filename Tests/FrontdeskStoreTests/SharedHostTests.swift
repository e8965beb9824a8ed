import Foundation
import Testing
import FrontdeskCore
@testable import FrontdeskStore
import FrontdeskOSTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A group and users created for one test (the tests run as root) and removed afterwards.
@Suite(.serialized) struct SharedHostTests {
    /// A directory the test users can reach (0755 parents), holding a shared store.
    static func sharedStore(_ accounts: OSAccounts, _ name: String) throws -> (String, ResourceID) {
        let base = Support.tempDir(name)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o755)
        chmod(Path.parent(of: base), 0o755)
        var options = Support.options()
        options.group = accounts.gid
        let (_, r) = try Support.newStore(base + "/store", options: options)
        return (base, r)
    }

    /// The adversary: deletes `LOCK` and `COMPACT`, recreates them (fresh inodes, as a
    /// "stale lock" cleanup would) or replaces `LOCK` by a link, in a loop until `stop` exists.
    /// A step may fail now and then (a writer re-creates its note between the `rm` and the
    /// next step, and its new note is not group-writable until the writer's chmod): the loop
    /// goes on. `true > F`, not `: > F`: a redirection error on `:`, a special built-in, ends
    /// a POSIX shell, which silently stopped the attack in one run.
    static func adversary(_ accounts: OSAccounts, user: String, store: String, stop: String, output: String) throws -> Process {
        let script = """
        cd "$1" || exit 1
        i=0
        while [ ! -e "$2" ]; do
          rm -f LOCK COMPACT
          if [ $((i % 3)) -eq 2 ]; then ln -s "$2.target" LOCK 2>/dev/null; else true 2>/dev/null > LOCK; fi
          true 2>/dev/null > COMPACT
          i=$((i + 1))
          sleep 0.002
        done
        echo "ROUNDS $i"
        """
        return try accounts.spawn(as: user, ["/bin/sh", "-c", script, "adversary", store, stop], output: output)
    }

    /// 16 processes race for the same slot, round after round, while a group member deletes
    /// and replaces the lock files: still exactly one winner per round, nothing lost, no
    /// overlap, and `check` passes.
    @Test func lockFilesDeletedDuringRacesSplitNothing() throws {
        let accounts = try OSAccounts()
        defer { accounts.remove() }
        let mallory = try accounts.addMember("m")
        let (base, r) = try Self.sharedStore(accounts, "split-race")
        defer { Support.remove(base) }
        let dir = base + "/store"
        let stop = base + "/stop", barrier = base + "/go"
        let adversary = try Self.adversary(accounts, user: mallory, store: dir, stop: stop, output: base + "/adversary.out")
        let rounds = Support.stress ? 200 : 40
        var procs: [(Process, String)] = []
        for i in 0..<16 {
            let out = base + "/race-\(i).out"
            procs.append((try Support.spawn(["race", dir, r.rawValue, String(rounds), barrier], output: out, compactAfter: 8), out))
        }
        usleep(200_000)
        _ = FileManager.default.createFile(atPath: barrier, contents: nil)
        var wins: [Int: [String]] = [:]
        var refusals = 0
        for (p, out) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for line in Support.lines(out) {
                let parts = line.split(separator: " ")
                if parts[0] == "OK" { wins[Int(parts[1])!, default: []].append(String(parts[2])) } else if parts[0] == "NO" { refusals += 1 }
            }
        }
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        adversary.waitUntilExit()
        #expect(Support.lines(base + "/adversary.out").contains { $0.hasPrefix("ROUNDS ") }, "the adversary did not run: \(Support.lines(base + "/adversary.out"))")
        for round in 0..<rounds { #expect(wins[round]?.count == 1, "round \(round): \(wins[round] ?? [])") }
        #expect(refusals == rounds * 15)
        let store = try Support.reopen(dir)
        #expect(!store.isReadOnly, "\(store.readOnlyReason ?? "")")
        let occupying = store.state.bookings.values.filter { $0.status.occupiesSlot }.sorted { $0.start < $1.start }
        #expect(occupying.count == rounds)
        for (a, b) in zip(occupying, occupying.dropFirst()) { #expect(!a.range.overlaps(b.range)) }
        #expect(Set(occupying.map(\.id.rawValue)) == Set(wins.values.flatMap { $0 }))
        Self.expectCheckReportsTheTampering(store, dir: dir)
    }

    /// Imports (`writeBatch`, several chunks each) and single bookings from 8 processes while a
    /// group member deletes and replaces the lock files: every acknowledged booking is stored,
    /// no sequence gap, `check` passes.
    @Test func lockFilesDeletedDuringImportsLoseNothing() throws {
        let accounts = try OSAccounts()
        defer { accounts.remove() }
        let mallory = try accounts.addMember("m")
        let (base, r) = try Self.sharedStore(accounts, "split-import")
        defer { Support.remove(base) }
        let dir = base + "/store"
        let stop = base + "/stop"
        let adversary = try Self.adversary(accounts, user: mallory, store: dir, stop: stop, output: base + "/adversary.out")
        var procs: [(Process, String)] = []
        for w in 0..<4 {
            let out = base + "/import-\(w).out"
            procs.append((try Support.spawn(["import-loop", dir, r.rawValue, String(w + 1), "3", "30"], output: out, compactAfter: 10), out))
        }
        for w in 0..<4 {
            let out = base + "/book-\(w).out"
            procs.append((try Support.spawn(["book-loop", dir, r.rawValue, String(w + 11), "25"], output: out, compactAfter: 10), out))
        }
        var acknowledged: Set<String> = []
        for (p, out) in procs {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0)
            for line in Support.lines(out) where line.hasPrefix("ACK ") { acknowledged.insert(String(line.dropFirst(4))) }
        }
        _ = FileManager.default.createFile(atPath: stop, contents: nil)
        adversary.waitUntilExit()
        #expect(acknowledged.count == 4 * 90 + 4 * 25)
        let store = try Support.reopen(dir)
        #expect(!store.isReadOnly, "\(store.readOnlyReason ?? "")")
        let missing = acknowledged.filter { store.state.bookings[BookingID($0)] == nil }
        #expect(missing.isEmpty, "lost \(missing.count) acknowledged bookings")
        let occupying = store.state.bookings.values.filter { $0.status.occupiesSlot }.sorted { $0.start < $1.start }
        for (a, b) in zip(occupying, occupying.dropFirst()) { #expect(!a.range.overlaps(b.range)) }
        Self.expectCheckReportsTheTampering(store, dir: dir)
    }

    /// `check` passes on the data and names what the adversary left in place of the lock notes:
    /// a link there is a warning naming the file (the store never follows it), nothing else.
    static func expectCheckReportsTheTampering(_ store: Store, dir: String) {
        let report = store.check()
        #expect(report.ok, "\(report.lines)")
        for name in ["LOCK", "COMPACT"] {
            var st = stat()
            let isLink = lstat(dir + "/" + name, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
            let named = report.lines.contains { $0.hasPrefix("warn ") && $0.contains("/" + name + " is a symbolic link") }
            #expect(isLink == named, "\(name) is \(isLink ? "" : "not ")a link; check said: \(report.lines)")
        }
    }

    /// In a shared store, a file whose group is not the store's (a member's `chgrp` to a group
    /// the others are not in) is refused by name, not read.
    @Test func aFileOfAnotherGroupIsRefused() throws {
        let accounts = try OSAccounts()
        defer { accounts.remove() }
        let (base, _) = try Self.sharedStore(accounts, "othergroup")
        defer { Support.remove(base) }
        let dir = base + "/store"
        #expect(chown(dir + "/FORMAT", uid_t.max, 0) == 0)
        var refused: StoreError?
        do { _ = try Store.open(at: dir, clock: FixedClock(Support.now), options: Support.options()) } catch { refused = error }
        guard case .unsafeFile(let path, let problem)? = refused else {
            Issue.record("a FORMAT of group root was not refused: \(String(describing: refused))")
            return
        }
        #expect(path == dir + "/FORMAT")
        #expect(problem.contains("not the store's group"), "\(problem)")
    }

    /// Programs from before the directory locks flock `LOCK` and `COMPACT` only: while one
    /// holds them, this build neither writes nor compacts (it takes those files' locks too).
    @Test func olderProgramsLocksStillExclude() throws {
        let dir = Support.tempDir("legacy-locks")
        defer { Support.remove(dir) }
        let (store, r) = try Support.newStore(dir)
        var opts = Support.options()
        opts.lockTimeout = 0.2
        let other = try Store.open(at: dir, clock: FixedClock(Support.now), options: opts)
        for name in ["LOCK", "COMPACT"] {
            let fd = open(dir + "/" + name, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
            #expect(fd >= 0)
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            if name == "LOCK" {
                #expect(throws: StoreError.self) { try Support.book(other, r, Support.slot(1)) }
            } else {
                do throws(StoreError) { try other.compact(); Issue.record("compacted while COMPACT was held") } catch .busy {
                } catch { Issue.record("\(error)") }
            }
            close(fd)
        }
        try Support.book(other, r, Support.slot(1))
        try other.compact()
        _ = store
    }

    /// A member of the group with read permission only opens the store and reads every
    /// booking; its write is refused with a reason, nothing crashes.
    @Test func aReadOnlyUserCanRead() throws {
        let accounts = try OSAccounts()
        defer { accounts.remove() }
        let reader = try accounts.addMember("r")
        let (base, r) = try Self.sharedStore(accounts, "readonly")
        defer { Support.remove(base) }
        let dir = base + "/store"
        do {
            let store = try Support.reopen(dir)
            for h: Int64 in 1...3 { try Support.book(store, r, Support.slot(h)) }
        }
        try OSAccounts.run(["/bin/chmod", "-R", "g-w", dir])
        let out = base + "/reader.out"
        let p = try accounts.spawn(as: reader, [Support.tool, "probe", dir], output: out)
        p.waitUntilExit()
        let lines = Support.lines(out)
        #expect(p.terminationStatus == 0, "\(lines)")
        let open = lines.first { $0.hasPrefix("OPEN ") } ?? ""
        #expect(open.hasPrefix("OPEN 3 ") && !open.hasSuffix(" -"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("BOOK ") && $0 != "BOOK ok" }, "\(lines)")
        let after = try Support.reopen(dir)
        #expect(after.state.bookings.count == 3)
    }
}
