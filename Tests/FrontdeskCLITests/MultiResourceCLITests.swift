import Foundation
import Testing

/// `book --resource A --resource B`, and what `show`, `list`, `free` and `reschedule` make of a
/// booking that holds several resources.
@Suite struct MultiResourceCLITests {
    @Test func bookListShowFreeAndMoveABookingOfTwoResources() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        _ = try cli.seeded()
        for name in ["Ann", "Bob", "Chair 2"] {
            #expect(try cli.run(["resource", "add", "--name", name, "--tz", "Europe/London"]).code == 0)
        }
        let booked = try cli.run(["book", "--resource", "Ann", "--resource", "Chair 2", "--start", "2027-03-02 10:00", "--duration", "45m",
                                  "--customer", "Ann Lee", "--json"])
        #expect(booked.code == 0, "\(booked.err)")
        #expect(booked.object["resource_names"] as? [String] == ["Ann", "Chair 2"])
        #expect((booked.object["resources"] as? [String])?.count == 2)
        let ref = try #require(booked.object["ref"] as? String)
        #expect(booked.object["resource_name"] as? String == "Ann")

        // Found from the chair as from Ann, before and after a compaction.
        for pass in 0..<2 {
            let listed = try cli.run(["list", "--resource", "Chair 2", "--from", "2027-03-02", "--to", "2027-03-03", "--json"])
            #expect(listed.array.map { $0["ref"] as? String } == [ref], "pass \(pass): \(listed.out) \(listed.err)")
            if pass == 0 { #expect(try cli.run(["compact"]).code == 0) }
        }
        let table = try cli.run(["list", "--resource", "Ann", "--from", "2027-03-02", "--to", "2027-03-03"])
        #expect(table.out.contains("Ann + Chair 2"), "\(table.out)")
        #expect(try cli.run(["show", ref]).out.contains("Resources       Ann (R-002) + Chair 2 (R-004)"))

        // The chair is taken whoever asks; Bob with the other chair is not.
        let clash = try cli.run(["book", "--resource", "Bob", "--resource", "Chair 2", "--start", "2027-03-02 10:30", "--duration", "30m", "--block", "x"])
        #expect(clash.code == 3, "\(clash.err)")
        #expect(clash.err.contains(ref))
        let twice = try cli.run(["book", "--resource", "Bob", "--resource", "Bob", "--start", "2027-03-02 12:00", "--duration", "30m", "--block", "x"])
        #expect(twice.code == 65 && twice.err.contains("named twice"), "\(twice.err)")

        // Times when both Ann and the chair are free: not 10:00-10:45.
        let free = try cli.run(["free", "--resource", "Ann", "--resource", "Chair 2", "--from", "2027-03-02 09:30", "--to", "2027-03-02 11:30",
                                "--duration", "30m", "--json"])
        #expect(free.code == 0, "\(free.err)")
        let starts = free.array.compactMap { $0["start_local"] as? String }
        #expect(starts.first == "2027-03-02T09:30:00+00:00" && !starts.contains { $0.hasPrefix("2027-03-02T10:00") || $0.hasPrefix("2027-03-02T10:15") })
        #expect(starts.contains("2027-03-02T10:45:00+00:00"), "\(starts)")

        // Moving onto another set replaces the old one.
        let moved = try cli.run(["reschedule", ref, "--start", "2027-03-02 10:00", "--resource", "Bob", "--resource", "Chair 1", "--json"])
        #expect(moved.code == 0, "\(moved.err)")
        let chair2 = try cli.run(["list", "--resource", "Chair 2", "--from", "2027-03-02", "--to", "2027-03-03", "--json"])
        #expect(chair2.array.isEmpty, "\(chair2.out)")
        #expect(try cli.run(["check"]).code == 0)
    }
}
