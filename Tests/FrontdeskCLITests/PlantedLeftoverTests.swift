import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A group member cannot stop a colleague's journal rotation or compaction by leaving in `tmp/`
/// a directory of their own with entries (which only they can empty): the store writes under
/// names of its own and treats leftovers it cannot remove as a notice. Real OS users.
@Suite(.serialized) struct PlantedLeftoverTests {
    @Test func anUnremovableLeftoverInTmpBlocksNeitherRotationNorCompaction() throws {
        let accounts = try InitGroupTests.Accounts()
        defer { accounts.remove() }
        let (base, data) = try InitGroupTests.place(owner: accounts.alice)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let alice = accounts.alice, mallory = accounts.bob
        #expect(try InitGroupTests.run(as: alice, data: data, ["init", "--group", accounts.group]).code == 0)
        #expect(try InitGroupTests.run(as: alice, data: data, ["resource", "add", "--name", "Room", "--tz", "UTC"]).code == 0)

        // Names a compaction or a rotation might pick, each a directory of mallory's with a file
        // in it (0755: nobody else may remove the file, so nobody else may remove the directory).
        var planted = ["compact-planted", "compact-00000000000000000002-1-1"]
        for seq in 1...40 { planted.append("segment-" + String(repeating: "0", count: 20 - String(seq).count) + String(seq) + ".jsonl") }
        let script = planted.map { "mkdir -m 755 '\(data)/tmp/\($0)' && touch '\(data)/tmp/\($0)/x'" }.joined(separator: " && ")
        let plant = Process()
        plant.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        plant.arguments = ["--reuid", mallory, "--regid", String(getpwnam(mallory)!.pointee.pw_gid), "--init-groups", "--", "/bin/sh", "-c", script]
        try plant.run()
        plant.waitUntilExit()
        try #require(plant.terminationStatus == 0, "mallory could not plant the leftovers")

        // Bookings (each compaction rotates the journal) and explicit compactions go on.
        for day in 2...6 {
            let b = try InitGroupTests.run(as: alice, data: data, ["book", "--resource", "Room", "--start", "2027-03-0\(day) 09:00",
                                                                   "--duration", "1h", "--block", "planted test"])
            #expect(b.code == 0, "booking \(day): \(b.err)")
            let c = try InitGroupTests.run(as: alice, data: data, ["compact"])
            #expect(c.code == 0, "compaction after booking \(day): \(c.err)")
        }
        let list = try InitGroupTests.run(as: alice, data: data, ["list", "--from", "2027-03-01", "--to", "2027-03-08", "--json"])
        #expect(list.code == 0, "\(list.err)")
        #expect((try? JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [Any])?.count == 5, "\(list.out)")
        let check = try InitGroupTests.run(as: alice, data: data, ["check"])
        #expect(check.code == 0, "\(check.out) \(check.err)")
        // Mallory's directories are still there: nothing of theirs was emptied through a link or otherwise.
        for name in planted { #expect(FileManager.default.fileExists(atPath: "\(data)/tmp/\(name)/x"), "\(name) was touched") }
    }
}

/// chmod games: a group member takes the group's access away from the files it owns (the
/// generation its own compaction wrote). Reads then refuse naming a file instead of answering
/// partly, `check` names it, and once the modes are back nothing was lost.
@Suite(.serialized) struct ModeGameTests {
    @Test func aMemberRevokingAccessToItsFilesMakesReadsRefuseNotLie() throws {
        let accounts = try InitGroupTests.Accounts()
        defer { accounts.remove() }
        let (base, data) = try InitGroupTests.place(owner: accounts.alice)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let alice = accounts.alice, mallory = accounts.bob
        #expect(try InitGroupTests.run(as: alice, data: data, ["init", "--group", accounts.group]).code == 0)
        #expect(try InitGroupTests.run(as: alice, data: data, ["resource", "add", "--name", "Room", "--tz", "UTC"]).code == 0)
        for day in 2...4 {
            let b = try InitGroupTests.run(as: mallory, data: data, ["book", "--resource", "Room", "--start", "2027-03-0\(day) 09:00",
                                                                     "--duration", "1h", "--block", "mode game"])
            #expect(b.code == 0, "\(b.err)")
        }
        #expect(try InitGroupTests.run(as: mallory, data: data, ["compact"]).code == 0)
        let listArgs = ["list", "--from", "2027-03-01", "--to", "2027-03-08", "--json"]
        let before = try InitGroupTests.run(as: alice, data: data, listArgs)
        #expect(before.code == 0, "\(before.err)")

        // Mallory owns the newest generation's files: 0600 on its partitions. (Made unreadable
        // whole, the generation would be passed over for the previous one plus the journal
        // records kept in events/, a complete answer.)
        let revoke = Process()
        revoke.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        revoke.arguments = ["--reuid", mallory, "--regid", String(getpwnam(mallory)!.pointee.pw_gid), "--init-groups", "--",
                            "/bin/sh", "-c", "find '\(data)/snapshots' -user \(mallory) -type f -path '*/bookings/*' -exec chmod 600 {} +"]
        try revoke.run()
        revoke.waitUntilExit()
        try #require(revoke.terminationStatus == 0)

        let during = try InitGroupTests.run(as: alice, data: data, listArgs)
        #expect(during.code == 74, "a read answered while files were unreadable: \(during.code) \(during.out)")
        #expect(during.err.contains(data), "the refusal names the file: \(during.err)")
        let check = try InitGroupTests.run(as: alice, data: data, ["check"])
        #expect(check.code == 74, "check passed with unreadable files: \(check.out)")

        // Modes back (as the administrator would): every booking is still there.
        _ = try? FullDiskTests.shell("chmod -R g+rw '\(data)/snapshots'")
        let after = try InitGroupTests.run(as: alice, data: data, listArgs)
        #expect(after.code == 0, "\(after.err)")
        #expect(after.out == before.out, "bookings changed: \(before.out) → \(after.out)")
    }
}
