import Foundation
import Testing
@testable import FrontdeskCLI
import FrontdeskCore
import FrontdeskStore
import FrontdeskTUI

/// Reads on a damaged store never pass for complete: `list`, `show`, `free`, `export` and
/// `events` exit 74 naming what is missing; `export --allow-partial` exports what is readable
/// and says what is not. Also the export file's mode and its refusal to follow a symlink.
@Suite(.serialized) struct DamagedStoreCommandTests {
    /// Books `count` one-hour slots on consecutive weekdays from 2027-03-02 (Tue) 09:00; returns refs.
    static func book(_ cli: CLIHarness, _ res: String, days: [String]) throws -> [String] {
        try days.map { day in
            let r = try cli.run(["book", "--resource", res, "--start", "\(day) 09:00", "--duration", "1h", "--notes", "n", "--block", "test", "--json"])
            #expect(r.code == 0, "\(r.err)")
            return r.object["ref"] as? String ?? "?"
        }
    }

    static func files(_ dir: String, under sub: String) -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        if let e = fm.enumerator(atPath: dir + "/" + sub) {
            while let rel = e.nextObject() as? String { out.append(dir + "/" + sub + "/" + rel) }
        }
        return out.sorted()
    }

    /// Changes one byte of the line of `path` that holds `marker` (a checksum mismatch on a
    /// complete line that valid records follow: damage, not a torn tail).
    static func flip(_ path: String, inLineContaining marker: String) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let m = Array(marker.utf8)
        guard let at = (0...(bytes.count - m.count)).first(where: { Array(bytes[$0..<$0 + m.count]) == m }) else {
            Issue.record("\(marker) not in \(path)"); return
        }
        bytes[at + 2] = bytes[at + 2] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func journalDamageFailsEveryBookingRead() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let refs = try Self.book(cli, res, days: ["2027-03-02", "2027-03-03", "2027-03-04"])
        let segment = Self.files(cli.data, under: "journal").last { $0.hasSuffix(".jsonl") }!
        try Self.flip(segment, inLineContaining: "\"ref\":\"\(refs[0])\"")
        #expect(try cli.run(["check"]).code == 74)
        for args in [["list", "--from", "2027-03-01", "--to", "2027-03-31"], ["show", refs[2]],
                     ["free", "--resource", res, "--from", "2027-03-02 09:00", "--to", "2027-03-02 17:00", "--duration", "1h"],
                     ["export", "--format", "json"], ["export", "--format", "csv"], ["events"],
                     ["customer", "list"], ["resource", "list"], ["resource", "show", res], ["waitlist", "list"], ["schedule", "list"]] {
            let r = try cli.run(args)
            #expect(r.code == 74, "\(args): \(r.code) \(r.out)")
            #expect(r.err.contains("incomplete") && r.err.contains("journal records after record"), "\(args): \(r.err)")
            #expect(!r.out.contains(refs[1]), "\(args) printed a partial answer")
        }
        let partial = try cli.run(["export", "--format", "json", "--allow-partial"])
        #expect(partial.code == 0, "\(partial.err)")
        #expect(partial.err.contains("partial export: missing"), "\(partial.err)")
        #expect(partial.object["partial"] as? Bool == true)
        #expect(((partial.object["missing"] as? [String]) ?? []).contains { $0.contains("journal records after record") })
        let csv = try cli.run(["export", "--format", "csv", "--allow-partial"])
        #expect(csv.code == 0 && csv.err.contains("partial export: missing"))
    }

    /// The front desk's status bar warns that what it shows may be incomplete.
    @Test func theDeskSaysTheStoreIsDamaged() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let refs = try Self.book(cli, res, days: ["2027-03-02", "2027-03-03", "2027-03-04"])
        let healthy = DeskConnection(storage: try Store.open(at: cli.data, clock: FixedClock(Instant(seconds: 0))), actor: .system)
        if case .readOnly(let why) = healthy.mode { Issue.record("healthy store shown read-only: \(why)") }
        let segment = Self.files(cli.data, under: "journal").last { $0.hasSuffix(".jsonl") }!
        try Self.flip(segment, inLineContaining: "\"ref\":\"\(refs[0])\"")
        let desk = DeskConnection(storage: try Store.open(at: cli.data, clock: FixedClock(Instant(seconds: 0))), actor: .system)
        guard case .readOnly(let why) = desk.mode else { Issue.record("not flagged: \(desk.mode)"); return }
        #expect(why.hasPrefix("DAMAGED, bookings shown may be incomplete"), "\(why)")
    }

    @Test func repairEndToEnd() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let refs = try Self.book(cli, res, days: ["2027-03-02", "2027-03-03", "2027-03-04"])
        let segment = Self.files(cli.data, under: "journal").last { $0.hasSuffix(".jsonl") }!
        try Self.flip(segment, inLineContaining: "\"ref\":\"\(refs[1])\"")
        #expect(try cli.run(["check"]).code == 74)
        let dry = try cli.run(["repair", "--dry-run"])
        #expect(dry.code == 0, "\(dry.err)")
        #expect(dry.out.contains("would quarantine") && dry.out.contains(refs[2]), "\(dry.out)")
        #expect(try cli.run(["check"]).code == 74, "a dry run repaired")
        let repair = try cli.run(["repair"])
        #expect(repair.code == 0, "\(repair.err)")
        #expect(repair.out.contains("Could not be recovered") && repair.out.contains(refs[2]) && repair.out.contains("cannot be read"), "\(repair.out)")
        let check = try cli.run(["check"])
        #expect(check.code == 0, "\(check.out)")
        let list = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-31", "--json"])
        #expect(list.code == 0 && list.array.compactMap { $0["ref"] as? String } == [refs[0]], "\(list.out) \(list.err)")
        let again = try cli.run(["book", "--resource", res, "--start", "2027-03-03 09:00", "--duration", "1h", "--block", "test", "--json"])
        #expect(again.code == 0, "\(again.err)")
        #expect(!refs.contains(again.object["ref"] as? String ?? "?"), "a lost booking's reference was handed out again")
        #expect(try cli.run(["check"]).code == 0)
    }

    @Test func partitionDamageFailsOnlyReadsOfThatResourceMonth() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let march = try Self.book(cli, res, days: ["2027-03-02", "2027-03-03"])
        let april = try Self.book(cli, res, days: ["2027-04-06"])
        #expect(try cli.run(["compact"]).code == 0)
        let newest = Self.files(cli.data, under: "snapshots").filter { $0.contains("/bookings/2027-03/") }.last!
        try Self.flip(newest, inLineContaining: "\"ref\":\"\(march[1])\"")
        let bad = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-31"])
        #expect(bad.code == 74)
        #expect(bad.err.contains("incomplete") && bad.err.contains("starting in 2027-03"), "\(bad.err)")
        #expect(try cli.run(["show", march[0]]).code == 74)
        #expect(try cli.run(["export", "--format", "json"]).code == 74)
        // April is in another partition: answered.
        let ok = try cli.run(["list", "--from", "2027-04-05", "--to", "2027-04-30", "--json"])
        #expect(ok.code == 0, "\(ok.err)")
        #expect(ok.array.compactMap { $0["ref"] as? String } == april)
        #expect(try cli.run(["show", april[0]]).code == 0)
        let partial = try cli.run(["export", "--format", "json", "--allow-partial"])
        #expect(partial.code == 0)
        #expect(((partial.object["bookings"] as? [[String: Any]]) ?? []).compactMap { $0["ref"] as? String } == april)
        #expect(((partial.object["missing"] as? [String]) ?? []).contains { $0.contains("2027-03") })
    }

    /// A damaged newest manifest: the store falls back to the previous generation and replays
    /// the records folded since from events/, so nothing is missing; once those are gone too,
    /// reads refuse.
    @Test func fallbackGenerationIsCompleteWhileEventsHoldTheRecords() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        let first = try Self.book(cli, res, days: ["2027-03-02"])
        #expect(try cli.run(["compact"]).code == 0)
        let second = try Self.book(cli, res, days: ["2027-03-03", "2027-03-04"])
        #expect(try cli.run(["compact"]).code == 0)
        let manifest = Self.files(cli.data, under: "snapshots").filter { $0.hasSuffix("/manifest.json") }.last!
        try Self.flip(manifest, inLineContaining: "\"lastSequence\"")
        let list = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-31", "--json"])
        #expect(list.code == 0, "\(list.err)")
        #expect(Set(list.array.compactMap { $0["ref"] as? String }) == Set(first + second))
        for seg in Self.files(cli.data, under: "events") { try FileManager.default.removeItem(atPath: seg) }
        let gone = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-03-31"])
        #expect(gone.code == 74 && gone.err.contains("cannot be replayed"), "\(gone.err)")
        #expect(try cli.run(["export", "--format", "json"]).code == 74)
    }

    @Test func exportFileIsPrivateAndNeverFollowsASymlink() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        _ = try Self.book(cli, res, days: ["2027-03-02"])
        let dir = NSTemporaryDirectory() + "frontdesk-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Under umask 000 the export is still 0600.
        let plain = cli.executable
        cli.executable = "/bin/sh"
        let out = dir + "/bookings.csv"
        let r = try cli.run(["-c", "umask 000; exec \"$0\" \"$@\"", plain, "export", "--format", "csv", "--output", out])
        #expect(r.code == 0, "\(r.err)")
        func mode(_ p: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: p)[.posixPermissions]) as? Int) ?? -1 }
        #expect(mode(out) == 0o600)
        // An existing regular file is replaced, and the result is 0600.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: out)
        #expect(try cli.run(["-c", "umask 000; exec \"$0\" \"$@\"", plain, "export", "--format", "csv", "--output", out]).code == 0)
        #expect(mode(out) == 0o600)
        cli.executable = plain
        // A symlink at the name is refused, and its target is untouched.
        let victim = dir + "/precious"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: victim))
        let link = dir + "/link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        let refused = try cli.run(["export", "--format", "csv", "--output", link])
        #expect(refused.code == 74 && refused.err.contains("symbolic link"), "\(refused.err)")
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep me\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == victim)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bookings.csv", "link.csv", "precious"])
    }

    @Test func csvExportNeutralisesFormulas() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let (res, _) = try cli.seeded()
        #expect(try cli.run(["customer", "add", "--name", "@SUM(1+1)", "--json"]).code == 0)
        for (i, notes) in ["=HYPERLINK(\"http://x\")", "+1", "-2", "\tcmd"].enumerated() {
            let r = try cli.run(["book", "--resource", res, "--start", "2027-03-0\(2 + i) 09:00", "--duration", "1h", "--notes=" + notes,
                                 "--customer", "@SUM(1+1)"])
            #expect(r.code == 0, "\(r.err)")
        }
        let csv = try cli.run(["export", "--format", "csv"]).out
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "\(csv)")
        for cell in [",'+1,", ",'-2,", ",'\tcmd,", ",'@SUM(1+1),"] { #expect(csv.contains(cell), "\(cell.debugDescription) in \(csv)") }
    }
}
