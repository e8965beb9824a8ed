import Foundation
import FrontdeskOSTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `frontdesk backup` and `frontdesk restore` end to end: output, point in time through the
/// command line, refusals and their exit codes, encryption through gpg.
@Suite struct BackupCommandTests {
    /// A store with an always-open room and `count` bookings from 2 March 2027 09:00 (UTC),
    /// half an hour apart, made at the harness's pinned time.
    func store(_ h: CLIHarness, count: Int) throws {
        #expect(try h.run(["init"]).code == 0)
        #expect(try h.run(["resource", "add", "--name", "Room", "--tz", "UTC"]).code == 0)
        for i in 0..<count { try book(h, i) }
    }

    func book(_ h: CLIHarness, _ i: Int) throws {
        let start = 1_803_978_000 + i * 1800 // 2027-03-02T09:00:00Z
        let f = ISO8601DateFormatter()
        let r = try h.run(["book", "--resource", "Room", "--start", f.string(from: Date(timeIntervalSince1970: Double(start))),
                           "--duration", "30m", "--block", "b\(i)"])
        #expect(r.code == 0, "\(r.err)")
    }

    func bookingCount(_ h: CLIHarness, data: String) throws -> Int {
        var other = h
        other.extraEnv["FRONTDESK_DATA"] = data
        let r = try other.run(["list", "--from", "2027-01-01", "--to", "2028-01-01", "--json"])
        #expect(r.code == 0, "\(r.err)")
        return r.array.count
    }

    @Test func backupThenRestoreWithJSONAndTheRefusals() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        let dest = h.data + "-backups", restored = h.data + "-restored"
        defer { try? FileManager.default.removeItem(atPath: dest); try? FileManager.default.removeItem(atPath: restored) }
        try store(h, count: 4)
        let b = try h.run(["backup", dest, "--json"])
        #expect(b.code == 0, "\(b.err)")
        #expect(b.object["verified"] as? Bool == true)
        #expect(b.object["incremental"] as? Bool == false)
        let name = try #require(b.object["name"] as? String)
        let last = try #require(b.object["last_sequence"] as? Int)
        try book(h, 10)
        let i = try h.run(["backup", dest, "--incremental", "--json"])
        #expect(i.code == 0, "\(i.err)")
        #expect(i.object["previous"] as? String == name)
        #expect(i.object["first_sequence"] as? Int == last + 1)

        let r = try h.run(["restore", dest, restored, "--json"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.object["bookings"] as? Int == 5)
        #expect(r.object["resources"] as? Int == 1)
        #expect(r.object["last_sequence"] as? Int == i.object["last_sequence"] as? Int)
        #expect(try bookingCount(h, data: restored) == 5)
        var inRestored = h
        inRestored.extraEnv["FRONTDESK_DATA"] = restored
        #expect(try inRestored.run(["check"]).code == 0)

        // Refusals: a non-empty directory, both points, a bad time.
        let again = try h.run(["restore", dest, restored])
        #expect(again.code == 74)
        #expect(again.err.contains("not empty"))
        #expect(try h.run(["restore", dest, restored + "-x", "--at", "2027-03-01 08:00", "--seq", "3"]).code == 64)
        #expect(try h.run(["restore", dest, restored + "-x", "--at", "yesterday"]).code == 65)
        #expect(try h.run(["backup", dest, "--incremental", "--encrypt-to", "/nonexistent"]).code == 65)
        #expect(!FileManager.default.fileExists(atPath: restored + "-x"))

        // A flipped byte: refused, the file named.
        let journal = try #require(try FileManager.default.contentsOfDirectory(atPath: dest + "/" + name + "/journal").first)
        let path = dest + "/" + name + "/journal/" + journal
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0x04
        try bytes.write(to: URL(fileURLWithPath: path))
        let flipped = try h.run(["restore", dest, restored + "-y"])
        #expect(flipped.code == 74)
        #expect(flipped.err.contains(path), "\(flipped.err)")

        // A missing link of the chain: refused, the link named.
        try FileManager.default.removeItem(atPath: dest + "/" + name)
        let broken = try h.run(["restore", dest, restored + "-y", "--json"])
        #expect(broken.code == 74)
        #expect(broken.err.contains(dest + "/" + name) && broken.err.contains("missing"), "\(broken.err)")
        #expect(!FileManager.default.fileExists(atPath: restored + "-y"))
    }

    @Test func restoreAtATimeBeforeABadImportKeepsExactlyTheBookingsBeforeIt() throws {
        var h = CLIHarness(); defer { h.cleanup() }
        let dest = h.data + "-backups", restored = h.data + "-restored"
        defer { try? FileManager.default.removeItem(atPath: dest); try? FileManager.default.removeItem(atPath: restored) }
        h.now = "2027-03-01T09:00:00Z"
        try store(h, count: 6)
        h.now = "2027-03-01T10:00:00Z"
        let csv = h.data + "-import.csv"
        defer { try? FileManager.default.removeItem(atPath: csv) }
        var text = "resource,customer,start,end,status,idempotency_key,notes\n"
        for i in 0..<30 {
            let f = ISO8601DateFormatter()
            let s = Date(timeIntervalSince1970: Double(1_804_064_400 + i * 1800)) // from 2027-03-03T09:00:00Z
            text += "Room,Walk In,\(f.string(from: s)),\(f.string(from: s.addingTimeInterval(1800))),,bad-\(i),\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: csv))
        let imported = try h.run(["import", csv])
        #expect(imported.code == 0, "\(imported.err)")
        #expect(try bookingCount(h, data: h.data) == 36)
        h.now = "2027-03-01T10:30:00Z"
        #expect(try h.run(["backup", dest]).code == 0)

        let r = try h.run(["restore", dest, restored, "--at", "2027-03-01T09:55:00Z", "--json"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.object["bookings"] as? Int == 6)
        #expect(r.object["last_time"] as? String == "2027-03-01T09:00:00Z")
        #expect(try bookingCount(h, data: restored) == 6)
    }

    /// gpg from the OS: a key pair made for the test in a throw-away home directory.
    @Test func anEncryptedBackupRestoresOnlyWithTheSecretKey() throws {
        let h = CLIHarness(); defer { h.cleanup() }
        // The restore goes into a folder of this test's own, so the check for a scratch folder
        // left beside it cannot see another run's.
        let work = h.data + "-gpg", dest = h.data + "-backups", restoreParent = h.data + "-restore", restored = restoreParent + "/store"
        defer { for p in [work, dest, restoreParent] { try? FileManager.default.removeItem(atPath: p) } }
        try FileManager.default.createDirectory(atPath: work + "/home", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(atPath: restoreParent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let gpg = ["/usr/bin/gpg", "/usr/local/bin/gpg"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let program = try #require(gpg, "gpg is needed (.ci/run installs gnupg)")
        let env = ["GNUPGHOME": work + "/home", "PATH": "/usr/bin:/bin"]
        for args in [["--batch", "--passphrase", "", "--quick-gen-key", "backup@frontdesk.test", "default", "default", "never"],
                     ["--batch", "--yes", "--output", work + "/public.key", "--export", "backup@frontdesk.test"],
                     ["--batch", "--yes", "--output", work + "/secret.key", "--export-secret-keys", "backup@frontdesk.test"]] {
            let r = try ChildProcess.run(program, args, environment: env, stdin: nil)
            #expect(r.code == 0, "gpg \(args): \(r.err)")
        }
        try store(h, count: 3)
        // Scratch folders of earlier runs that were killed (a PID no process has now) go; one
        // of a run still going (this process's PID) stays.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let ended = child.processIdentifier
        let abandoned = [dest + "/.encrypting-\(ended)", restoreParent + "/.frontdesk-decrypt-\(ended)"]
        let running = restoreParent + "/.frontdesk-decrypt-\(getpid())"
        for dir in abandoned + [running] {
            try FileManager.default.createDirectory(atPath: dir + "/backup", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            #expect(FileManager.default.createFile(atPath: dir + "/backup/bookings.json", contents: Data("{}".utf8)))
        }
        let b = try h.run(["backup", dest, "--encrypt-to", work + "/public.key", "--json"])
        #expect(b.code == 0, "\(b.err)")
        let archive = try #require(b.object["path"] as? String)
        #expect(archive.hasSuffix(".tar.gpg"))
        #expect(b.object["encrypted"] as? Bool == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dest) == [(archive as NSString).lastPathComponent], "only the archive is left")
        let attributes = try FileManager.default.attributesOfItem(atPath: archive)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let cipher = try #require(FileManager.default.contents(atPath: archive))
        // Encrypted, tar headers included: no file name of the backup shows.
        #expect(cipher.range(of: Data("backup.json".utf8)) == nil)
        #expect(cipher.range(of: Data("manifest.json".utf8)) == nil)

        #expect(try h.run(["restore", archive, restored]).code == 65, "no key given")
        #expect(try h.run(["restore", archive, restored, "--decrypt-with", work + "/public.key"]).code == 74, "the public key cannot decrypt")
        let r = try h.run(["restore", archive, restored, "--decrypt-with", work + "/secret.key", "--json"])
        #expect(r.code == 0, "\(r.err)")
        #expect(r.object["bookings"] as? Int == 3)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (restored as NSString).deletingLastPathComponent)
            .filter { $0.hasPrefix(".frontdesk-decrypt-") }
        #expect(leftovers == [(running as NSString).lastPathComponent], "the killed run's scratch folder is gone, the running one's kept")
        #expect(!FileManager.default.fileExists(atPath: abandoned[1]))
    }

    /// Backup and restore need manager or admin: desk is refused both (the restore judged by
    /// the grants the backup holds, and what it wrote taken away again); a manager may.
    @Test func backupAndRestoreNeedAManager() throws {
        let os = try OSAccounts()
        defer { os.remove() }
        let desk = try os.addWithOwnGroup("d", inGroup: true), manager = try os.addWithOwnGroup("m", inGroup: true)
        let base = NSTemporaryDirectory() + "frontdesk-backup-roles-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        chmod(base, 0o1777)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let data = base + "/data"
        func root(_ args: [String]) throws -> ChildProcess.Result { try RolesCLITests.run(as: "root", data: data, args) }
        #expect(try root(["init", "--group", os.group]).code == 0)
        #expect(try root(["resource", "add", "--name", "Room", "--tz", "UTC"]).code == 0)
        #expect(try root(["book", "--resource", "Room", "--start", "2027-03-02 10:00", "--duration", "30m", "--block", "x"]).code == 0)
        #expect(try root(["staff", "remove", "--group", os.group]).code == 0)
        #expect(try root(["staff", "add", desk, "--role", "desk"]).code == 0)
        #expect(try root(["staff", "add", manager, "--role", "manager"]).code == 0)

        let refused = try RolesCLITests.run(as: desk, data: data, ["backup", base + "/by-desk"])
        #expect(refused.code == 77 && refused.err.contains("may not back the store up: that needs manager"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: base + "/by-desk"))
        let taken = try RolesCLITests.run(as: manager, data: data, ["backup", base + "/by-manager"])
        #expect(taken.code == 0, "\(taken.err)")
        let restored = try RolesCLITests.run(as: manager, data: data, ["restore", base + "/by-manager", base + "/restored-m"])
        #expect(restored.code == 0, "\(restored.err)")

        // The desk account may read a copy of its own, and is still refused.
        let copy = try ChildProcess.run("/bin/cp", ["-a", base + "/by-manager", base + "/for-desk"], environment: [:], stdin: nil)
        #expect(copy.code == 0)
        #expect(try ChildProcess.run("/bin/chown", ["-R", desk, base + "/for-desk"], environment: [:], stdin: nil).code == 0)
        let deskRestore = try RolesCLITests.run(as: desk, data: data, ["restore", base + "/for-desk", base + "/restored-d"])
        #expect(deskRestore.code == 77 && deskRestore.err.contains("may not restore a store from a backup"), "\(deskRestore.err)")
        #expect(!FileManager.default.fileExists(atPath: base + "/restored-d"), "what the refused restore wrote is gone")
    }
}
