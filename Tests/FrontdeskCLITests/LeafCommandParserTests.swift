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
        ["book", "--json", "--skip-conflicts", "--resource", "Zoë's room", "--start", "2027-03-01 09:00", "--end", "2027-03-01 10:00",
         "--hold", "10m", "--status", "pending_payment", "--data=/tmp/x y", "--notes=a=b"],
        ["book", "--resource", "R1", "--resource", "R2", "--start", "2027-03-01 09:00"], // and this one
        ["book", "--resource", "R1", "--start", "2027-03-01 09:00", "--notes", ""],
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
        ["book", "--start", "2027-03-01 09:00", "--resource", "R1", "--notes", "-x"],  // a value that looks like an option
    ])
    func leavesTheRestToTheFullParser(_ args: [String]) {
        #expect(LeafCommandParser.parse(args) == nil)
    }

    @Test(arguments: [
        ["--resource", "R1", "--start", "2027-03-01 09:00", "--notes", "-x"],
        ["--resource", "R1", "--resource", "R2", "--start", "2027-03-01 09:00"],
        ["--resource", "R1", "--start", "2027-03-01 09:00", "--json", "--json"],
        ["--resource=", "--start", "2027-03-01 09:00"],
        ["--json=yes", "--resource", "R1", "--start", "2027-03-01 09:00"],
        ["-h"], ["R1"], ["--resource", "R1", "--start"], ["--resource", "R1", "--start", "2027-03-01 09:00", "--"],
        ["--resource", "R1", "--start", "2027-03-01 09:00", "--colour", "red"], ["--start", "2027-03-01 09:00"],
    ])
    func theBookScannerHandsBackWhatItDoesNotCover(_ args: [String]) {
        #expect(BookArgumentScanner.parse(args[...]) == nil)
    }

    /// Every option `book` declares is in the scanner's tables, and nothing else is: a new
    /// option without a line in the scanner would otherwise be silently refused by it (and then
    /// still parsed by the full parser, only slower).
    @Test func theBookScannerKnowsEveryOption() throws {
        let help = BookCommand.helpMessage(columns: 10_000)
        let regex = try Regex(#"--([a-z][a-z-]*)"#)
        let declared = Set(help.matches(of: regex).map { String(help[$0.range].dropFirst(2)) }).subtracting(["help"])
        #expect(declared == BookArgumentScanner.valueOptions.union(BookArgumentScanner.flags))
        // And it reads every one of them into the same field the full parser does.
        var args = ["book"]
        for name in BookArgumentScanner.valueOptions.sorted() {
            args += ["--" + name, name == "repeat" ? "FREQ=DAILY;COUNT=2" : "value of \(name)"]
        }
        args += BookArgumentScanner.flags.sorted().map { "--" + $0 }
        let fast = try #require(BookArgumentScanner.parse(args.dropFirst()))
        let full = try #require(try FrontdeskCommand.parseAsRoot(args) as? BookCommand)
        #expect(contents(fast) == contents(full))
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
