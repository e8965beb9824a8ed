import Foundation
import Testing

@Suite(.serialized) struct CommandTests {
    @Test func bookListShowCancelRoundTrip() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, cus) = try cli.seeded()
        let book = try cli.run(["book", "--resource", "chair 1", "--start", "2027-03-03 10:00", "--duration", "45m", "--customer", "ann lee",
                                "--notes", "Cut, colour", "--json"])
        #expect(book.code == 0, "\(book.err)")
        let b = book.object
        for key in ["id", "ref", "resource", "resource_name", "customer", "customer_name", "start", "end", "start_local", "end_local", "status",
                    "version", "source", "actor", "origin", "created_at", "updated_at", "notes"] {
            #expect(b[key] != nil, "booking object lacks \(key)")
        }
        #expect(b["resource"] as? String == res)
        #expect(b["customer"] as? String == cus)
        #expect(b["start"] as? String == "2027-03-03T10:00:00Z")           // GMT in March before the 28th
        #expect(b["end"] as? String == "2027-03-03T10:45:00Z")
        #expect(b["start_local"] as? String == "2027-03-03T10:00:00+00:00")
        #expect(b["status"] as? String == "confirmed")
        #expect(b["version"] as? Int == 1)
        #expect(b["source"] as? String == "cli")
        #expect(b["origin"] as? String == "local")
        let ref = b["ref"] as? String ?? "?"

        // Local times are read in the resource's zone: 10:00 BST on 2027-04-05 is 09:00Z.
        let summer = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-04-05T10:00", "--end", "2027-04-05 11:00", "--json"])
        #expect(summer.object["start"] as? String == "2027-04-05T09:00:00Z")

        let list = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-05-01", "--json"])
        #expect(list.code == 0)
        #expect(list.array.compactMap { $0["ref"] as? String }.first == ref)
        #expect(list.array.count == 2)

        let cancel = try cli.run(["cancel", ref, "--reason", "Customer ill", "--json"])
        #expect(cancel.code == 0, "\(cancel.err)")
        #expect(cancel.object["status"] as? String == "cancelled")
        #expect(cancel.object["version"] as? Int == 2)

        let show = try cli.run(["show", ref])
        #expect(show.code == 0)
        #expect(show.out.contains("History"))
        #expect(show.out.contains("created"))
        #expect(show.out.contains("cancelled: status confirmed → cancelled; reason: Customer ill"))
        let showJSON = try cli.run(["show", ref, "--json"])
        #expect((showJSON.object["history"] as? [[String: Any]])?.count == 2)

        let human = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-05-01", "--status", "cancelled"])
        #expect(human.out.contains(ref))
        #expect(human.out.contains("Chair 1"))
        #expect(human.out.contains("2027-03-03 10:00"))
    }

    @Test func everyDocumentedExitCode() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        // 74: no store yet.
        #expect(try cli.run(["list"]).code == 74)
        let (res, _) = try cli.seeded()
        let first = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 09:00", "--duration", "1h", "--json"])
        #expect(first.code == 0)
        let ref = first.object["ref"] as? String ?? "?"
        // 3: conflict, naming the booking in the way.
        let clash = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 09:30", "--duration", "1h", "--json"])
        #expect(clash.code == 3)
        let conflicts = (clash.object["error"] as? [String: Any])?["conflicts_with"] as? [[String: Any]]
        #expect(conflicts?.first?["ref"] as? String == ref)
        #expect(clash.err.contains(ref))
        // 4: stale version.
        #expect(try cli.run(["confirm", ref, "--expect-version", "7"]).code == 4)
        // 5: policy (closed, and late cancellation).
        #expect(try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-06 10:00", "--duration", "1h"]).code == 5)
        let soon = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-01 10:00", "--duration", "1h", "--json"]).object["ref"] as? String ?? "?"
        let late = try cli.run(["cancel", soon, "--reason", "x"])
        #expect(late.code == 5)
        #expect(late.err.contains("cancellation notice"))
        let overridden = try cli.run(["cancel", soon, "--reason", "x", "--override", "manager said so", "--json"])
        #expect((overridden.object["cancellation"] as? [String: Any])?["late"] as? Bool == true)
        // 6: not found.
        #expect(try cli.run(["show", "B-ZZZ"]).code == 6)
        #expect(try cli.run(["book", "--block", "test", "--resource", "Nowhere", "--start", "2027-03-02 09:00", "--duration", "1h"]).code == 6)
        // 7: idempotency key reused with another payload; same payload is fine and books once.
        let k1 = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 11:00", "--duration", "1h", "--idempotency-key", "web-1", "--json"])
        let k2 = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 11:00", "--duration", "1h", "--idempotency-key", "web-1", "--json"])
        #expect(k1.code == 0 && k2.code == 0)
        #expect(k1.object["id"] as? String == k2.object["id"] as? String)
        #expect(try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 13:00", "--duration", "1h", "--idempotency-key", "web-1"]).code == 7)
        // 64: usage, with a suggestion for a mistyped command.
        let typo = try cli.run(["boook"])
        #expect(typo.code == 64)
        #expect(typo.err.contains("did you mean \"book\""))
        #expect(try cli.run(["book", "--block", "test", "--resource", res]).code == 64)
        #expect(try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 15:00", "--end", "2027-03-02 16:00", "--duration", "1h"]).code == 64)
        // 65: invalid input, naming the field.
        let badTime = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-02-30 09:00", "--duration", "1h"])
        #expect(badTime.code == 65)
        #expect(badTime.err.contains("start:"))
        let badDuration = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 15:00", "--duration", "ninety"])
        #expect(badDuration.code == 65)
        #expect(badDuration.err.contains("duration"))
        // Nonexistent local time (BST starts 2027-03-28 01:00 → 02:00).
        let gap = try cli.run(["resource", "add", "--name", "Always", "--tz", "Europe/London"])
        #expect(gap.code == 0)
        let inGap = try cli.run(["book", "--block", "test", "--resource", "Always", "--start", "2027-03-28 01:30", "--duration", "30m"])
        #expect(inGap.code == 65)
        #expect(inGap.err.contains("does not exist"))
        let hostile = try cli.run(["customer", "add", "--name", "Eve\u{1B}[31mRed"])
        #expect(hostile.code == 65)
        #expect(hostile.err.contains("control character"))
        // 75: busy, when another process holds the write lock.
        let fd = open(cli.data + "/LOCK", O_RDWR)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let busy = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 15:00", "--duration", "1h"])
        flock(fd, LOCK_UN)
        close(fd)
        #expect(busy.code == 75, "\(busy.err)")
        #expect(busy.err.contains("busy"))
        // 74: a damaged store is reported, not silently repaired.
        cli.extraEnv = [:]
        let check = try cli.run(["check"])
        #expect(check.code == 0, "\(check.out)\(check.err)")
    }

    /// The `book` that reaches the compaction threshold compacts on a background thread, and
    /// the process does not exit before that generation is written: the newest generation
    /// folds in every record before the segment the boundary started.
    @Test func theProcessThatStartsACompactionFinishesItBeforeExiting() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        cli.extraEnv = ["FRONTDESK_COMPACT_AFTER": "3"]
        func newest() throws -> (lastSequence: Int, segments: [Int], tmp: [String]) {
            let fm = FileManager.default
            let gens = try fm.contentsOfDirectory(atPath: cli.data + "/snapshots").sorted()
            let text = try String(contentsOfFile: cli.data + "/snapshots/" + gens.last! + "/manifest.json", encoding: .utf8)
            let seq = text.components(separatedBy: "\"lastSequence\":").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } ?? -1
            let segments = try fm.contentsOfDirectory(atPath: cli.data + "/journal").compactMap { Int($0.prefix { $0.isNumber }) }.sorted()
            return (seq, segments, try fm.contentsOfDirectory(atPath: cli.data + "/tmp"))
        }
        var compactions = 0
        for i in 0..<8 {
            let b = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-0\(2 + i % 4) \(10 + i % 7):00", "--duration", "30m"])
            #expect(b.code == 0, "\(b.err)")
            let n = try newest()
            // The live segment starts right after the newest generation: nothing was left half done.
            #expect(n.segments.last.map { $0 - 1 } == n.lastSequence, "booking \(i): generation at \(n.lastSequence), segments \(n.segments)")
            #expect(!n.tmp.contains { $0.hasPrefix("compact-") }, "booking \(i): \(n.tmp)")
            if n.lastSequence > 0 { compactions += 1 }
        }
        #expect(compactions > 0)
    }

    @Test func statusChangesFollowTheStateMachine() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let t = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-02 09:00", "--duration", "1h", "--status", "tentative", "--json"])
        let ref = t.object["ref"] as? String ?? "?"
        #expect(try cli.run(["complete", ref]).code == 65)             // not started yet
        let c = try cli.run(["confirm", ref, "--expect-version", "1", "--json"])
        #expect(c.object["status"] as? String == "confirmed")
        cli.now = "2027-03-02T09:05:00Z"
        #expect(try cli.run(["no-show", ref, "--json"]).object["status"] as? String == "no_show")
        #expect(try cli.run(["confirm", ref]).code == 65)              // no_show is final
        let hold = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-03 09:00", "--duration", "1h", "--status", "pending_payment", "--hold", "10m", "--json"])
        #expect(hold.object["hold_expires_at"] as? String == "2027-03-02T09:15:00Z")
        cli.now = "2027-03-02T09:20:00Z"
        // The expired hold no longer blocks; the write that meets it cancels it.
        let taken = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-03 09:00", "--duration", "1h", "--json"])
        #expect(taken.code == 0, "\(taken.err)")
        let expired = try cli.run(["show", hold.object["ref"] as? String ?? "?", "--json"])
        #expect(expired.object["status"] as? String == "cancelled")
        #expect((expired.object["cancellation"] as? [String: Any])?["reason"] as? String == "hold expired")
    }

    @Test func rescheduleSeriesFreeAndWaitlist() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let series = try cli.run(["book", "--block", "test", "--resource", res, "--start", "2027-03-01 09:00", "--duration", "30m", "--repeat", "FREQ=WEEKLY;BYDAY=MO;COUNT=4", "--json"])
        #expect(series.code == 0, "\(series.err)")
        #expect(series.array.count == 4)
        #expect(series.array.compactMap { $0["start"] as? String } == ["2027-03-01T09:00:00Z", "2027-03-08T09:00:00Z", "2027-03-15T09:00:00Z", "2027-03-22T09:00:00Z"])
        let second = series.array[1]["ref"] as? String ?? "?"
        let moved = try cli.run(["reschedule", second, "--start", "2027-03-08 10:00", "--scope", "following", "--json"])
        #expect(moved.code == 0, "\(moved.err)")
        #expect(moved.array.compactMap { $0["start"] as? String } == ["2027-03-08T10:00:00Z", "2027-03-15T10:00:00Z", "2027-03-22T10:00:00Z"])
        let free = try cli.run(["free", "--resource", res, "--from", "2027-03-08 09:00", "--to", "2027-03-08 12:00", "--duration", "1h", "--json"])
        #expect(free.array.compactMap { $0["start"] as? String } == ["2027-03-08T09:00:00Z", "2027-03-08T10:30:00Z", "2027-03-08T10:45:00Z", "2027-03-08T11:00:00Z"])
        let first = try cli.run(["free", "--resource", res, "--from", "2027-03-08 09:00", "--to", "2027-03-08 12:00", "--duration", "1h", "--first", "--json"])
        #expect(first.array.count == 1)
        let wl = try cli.run(["waitlist", "add", "--customer", "Ann Lee", "--resource", res, "--from", "2027-03-15 10:00", "--to", "2027-03-15 10:30", "--duration", "30m", "--json"])
        #expect(wl.code == 0, "\(wl.err)")
        let third = series.array[2]["ref"] as? String ?? "?"
        _ = try cli.run(["cancel", third, "--reason", "away"])
        let events = try cli.run(["events"])
        let types = events.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }.compactMap { $0["type"] as? String }
        #expect(types.contains("waitlist.slot_opened"))
        #expect(types.filter { $0 == "booking.created" }.count == 4)
        let booked = try cli.run(["waitlist", "book", wl.object["ref"] as? String ?? "?", "--json"])
        #expect(booked.object["start"] as? String == "2027-03-15T10:00:00Z")
    }

    /// `deliver` runs `frontdesk-deliver` from frontdesk's own directory; a lone copy of
    /// frontdesk says what is missing (exit 74) instead of failing obscurely.
    @Test func deliverNamesTheMissingDeliverBinary() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let dir = NSTemporaryDirectory() + "frontdesk-lone-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: CLIHarness.shippedBinary, toPath: dir + "/frontdesk")
        cli.executable = dir + "/frontdesk"
        let r = try cli.run(["deliver"])
        #expect(r.code == 74, "\(r.err)")
        #expect(r.err.contains(dir + "/frontdesk-deliver"), "\(r.err)")
        #expect(r.err.contains("No such file"), "\(r.err)")
    }

    /// A fresh account has no `~/.local/share`: `init` (and `--demo`) create the missing parents.
    @Test func initCreatesMissingParentDirectories() throws {
        let home = NSTemporaryDirectory() + "frontdesk-home-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        var cli = CLIHarness()
        cli.extraEnv = ["HOME": home, "XDG_DATA_HOME": ""]
        let nested = home + "/a/b/store"
        let r = try cli.run(["init", "--data", nested])
        #expect(r.code == 0, "\(r.err)")
        #expect(FileManager.default.fileExists(atPath: nested + "/FORMAT"))
        var mode = (try FileManager.default.attributesOfItem(atPath: home + "/a/b")[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o777 == 0o700)
        let demo = try cli.run(["init", "--demo", "--data", home + "/.local/share/frontdesk-demo-test"])
        #expect(demo.code == 0, "\(demo.err)")
        mode = (try FileManager.default.attributesOfItem(atPath: home + "/.local/share")[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o777 == 0o700)
    }
}
