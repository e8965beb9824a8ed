import ArgumentParser
import Testing
@testable import FrontdeskCLI

/// The command line has one parser, ArgumentParser's: every single-booking command parses
/// into its own type with each value in its field, and every malformed line is refused with
/// ArgumentParser's usage message and exit code.
struct CommandParsingTests {
    @Test(arguments: [
        ["book", "--resource", "Room 1", "--start", "2027-03-01 09:00", "--duration", "45m"],
        ["book", "--resource", "R1", "--start", "2027-03-01T09:00:00Z", "--end", "2027-03-01T10:00:00Z", "--customer", "Ann",
         "--status", "tentative", "--idempotency-key", "k1", "--repeat", "FREQ=WEEKLY;COUNT=3", "--skip-conflicts",
         "--notes", "a -- b", "--override", "manager", "--json", "--data", "/tmp/x"],
        ["book", "--new-customer", "Zoë \"Z\" O'Neil", "--phone", "+44 1", "--email", "z@example.com", "--resource=R1", "--start=2027-03-01 09:00", "--duration=1h"],
        ["book", "--json", "--skip-conflicts", "--resource", "Zoë's room", "--start", "2027-03-01 09:00", "--end", "2027-03-01 10:00",
         "--hold", "10m", "--status", "pending_payment", "--data=/tmp/x y", "--notes=a=b"],
        ["book", "--resource", "R1", "--resource", "R2", "--start", "2027-03-01 09:00"],
        ["book", "--resource", "R1", "--start", "2027-03-01 09:00", "--notes", ""],
        ["--data", "/tmp/x", "book", "--resource", "R1", "--start", "2027-03-01 09:00"],
        ["cancel", "B-001", "--reason", "ill", "--scope", "following", "--expect-version", "3"],
        ["reschedule", "B-001", "--start", "2027-03-02 10:00", "--duration", "30m"],
        ["confirm", "B-001", "--json"], ["complete", "B-002"], ["no-show", "B-003", "--expect-version", "1"],
        ["show", "B-001", "--json"],
        ["list", "--resource", "R1", "--from", "2027-03-01", "--to", "2027-03-08", "--status", "confirmed"],
        ["free", "--resource", "R1,R2", "--from", "2027-03-01 09:00", "--to", "2027-03-01 17:00", "--duration", "30m", "--first"],
    ])
    func parsesIntoTheNamedCommand(_ args: [String]) throws {
        let command = try FrontdeskCommand.parseAsRoot(args)
        let name = args.first { !$0.hasPrefix("-") && $0 != "/tmp/x" }
        #expect(type(of: command).configuration.commandName == name)
    }

    /// A line that names a leaf command, at the top level or inside a group, is parsed by the
    /// leaf alone (`FrontdeskMain.parseLeaf`) into what the root's parse makes of it: the same
    /// command, every field the same.
    @Test(arguments: [
        ["book", "--resource", "R1", "--start", "2027-03-01T09:00:00Z", "--end", "2027-03-01T10:00:00Z", "--customer", "Ann",
         "--idempotency-key", "k1", "--repeat", "FREQ=WEEKLY;COUNT=3", "--skip-conflicts", "--notes", "a -- b", "--json", "--data", "/tmp/x"],
        ["cancel", "B-001", "--reason", "ill", "--scope", "following", "--expect-version", "3"],
        ["list", "--resource", "R1", "--from", "2027-03-01", "--json"],
        ["resource", "add", "--name", "Chair 1", "--kind", "staff", "--tz", "Europe/London", "--hours", "mon-fri 09:00-17:00",
         "--hours", "sat 10:00-14:00", "--buffer-after", "10m", "--cancel-notice", "24h", "--data=/tmp/x y"],
        ["resource", "list", "--kind", "room", "--json"],
        ["resource", "edit", "Chair 1", "--archive"],
        ["customer", "add", "--name", "Ann Lee", "--phone", "+44 7700 900123"],
        ["customer", "list", "--search", "ann"],
        ["schedule", "hours", "Salon hours", "mon-fri 09:00-18:00", "sun closed"],
        ["waitlist", "list", "--json"],
        ["webhook", "list"],
    ])
    func leafParseMatchesTheRootParse(_ args: [String]) throws {
        let root = try FrontdeskCommand.parseAsRoot(args)
        let leaf = try #require(FrontdeskMain.parseLeaf(args), "\(args) not parsed by its leaf")
        #expect(type(of: leaf) == type(of: root))
        #expect(String(describing: leaf) == String(describing: root))
    }

    /// The comparison above sees the parsed values: two lines that differ in one value describe
    /// differently.
    @Test func aParsedCommandsDescriptionCarriesItsValues() throws {
        let ann = try FrontdeskCommand.parseAsRoot(["customer", "list", "--search", "ann"])
        let bob = try FrontdeskCommand.parseAsRoot(["customer", "list", "--search", "bob"])
        let json = try FrontdeskCommand.parseAsRoot(["customer", "list", "--search", "ann", "--json"])
        #expect(String(describing: ann) != String(describing: bob))
        #expect(String(describing: ann) != String(describing: json))
    }

    /// Lines the leaf's parse does not take go to the root's parse, which words the error or
    /// answers the help request for the whole command line.
    @Test(arguments: [
        [], ["resource"], ["resource", "lst"], ["lsit"], ["--data", "/tmp/x", "book", "--resource", "R1", "--start", "2027-03-01 09:00"],
        ["resource", "add", "--name", "X", "--bogus"], ["resource", "add", "--help"], ["help", "resource", "add"],
        ["book", "--resource", "R1"], ["resource", "list", "extra"],
    ])
    func otherLinesGoToTheRoot(_ args: [String]) {
        #expect(FrontdeskMain.parseLeaf(args) == nil)
    }

    @Test func bookReadsEachValueIntoItsField() throws {
        let args = ["book", "--resource", "R1", "--start", "2027-03-01T09:00:00Z", "--end", "2027-03-01T10:00:00Z",
                    "--duration", "1h", "--customer", "Ann", "--new-customer", "Zoë \"Z\" O'Neil", "--block", "lunch",
                    "--phone", "+44 1", "--email", "z@example.com", "--status", "tentative", "--hold", "10m",
                    "--idempotency-key", "k1", "--repeat", "FREQ=WEEKLY;COUNT=3", "--skip-conflicts", "--notes=a=b",
                    "--override", "manager", "--json", "--data=/tmp/x y"]
        let c = try #require(try FrontdeskCommand.parseAsRoot(args) as? BookCommand)
        #expect(c.resource == "R1")
        #expect(c.start == "2027-03-01T09:00:00Z")
        #expect(c.end == "2027-03-01T10:00:00Z")
        #expect(c.duration == "1h")
        #expect(c.customer == "Ann")
        #expect(c.newCustomer == "Zoë \"Z\" O'Neil")
        #expect(c.block == "lunch")
        #expect(c.phone == "+44 1")
        #expect(c.email == "z@example.com")
        #expect(c.status == "tentative")
        #expect(c.hold == "10m")
        #expect(c.idempotencyKey == "k1")
        #expect(c.rrule == "FREQ=WEEKLY;COUNT=3")
        #expect(c.skipConflicts)
        #expect(c.notes == "a=b")
        #expect(c.override == "manager")
        #expect(c.global.json)
        #expect(c.global.data == "/tmp/x y")

        let bare = try #require(try FrontdeskCommand.parseAsRoot(["book", "--resource", "R1", "--start", "2027-03-01 09:00"]) as? BookCommand)
        #expect(bare.end == nil && bare.duration == nil && bare.customer == nil && bare.notes == nil)
        #expect(!bare.skipConflicts && !bare.global.json && bare.global.data == nil)
        let empty = try #require(try FrontdeskCommand.parseAsRoot(["book", "--resource", "R1", "--start", "2027-03-01 09:00", "--notes", ""]) as? BookCommand)
        #expect(empty.notes == "")
    }

    /// `book`'s options are exactly these: scripts call it once per booking, so none may
    /// change name or go missing.
    @Test func bookDeclaresItsOptions() throws {
        let help = BookCommand.helpMessage(columns: 10_000)
        let regex = try Regex(#"--([a-z][a-z-]*)"#)
        let declared = Set(help.matches(of: regex).map { String(help[$0.range].dropFirst(2)) }).subtracting(["help"])
        #expect(declared == [
            "data", "resource", "start", "end", "duration", "customer", "new-customer", "phone", "email", "status", "hold",
            "idempotency-key", "repeat", "notes", "override", "block", "json", "skip-conflicts",
            "price", "deposit", "late-cancel-fee", "no-show-fee", "reason", "service",
        ])
    }

    @Test(arguments: [
        ["book", "--resourc", "R1", "--start", "2027-03-01 09:00"],   // unknown option
        ["book", "--start", "2027-03-01 09:00"],                       // missing --resource
        ["cancel"],                                                    // missing id
        ["book", "--start", "2027-03-01 09:00", "--resource", "R1", "--notes", "-x"],  // a value that looks like an option
        ["book", "--resource", "R1", "--start", "2027-03-01 09:00", "--json=yes"],
        ["book", "--resource", "R1", "--start"],
    ])
    func refusesMalformedLinesAsUsage(_ args: [String]) {
        #expect(throws: (any Error).self) { try FrontdeskCommand.parseAsRoot(args) }
        do {
            _ = try FrontdeskCommand.parseAsRoot(args)
        } catch {
            #expect(FrontdeskCommand.exitCode(for: error) == .validationFailure)
            #expect(FrontdeskMain.classify(error).0 == 64)
        }
    }

    @Test(arguments: [["book", "--help"], ["book", "-h"], ["help", "book"]])
    func helpIsASuccessfulExit(_ args: [String]) throws {
        do {
            // ArgumentParser answers a help request with its own help command, which exits.
            var command = try FrontdeskCommand.parseAsRoot(args)
            try #require(!(command is BookCommand), "\(args) parsed as a booking")
            try command.run()
            Issue.record("\(args) ran without asking for help")
        } catch {
            #expect(FrontdeskCommand.exitCode(for: error) == .success)
            #expect(FrontdeskCommand.fullMessage(for: error).contains("USAGE: frontdesk book"))
        }
    }

    @Test func errorsNameTheCommandAndTheOption() throws {
        let cli = CLIHarness()
        defer { cli.cleanup() }
        let r = try cli.run(["book", "--resourc", "R1", "--start", "2027-03-01 09:00"])
        #expect(r.code == 64)
        #expect(r.err.contains("Usage: frontdesk book"))
        #expect(r.err.contains("--resourc"))
    }
}
