import Foundation
@testable import FrontdeskCore
import Testing
@testable import FrontdeskCLI
import FrontdeskTUI

/// Issue #20 items 14, 15 and 21, second pass: one-line summaries and conflict messages show
/// the end's date and both offsets like `show`; the series hint names the CLI's own flag; the
/// front desk's exit codes match the commands'; `--demo` is a documented option.
@Suite struct DayOneSummaryTests {
    let london = Zone("Europe/London")!

    func range(_ a: String, _ b: String) -> TimeRange { TimeRange(start: Instant(iso8601: a)!, end: Instant(iso8601: b)!) }

    @Test func oneLineSpansKeepTheEndDateAndOffsets() {
        #expect(Format.spanLine(range("2026-12-08T10:00:00Z", "2028-01-12T10:00:00Z"), london)
                == "Tue 2026-12-08 10:00–Wed 2028-01-12 10:00 Europe/London")
        #expect(Format.spanLine(range("2027-10-31T00:30:00Z", "2027-10-31T01:00:00Z"), london)
                == "Sun 2027-10-31 01:30 +01:00–01:00 +00:00 Europe/London")
        #expect(Format.spanLine(range("2027-03-01T09:00:00Z", "2027-03-01T09:30:00Z"), london)
                == "Mon 2027-03-01 09:00–09:30 Europe/London")
    }

    @Test func theCoreSeriesMessageNamesNoFrontEndsFlag() {
        let c = ConflictingBooking(id: BookingID("b1"), ref: "B-001", resource: ResourceID("R-001"), resourceName: "Chair 1",
                                   range: range("2027-03-08T09:00:00Z", "2027-03-08T10:00:00Z"), status: .confirmed,
                                   customerName: "Ann Lee", heldBy: "carol")
        let e = CoreError.seriesConflicts([LocalDate("2027-03-08")!: [c]])
        #expect(!e.description.contains("skip-conflicts"), "\(e.description)")
        #expect(!e.description(in: BookingState()).contains("skip-conflicts"))
        #expect(e.commandLineMessage(in: nil).contains("add --skip-conflicts to book the rest"))
    }

    @Test func bookListCancelAndConflictsShowA400DayBookingsEndDate() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Van 1", "--kind", "equipment", "--tz", "Europe/London", "--json"])
        #expect(r.code == 0, "\(r.err)")
        let booked = try cli.run(["book", "--block", "long hire", "--resource", "Van 1", "--start", "2027-03-02 10:00", "--duration", "400d"])
        #expect(booked.code == 0, "\(booked.err)")
        #expect(booked.out.contains("Tue 2027-03-02 10:00–Wed 2028-04-05 11:00 Europe/London"), "\(booked.out)")
        let listed = try cli.run(["list", "--from", "2027-03-01", "--to", "2027-04-01"])
        #expect(listed.out.contains("2027-03-02 10:00  2028-04-05 11:00"), "\(listed.out)")
        let clash = try cli.run(["book", "--block", "test", "--resource", "Van 1", "--start", "2027-05-04 10:00", "--duration", "1h"])
        #expect(clash.code == 3)
        #expect(clash.err.contains("Tue 2027-03-02 10:00–Wed 2028-04-05 11:00 Europe/London"), "\(clash.err)")
        let series = try cli.run(["book", "--block", "test", "--resource", "Van 1", "--start", "2027-05-04 10:00", "--duration", "1h",
                                  "--repeat", "FREQ=DAILY;COUNT=2"])
        #expect(series.code == 3)
        #expect(series.err.contains("--skip-conflicts") && !series.err.contains("use skip-conflicts"), "\(series.err)")
        let ref = booked.out.split(separator: " ").first { $0.hasPrefix("B-") }.map(String.init) ?? "?"
        let cancelled = try cli.run(["cancel", ref, "--reason", "ended early"])
        #expect(cancelled.code == 0, "\(cancelled.err)")
        #expect(cancelled.out.contains("Tue 2027-03-02 10:00–Wed 2028-04-05 11:00"), "\(cancelled.out)")
    }

    @Test func theFrontDeskWithNoStoreExits74AndABadThemeIsAUsageError() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        let none = try cli.run([])
        #expect(none.code == 74, "\(none.err)")
        #expect(none.err.contains("no store at") && none.err.contains("frontdesk init"), "\(none.err)")
        let list = try cli.run(["list"])
        #expect(list.code == 74 && list.err.contains("frontdesk init"), "\(list.err)")
        #expect(try cli.run(["init"]).code == 0)
        for noColor in ["", "1"] {  // NO_COLOR picks mono, but the mistyped name is still reported
            cli.extraEnv["NO_COLOR"] = noColor
            let neon = try cli.run(["--theme", "neon"])
            #expect(neon.code == 64, "NO_COLOR=\(noColor): \(neon.err)")
            #expect(neon.err.contains("neon") && neon.err.contains("high-contrast"), "\(neon.err)")
        }
    }

    @Test func demoIsADocumentedOptionOfTheRootCommand() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let help = try cli.run(["--help"])
        #expect(help.code == 0)
        let usage = help.out.components(separatedBy: "\n").first { $0.hasPrefix("USAGE:") } ?? ""
        #expect(usage.contains("--demo"), "\(help.out)")
        let options = help.out.components(separatedBy: "OPTIONS:").dropFirst().joined()
        #expect(options.contains("--demo") && options.contains("sample store"), "\(help.out)")
        // `init --demo` still fills the new store, though the root documents `--demo` too.
        let store = CLIHarness()
        defer { store.cleanup() }
        let seeded = try store.run(["init", "--demo"])
        #expect(seeded.code == 0 && seeded.out.contains("with demo data"), "\(seeded.out)\(seeded.err)")
    }
}
