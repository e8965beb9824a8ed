import Foundation
import Testing

/// A store on a file system that fills up while desks keep booking: every booking the command
/// line acknowledged is still there afterwards, every refusal says why, and once space is freed
/// the store works again and `check` finds nothing wrong.
///
/// Needs root to mount a small tmpfs (CI runs as root).
@Suite(.serialized) struct FullDiskTests {
    @Test func aFullDiskRefusesWritesAndLosesNothingAcknowledged() throws {
        let mount = NSTemporaryDirectory() + "frontdesk-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mount) }
        let mounted = try Self.shell("mount -t tmpfs -o size=4m tmpfs '\(mount)'")
        try #require(mounted == 0, "mounting a tmpfs needs root")
        defer { _ = try? Self.shell("umount -l '\(mount)'") }

        var cli = CLIHarness()
        cli.extraEnv["FRONTDESK_DATA"] = mount + "/store"
        let (resource, customer) = try cli.seeded()
        // Fill what is left, so the next writes that need new blocks fail with ENOSPC.
        _ = try Self.shell("dd if=/dev/zero of='\(mount)/filler' bs=64k 2>/dev/null; sync")

        var acknowledged: [String] = []
        var refusals: [String] = []
        let day = 86_400
        let base = ISO8601DateFormatter().date(from: "2027-03-01T09:00:00Z")!
        for i in 0..<2_000 where refusals.count < 3 {
            // 09:00-09:15 on successive days, so no booking conflicts with another.
            let start = ISO8601DateFormatter().string(from: base.addingTimeInterval(Double(i * day)))
            let r = try cli.run(["book", "--resource", resource, "--customer", customer, "--start", start,
                                 "--duration", "15m", "--override", "full-disk test", "--json"])
            if r.code == 0 {
                acknowledged.append(r.object["ref"] as? String ?? "?")
            } else {
                #expect(r.code == 74, "a full disk is an I/O error: \(r.code) \(r.err)")
                #expect(r.err.lowercased().contains("no space"), "the refusal names the cause: \(r.err)")
                refusals.append(start)
            }
        }
        try #require(!refusals.isEmpty, "the file system never filled up")

        // Still full: reads work and show every acknowledged booking.
        let whileFull = try cli.run(["export", "--format", "json"])
        #expect(whileFull.code == 0, "\(whileFull.err)")
        let heldWhileFull = Set(Self.refs(whileFull.out))
        #expect(acknowledged.allSatisfy { heldWhileFull.contains($0) }, "an acknowledged booking is missing while the disk is full")

        try FileManager.default.removeItem(atPath: mount + "/filler")
        let after = try cli.run(["book", "--resource", resource, "--customer", customer, "--start", "2035-01-01T09:00:00Z",
                                 "--duration", "15m", "--override", "full-disk test", "--json"])
        #expect(after.code == 0, "writes work again once space is free: \(after.err)")
        let check = try cli.run(["check"])
        #expect(check.code == 0, "check after a full disk: \(check.out) \(check.err)")
        let export = try cli.run(["export", "--format", "json"])
        let held = Set(Self.refs(export.out))
        #expect(acknowledged.allSatisfy { held.contains($0) }, "an acknowledged booking was lost")
        #expect(held.count == acknowledged.count + 1, "a refused booking was stored: \(held.count) stored, \(acknowledged.count + 1) acknowledged")
    }

    /// The references in an `export --format json` document.
    static func refs(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) else { return [] }
        let rows = (object as? [[String: Any]]) ?? ((object as? [String: Any])?["bookings"] as? [[String: Any]]) ?? []
        return rows.compactMap { $0["ref"] as? String }
    }

    static func shell(_ command: String) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
