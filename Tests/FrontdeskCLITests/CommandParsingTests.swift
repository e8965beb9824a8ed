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
