import ArgumentParser
import Testing
@testable import FrontdeskCLI

/// The shortcut parser for single-booking commands must give exactly what the full parser
/// gives, and hand everything else back to it.
struct LeafCommandParserTests {
    /// A parsed command's stored values (wrappers included), for comparing two parses.
    func contents(_ c: any ParsableCommand) -> String {
        var out = ""
        dump(c, to: &out)
        return out
    }

    @Test(arguments: [
        ["book", "--resource", "Room 1", "--start", "2027-03-01 09:00", "--duration", "45m"],
        ["book", "--resource", "R1", "--start", "2027-03-01T09:00:00Z", "--end", "2027-03-01T10:00:00Z", "--customer", "Ann",
         "--status", "tentative", "--idempotency-key", "k1", "--repeat", "FREQ=WEEKLY;COUNT=3", "--skip-conflicts",
         "--notes", "a -- b", "--override", "manager", "--json", "--data", "/tmp/x"],
        ["book", "--new-customer", "Zoë \"Z\" O'Neil", "--phone", "+44 1", "--email", "z@example.com", "--resource=R1", "--start=2027-03-01 09:00", "--duration=1h"],
        ["cancel", "B-001", "--reason", "ill", "--scope", "following", "--expect-version", "3"],
        ["reschedule", "B-001", "--start", "2027-03-02 10:00", "--duration", "30m"],
        ["confirm", "B-001", "--json"], ["complete", "B-002"], ["no-show", "B-003", "--expect-version", "1"],
        ["show", "B-001", "--json"],
        ["list", "--resource", "R1", "--from", "2027-03-01", "--to", "2027-03-08", "--status", "confirmed"],
        ["free", "--resource", "R1,R2", "--from", "2027-03-01 09:00", "--to", "2027-03-01 17:00", "--duration", "30m", "--first"],
    ])
    func sameCommandAsTheFullParser(_ args: [String]) throws {
        let full = try FrontdeskCommand.parseAsRoot(args)
        let fast = try #require(LeafCommandParser.parse(args))
        #expect(type(of: fast) == type(of: full))
        #expect(contents(fast) == contents(full))
    }

    @Test(arguments: [
        [], ["book", "--help"], ["book", "-h"], ["help", "book"], ["book", "--version"],
        ["book", "--generate-completion-script", "bash"], ["---completion", "book"],
        ["book", "--resourc", "R1", "--start", "2027-03-01 09:00"],   // unknown option: the full parser explains it
        ["book", "--start", "2027-03-01 09:00"],                       // missing --resource
        ["cancel"],                                                    // missing id
        ["--data", "/tmp/x", "book", "--resource", "R1", "--start", "2027-03-01 09:00"],
        ["resource", "add", "--name", "R1"], ["init"], ["bok", "--resource", "R1"],
    ])
    func leavesTheRestToTheFullParser(_ args: [String]) {
        #expect(LeafCommandParser.parse(args) == nil)
    }

    @Test func errorsStillComeFromTheFullParser() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let r = try cli.run(["book", "--resourc", "R1", "--start", "2027-03-01 09:00"])
        #expect(r.code == 64)
        #expect(r.err.contains("Usage: frontdesk book"))
        #expect(r.err.contains("--resourc"))
    }
}
