import Foundation
import Testing

/// Time zones as the command line sees them: read from the system's tz database (`TZDIR`
/// honoured), the display zone from `TZ`, and a missing database named as the cause.
@Suite struct ZoneCommandTests {
    @Test func displayZoneComesFromTZ() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        for (tz, expected) in [(":America/New_York", "America/New_York"), ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo"), ("", "UTC")] {
            cli.zone = tz
            let r = try cli.run(["resource", "add", "--name", "Desk \(expected)", "--json"])
            #expect(r.code == 0, "\(r.err)")
            #expect(r.object["time_zone"] as? String == expected, "TZ=\(tz): \(r.out)")
        }
    }

    @Test func refusesNamesOutsideTheDatabase() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        #expect(try cli.run(["init"]).code == 0)
        for name in ["../../etc/passwd", "/etc/localtime", "Europe/../Europe/Berlin", "EST", "Europe/Atlantis"] {
            let r = try cli.run(["resource", "add", "--name", "X", "--tz", name])
            #expect(r.code == 65, "\(name)")
            #expect(r.err.contains("is not an IANA time zone"), "\(name): \(r.err)")
        }
    }

    @Test func aMissingTzDatabaseIsNamed() throws {
        var cli = CLIHarness()
        defer { cli.cleanup() }
        cli.extraEnv["TZDIR"] = "/nonexistent/zoneinfo"
        cli.zone = "UTC"
        #expect(try cli.run(["init"]).code == 0)
        let r = try cli.run(["resource", "add", "--name", "Berlin desk", "--tz", "Europe/Berlin"])
        #expect(r.code == 65)
        #expect(r.err.contains("unknown time zone \"Europe/Berlin\" (no tz database at /nonexistent/zoneinfo: install the tzdata package)"), "\(r.err)")
        // UTC needs no database.
        #expect(try cli.run(["resource", "add", "--name", "UTC desk", "--tz", "UTC"]).code == 0)
    }
}
